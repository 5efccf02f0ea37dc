"""--time-limit bounds the whole command; Ctrl-C keeps the count; the bar names every phase.

The analysis functions take ``progress(done, total)`` and let what it raises
propagate. Most tests here put fakes honouring that contract in their place
(they report each region, wait, then give the real answer), so that a phase is
slow on purpose; the tests marked ``real analysis`` run the real functions
with the ``progress`` keyword.
"""

import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

import polyregions.analysis.decision
import polyregions.analysis.genericity
import polyregions.analysis.graph
import polyregions.analysis.linear
import polyregions.cli.count
import polyregions.cli.options
import polyregions.cli.runs
from polyregions import Box, enumerate_regions, network_from_dict
from polyregions.analysis.genericity import genericity
from polyregions.enumeration.parallel import ProcessExecutor
from polyregions.enumeration.run import LimitedRun
from tests.cli_helpers import run
from tests.networks import random_network, to_network

# relu(x), relu(y), relu(x + y): three lines through the origin cut [-1, 1]^2 into
# 6 sectors (counted by hand); the head reads the first two units: a classifier.
CLASSIFIER = {"format": "polyregions/network-v1", "input_dim": 2, "layers": [
    {"type": "relu", "weights": [[1, 0], [0, 1], [1, 1]], "biases": [0, 0, 0]},
    {"type": "linear", "weights": [[1, 0, 0], [0, 1, 0]], "biases": [0, 0]}]}
SECTORS = 6
BOX = ["--box", "-1", "1"]

# The functions of each phase: count's, then those of graph and plot.
PHASES = {"graph": [(polyregions.analysis.linear, "count_linear_regions"),
                    (polyregions.analysis.graph, "region_graph")],
          "decision boundary": [(polyregions.analysis.decision, "decision_boundary_counts"),
                                (polyregions.analysis.decision, "decision_boundary")],
          "genericity": [(polyregions.analysis.genericity, "genericity")]}
REAL = {(module, name): getattr(module, name) for found in PHASES.values() for module, name in found}
KEYS = {"graph": ("linear_regions", "boundary_facets"),
        "decision boundary": ("decision_boundary_pieces", "decision_boundary_pieces_merged"),
        "genericity": ("generic", "generic_reason")}


class FakeClock:
    """Seconds that pass only when told to."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def honouring(real, wait=lambda: None):
    """A fake of an analysis function: per region wait, then report; then the real answer.

    The real function is called without ``progress``, so the fake needs nothing
    from it.
    """
    def fake(result, *args, progress=None, **kwargs):
        for done in range(1, len(result) + 1):
            wait()
            if progress is not None:
                progress(done, len(result))
        return real(result, *args, **kwargs)
    return fake


@pytest.fixture
def model(tmp_path):
    path = tmp_path / "classifier.json"
    path.write_text(json.dumps(CLASSIFIER), encoding="utf-8")
    return str(path)


def unlimited_run(model, capsys):
    """The command's JSON without limits: the reference for what a cut run finished."""
    status, out, _ = run(["count", model, *BOX, "--json"], capsys)
    assert status == 0
    summary = json.loads(out)
    assert summary["activation_regions"] == SECTORS
    return summary


@pytest.fixture
def unlimited(model, capsys, monkeypatch):
    """The reference with fakes that wait for nothing (their answers are the real ones)."""
    fake_phases(monkeypatch)
    return unlimited_run(model, capsys)


def fake_phases(monkeypatch, slow=None, wait=None):
    """Put contract-honouring fakes in place of every analysis function; `slow` waits."""
    for name, found in PHASES.items():
        for module, attribute in found:
            monkeypatch.setattr(module, attribute, honouring(REAL[module, attribute],
                                                             wait if name == slow else lambda: None))


def assert_cut_in(summary, phase, reference, reason="time_limit"):
    """The count is the true one, earlier phases' keys are right, the rest are null."""
    assert summary["activation_regions"] == SECTORS == reference["activation_regions"]
    assert (summary["complete"], summary["stop_reason"]) == (True, None)
    assert (summary["analysis_complete"], summary["analysis_stop_reason"],
            summary["analysis_stopped_in"]) == (False, reason, phase)
    order = list(KEYS)
    for name in order:
        for key in KEYS[name]:
            before = order.index(name) < order.index(phase)
            assert summary[key] == (reference[key] if before else None), key


