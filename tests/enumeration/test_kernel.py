"""The reference backend against the kernel contract, on cases worked out by hand; backend choice."""

import json
import pickle

import pytest

from polyregions import Box, Network, ReluLayer, enumerate_regions, iter_regions
from polyregions.enumeration.backends import kernel_name, kernel_names
from polyregions.enumeration.engine import prepare
from polyregions.enumeration.kernel import (
    CandidateCell,
    CellReport,
    EngineOptions,
    KernelBackend,
    KernelSetup,
    LayerPieces,
    RegionRecord,
    Screening,
    SharedFacet,
)
from polyregions.enumeration.parallel import ProcessExecutor, iter_regions_parallel
from polyregions.enumeration.reference import (
    DescriptionCell,
    IncidenceCell,
    PolygonCell,
    ReferenceKernel,
)
from polyregions.errors import UsageError
from tests.cli_helpers import run

IDENTITY_2D = ((0, 1, 0), (0, 0, 1))  # y = x: the layer input is the domain point
OPTIONS = {  # every cell kind, with and without the float filter
    "polygon": EngineOptions(),
    "incidence": EngineOptions(polygon_path=False),
    "description": EngineOptions(polygon_path=False, incidence_path=False),
    "exact screening": EngineOptions(polygon_path=False, incidence_path=False, float_filter=False),
}
KINDS = {"polygon": PolygonCell, "incidence": IncidenceCell, "description": DescriptionCell,
         "exact screening": DescriptionCell}

# The unit square [0, 1]^2: x >= 0, 1 - x >= 0, y >= 0, 1 - y >= 0.
SQUARE = CellReport(facets=((0, 1, 0), (1, -1, 0), (0, 0, 1), (1, 0, -1)),
                    points=((1, 0, 0), (1, 1, 0), (1, 1, 1), (1, 0, 1)), rays=(), lines=())
# The triangle x >= 0, y >= 0, x + y <= 4, vertices (0, 0), (4, 0), (0, 4).
TRIANGLE = CellReport(facets=((0, 1, 0), (0, 0, 1), (4, -1, -1)),
                      points=((1, 0, 0), (1, 4, 0), (1, 0, 4)), rays=(), lines=())


def kernel_for(pieces, options, dim=2):
    """The reference backend for one layer with these units (lists of piece rows)."""
    rows, slices = [], []
    for unit in pieces:
        slices.append((len(rows), len(rows) + len(unit)))
        rows.extend(unit)
    ranks = {len(unit) for unit in pieces}
    layer = LayerPieces(tuple(rows), tuple(slices), ranks.pop() if len(ranks) == 1 else None)
    return ReferenceKernel(KernelSetup(dim, (layer,), options))


def as_sets(report):
    return set(report.facets), set(report.points), report.rays, report.lines


@pytest.mark.parametrize("path", sorted(OPTIONS))
def test_a_line_cuts_the_square_into_two_triangles(path):
    # relu(x + y - 1): pieces 0 and x + y - 1. Neither is >= the other at every vertex
    # (0 wins at (0, 0), x + y - 1 at (1, 1)), so both get a cell, cut by their difference.
    kernel = kernel_for([[(0, 0, 0), (-1, 1, 1)]], OPTIONS[path])
    square = kernel.start(SQUARE)
    assert isinstance(square, KINDS[path])
    screening = kernel.screen(kernel.enter_layer(0, 1, IDENTITY_2D), square, 0)
    assert screening == Screening(winners=(), cells=(CandidateCell(0, ((1, -1, -1),)),
                                                     CandidateCell(1, ((-1, 1, 1),))))
    below = kernel.report(kernel.cut(square, screening.cells[0].cuts))
    above = kernel.report(kernel.cut(square, screening.cells[1].cuts))
    # x + y <= 1: the triangle (0, 0), (1, 0), (0, 1); the square's sides x <= 1, y <= 1 go.
    assert as_sets(below) == ({(0, 1, 0), (0, 0, 1), (1, -1, -1)},
                              {(1, 0, 0), (1, 1, 0), (1, 0, 1)}, (), ())
    # x + y >= 1: the triangle (1, 0), (1, 1), (0, 1); the sides x >= 0, y >= 0 go.
    assert as_sets(above) == ({(1, -1, 0), (1, 0, -1), (-1, 1, 1)},
                              {(1, 1, 0), (1, 1, 1), (1, 0, 1)}, (), ())


