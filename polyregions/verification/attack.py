"""A float search for counterexamples before the exact search: guesses, confirmed exactly elsewhere.

Random points of the case's box and projected gradient ascent on the
violation margin ``min_i c_i . (1, x, f(x))`` of each output conjunction
(the rows scaled to their largest entry). The network is piecewise affine,
so its gradient at a point is the product of the winning pieces' weights
(taken backwards from the margin's row, one vector per point).
Nothing here decides: a point whose float margin is non-negative is handed
to the search, which evaluates it exactly before it reports anything.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linprog

from .layers import PreparedLayer

__all__ = ["candidates", "SAMPLES", "STEPS"]

Array = NDArray[np.float64]
SAMPLES = 256
"""Random points of the box tried first."""
STEPS = 80
"""Gradient steps from each of the best few points."""
WALKS = 4
"""Starts of the walk over regions (the best points of the gradient steps)."""
REGION_STEPS = 6
"""Regions visited by each walk."""
WALK_DIMENSION = 16
"""The walk over regions is taken up to this input dimension: above it, each region's LP has as
many rows as units and as many columns as inputs, and the search's own LPs find points anyway."""
TOLERANCE = 1e-9
"""How far below 0 a float margin may be for the point to be tried (the LP's optimum of a tie
lands there); the search evaluates every point exactly before reporting it."""


def _forward(layers: Sequence[PreparedLayer], x: Array) -> tuple[Array, list[Array]]:
    """The outputs at the points `x` (rows) and each layer's winning pieces."""
    y, winners = x, []
    for layer in layers:
        values = layer.pieces[:, :, 0][:, None, :] + np.einsum("kui,pi->kpu", layer.pieces[:, :, 1:], y)
        winner = values.argmax(axis=0)  # (points, units)
        y = np.take_along_axis(values, winner[None], axis=0)[0]
        winners.append(winner)
    return y, winners


def _gradient(layers: Sequence[PreparedLayer], winners: list[Array], v: Array) -> Array:
    """``v J`` for the Jacobian ``J`` of the outputs at the points (one row of `v` per point)."""
    for layer, winner in zip(reversed(layers), reversed(winners)):
        v = sum(((v * (winner == k)) @ layer.pieces[k][:, 1:] for k in range(layer.rank)),
                np.zeros((len(v), layer.pieces.shape[2] - 1)))
    return v


def _region_lp(layers: Sequence[PreparedLayer], rows: Array, x: Array, lo: Array, hi: Array
               ) -> Array | None:
    """The best point for the margin on the activation region of `x` (a float LP), or None.

    On the region the network is one affine map; maximize ``t`` subject to every
    row of the conjunction being at least ``t`` there, the region's own
    inequalities (each winning piece above the others) and the box.
    """
    n = len(x)
    forms = np.hstack([np.zeros((n, 1)), np.eye(n)])  # the layer input as forms over (1, x)
    value = x
    region = []
    for layer in layers:
        values = layer.pieces[:, :, 0] + layer.pieces[:, :, 1:] @ value  # (rank, units)
        winner = values.argmax(axis=0)
        units = np.arange(layer.units)
        for k in range(layer.rank):  # the winner above piece k, for the units where k loses
            other = winner != k
            if other.any():
                difference = layer.pieces[winner[other], units[other]] - layer.pieces[k, units[other]]
                region.append(difference[:, :1] * np.eye(1, n + 1) + difference[:, 1:] @ forms)
        chosen = layer.pieces[winner, units]
        forms = chosen[:, 1:] @ forms
        forms[:, 0] += chosen[:, 0]
        value = values[winner, units]
    margins = rows[:, :n + 1] + rows[:, n + 1:] @ forms  # rows over (1, x)
    inequalities = np.vstack(region) if region else np.zeros((0, n + 1))
    a = np.vstack([np.hstack([-margins[:, 1:], np.ones((len(margins), 1))]),
                   np.hstack([-inequalities[:, 1:], np.zeros((len(inequalities), 1))])])
    b = np.concatenate([margins[:, 0], inequalities[:, 0]])
    try:
        result = linprog(np.eye(1, n + 1, n)[0] * -1.0, A_ub=a, b_ub=b,
                         bounds=[*zip(lo.tolist(), hi.tolist()), (None, 1.0)], method="highs")
    except ValueError:
        return None
    return None if result.status != 0 else np.asarray(result.x[:n])


