"""The example scripts run, and print what the README says."""

import pathlib
import subprocess
import sys

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