@pytest.mark.parametrize("path", sorted(OPTIONS))
def test_a_rank_3_maxout_unit_cuts_the_triangle_into_three_cells(path):
    # max(x, y, 1) on the triangle: x wins on {x >= y, x >= 1}, y on {y >= x, y >= 1},
    # the constant 1 on the unit square {x <= 1, y <= 1}.
    kernel = kernel_for([[(0, 1, 0), (0, 0, 1), (1, 0, 0)]], OPTIONS[path])
    triangle = kernel.start(TRIANGLE)
    screening = kernel.screen(kernel.enter_layer(0, 1, IDENTITY_2D), triangle, 0)
    assert screening.winners == ()
    assert screening.cells == (CandidateCell(0, ((0, 1, -1), (-1, 1, 0))),   # x - y, x - 1
                               CandidateCell(1, ((0, -1, 1), (-1, 0, 1))),   # y - x, y - 1
                               CandidateCell(2, ((1, -1, 0), (1, 0, -1))))   # 1 - x, 1 - y
    cells = [kernel.report(kernel.cut(triangle, c.cuts)) for c in screening.cells]
    # Vertices by hand: x = y meets x + y = 4 at (2, 2) and x = 1 at (1, 1).
    assert as_sets(cells[0]) == ({(0, 1, -1), (-1, 1, 0), (0, 0, 1), (4, -1, -1)},
                                 {(1, 1, 0), (1, 4, 0), (1, 2, 2), (1, 1, 1)}, (), ())
    assert as_sets(cells[1]) == ({(0, -1, 1), (-1, 0, 1), (0, 1, 0), (4, -1, -1)},
                                 {(1, 0, 1), (1, 0, 4), (1, 2, 2), (1, 1, 1)}, (), ())
    assert as_sets(cells[2]) == ({(0, 1, 0), (0, 0, 1), (1, -1, 0), (1, 0, -1)},
                                 {(1, 0, 0), (1, 1, 0), (1, 1, 1), (1, 0, 1)}, (), ())


@pytest.mark.parametrize("path", sorted(OPTIONS))
def test_screening_merges_identical_pieces_and_drops_dominated_ones(path):
    # max(x, y, 1, -1, x): the constant -1 is below 1 at every vertex, so it has no cell;
    # piece 4 is piece 0 again, and the lower index wins the tie.
    kernel = kernel_for([[(0, 1, 0), (0, 0, 1), (1, 0, 0), (-1, 0, 0), (0, 1, 0)]], OPTIONS[path])
    screening = kernel.screen(kernel.enter_layer(0, 1, IDENTITY_2D), kernel.start(TRIANGLE), 0)
    assert [c.piece for c in screening.cells] == [0, 1, 2]


@pytest.mark.parametrize("path", sorted(OPTIONS))
def test_units_that_do_not_split_the_region_report_their_winners(path):
    # Unit 0, relu(x + y + 1), is at least 1 on the square: piece 1 wins, no split.
    # Unit 1, relu(0 x + 0 y), has two identical pieces: piece 0 wins the tie.
    # Unit 2, relu(x - y), splits the square along the diagonal.
    units = [[(0, 0, 0), (1, 1, 1)], [(0, 0, 0), (0, 0, 0)], [(0, 0, 0), (0, 1, -1)]]
    kernel = kernel_for(units, OPTIONS[path])
    square, context = kernel.start(SQUARE), kernel.enter_layer(0, 1, IDENTITY_2D)
    assert kernel.screen(context, square, 0) == Screening(
        (1, 0), (CandidateCell(0, ((0, -1, 1),)), CandidateCell(1, ((0, 1, -1),))))
    # From unit 2 on, the same split; after the last unit, nothing is left to screen.
    assert kernel.screen(context, square, 2).winners == ()
    assert kernel.screen(context, square, 3) == Screening((), ())
    # On the half y >= x, unit 2's piece 0 wins: no unit splits it.
    half = kernel.cut(square, ((0, -1, 1),))
    assert kernel.screen(context, half, 0) == Screening((1, 0, 0), ())


