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

from .layers import PreparedLayer

__all__ = ["candidates", "SAMPLES", "STEPS"]

Array = NDArray[np.float64]
SAMPLES = 256
"""Random points of the box tried first."""
STEPS = 80
"""Gradient steps from each of the best few points."""


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


def candidates(layers: Sequence[PreparedLayer], conjunctions: Sequence[Array], lo: Array, hi: Array,
               seed: int = 0) -> Iterator[Array]:
    """Points of the box whose float margin for some conjunction is non-negative.

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