def candidates(layers: Sequence[PreparedLayer], conjunctions: Sequence[Array], lo: Array, hi: Array,
               seed: int = 0) -> Iterator[Array]:
    """Points of the box whose float margin for some conjunction is non-negative (nearly).

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, LinearLayer
    >>> from .layers import prepare_layers
    >>> layers = prepare_layers(Network(1, [ReluLayer([[1]], [0]), LinearLayer([[1]], [0])]))
    >>> rows = np.array([[-0.9, 0.0, 1.0]])               # y >= 0.9, met near x = 1 only
    >>> bool(next(candidates(layers, [rows], np.array([-1.0]), np.array([1.0])))[0] >= 0.9)
    True
    """
    rng = np.random.default_rng(seed)
    n = len(lo)
    points = np.vstack([(lo + hi) / 2, lo + (hi - lo) * rng.random((SAMPLES, n))])
    width = np.where(hi > lo, hi - lo, 0.0)
    for rows in conjunctions:
        x = points
        y, winners = _forward(layers, x)
        values = np.hstack([np.ones((len(x), 1)), x, y]) @ rows.T  # (points, rows)
        keep = np.argsort(-values.min(axis=1))[:16]  # climb from the best few
        x, values = x[keep], values[keep]
        winners = [w[keep] for w in winners]
        step = np.full(len(x), 1.0 / 8)
        for _ in range(STEPS):
            margin = values.min(axis=1)
            for index in np.flatnonzero(margin >= 0)[:4]:
                yield x[index]
            row = rows[values.argmin(axis=1)]
            gradient = row[:, 1:n + 1] + _gradient(layers, winners, row[:, n + 1:])
            scale = np.abs(gradient * width).max(axis=1, keepdims=True)
            trial = np.clip(x + step[:, None] * width * gradient / np.where(scale > 0, scale, 1.0),
                            lo, hi)
            y, trial_winners = _forward(layers, trial)
            trial_values = np.hstack([np.ones((len(x), 1)), trial, y]) @ rows.T
            better = trial_values.min(axis=1) > margin  # a step is taken when it helps, else halved
            x = np.where(better[:, None], trial, x)
            values = np.where(better[:, None], trial_values, values)
            winners = [np.where(better[:, None], t, w) for t, w in zip(trial_winners, winners)]
            step = np.where(better, step * 1.5, step / 2)
        for index in np.flatnonzero(values.min(axis=1) >= 0)[:4]:
            yield x[index]
        if n <= WALK_DIMENSION:
            yield from _walk_regions(layers, rows, x[np.argsort(-values.min(axis=1))[:WALKS]], lo, hi)


def _walk_regions(layers: Sequence[PreparedLayer], rows: Array, starts: Array, lo: Array, hi: Array
                  ) -> Iterator[Array]:
    """From each start, the best point of its region, then of the region just past it, and on."""
    for x in starts:
        for _ in range(REGION_STEPS):
            best = _region_lp(layers, rows, x, lo, hi)
            if best is None:
                break
            y, _ = _forward(layers, best[None])
            if (np.concatenate(([1.0], best, y[0])) @ rows.T).min() >= -TOLERANCE:
                yield best
            # A step past the region's boundary, towards where the LP went.
            x = np.clip(best + 1e-6 * (best - x) / max(float(np.abs(best - x).max()), 1e-300)
                        * (hi - lo), lo, hi)