def test_the_layer_input_map_composes_the_pieces():
    # On the map y = (2 x1, x2 - 1) (den 2: rows (0, 4, 0) and (-2, 0, 2)), the piece
    # y1 - 1 is 2 x1 - 1, which changes sign at x1 = 1/2 in the square.
    kernel = kernel_for([[(0, 0, 0), (-1, 1, 0)]], EngineOptions())
    context = kernel.enter_layer(0, 2, ((0, 4, 0), (-2, 0, 2)))
    screening = kernel.screen(context, kernel.start(SQUARE), 0)
    assert screening.cells == (CandidateCell(0, ((1, -2, 0),)), CandidateCell(1, ((-1, 2, 0),)))


@pytest.mark.parametrize("path", ["description", "exact screening"])
def test_unbounded_cells_report_rays_and_lines(path):
    # The whole line R (one point and a line), split by relu(x) at 0: each half is the
    # origin plus one ray, and its one facet.
    kernel = kernel_for([[(0, 0), (0, 1)]], OPTIONS[path], dim=1)
    line = kernel.start(CellReport(facets=(), points=((1, 0),), rays=(), lines=((0, 1),)))
    assert isinstance(line, DescriptionCell)
    screening = kernel.screen(kernel.enter_layer(0, 1, ((0, 1),)), line, 0)
    negative, positive = (kernel.report(kernel.cut(line, c.cuts)) for c in screening.cells)
    assert negative == CellReport(((0, -1),), ((1, 0),), ((0, -1),), ())
    assert positive == CellReport(((0, 1),), ((1, 0),), ((0, 1),), ())


def test_a_cut_without_interior_is_none():
    # x + y <= 0 meets the square in the vertex (0, 0) only; x <= 1 is redundant.
    for path, options in OPTIONS.items():
        kernel = kernel_for([[(0, 0, 0), (0, 1, 1)]], options)
        square = kernel.start(SQUARE)
        assert kernel.cut(square, ((0, -1, -1),)) is None, path
        assert set(kernel.report(kernel.cut(square, ((1, -1, 0),))).facets) == set(SQUARE.facets)


def test_the_finished_record_names_its_fields_and_stores_as_seven_json_fields():
    kernel = kernel_for([[(0, 0, 0), (-1, 1, 1)]], EngineOptions())
    cell = kernel.cut(kernel.start(SQUARE), ((1, -1, -1),))
    record = kernel.finish(cell, ((0,),), 3, ((0, 3, 0), (0, 0, 3)))
    assert (record.pattern, record.map_den, record.map_rows) == (((0,),), 3, ((0, 3, 0), (0, 0, 3)))
    assert (record.facets, record.points) == (kernel.report(cell).facets, kernel.report(cell).points)
    assert record.neighbours is None  # adjacency is the engine's, not the backend's
    stored = record.to_json()
    assert len(stored) == 7 and RegionRecord.from_json(stored) == record
    # A record with its shared facets stores them as an eighth field, read back as named tuples.
    shared = SharedFacet(4, (1, -1, -1), ((1, 1, 0), (1, 0, 1)), (0b01, 0b10))
    known = record._replace(neighbours=(shared,))
    stored = json.loads(json.dumps(known.to_json()))
    assert len(stored) == 8 and RegionRecord.from_json(stored) == known
    assert RegionRecord.from_json(stored).neighbours[0].row == (1, -1, -1)


def test_the_reference_backend_has_every_method_of_the_contract():
    wanted = {name for name in vars(KernelBackend) if not name.startswith("_")}
    assert wanted == {"name", "start", "enter_layer", "screen", "cut", "report", "next_map", "finish"}
    assert all(callable(getattr(ReferenceKernel, name)) for name in wanted - {"name"})
    assert ReferenceKernel.name == "python"


