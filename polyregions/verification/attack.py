"""A float search for counterexamples before the exact search: guesses, confirmed exactly elsewhere.

Random points of the case's box and projected gradient ascent on the
violation margin ``min_i c_i . (1, x, f(x))`` of each output conjunction
(the rows scaled to their largest entry). The network is piecewise affine,
so its gradient at a point is the product of the winning pieces' weights.
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


def _forward_with_jacobian(layers: Sequence[PreparedLayer], x: Array) -> tuple[Array, Array]:
    """The outputs at the points `x` (rows) and their Jacobians ``d y / d x``."""
    y = x
    jacobian = np.broadcast_to(np.eye(x.shape[1]), (x.shape[0], x.shape[1], x.shape[1])).copy()
    for layer in layers:
        values = layer.pieces[:, :, 0][:, None, :] + np.einsum("kui,pi->kpu", layer.pieces[:, :, 1:], y)
        winner = values.argmax(axis=0)  # (points, units)
        weights = layer.pieces[:, :, 1:][winner, np.arange(layer.units)[None, :]]  # (p, u, i)
        y = np.take_along_axis(values, winner[None], axis=0)[0]
        jacobian = np.einsum("pui,pij->puj", weights, jacobian)
    return y, jacobian


def _margins(rows: Array, x: Array, y: Array) -> Array:
    points = np.hstack([np.ones((len(x), 1)), x, y])
    return (points @ rows.T).min(axis=1)


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
        y, jacobian = _forward_with_jacobian(layers, x)
        values = np.hstack([np.ones((len(x), 1)), x, y]) @ rows.T  # (points, rows)
        margin = values.min(axis=1)
        keep = np.argsort(-margin)[:16]  # climb from the best few
        x, values, jacobian, margin = x[keep], values[keep], jacobian[keep], margin[keep]
        step = np.full(len(x), 1.0 / 8)
        for _ in range(STEPS):
            for index in np.flatnonzero(margin >= 0)[:4]:
                yield x[index]
            row = rows[values.argmin(axis=1)]
            gradient = row[:, 1:n + 1] + np.einsum("po,poi->pi", row[:, n + 1:], jacobian)
            scale = np.abs(gradient * width).max(axis=1, keepdims=True)
            trial = np.clip(x + step[:, None] * width * gradient / np.where(scale > 0, scale, 1.0),
                            lo, hi)
            y, trial_jacobian = _forward_with_jacobian(layers, trial)
            trial_values = np.hstack([np.ones((len(x), 1)), trial, y]) @ rows.T
            trial_margin = trial_values.min(axis=1)
            better = trial_margin > margin  # a step is taken when it helps, else halved
            x = np.where(better[:, None], trial, x)
            values = np.where(better[:, None], trial_values, values)
            jacobian = np.where(better[:, None, None], trial_jacobian, jacobian)
            margin = np.where(better, trial_margin, margin)
            step = np.where(better, step * 1.5, step / 2)
        for index in np.flatnonzero(margin >= 0)[:4]:
            yield x[index]