# ---------------------------------------------------------------- the time limit


def test_a_slow_analysis_is_cut_at_the_time_limit_and_the_count_is_printed(
        model, capsys, monkeypatch, unlimited):
    # The graph phase would take 6 x 0.4 = 2.4 s; the command must return within the
    # limit plus one reporting interval (0.4 s) and some slack, with the true count.
    fake_phases(monkeypatch, slow="graph", wait=lambda: time.sleep(0.4))
    start = time.perf_counter()
    status, out, err = run(["count", model, *BOX, "--json", "--time-limit", "0.5"], capsys)
    elapsed = time.perf_counter() - start
    assert (status, err) == (0, "")  # as for a partial enumeration
    assert elapsed < 0.5 + 0.4 + 0.5
    assert unlimited["analysis_complete"] is True
    assert_cut_in(json.loads(out), "graph", unlimited)


@pytest.mark.parametrize("phase", list(PHASES))
def test_the_phase_the_deadline_falls_in_is_named_and_earlier_ones_kept(
        phase, model, capsys, monkeypatch, unlimited):
    # A fake clock: each region of the slow phase takes one second; the limit is 2.5 s,
    # so the deadline passes at its third region.
    clock = FakeClock()
    monkeypatch.setattr(polyregions.cli.runs.Deadline, "clock", staticmethod(clock))

    def one_second():
        clock.now += 1

    fake_phases(monkeypatch, slow=phase, wait=one_second)
    status, out, _ = run(["count", model, *BOX, "--json", "--time-limit", "2.5"], capsys)
    assert status == 0
    assert_cut_in(json.loads(out), phase, unlimited)
    assert clock.now == 3


def test_the_table_marks_the_cut_analysis(model, capsys, monkeypatch, unlimited):
    # The first region of the decision boundary jumps the clock past the 5 s limit.
    clock = FakeClock()
    monkeypatch.setattr(polyregions.cli.runs.Deadline, "clock", staticmethod(clock))
    fake_phases(monkeypatch, slow="decision boundary", wait=lambda: setattr(clock, "now", 9))
    status, out, _ = run(["count", model, *BOX, "--time-limit", "5"], capsys)
    assert status == 0
    rows = [line.split() for line in out.splitlines()]
    assert ["activation", "regions", str(SECTORS)] in rows
    assert ["linear", "regions", str(unlimited["linear_regions"])] in rows
    assert "PARTIAL: stopped by --time-limit in the decision boundary phase".split() in \
        [row[1:] for row in rows]
    assert "not computed decision boundary pieces, merged (maximal), generic".split() in rows
    assert not any(row[0] == "generic" for row in rows)


def slow_loading_clock(monkeypatch):
    """A fake clock for the deadline, on which loading the model "takes" 10 s."""
    clock = FakeClock()
    monkeypatch.setattr(polyregions.cli.runs.Deadline, "clock", staticmethod(clock))
    real_load = polyregions.cli.options.load_network

    def slow_load(path):
        clock.now += 10
        return real_load(path)

    monkeypatch.setattr(polyregions.cli.options, "load_network", slow_load)
    return clock


def test_the_deadline_is_set_when_the_command_starts(model, capsys, monkeypatch):
    # Loading "takes" 10 s of a 3 s limit: the enumeration gets no time left, so it
    # stops after its first region (of 6) and says so; nothing is analysed.
    slow_loading_clock(monkeypatch)
    status, out, _ = run(["count", model, *BOX, "--json", "--time-limit", "3"], capsys)
    summary = json.loads(out)
    assert status == 0
    assert (summary["activation_regions"], summary["complete"], summary["stop_reason"]) == \
        (1, False, "time_limit")
    assert (summary["analysis_complete"], summary["analysis_stopped_in"]) == (False, "enumerating")
    assert summary["linear_regions"] is None


@pytest.mark.parametrize("command, output, name", [("graph", "--export", "graph.json"),
                                                   ("plot", "-o", "regions.png")])
