"""``check``: decide a VNN-LIB property of a network exactly, by a search over its regions.

For every case of the property (an input box, input constraints, and output
conjunctions any of which violates), a float attack proposes points first
(:mod:`~polyregions.verification.attack`), each evaluated exactly, and then
the search is a depth-first walk of *nodes*. A node is a polytope ``S`` of the input (the case's box and input
constraints, and the rows split on so far) on which the layers before ``l``
have a fixed activation pattern, so that the input of layer ``l`` is one
exact affine map of ``x`` on ``S``. At a node:

1. Units of layer ``l`` whose winning piece is proven over the box
   (:mod:`polyregions.verification.forms`) are decided.
2. The outputs are bounded symbolically (:mod:`~polyregions.verification.relaxation`)
   and every open conjunction is tried for refutation by a Lagrangian bound
   (:mod:`~polyregions.verification.refutation`). A refuted conjunction stays
   refuted below the node; a node whose conjunctions are all refuted is
   closed: the property holds on it.
3. The LP's best point is evaluated; a point that violates in floats is
   evaluated exactly and, if it violates exactly, is the counterexample.
4. Otherwise the first undecided unit is decided by an LP-proven bound over
   ``S``, or ``S`` is split along its pieces (``p_k >= p_j``, exact rows over
   ``x`` from :func:`~polyregions.verification.layers.input_row`); the
   children cover ``S``.
5. When every hidden unit is decided the outputs are one affine map on ``S``:
   the bound of step 2 is then the LP itself, and if floats cannot decide,
   exact linear programming does (:mod:`polyregions.geometry.linear_program`).

Every decision is proven: floats decide only through bounds that include
their rounding errors, and a counterexample is checked by exact evaluation
before it is reported. A search stopped by a limit answers ``unknown``.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..enumeration.arguments import check_positive_integer
from ..enumeration.parallel import Executor, executor_for
from ..errors import UsageError
from ..immutable import Immutable
from ..io.vnnlib import Case, Property
from ..network import Network
from .attack import TOLERANCE, candidates
from .forms import FloatBox, combine, lower, upper
from .layers import PreparedLayer, float_forward, input_row, prepare_layers
from .leaf import decide_leaf, output_input_rows
from .proof import ProofLog
from .refutation import Constraints, bound_on_node, prove_nonnegative, refute
from .relaxation import Bounds, affine_image, exact_bounds, output_uppers, relax

__all__ = ["CheckReport", "check_property", "RESULTS"]

Array = NDArray[np.float64]
RESULTS = ("holds", "violated", "unknown")
BISECT_UNSTABLE = 8
"""A box node with more units relaxed than this is bisected rather than split on a unit."""
PARTS_PER_WORKER = 4
"""With workers, each case is refined here until about this many subtrees per worker wait."""
TIGHTEN_DIMENSION = 16
"""Up to this input dimension, a node's box is tightened by LP after every split."""


class CheckReport(Immutable):
    """The answer of :func:`check_property`.

    Attributes
    ----------
    result : str
        ``"holds"``, ``"violated"`` or ``"unknown"`` (a limit was reached).
    inputs, outputs : tuple of Fraction or None
        The exact counterexample and its exact outputs, when violated.
    case : int or None
        The index of the property's case the counterexample violates.
    stop_reason : str or None
        ``"time_limit"``, ``"max_regions"`` or ``"interrupt"`` when unknown.
    nodes, leaves, splits, exact_leaves : int
        The search's size: nodes visited, nodes closed, splits, and leaves that
        needed exact linear programming.
    seconds : float
    proof : dict or None
        For ``holds`` with ``proof=True``: the proof (:mod:`~polyregions.verification.proof`).

    Examples
    --------
    ``y = -(|x0| + |x1|)`` on ``[-1, 1]^2`` with the violation ``Y_0 >= 0``: the origin violates it;
    with ``Y_0 > 0`` nothing does:

    >>> from polyregions import LinearLayer, Network, ReluLayer
    >>> from polyregions.io.vnnlib import parse_property
    >>> peak = Network(2, [ReluLayer([[1, 0], [-1, 0], [0, 1], [0, -1]], [0, 0, 0, 0]),
    ...                    LinearLayer([[-1, -1, -1, -1]], [0])])
    >>> box = "".join(f"(assert ({op} X_{i} {b}))" for i in (0, 1) for op, b in ((">=", -1), ("<=", 1)))
    >>> names = "(declare-const X_0 Real)(declare-const X_1 Real)(declare-const Y_0 Real)"
    >>> report = check_property(peak, parse_property(names + box + "(assert (>= Y_0 0))"))
    >>> report.result, report.inputs, report.outputs
    ('violated', (Fraction(0, 1), Fraction(0, 1)), (Fraction(0, 1),))
    >>> check_property(peak, parse_property(names + box + "(assert (> Y_0 0))")).result
    'holds'
    """

    __slots__ = ("result", "inputs", "outputs", "case", "stop_reason", "nodes", "leaves",
                 "splits", "exact_leaves", "seconds", "proof")

    result: str
    inputs: tuple[Fraction, ...] | None
    outputs: tuple[Fraction, ...] | None
    case: int | None
    stop_reason: str | None
    nodes: int
    leaves: int
    splits: int
    exact_leaves: int
    seconds: float
    proof: dict[str, Any] | None

    def __init__(self, **fields: Any) -> None:
        for name in self.__slots__:
            object.__setattr__(self, name, fields.get(name))

    def __repr__(self) -> str:
        return f"CheckReport(result={self.result!r}, nodes={self.nodes}, seconds={self.seconds:.3f})"