# ---------------------------------------------------------------- choosing the backend

NET = Network(2, [ReluLayer([[1, 0], [0, 1], [1, 1]], [0, 0, "-1/2"])])  # 7 regions in the box
BOX = Box.cube(2, -1, 1)


def test_the_native_backend_is_the_default_and_python_can_be_named(monkeypatch):
    monkeypatch.delenv("POLYREGIONS_KERNEL", raising=False)
    assert kernel_names() == ("python", "native") and kernel_name() == "native"
    monkeypatch.setenv("POLYREGIONS_KERNEL", "")  # empty counts as unset
    assert kernel_name() == "native"
    monkeypatch.setenv("POLYREGIONS_KERNEL", "python")
    job, _ = prepare(NET, BOX)
    assert isinstance(job.kernel, ReferenceKernel)
    assert len(enumerate_regions(NET, BOX, options=EngineOptions(kernel="python"))) == 7


def test_an_unknown_backend_is_a_usage_error_before_any_work(monkeypatch):
    monkeypatch.setenv("POLYREGIONS_KERNEL", "cpp")
    message = "unknown kernel backend 'cpp' (POLYREGIONS_KERNEL); known: python, native"
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        enumerate_regions(NET, BOX, progress=pytest.fail)
    with pytest.raises(UsageError, match="POLYREGIONS_KERNEL"):
        next(iter_regions(NET, BOX))
    # A name given in the options wins over the environment, and is named as such.
    assert len(enumerate_regions(NET, BOX, options=EngineOptions(kernel="python"))) == 7
    monkeypatch.delenv("POLYREGIONS_KERNEL")
    with pytest.raises(UsageError, match=r"'fortran' \(EngineOptions.kernel\)"):
        enumerate_regions(NET, BOX, options=EngineOptions(kernel="fortran"))


def test_bad_options_are_usage_errors():
    with pytest.raises(UsageError, match="options must be an EngineOptions, got"):
        enumerate_regions(NET, BOX, options={"polygon_path": False})
    with pytest.raises(UsageError, match="EngineOptions.float_filter must be True or False, got 0"):
        EngineOptions(float_filter=0)
    with pytest.raises(UsageError, match="EngineOptions.kernel must be a backend name, got 3"):
        EngineOptions(kernel=3)


def test_the_command_line_reports_an_unknown_backend_in_one_line(layers_model, capsys, monkeypatch):
    model = layers_model([{"type": "relu", "weights": [[1, 0], [0, 1]], "biases": [0, 0]}])
    monkeypatch.setenv("POLYREGIONS_KERNEL", "cpp")
    status, out, err = run(["count", model, "--box", "-1", "1"], capsys)
    assert (status, out) == (2, "")
    assert err == ("polyregions: error: unknown kernel backend 'cpp' (POLYREGIONS_KERNEL); "
                   "known: python, native\n")


def records(options, executor=None):
    """Each region's pattern, facets and vertices as stored, in order."""
    regions = iter_regions_parallel(NET, BOX, executor, parts=4, options=options)
    return [(r.pattern, r.polytope.rows, r.polytope.vertices) for r in regions]


def test_options_travel_with_the_work_to_other_processes():
    general = EngineOptions(polygon_path=False, incidence_path=False)
    job, _ = prepare(NET, BOX, general)
    # The job names the backend it resolved, so workers need not read the environment.
    resolved = EngineOptions(kernel=kernel_name(), polygon_path=False, incidence_path=False)
    assert pickle.loads(pickle.dumps(job)).kernel.options == resolved
    # Double description lists vertices in another order than the polygon clipper, and
    # work items keep the kind of cell they were cut as: records show the path taken.
    serial = records(general)
    assert serial != records(EngineOptions())
    executor = ProcessExecutor(2)
    try:
        assert records(general, executor) == serial
    finally:
        executor.close()