def test_graph_and_plot_stopped_while_enumerating_say_so(model, capsys, monkeypatch, tmp_path,
                                                          command, output, name):
    # As in count above: loading "takes" 10 s of a 3 s limit, so the enumeration stops after
    # its first region and no phase of the analysis runs; it used to say "in the graph phase".
    if command == "plot":
        pytest.importorskip("matplotlib")
    clock = slow_loading_clock(monkeypatch)
    target = tmp_path / name
    argv = [command, model, *BOX, "--time-limit", "3", output, str(target)]
    summary = json.loads(run(argv + ["--json"], capsys)[1])
    assert (summary["activation_regions"], summary["stop_reason"]) == (1, "time_limit")
    assert (summary["analysis_complete"], summary["analysis_stopped_in"]) == (False, "enumerating")
    assert summary["file"] is None and not target.exists()
    clock.now = 0
    rows = run(argv, capsys)[1].splitlines()
    assert "analysis not run: the enumeration was stopped by --time-limit" in \
        [" ".join(row.split(maxsplit=1)) for row in rows]


def test_graph_cut_by_the_time_limit_writes_no_export(model, capsys, monkeypatch, tmp_path):
    clock = FakeClock()
    monkeypatch.setattr(polyregions.cli.runs.Deadline, "clock", staticmethod(clock))
    fake_phases(monkeypatch, slow="graph", wait=lambda: setattr(clock, "now", clock.now + 1))
    target = tmp_path / "graph.graphml"
    status, out, _ = run(["graph", model, *BOX, "--json", "--time-limit", "2.5",
                          "--export", str(target)], capsys)
    summary = json.loads(out)
    assert status == 0
    assert summary["activation_regions"] == SECTORS
    assert (summary["analysis_complete"], summary["analysis_stopped_in"]) == (False, "graph")
    assert (summary["edges"], summary["boundary_facets"], summary["file"]) == (None, None, None)
    assert not target.exists()


def test_plot_cut_by_the_time_limit_draws_no_misleading_figure(model, capsys, monkeypatch,
                                                               tmp_path):
    pytest.importorskip("matplotlib")
    clock = FakeClock()
    monkeypatch.setattr(polyregions.cli.runs.Deadline, "clock", staticmethod(clock))
    fake_phases(monkeypatch, slow="decision boundary",
                wait=lambda: setattr(clock, "now", clock.now + 1))
    target = tmp_path / "regions.png"
    status, out, _ = run(["plot", model, *BOX, "--json", "--time-limit", "2.5",
                          "-o", str(target)], capsys)
    summary = json.loads(out)
    assert status == 0
    assert summary["activation_regions"] == SECTORS
    assert (summary["analysis_stopped_in"], summary["file"], summary["boundary_pieces"]) == \
        ("decision boundary", None, None)
    assert not target.exists()


# ---------------------------------------------------------------- Ctrl-C


def test_ctrl_c_during_the_analysis_prints_the_count_and_exits_130(model, capsys, monkeypatch,
                                                                    unlimited):
    def interrupted(result, *args, progress=None, **kwargs):
        progress(1, len(result))
        raise KeyboardInterrupt  # as if Ctrl-C came while the decision boundary ran

    fake_phases(monkeypatch)
    monkeypatch.setattr(polyregions.analysis.decision, "decision_boundary_counts", interrupted)
    status, out, err = run(["count", model, *BOX, "--json"], capsys)
    assert status == 130
    assert "interrupted" in err
    assert_cut_in(json.loads(out), "decision boundary", unlimited, reason="interrupt")


def ctrl_c_at_progress(monkeypatch, when):
    """Raise KeyboardInterrupt from the progress display once ``when(done, total, calls)`` holds.

    `calls` counts the updates that reported a total so far, this one included.
    """
    real_update = polyregions.cli.options.Progress.update
    calls = []

    def update(self, done, total=None):
        if total is not None:
            calls.append(done)
        if when(done, total, len(calls)):
            raise KeyboardInterrupt
        real_update(self, done, total)

    monkeypatch.setattr(polyregions.cli.options.Progress, "update", update)