class _Stop(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Found(Exception):
    def __init__(self, inputs: tuple[Fraction, ...], outputs: tuple[Fraction, ...]) -> None:
        super().__init__("counterexample")
        self.inputs, self.outputs = inputs, outputs


class _Node:
    """One polytope of the search (mutable while it is processed, never shared)."""

    __slots__ = ("layer", "forms", "errors", "pattern", "decided", "constraints", "open", "fresh",
                 "box", "tighten", "bisect")

    layer: int
    forms: Array
    errors: Array
    pattern: tuple[tuple[int, ...], ...]
    decided: dict[int, int]
    constraints: Constraints
    open: tuple[int, ...]
    fresh: bool
    box: FloatBox
    tighten: bool

    def __init__(self, **fields: Any) -> None:
        for name in ("layer", "forms", "errors", "pattern", "decided", "constraints", "open",
                     "fresh", "box", "tighten"):
            setattr(self, name, fields[name])
        # Whether no unit was split above the node, so that bisecting its box is
        # still the better split.
        self.bisect: bool = fields.get("bisect", True)


class _CaseSearch:
    """The search of one case."""

    def __init__(self, network: Network, layers: Sequence[PreparedLayer], case: Case,
                 log: ProofLog | None, tick: Callable[[], None],
                 extra_nodes: Callable[[int], None] = lambda count: None) -> None:
        self.network, self.layers, self.case, self.log, self.tick = network, layers, case, log, tick
        self.extra_nodes = extra_nodes
        self.box = FloatBox(case.lower, case.upper)
        n = network.input_dim
        # Each conjunction's rows over (1, x, y), divided by their largest entry: a
        # multiplier w of such a row is w / scale of the property's integer row.
        self.conjunctions = []
        for conjunction in case.output:
            scales = [max(1, *(abs(v) for v in c.row)) for c in conjunction]
            floats = np.array([[float(Fraction(v, s)) for v in c.row]
                               for c, s in zip(conjunction, scales)],
                              dtype=np.float64).reshape(len(conjunction), n + 1 + network.output_dim)
            self.conjunctions.append((conjunction, floats, scales))
        self.splits = self.exact_leaves = self.leaves = self.unstable = 0
        self.hint: Array | None = None
        self.areas: dict[int, float] = {}
        self.sensitivity = np.zeros((1, n))
        identity = np.hstack([np.zeros((n, 1)), np.eye(n)])
        self.root = _Node(layer=0, forms=identity, errors=np.zeros(n), pattern=(), decided={},
                          constraints=Constraints.of([c.row for c in case.input_constraints],
                                                     self.box),
                          open=tuple(range(len(case.output))), fresh=True, box=self.box,
                          tighten=bool(case.input_constraints))

    # --- the walk --------------------------------------------------------------------------

    def attack(self) -> None:
        """Try the float attack's points first (:mod:`~polyregions.verification.attack`)."""
        for point in candidates(self.layers, [rows for _, rows, _ in self.conjunctions],
                                self.box.lo, self.box.hi):
            self.try_point(point)

    def run(self, root: _Node | None = None) -> list[Any]:
        """Walk the tree depth first; return the proof's entries (empty without a proof).

        Children are visited in the order of :meth:`_first`, the child holding the
        point where the last bound was weakest first, so that a violation is met
        early; the entries are kept in the proof's order, children by index.
        """
        if root is None:
            self.attack()
        top: list[Any] = []
        stack = [(self.root if root is None else root, top)]
        while stack:
            self.tick()
            node, segment = stack.pop()
            entries = self.log.capture() if self.log is not None else []
            self.hint = None
            children = self.visit(node)
            segment.extend(entries)
            parts: list[list[Any]] = [[] for _ in children]
            segment.extend(parts)
            order = self._first(children)
            stack.extend((children[i], parts[i]) for i in reversed(order))
        return _flatten(top)

    def _first(self, children: list[_Node]) -> list[int]:
        """The children's order of visit: those whose box and last row hold the hint first."""
        hint = self.hint
        if hint is None or len(children) < 2:
            return list(range(len(children)))

        def holds(child: _Node) -> bool:
            box = child.box
            if not (np.all(hint >= box.lo) and np.all(hint <= box.hi)):
                return False
            last = child.constraints.forms[-1] if len(child.constraints) else None
            return last is None or float(last[0] + last[1:] @ hint) >= 0
        return sorted(range(len(children)), key=lambda i: not holds(children[i]))

    def run_parallel(self, executor: Executor, job: _Job) -> None:
        """Expand the tree breadth-first here, then run its subtrees on the executor."""
        root: list[Any] = []
        queue: deque[tuple[_Node, list[Any]]] = deque([(self.root, root)])
        while queue and len(queue) < PARTS_PER_WORKER * executor.workers:
            node, segment = queue.popleft()
            self.tick()
            entries = self.log.capture() if self.log is not None else []
            children = self.visit(node)
            segment.extend(entries)
            for child in children:
                part: list[Any] = []
                segment.append(part)
                queue.append((child, part))
        tasks = [(job, node) for node, _ in queue]
        for (_, segment), outcome in zip(queue, executor.map(_subtree, tasks, self.arrived)):
            kind, value, stats = outcome
            self.splits += stats[0]
            self.exact_leaves += stats[1]
            self.leaves += stats[2]
            if kind == "violated":
                inputs, outputs = value
                if not self.case.admits(inputs, outputs) or self.network.evaluate(inputs) != outputs:
                    raise AssertionError("a worker's counterexample does not check exactly")
                raise _Found(inputs, outputs)
            if kind == "stopped":
                raise _Stop(value)
            segment.extend(value)
        if self.log is not None:
            self.log.set_case_entries(_flatten(root))

    def arrived(self, outcome: tuple[str, Any, tuple[int, ...]]) -> None:
        """Count a subtree's nodes when it arrives, for the progress report and the limit."""
        self.extra_nodes(outcome[2][3])

    def visit(self, node: _Node) -> list[_Node]:
        """Process a node until it is closed (no children) or split (its children)."""
        last = len(self.layers) - 1
        while True:
            if node.layer == last:
                self.leaf(node)
                self.leaves += 1
                return []
            layer = self.layers[node.layer]
            exact = exact_bounds(node.forms, node.errors)
            if node.fresh:
                self.decide_on_box(node, layer, exact)
                node.fresh = False
            if self.prune(node, exact):
                self.leaves += 1
                return []
            if node.tighten:
                node.tighten = False
                if self.tighten(node):
                    continue
            if node.bisect and self.unstable > BISECT_UNSTABLE and node.box.dim <= TIGHTEN_DIMENSION:
                return self.bisect(node)
            undecided = [u for u in range(layer.units) if u not in node.decided]
            while undecided and self.decide_on_node(node, layer, exact, undecided[0]):
                undecided.pop(0)
            if undecided:
                return self.split(node, layer, exact, self._split_unit(undecided))
            self.next_layer(node, layer)

    def decide_on_box(self, node: _Node, layer: PreparedLayer, exact: Bounds) -> None:
        """Decide the units whose piece wins on the whole box (proven by the float bounds)."""
        won = []
        for u, k in _box_winners(layer, exact, node.box).items():
            if u not in node.decided:
                node.decided[u] = k
                won.append((u, k))
        if won and self.log is not None:
            self.log.stable(node.layer, [(u, k, None) for u, k in won])

    def decide_on_node(self, node: _Node, layer: PreparedLayer, exact: Bounds, unit: int) -> bool:
        """Decide `unit` by an LP-proven bound over the node, if one proves it."""
        if layer.rank != 2 or not len(node.constraints) or node.box.dim > TIGHTEN_DIMENSION:
            return False
        d = affine_image(layer.difference[unit:unit + 1], layer.difference_delta, exact, node.box)
        for piece, sign in ((1, 1.0), (0, -1.0)):
            mu = prove_nonnegative(sign * d.low[0], float(d.low_err[0]), node.constraints, node.box)
            if mu is not None:
                node.decided[unit] = piece
                if self.log is not None:
                    self.log.stable(node.layer, [(unit, piece, [node.constraints.exact(mu)])])
                return True
        return False

    def bisect(self, node: _Node) -> list[_Node]:
        """Halve the node's box along the input that moves the open bounds most (ReluVal's choice)."""
        box = node.box
        width = box.hi - box.lo
        i = int(np.argmax(self.sensitivity.sum(axis=0) * width))
        middle = float(box.lo[i] + width[i] / 2)
        if not box.lo[i] < middle < box.hi[i]:  # a box too thin to halve in floats
            node.bisect = False
            return [node]
        self.splits += 1
        if self.log is not None:
            self.log.bisect(i, Fraction(middle))
        top, bottom = box.hi.copy(), box.lo.copy()
        top[i], bottom[i] = middle, middle
        return [_Node(layer=node.layer, forms=node.forms, errors=node.errors, pattern=node.pattern,
                      decided=dict(node.decided), constraints=node.constraints, open=node.open,
                      fresh=True, box=half, tighten=False)
                for half in (box.shrunk(box.lo, top), box.shrunk(bottom, box.hi))]

    def _split_unit(self, undecided: list[int]) -> int:
        """The unit to split on: the relaxed one whose chord leaves most room (DeepPoly's area).

        The first undecided unit when the node's layer has no relaxed unit left.
        """
        scored = [(self.areas.get(u, -1.0), -u) for u in undecided]
        return -max(scored)[1]

    def split(self, node: _Node, layer: PreparedLayer, exact: Bounds, unit: int) -> list[_Node]:
        self.splits += 1
        if self.log is not None:
            self.log.split(node.layer, unit)
        children = []
        for k in range(layer.rank):
            rows = [input_row(self.layers, node.pattern, node.layer,
                              tuple(a - b for a, b in zip(layer.integer_pieces[k, unit],
                                                          layer.integer_pieces[j, unit])))
                    for j in range(layer.rank) if j != k]
            children.append(_Node(layer=node.layer, forms=node.forms, errors=node.errors,
                                  pattern=node.pattern, decided={**node.decided, unit: k},
                                  constraints=node.constraints.adding(rows, node.box),
                                  open=node.open, fresh=False, box=node.box, tighten=True,
                                  bisect=False))
        return children

    def tighten(self, node: _Node) -> bool:
        """Move the node's box in to bounds of each input proven by an LP over the node.

        Done in dimensions up to :data:`TIGHTEN_DIMENSION` (two LPs per input).
        Returns whether the box moved (its units are then decided again).
        """
        n = node.box.dim
        if n > TIGHTEN_DIMENSION or not len(node.constraints):
            return False
        lo, hi = node.box.lo.copy(), node.box.hi.copy()
        proven = []
        for i in range(n):
            for sign in (1.0, -1.0):
                form = np.zeros(n + 1)
                form[i + 1] = sign
                low, mu = bound_on_node(form, 0.0, node.constraints, node.box)
                side = lo if sign > 0 else hi
                if np.isfinite(low) and sign * low > sign * side[i]:
                    side[i] = sign * low
                    proven.append((i, sign, sign * low, mu))
        if not proven:
            return False
        node.box = node.box.shrunk(lo, hi)
        node.fresh = True
        if self.log is not None:
            self.log.box([(i, int(sign), Fraction(value), node.constraints.exact(mu))
                          for i, sign, value, mu in proven])
        return True

    def next_layer(self, node: _Node, layer: PreparedLayer) -> None:
        pattern = tuple(node.decided[u] for u in range(layer.units))
        chosen = layer.pieces[list(pattern), np.arange(layer.units)]
        forms, errors = _compose(chosen, layer.delta, node.forms, node.errors, node.box)
        node.layer += 1
        node.forms, node.errors = forms, errors
        node.pattern = node.pattern + (pattern,)
        node.decided = {}
        node.fresh = True

    # --- refutation and counterexamples -------------------------------------------------------

    def prune(self, node: _Node, exact: Bounds) -> bool:
        """Refute what can be refuted on the node; True when nothing is left open."""
        relaxation = relax(self.layers, node.layer, exact, node.decided, node.box)
        self.unstable = relaxation.relaxed
        self.areas = _areas(relaxation.codes[0] if relaxation.codes else "", relaxation.intervals)
        still = []
        refuted = []
        for index in node.open:
            conjunction, rows, scales = self.conjunctions[index]
            forms, errors = output_uppers(rows, 2.0 ** -52, relaxation, exact, node.box)
            tops = upper(forms, errors, node.box)
            if tops.min() < 0:  # one row is refuted by the box alone: no LP
                row = int(np.argmin(tops))
                y = tuple(Fraction(int(j == row), scales[j]) for j in range(len(rows)))
                refuted.append((index, y, (Fraction(0),) * len(node.constraints)))
                continue
            found = refute(forms, errors, node.constraints, node.box)
            if found.refuted:
                y = tuple(Fraction(w) / s for w, s in zip(found.weights, scales))
                refuted.append((index, y, node.constraints.exact(found.weights[len(rows):])))
                continue
            still.append(index)
            # How much each input moves the output bounds (ReluVal's smear): the
            # input to bisect along, should the node be a box still.
            self.sensitivity = np.abs(forms[:, 1:])
            if found.point is not None:
                self.hint = found.point
                self.try_point(found.point)
        if refuted and self.log is not None:
            self.log.refute(refuted, relaxation.codes, relaxation.intervals)
        node.open = tuple(still)
        return not still

    def try_point(self, point: Array) -> None:
        """Report `point` (clipped into the box) if it violates the case exactly."""
        x = np.clip(point, self.box.lo, self.box.hi)  # the case's box: exactness is checked below
        y = float_forward(self.layers, x[None, :])[0]
        values = np.concatenate(([1.0], x, y))
        if not any(np.all(rows @ values >= -TOLERANCE) for _, rows, _ in self.conjunctions):
            return
        exact_x = tuple(min(max(Fraction(float(v)), lo), hi)
                        for v, lo, hi in zip(x, self.case.lower, self.case.upper))
        outputs = self.network.evaluate(exact_x)
        if self.case.admits(exact_x, outputs):
            raise _Found(exact_x, outputs)

    def leaf(self, node: _Node) -> None:
        """Every hidden unit is decided: the outputs are one affine map on the node."""
        exact = exact_bounds(node.forms, node.errors)
        if self.prune(node, exact):
            return
        self.exact_leaves += 1
        rows = {index: output_input_rows(self.layers, node.pattern, self.conjunctions[index][0],
                                         self.network.input_dim)
                for index in node.open}
        found, certificates = decide_leaf(rows, self.case, node.constraints.rows)
        if found is not None:
            outputs = self.network.evaluate(found)
            if not self.case.admits(found, outputs):  # the exact maps and the network disagree
                raise AssertionError(f"a leaf's exact point {found} does not violate the case")
            raise _Found(found, outputs)
        if self.log is not None:
            self.log.refute_exactly(certificates)


class _Job:
    """What a worker needs to run subtrees of one case (sent once per subtree)."""

    def __init__(self, network: Network, layers: Sequence[PreparedLayer], case: Case, proof: bool,
                 deadline: float | None, budget: int | None) -> None:
        self.network, self.layers, self.case, self.proof = network, layers, case, proof
        self.deadline, self.budget = deadline, budget


def _subtree(task: tuple[_Job, _Node]) -> tuple[str, Any, tuple[int, ...]]:
    """Run one subtree in a worker: its entries, or a counterexample, or why it stopped."""
    job, node = task
    log = ProofLog(job.network, Property(job.network.input_dim, job.network.output_dim, [job.case])) \
        if job.proof else None
    if log is not None:
        log.begin_case(0)
    nodes = [0]

    def tick() -> None:
        nodes[0] += 1
        if job.deadline is not None and time.time() > job.deadline:
            raise _Stop("time_limit")
        if job.budget is not None and nodes[0] > job.budget:
            raise _Stop("max_regions")

    search = _CaseSearch(job.network, job.layers, job.case, log, tick)
    outcome: tuple[str, Any]
    try:
        outcome = ("done", search.run(node))
    except _Found as found:
        outcome = ("violated", (found.inputs, found.outputs))
    except _Stop as stop:
        outcome = ("stopped", stop.reason)
    return (*outcome, (search.splits, search.exact_leaves, search.leaves, nodes[0]))


def _areas(codes: str, intervals: Sequence[tuple[float | None, float]]) -> dict[int, float]:
    """The area ``-lo hi / 2`` of each relaxed two-piece unit of the first relaxed layer."""
    relaxed = [u for u, c in enumerate(codes) if c.isalpha()]
    return {u: (-lo * hi / 2 if lo is not None else 0.0) for u, (lo, hi) in zip(relaxed, intervals)}


def _flatten(segment: list[Any]) -> list[Any]:
    """The entries of nested segments, in depth-first order."""
    flat: list[Any] = []
    stack = [iter(segment)]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
        elif isinstance(item, list):
            stack.append(iter(item))
        else:
            flat.append(item)
    return flat


def _box_winners(layer: PreparedLayer, exact: Bounds, box: FloatBox) -> dict[int, int]:
    if layer.rank == 2:
        d = affine_image(layer.difference, layer.difference_delta, exact, box)
        low, high = lower(d.low, d.low_err, box), upper(d.up, d.up_err, box)
        return {**{u: 1 for u in np.flatnonzero(low >= 0).tolist()},
                **{u: 0 for u in np.flatnonzero(high <= 0).tolist()}}
    winners = {}
    forms = [affine_image(layer.pieces[k], layer.delta, exact, box) for k in range(layer.rank)]
    for u in range(layer.units):
        for k in range(layer.rank):
            if all(lower(*_difference(forms[k], forms[j], u, box), box)[0] >= 0
                   for j in range(layer.rank) if j != k):
                winners[u] = k
                break
    return winners


def _difference(a: Bounds, b: Bounds, unit: int, box: FloatBox) -> tuple[Array, Array]:
    """The form of ``a - b`` for one unit of two exact forms."""
    stacked = np.vstack([a.low[unit:unit + 1], b.low[unit:unit + 1]])
    errors = np.array([a.low_err[unit], b.low_err[unit]])
    return combine(np.array([[1.0, -1.0]]), stacked, errors, box)


def _compose(chosen: Array, delta: float, forms: Array, errors: Array, box: FloatBox
             ) -> tuple[Array, Array]:
    one = np.zeros((1, forms.shape[1]))
    one[0, 0] = 1.0
    return combine(chosen, np.vstack([one, forms]), np.concatenate([[0.0], errors]), box, delta)


def check_property(network: Network, prop: Property, *, time_limit: float | None = None,
                   max_regions: int | None = None, proof: bool = False,
                   progress: Callable[[int], None] | None = None, workers: int = 1,
                   dask: str | None = None) -> CheckReport:
    """Decide whether `network` satisfies the VNN-LIB property `prop`, exactly.

    Parameters
    ----------
    network : Network
    prop : Property
        Its cases describe the violations (the VNN-COMP convention).
    time_limit : float, optional
        Seconds; the answer is ``unknown`` when it runs out.
    max_regions : int, optional
        The most nodes the search visits (each worker, with workers); ``unknown`` beyond.
    proof : bool
        Record a proof of ``holds`` (:mod:`polyregions.verification.proof`).
    progress : callable, optional
        Called with the number of nodes visited so far.
    workers : int
        Processes: the first nodes of each case are refined here, breadth-first,
        and their subtrees run in a pool (:func:`polyregions.enumeration.parallel.executor_for`).
    dask : str, optional
        A dask.distributed scheduler address (or ``"local"``) to run the subtrees on.

    Returns
    -------
    CheckReport

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, LinearLayer
    >>> from polyregions.io.vnnlib import parse_property
    >>> net = Network(1, [ReluLayer([[1], [-1]], [0, 0]), LinearLayer([[1, 1]], [0])])   # |x|
    >>> text = '''(declare-const X_0 Real) (declare-const Y_0 Real)
    ...           (assert (>= X_0 -1)) (assert (<= X_0 1)) (assert (< Y_0 0))'''
    >>> check_property(net, parse_property(text)).result
    'holds'
    >>> report = check_property(net, parse_property(text.replace("(< Y_0 0)", "(>= Y_0 1)")))
    >>> report.result, abs(report.inputs[0]), report.outputs
    ('violated', Fraction(1, 1), (Fraction(1, 1),))
    """
    if prop.n_inputs != network.input_dim or prop.n_outputs != network.output_dim:
        raise UsageError(f"the property has {prop.n_inputs} inputs and {prop.n_outputs} outputs, "
                         f"the network {network.input_dim} and {network.output_dim}")
    check_positive_integer(workers, "workers")
    limits = _Limits(time_limit, max_regions, progress)
    layers = _float_ready(network, prop)
    log = ProofLog(network, prop) if proof else None
    fields: dict[str, Any] = {"splits": 0, "exact_leaves": 0, "leaves": 0}
    executor = executor_for(workers, dask) if workers > 1 or dask is not None else None
    try:
        for index, case in enumerate(prop.cases):
            if log is not None:
                log.begin_case(index)
            _run_case(_CaseSearch(network, layers, case, log, limits.tick, limits.add),
                      executor, limits, fields)
        fields.update(result="holds", proof=None if log is None else log.proof())
    except _Found as found:
        fields.update(result="violated", inputs=found.inputs, outputs=found.outputs,
                      case=prop.violated_case(found.inputs, found.outputs))
    except _Stop as stop:
        fields.update(result="unknown", stop_reason=stop.reason)
    except KeyboardInterrupt:
        fields.update(result="unknown", stop_reason="interrupt")
    finally:
        if executor is not None:
            executor.close()
    fields.update(nodes=limits.nodes, seconds=time.perf_counter() - limits.start)
    return CheckReport(**fields)


_FLOAT_MAX = Fraction(float(np.finfo(np.float64).max))


def _float_ready(network: Network, prop: Property) -> tuple[PreparedLayer, ...]:
    """The prepared layers; refused at once when the floats of the bounds cannot hold the numbers."""
    for k, case in enumerate(prop.cases):
        for v in (*case.lower, *case.upper):
            if abs(v) > _FLOAT_MAX:
                size = int(abs(v)).bit_length()
                raise UsageError(f"check bounds the network in float64, but case {k} of the "
                                 f"property has an input bound beyond its range (about 2^{size})")
    try:
        return prepare_layers(network)
    except OverflowError:
        raise UsageError("check bounds the network in float64, but a weight or bias of the "
                         "network is beyond its range (above 1.8e308)") from None


class _Limits:
    """The nodes visited, against the time and node limits of one check."""

    def __init__(self, time_limit: float | None, max_regions: int | None,
                 progress: Callable[[int], None] | None) -> None:
        self.time_limit, self.max_regions, self.progress = time_limit, max_regions, progress
        self.start, self.wall = time.perf_counter(), time.time()
        self.nodes = 0

    def add(self, count: int) -> None:
        self.nodes += count
        if self.progress is not None:
            self.progress(self.nodes)

    def tick(self) -> None:
        if self.time_limit is not None and time.perf_counter() - self.start > self.time_limit:
            raise _Stop("time_limit")
        if self.max_regions is not None and self.nodes >= self.max_regions:
            raise _Stop("max_regions")
        self.add(1)


def _run_case(search: _CaseSearch, executor: Executor | None, limits: _Limits,
              fields: dict[str, Any]) -> None:
    try:
        if executor is None:
            entries = search.run()
            if search.log is not None:
                search.log.set_case_entries(entries)
        else:
            search.attack()
            budget = None if limits.max_regions is None else limits.max_regions - limits.nodes
            deadline = None if limits.time_limit is None else limits.wall + limits.time_limit
            search.run_parallel(executor, _Job(search.network, search.layers, search.case,
                                               search.log is not None, deadline, budget))
    finally:
        fields["splits"] += search.splits
        fields["exact_leaves"] += search.exact_leaves
        fields["leaves"] += search.leaves
