"""The example scripts run, and print what the README says."""

import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_tour_runs_and_reports_the_readme_counts():
    out = subprocess.run([sys.executable, str(ROOT / "examples" / "tour.py"), "--quick"],
                         capture_output=True, text=True, check=True).stdout
    # The README's count of the same model in the same box: 19 regions, 17 linear regions,
    # 20 decision-boundary pieces of which 17 maximal, 30 shared and 16 boundary facets.
    assert "19 activation regions in [-2, 2]^2 (19 bounded)" in out
    assert "17 linear regions" in out
    assert "30 shared facets, 16 on the boundary" in out
    assert "decision boundary: 20 pieces, 17 maximal" in out


def _example(name, *args):
    return subprocess.run([sys.executable, str(ROOT / "examples" / name), "--quick", *args],
                          capture_output=True, text=True, check=True).stdout


def test_regions_vs_units_prints_counts_within_the_proven_maximum():
    lines = _example("regions_vs_units.py").splitlines()
    assert lines[0].split()[:3] == ["K", "N", "regions"]
    rows = [line.split() for line in lines[1:]]
    assert sorted({r[0] for r in rows}) == ["2", "3", "5"]
    assert all(float(r[2]) <= int(r[3]) for r in rows)


def test_training_regions_prints_tracked_epochs():
    lines = _example("training_regions.py").splitlines()
    assert [line.split()[0] for line in lines[1:]] == ["0", "5", "10", "15", "20"]
    assert float(lines[-1].split()[1]) < float(lines[1].split()[1])  # the loss went down


def test_init_comparison_prints_one_row_per_initialization():
    lines = _example("init_comparison.py").splitlines()
    assert [line.split()[0] for line in lines[2:]] == ["he", "maxout_he", "sphere",
                                                       "many_regions"]


def test_parameter_slice_map_tiles_the_slice_exactly():
    lines = _example("parameter_slice_map.py").splitlines()
    assert lines[0] == "118 cells; region counts from 4 to 22"  # seeded: deterministic
    assert lines[-1] == "exact areas sum to 16, the area of the slice"


def test_regions_vs_units_draws_the_proven_maximum_beside_its_legends(capsys):
    import importlib.util

    pytest.importorskip("matplotlib")
    from polyregions.bounds import architecture_max_regions

    spec = importlib.util.spec_from_file_location("regions_vs_units",
                                                  ROOT / "examples" / "regions_vs_units.py")
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    rows = example.main(["--quick"])
    ax = example.draw(rows).axes[0]
    dotted = [line for line in ax.get_lines() if line.get_linestyle() == ":"]
    # One dotted curve per rank, at the proven maxima of (2, w, w) with N = 2w units.
    assert [list(line.get_ydata()) for line in dotted] == [
        [int(architecture_max_regions((2, n // 2, n // 2), K)[0]) for n in (2, 4, 6)] for K in (2, 3, 5)]
    legends = [a for a in ax.get_children() if type(a).__name__ == "Legend"]
    texts = [t.get_text() for legend in legends for t in legend.get_texts()]
    assert {"K=2", "K=3", "K=5", "exact mean", "proven maximum"} <= set(texts)
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    assert all(not legend.get_window_extent(renderer).overlaps(frame) for legend in legends)
    assert ax.get_xlabel() and ax.get_ylabel()


@pytest.mark.parametrize("name", ["parameter_slice_map.py", "regions_vs_units.py",
                                  "training_regions.py"])
def test_an_example_without_matplotlib_says_so_before_any_work(name, tmp_path):
    # A None entry in sys.modules makes "import matplotlib" raise ImportError.
    path = ROOT / "examples" / name
    script = ("import runpy, sys; sys.modules['matplotlib'] = None; "
              f"sys.argv = [{str(path)!r}, '--quick', '--png', {str(tmp_path / 'f.png')!r}]; "
              f"runpy.run_path({str(path)!r}, run_name='__main__')")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2 and proc.stdout == ""  # nothing computed, nothing printed
    assert proc.stderr.splitlines()[-1].endswith(
        "error: --png needs matplotlib: .venv/bin/pip install -e '.[plot]'")
    assert "Traceback" not in proc.stderr