def test_ctrl_c_while_enumerating_prints_the_partial_count_and_exits_130(model, capsys,
                                                                         monkeypatch):
    # The enumeration reports no total; Ctrl-C comes at its third region.
    ctrl_c_at_progress(monkeypatch, lambda done, total, calls: total is None and done == 3)
    status, out, _ = run(["count", model, *BOX, "--json"], capsys)
    summary = json.loads(out)
    assert status == 130
    assert (summary["activation_regions"], summary["complete"], summary["stop_reason"]) == \
        (3, False, "interrupt")


def test_ctrl_c_while_the_analysis_modules_load_keeps_the_count(model, capsys, monkeypatch):
    # Loading the graph modules takes a while after the enumeration: a Ctrl-C then
    # (here: raised by the import of polyregions.analysis.graph) must still print the count.
    class Interrupting:
        def find_spec(self, name, path=None, target=None):
            if name == "polyregions.analysis.graph":
                raise KeyboardInterrupt

    monkeypatch.delitem(sys.modules, "polyregions.analysis.graph")
    monkeypatch.setattr(sys, "meta_path", [Interrupting(), *sys.meta_path])
    status, out, _ = run(["count", model, *BOX, "--json"], capsys)
    summary = json.loads(out)
    assert status == 130
    assert (summary["activation_regions"], summary["complete"]) == (SECTORS, True)
    assert (summary["analysis_stop_reason"], summary["analysis_stopped_in"]) == \
        ("interrupt", "graph")


# ---------------------------------------------------------------- real analysis functions
# These need the ``progress`` keyword of count_linear_regions and decision_boundary_counts.


def test_real_analysis_cut_by_a_fake_clock_keeps_what_it_finished(model, capsys, monkeypatch):
    # Every reading of the clock costs one fake second: the 10 s pass after a few
    # deadline checks (one per phase start, one per region reported), wherever they fall.
    unlimited = unlimited_run(model, capsys)

    class Ticking(FakeClock):
        def __call__(self):
            self.now += 1
            return self.now

    monkeypatch.setattr(polyregions.cli.runs.Deadline, "clock", staticmethod(Ticking()))
    status, out, _ = run(["count", model, *BOX, "--json", "--time-limit", "10"], capsys)
    summary = json.loads(out)
    assert status == 0
    assert summary["analysis_stopped_in"] in KEYS
    assert_cut_in(summary, summary["analysis_stopped_in"], unlimited)


def test_real_analysis_ctrl_c_from_a_progress_callback_exits_130(model, capsys, monkeypatch):
    unlimited = unlimited_run(model, capsys)
    # Analysis callbacks report a total (the enumeration gives none); Ctrl-C at the second.
    ctrl_c_at_progress(monkeypatch, lambda done, total, calls: total is not None and calls == 2)
    status, out, _ = run(["count", model, *BOX, "--json"], capsys)
    summary = json.loads(out)
    assert status == 130
    assert summary["analysis_stopped_in"] in KEYS
    assert_cut_in(summary, summary["analysis_stopped_in"], unlimited, reason="interrupt")


# ---------------------------------------------------------------- the progress bar


def test_the_bar_names_every_phase_in_order(model, capsys, monkeypatch):
    pytest.importorskip("tqdm")
    fake_phases(monkeypatch)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    status, _, err = run(["count", model, *BOX], capsys)
    assert status == 0
    seen = [err.find(f"{name}:") for name in ("enumerating", "graph", "decision boundary",
                                               "genericity")]
    assert -1 not in seen and seen == sorted(seen), err


def test_a_bar_without_phases_still_shows_a_total(model, capsys, monkeypatch, tmp_path):
    # verify reports (done, total) and names no phase: the bar shows "k/6".
    pytest.importorskip("tqdm")
    cert = str(tmp_path / "cert.json")
    assert run(["certify", model, *BOX, "-o", cert], capsys)[0] == 0
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    status, out, err = run(["verify", cert], capsys)
    assert status == 0 and ["verified", str(SECTORS), "regions"] == out.split()[:3]
    assert f"/{SECTORS}" in err


