"""The native kernel backend: the engine's inner loop in compiled C++ (GMP integers).

:class:`NativeKernel` implements :class:`polyregions.enumeration.kernel.KernelBackend`
with the extension module ``polyregions.enumeration._native``, built from the
C++17 sources in ``polyregions/enumeration/native/`` by the package's own build
(``pip install -e .``). It mirrors :mod:`polyregions.enumeration.reference` step by
step (the same cell kinds, chosen by the same :class:`EngineOptions`, the same
screening and cuts), so both give the same regions in the same order:

* integers are GMP integers, with a 64-bit fast path (``__int128`` products,
  overflow-checked) where every entry fits;
* the certified float filter of :mod:`polyregions.geometry.screening` (floats with
  a proven error bound; exact integers for every sign it does not settle) screens
  units and settles most comparisons between pieces;
* bounded 2-D regions are clipped as cyclic polygons, other bounded ones cut by the
  integer double-description step, unbounded ones through cddlib's GMP library.

Beyond the contract it offers :meth:`NativeKernel.next_map` (the next layer's
input map from the piece rows already composed in domain coordinates) and
:meth:`NativeKernel.walk`, the engine's whole depth-first loop in C++
(:meth:`polyregions.enumeration.engine.Job.drain` uses it), which hands back
regions, or only their count, in batches.

:func:`load` imports the extension and runs a tiny self-check; when either fails,
the backends fall back to the reference with one warning line
(:mod:`polyregions.enumeration.backends`).

Examples
--------
One ReLU unit, ``max(0, x - y)``, over the square ``[0, 1]^2`` (as in
:mod:`polyregions.enumeration.kernel`):

>>> from polyregions.enumeration.kernel import CellReport, EngineOptions, KernelSetup, LayerPieces
>>> layer = LayerPieces(rows=((0, 0, 0), (0, 1, -1)), slices=((0, 2),), rank=2)
>>> kernel = NativeKernel(KernelSetup(dim=2, layers=(layer,), options=EngineOptions()))
>>> square = CellReport(((0, 1, 0), (1, -1, 0), (0, 0, 1), (1, 0, -1)),
...                     ((1, 0, 0), (1, 1, 0), (1, 1, 1), (1, 0, 1)), (), ())
>>> cell = kernel.start(square)
>>> screening = kernel.screen(kernel.enter_layer(0, 1, ((0, 1, 0), (0, 0, 1))), cell, 0)
>>> screening.cells
(CandidateCell(piece=0, cuts=((0, -1, 1),)), CandidateCell(piece=1, cuts=((0, 1, -1),)))
>>> sorted(kernel.report(kernel.cut(cell, screening.cells[0].cuts)).points)
[(1, 0, 0), (1, 0, 1), (1, 1, 1)]
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from .kernel import (
    CandidateCell,
    CellReport,
    KernelSetup,
    Pattern,
    RegionRecord,
    Rows,
    Screening,
    SharedFacet,
)

__all__ = ["NativeKernel", "load", "unavailable_reason", "LayerStep"]

LayerStep = tuple[bool, "tuple[int, ...] | None"]
"""What the engine does at one layer: ``(has_pattern, fixed choice or None to screen)``."""

_EXTENSION = "polyregions.enumeration._native"
_loaded: ModuleType | None = None
_reason: str | None = None


def load() -> ModuleType | None:
    """The extension module, imported and self-checked once per process; None when it fails.

    :func:`unavailable_reason` then says why.

    Examples
    --------
    >>> module = load()
    >>> module is None or module.__name__.endswith("_native")
    True
    """
    global _loaded, _reason
    if _loaded is None and _reason is None:
        try:
            module = importlib.import_module(_EXTENSION)
            _self_check(module)
            _loaded = module
        except Exception as error:  # any failure means: do not use it
            _reason = f"{type(error).__name__}: {error}"
    return _loaded


def unavailable_reason() -> str | None:
    """Why :func:`load` gave None (``"ImportError: ..."``), or None when the extension works.

    Examples
    --------
    >>> (load() is None) == (unavailable_reason() is not None)
    True
    """
    load()
    return _reason


def _self_check(module: Any) -> None:
    """Cut the square by ``x = y`` and compare with the answer worked out by hand."""
    kernel = module.Kernel(2, [(((0, 0, 0), (0, 1, -1)), ((0, 2),), 1)], True, True, True)
    cell = kernel.start(((0, 1, 0), (1, -1, 0), (0, 0, 1), (1, 0, -1)),
                        ((1, 0, 0), (1, 1, 0), (1, 1, 1), (1, 0, 1)), (), ())
    big = 2 ** 100 + 1  # integers beyond a machine word cross exactly
    winners, cells = kernel.screen(kernel.enter_layer(0, 1, ((0, 1, 0), (0, 0, 1))), cell, 0)
    half = kernel.cut(cell, cells[0][1])
    scaled = kernel.start(((0, 1, 0), (big, -1, 0), (0, 0, 1), (big, 0, -1)),
                          ((1, 0, 0), (1, big, 0), (1, big, big), (1, 0, big)), (), ())
    if (winners, [c[0] for c in cells], sorted(half.report()[1])) != \
            ((), [0, 1], [(1, 0, 0), (1, 0, 1), (1, 1, 1)]) or scaled.report()[1][2] != (1, big, big):
        raise RuntimeError("the native kernel's self-check gave a wrong answer")


_RECENT: list[tuple[KernelSetup, Any]] = []
"""The compiled kernels of the last few setups, newest last (see :func:`_compiled`)."""


def _compiled(module: Any, setup: KernelSetup) -> Any:
    """The extension's kernel of `setup`, reused when a recent setup had the same layer rows.

    Making one copies every layer row into GMP integers: for a 784-input network that
    costs as much as counting a slice's regions, and every slice of the network would
    pay it again. A compiled kernel is immutable, so jobs can share it. The rows are
    compared by identity: each layer keeps its plan (``Layer.derived``), so the same
    network gives the same row tuples, and a kept setup keeps them alive.
    """
    for old, core in _RECENT:
        if (old.dim == setup.dim and old.options == setup.options
                and len(old.layers) == len(setup.layers)
                and all(a.rows is b.rows and a.slices == b.slices and a.den == b.den
                        for a, b in zip(old.layers, setup.layers))):
            return core
    options = setup.options
    layers = [(layer.rows, layer.slices, layer.den) for layer in setup.layers]
    core = module.Kernel(setup.dim, layers, options.polygon_path, options.incidence_path,
                         options.float_filter)
    _RECENT.append((setup, core))
    del _RECENT[:-4]
    return core


class NativeKernel:
    """The native backend (see the module docstring); raises ImportError without the extension.

    Parameters
    ----------
    setup : KernelSetup
        The domain's dimension, every layer's pieces and the engine options.

    Examples
    --------
    Both backends find the same regions:

    >>> from polyregions import Box, EngineOptions, Network, ReluLayer, enumerate_regions
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])])
    >>> len(enumerate_regions(net, Box.cube(2, -1, 1), options=EngineOptions(kernel="native")))
    4
    """

    __slots__ = ("dim", "layers", "options", "_core")

    name = "native"

    def __init__(self, setup: KernelSetup) -> None:
        module = load()
        if module is None:
            raise ImportError(f"the native kernel is unavailable ({_reason})")
        self.dim, self.layers, self.options = setup
        self._core = _compiled(module, setup)

    def __reduce__(self) -> tuple[Any, ...]:
        return NativeKernel, (KernelSetup(self.dim, self.layers, self.options),)

    def start(self, domain: CellReport) -> Any:
        return self._core.start(domain.facets, domain.points, domain.rays, domain.lines)

    def enter_layer(self, layer: int, map_den: int, map_rows: Rows) -> Any:
        return self._core.enter_layer(layer, map_den, map_rows)

    def screen(self, context: Any, cell: Any, first_unit: int) -> Screening:
        winners, cells = self._core.screen(context, cell, first_unit)
        return Screening(winners, tuple(CandidateCell(piece, cuts) for piece, cuts in cells))

    def cut(self, cell: Any, cuts: Rows) -> Any:
        return self._core.cut(cell, cuts)

    def report(self, cell: Any) -> CellReport:
        return CellReport(*cell.report())

    def finish(self, cell: Any, pattern: Pattern, map_den: int, map_rows: Rows) -> RegionRecord:
        facets, points, rays, lines = cell.report()
        return RegionRecord(pattern, facets, points, rays, lines, map_den, map_rows)

    def next_map(self, context: Any, chosen: tuple[int, ...]) -> tuple[int, Rows]:
        """The next layer's input map ``(den, rows)`` on the region of `context`.

        Unit ``u``'s winning piece is ``chosen[u]``; the rows are the chosen piece rows
        already composed in domain coordinates, in the unique form of
        :func:`polyregions.enumeration.engine.next_map` (``den > 0``, gcd 1 with every entry).
        """
        den, rows = self._core.next_map(context, chosen)
        return den, rows

    def walk(self, steps: Sequence[LayerStep], layers: int,
             items: Sequence[tuple[Any, Pattern, tuple[int, ...], int, Rows, Any]],
             adjacency: bool = False) -> Any:
        """The engine's depth-first loop over `items` (the last one first), run natively.

        Parameters
        ----------
        steps : sequence of (bool, tuple of int or None)
            For each layer up to the depth: whether it has a pattern, and its fixed
            choice (``LayerPlan.fixed_choice``), None when it is screened.
        layers : int
            The network's number of layers (a pattern's length).
        items : sequence of tuples
            Work items as ``(cell, done, current, map_den, map_rows, context)``.
        adjacency : bool
            Track the facets regions share, as :mod:`polyregions.enumeration.adjacency`
            does, from items that share none yet (the domain's root): the records are
            numbered from 0 and name the facets they share with earlier ones
            (:attr:`RegionRecord.neighbours`), exactly as the engine's own tracking.

        Returns
        -------
        A walk with ``records(limit, seconds)`` (a list of at most `limit`
        :class:`RegionRecord`, in order, after about `seconds` at most: possibly
        none when the time ran out first), ``count(limit, seconds)`` (the numbers
        of regions and of bounded regions finished, without records),
        ``remaining()`` (the work left, as `items`; it raises when adjacency is
        tracked: the work would lose its links) and ``empty`` (True when no work
        is left: the only sign of the end).
        """
        return self._core.walk(steps, layers, items, RegionRecord,
                               SharedFacet if adjacency else None)