def test_genericity_reports_each_region_and_lets_its_callback_stop_it():
    net = network_from_dict(CLASSIFIER)
    result = enumerate_regions(net, Box.cube(2, -1, 1))
    calls = []
    generic, reason = genericity(result, progress=lambda done, total: calls.append((done, total)))
    # Three lines through one point are not generic (a degenerate vertex), found only
    # after every region was checked (that failure is not final: others may rank first).
    assert not generic and reason.startswith("degenerate vertex (0, 0)")
    assert calls == [(i, SECTORS) for i in range(1, SECTORS + 1)]

    class Stop(Exception):
        pass

    def stop(done, total):
        raise Stop

    with pytest.raises(Stop):
        genericity(result, progress=stop)


# ---------------------------------------------------------------- workers


def _nap(seconds):
    time.sleep(seconds)
    return seconds


def test_a_process_pool_reports_subtrees_as_they_finish_and_yields_in_order():
    # Item 0 sleeps while the other worker finishes items 1-3: all three are reported
    # before item 0 is, and the results still come in the order of the items.
    pool = ProcessExecutor(2)
    events = []
    try:
        items = [0.8, 0.0, 0.01, 0.02]
        for result in pool.map(_nap, items, done=lambda r: events.append(("done", r))):
            events.append(("yield", result))
    finally:
        pool.close()
    assert [r for kind, r in events if kind == "yield"] == items
    assert [r for kind, r in events if kind == "done"][:3] == [0.0, 0.01, 0.02]
    assert events.index(("done", 0.8)) < events.index(("yield", 0.8))


def test_workers_move_the_progress_ahead_of_the_ordered_regions():
    net = to_network(random_network(3, 2, [10, 8], ["maxout", "relu"], rank=3), 2)
    domain = Box.cube(2, -2, 2)
    serial = [r.pattern for r in enumerate_regions(net, domain)]
    handed, reported = [], []
    limited = LimitedRun(net, domain, workers=2,
                         progress=lambda n: reported.append((n, len(handed))))
    for region in limited:
        handed.append(region.pattern)
    assert handed == serial  # the same regions in the same order
    counts = [n for n, _ in reported]
    assert counts == sorted(set(counts)) and counts[-1] == len(serial)
    # Finished subtrees are reported before their regions are handed on.
    assert any(n > yielded for n, yielded in reported)


class SlowFirst:
    """An executor whose first subtree finishes long after the others (a loaded worker)."""

    workers = 2

    def map(self, function, items, done=None):
        results = [function(item) for item in items]
        for records in results[1:] + results[:1]:
            time.sleep(0.05 if records is not results[0] else 3)
            if done is not None:
                done(records)
        yield from results

    def close(self):
        pass


def test_with_workers_the_time_limit_is_noticed_while_waiting_for_subtrees(monkeypatch):
    # Subtrees after the first keep finishing past the 0.3 s limit: the run stops at
    # the first of them, not 3 s later when the first subtree is handed over.
    net = to_network(random_network(3, 2, [10, 8], ["maxout", "relu"], rank=3), 2)
    domain = Box.cube(2, -2, 2)
    monkeypatch.setattr("polyregions.enumeration.parallel.executor_for", lambda workers, dask: SlowFirst())
    start = time.perf_counter()
    result = enumerate_regions(net, domain, workers=2, time_limit=0.3)
    assert time.perf_counter() - start < 1.5
    assert (result.complete, result.stop_reason) == (False, "time_limit")
    serial = [r.pattern for r in enumerate_regions(net, domain)]
    assert [r.pattern for r in result] == serial[:len(result)]


def test_closing_a_pool_gives_up_running_subtrees_at_once():
    # A stopped run must not wait, on exit, for a worker still busy with a subtree
    # (here 60 s of sleep): the process ends within seconds.
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {os.getcwd()!r})
        from polyregions.enumeration.parallel import ProcessExecutor
        pool = ProcessExecutor(2)
        stream = pool.map(time.sleep, [0, 60])
        next(stream)
        stream.close()
        pool.close()
    """)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", script], check=True, timeout=30)
    assert time.perf_counter() - start < 10
