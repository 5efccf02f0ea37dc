"""Train small maxout/ReLU classifiers with numpy while counting their regions exactly.

The trainer is deliberately small: an MLP of maxout (rank ``K``) or ReLU layers
and a linear head, softmax cross-entropy loss, full-batch or mini-batch
gradient descent with plain SGD or Adam, all in float64 numpy. Every
`track_every` epochs (and at epochs 0 and the last) the float parameters are
read **exactly** (every float at its binary value) into a
:class:`~polyregions.network.Network` and the exact number of activation
regions and of decision-boundary pieces is computed in a 2-D domain: the data
box for 2-D data, otherwise the plane through three data points
(:class:`~polyregions.domain.Slice`). The parameters of each tracked epoch are
stored as exact strings (the JSON model format v1), so every recorded count can
be checked by recounting.

Tasks (generated from a seed, nothing is downloaded): ``moons``, ``xor``,
``circles`` (2-D, 2 classes), ``blobs`` (2-D, 3 classes) and, when
scikit-learn is installed, ``digits`` (64-D, 10 classes, scaled to ``[0, 1]``).
"""

import dataclasses
import math
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

import numpy as np
from numpy.typing import ArrayLike

from ..domain import Domain
from ..errors import ExportError, TrainingError, UsageError, install_command
from ..network import Network, network_from_arrays
from .tracking import (
    TrackingDomains,
    default_domain,
    region_counts,
    run_record,
    tracked_epochs,
    tracked_row,
    tracking_domains,
)

__all__ = ["TASKS", "make_task", "train", "network_from_params", "init_params",
           "default_domain", "region_counts", "write_csv", "Schedule", "TrainingSettings",
           "check_seed"]

TASKS = ("moons", "xor", "circles", "blobs", "digits")
Params = list[tuple[np.ndarray, np.ndarray]]
"""Float parameters ``[(W, b), ...]``, one pair per layer, the linear head last."""
OPTIMIZERS = ("adam", "sgd")


def _moons(n, rng, noise):
    t = rng.uniform(0, math.pi, n)
    y = rng.integers(0, 2, n)
    x = np.where(y[:, None] == 0, np.c_[np.cos(t), np.sin(t)],
                 np.c_[1 - np.cos(t), 0.5 - np.sin(t)])
    return x + rng.normal(0, noise, x.shape), y


def _xor(n, rng, noise):
    centres = np.array([[0, 0], [1, 1], [0, 1], [1, 0]], dtype=float)
    k = rng.integers(0, 4, n)
    return centres[k] + rng.normal(0, noise, (n, 2)), (k >= 2).astype(int)


def _circles(n, rng, noise):
    y = rng.integers(0, 2, n)
    t = rng.uniform(0, 2 * math.pi, n)
    r = np.where(y == 0, 1.0, 0.5)
    return np.c_[r * np.cos(t), r * np.sin(t)] + rng.normal(0, noise, (n, 2)), y


def _blobs(n, rng, noise):
    centres = np.array([[0, 0], [1.5, 0], [0.75, 1.3]])
    y = rng.integers(0, 3, n)
    return centres[y] + rng.normal(0, 2 * noise + 0.1, (n, 2)), y


def make_task(name: str, samples: int = 200, noise: float = 0.1,
              seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Generate a classification task: ``(x, y)`` float64 inputs and integer labels.

    Parameters
    ----------
    name : {"moons", "xor", "circles", "blobs", "digits"}
    samples : int
        Number of points (ignored by ``digits``, which has 1797).
    noise : float
        Standard deviation of the Gaussian noise added to the 2-D tasks.
    seed : int
        Seed of :func:`numpy.random.default_rng`.

    Raises
    ------
    TrainingError
        For an unknown task, ``digits`` without scikit-learn, or `samples`,
        `noise` or `seed` out of range (at most :data:`MAX_SAMPLES`,
        :data:`MAX_NOISE` and :data:`MAX_SEED`).

    Examples
    --------
    >>> x, y = make_task("xor", samples=8, seed=1)
    >>> x.shape, sorted(set(y.tolist()))
    ((8, 2), [0, 1])
    """
    if name not in TASKS:
        raise TrainingError(f"unknown task {name!r}; choose one of {', '.join(TASKS)}")
    if name == "digits":
        try:
            from sklearn.datasets import load_digits
        except ImportError:
            raise TrainingError("the digits task needs scikit-learn: "
                                    + install_command("experiments")) from None
        data = load_digits()
        return data.data / 16.0, data.target.astype(int)
    _check_task_settings(samples, noise, seed)
    rng = np.random.default_rng(seed)
    return {"moons": _moons, "xor": _xor, "circles": _circles, "blobs": _blobs}[name](
        samples, rng, float(noise))


#: The most points of a 2-D task: ten million already take gigabytes in training.
MAX_SAMPLES = 10 ** 7
#: The largest noise of a 2-D task, far beyond the unit size of its data (a larger one
#: would only overflow the data box).
MAX_NOISE = 1000.0
#: The seeds :func:`numpy.random.default_rng` takes and :func:`train` can add 1 to.
MAX_SEED = 2 ** 32 - 2


def _is_integer(value: object) -> TypeGuard[int]:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def check_seed(seed: object) -> None:
    """Refuse, in one line, a seed that is not an integer from 0 to :data:`MAX_SEED`.

    Examples
    --------
    >>> check_seed(-1)
    Traceback (most recent call last):
    ...
    polyregions.errors.TrainingError: the seed must be an integer from 0 to 4294967294, got -1
    """
    if not (_is_integer(seed) and 0 <= seed <= MAX_SEED):
        raise TrainingError(f"the seed must be an integer from 0 to {MAX_SEED}, got {seed!r}")


def _check_task_settings(samples: object, noise: object, seed: object) -> None:
    """Refuse, in one line naming the setting and its value, what would fail in numpy."""
    if not (_is_integer(samples) and 3 <= samples <= MAX_SAMPLES):
        raise TrainingError(f"samples must be an integer from 3 to {MAX_SAMPLES}, got {samples!r}")
    if not (isinstance(noise, (int, float)) and not isinstance(noise, bool)
            and math.isfinite(noise) and 0 <= noise <= MAX_NOISE):
        raise TrainingError(f"the noise must be a number from 0 to {MAX_NOISE:g}, got {noise!r}")
    check_seed(seed)


# ----------------------------------------------------------------------------- parameters

def init_params(widths: Sequence[int], classes: int, kind: str = "maxout", rank: int = 2,
                init: str = "maxout_he", seed: int = 0, zero_bias: bool = False) -> Params:
    """Initial float parameters ``[(W, b), ...]`` drawn by :func:`polyregions.params.init.initialize`.

    Maxout layers have ``W`` of shape ``(units, K, fan_in)`` and ``b`` of
    ``(units, K)``; ReLU layers ``(units, fan_in)`` and ``(units,)``; the last
    pair is the linear head with `classes` outputs.

    Examples
    --------
    >>> [(w.shape, b.shape) for w, b in init_params([2, 3], classes=2, rank=2, seed=0)]
    [((3, 2, 2), (3, 2)), ((2, 3), (2,))]
    """
    from .init import INITIALIZATIONS, initialize

    if init not in INITIALIZATIONS:
        raise TrainingError(f"unknown initialization {init!r}; choose one of "
                            f"{', '.join(INITIALIZATIONS)}")
    try:
        net = initialize(widths, kind, rank, init, outputs=classes, zero_bias=zero_bias,
                         seed=seed)
    except UsageError as err:
        raise TrainingError(str(err)) from err
    return [(_floats(layer.weights), _floats(layer.biases)) for layer in net.layers]


def _floats(nested):
    return np.array(nested, dtype=object).astype(float)  # the Fractions are floats' values


def network_from_params(params: Params, kind: str = "maxout") -> Network:
    """The exact :class:`Network` of float parameters (every float at its binary value).

    Examples
    --------
    >>> params = init_params([2, 3], classes=2, rank=2, seed=0)
    >>> net = network_from_params(params)
    >>> net.widths, [layer.kind for layer in net.layers]
    ((2, 3, 2), ['maxout', 'linear'])
    """
    layers = [(kind, w, b) for w, b in params[:-1]] + [("linear",) + tuple(params[-1])]
    return network_from_arrays(params[0][0].shape[-1], layers)


# ----------------------------------------------------------------------------- forward/backward

def _forward(params, x, kind):
    cache, a = [], x
    for w, b in params[:-1]:
        if kind == "maxout":
            z = np.einsum("nj,ukj->nuk", a, w) + b
            idx = z.argmax(axis=2)  # ties: lowest piece, as polyregions does
            out = np.take_along_axis(z, idx[:, :, None], 2)[:, :, 0]
        else:
            z = a @ w.T + b
            idx = z > 0
            out = np.where(idx, z, 0.0)
        cache.append((a, idx))
        a = out
    w, b = params[-1]
    return a @ w.T + b, cache, a


def _loss_grad(params, x, y, kind):
    logits, cache, last = _forward(params, x, kind)
    shifted = logits - logits.max(axis=1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    n = len(y)
    loss = -logp[np.arange(n), y].mean()
    accuracy = float((logits.argmax(axis=1) == y).mean())
    d = np.exp(logp)
    d[np.arange(n), y] -= 1
    d /= n
    w, b = params[-1]
    grads = [(d.T @ last, d.sum(axis=0))]
    da = d @ w
    for (w, b), (a, idx) in zip(reversed(params[:-1]), reversed(cache)):
        if kind == "maxout":
            dz = np.zeros((len(a),) + b.shape)
            np.put_along_axis(dz, idx[:, :, None], da[:, :, None], 2)
            grads.append((np.einsum("nuk,nj->ukj", dz, a), dz.sum(axis=0)))
            da = np.einsum("nuk,ukj->nj", dz, w)
        else:
            dz = da * idx
            grads.append((dz.T @ a, dz.sum(axis=0)))
            da = dz @ w
    return float(loss), accuracy, grads[::-1]


def evaluate(params: Params, x: np.ndarray, y: np.ndarray, kind: str = "maxout") -> tuple[float, float]:
    """``(loss, accuracy)`` of the float parameters on ``(x, y)``."""
    loss, accuracy, _ = _loss_grad(params, x, y, kind)
    return loss, accuracy


# ----------------------------------------------------------------------------- training

@dataclass(frozen=True)
class TrainingSettings:
    """The settings of a classifier's training run, for either trainer.

    ``dataclasses.asdict(settings)`` are the keyword arguments of :func:`train`
    (after ``x, y``); :func:`polyregions.training.torch_trainer.train_classifier`
    takes the settings themselves. They are checked by the trainers.

    Examples
    --------
    >>> x, y = make_task("xor", samples=20, seed=0)
    >>> settings = TrainingSettings((2, 3), epochs=2, lr=0.05, count=False)
    >>> len(train(x, y, **dataclasses.asdict(settings))["history"])
    3
    """

    widths: tuple[int, ...]
    kind: str = "maxout"
    rank: int = 2
    init: str = "maxout_he"
    zero_bias: bool = False
    seed: int = 0
    epochs: int = 50
    lr: float = 0.01
    optimizer: str = "adam"
    momentum: float = 0.0
    batch_size: int | None = None
    track_every: int = 5
    track_epochs: tuple[int, ...] | None = None
    count: bool = True


def train(x: ArrayLike, y: ArrayLike, widths: Sequence[int], *, kind: str = "maxout", rank: int = 2,
          init: str = "maxout_he", epochs: int = 50, lr: float = 0.01, optimizer: str = "adam",
          momentum: float = 0.0, batch_size: int | None = None, seed: int = 0,
          zero_bias: bool = False, track_every: int = 5, track_epochs: Iterable[int] | None = None,
          domain: Domain | None = None, domains: TrackingDomains | None = None, count: bool = True,
          progress: Callable[[int], object] | None = None) -> dict[str, Any]:
    """Train an MLP classifier and record loss, accuracy and exact region counts.

    Parameters
    ----------
    x, y : numpy arrays
        Inputs ``(n, n0)`` and integer labels ``0..C-1``.
    widths : sequence of int
        ``(n0, n1, ..., nL)``: input dimension (must be ``x.shape[1]``) and hidden widths.
    kind : {"maxout", "relu"}
    rank : int
        The rank of the maxout units.
    init : str
        An initialization of :mod:`polyregions.params.init` (``he``, ``maxout_he``,
        ``sphere``, ``many_regions``); the head is He normal.
    epochs : int
        Passes over the data (a full-batch epoch is one step).
    lr : float
        Learning rate.
    optimizer : {"adam", "sgd"}
    momentum : float
        SGD momentum in ``[0, 1)`` (PyTorch's rule ``v = momentum v + g``, ``p -= lr v``).
    batch_size : int, optional
        Mini-batch size (shuffled every epoch with the seed); full batch when None.
    seed : int
        Seeds the initialization and the shuffling.
    zero_bias : bool
        Initialize every bias at zero.
    track_every : int
        Count regions at epoch 0, every `track_every` epochs and the last epoch.
    track_epochs : iterable of int, optional
        Count at exactly these epochs instead.
    domain : Domain, optional
        The primary 2-D domain of the counts (default: :func:`default_domain`).
    domains : TrackingDomains, optional
        What else is counted (default: :func:`~polyregions.params.tracking.tracking_domains`
        of the data, with `domain` as its primary domain).
    count : bool
        Set False to skip the exact counts (only loss and accuracy are kept).
    progress : callable, optional
        Called with the epoch number after each epoch.

    Returns
    -------
    dict
        The record ``polyregions/training-v1`` (``backend`` ``"numpy"``):
        ``history``: per epoch ``{"epoch", "loss", "accuracy"}`` (epoch 0 is the
        initialization, measured before any step); ``tracked``: per tracked epoch
        the counts of :func:`~polyregions.params.tracking.track` and ``network``
        (the exact parameters, JSON model format v1); the settings, ``domain``,
        ``tracking``, ``interrupted`` and ``epochs_done`` (Ctrl-C returns the
        record so far, marked interrupted).

    Raises
    ------
    TrainingError
        On arguments out of range (the message names the argument).

    Examples
    --------
    >>> x, y = make_task("xor", samples=40, seed=0)
    >>> run = train(x, y, (2, 3), epochs=4, track_every=2, lr=0.05)
    >>> [t["epoch"] for t in run["tracked"]]
    [0, 2, 4]
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=int)
    _check_data(x, y, widths)
    check_seed(seed)
    schedule = Schedule(epochs, lr, optimizer, batch_size, track_every, momentum)
    counted = tracked_epochs(epochs, track_every, track_epochs) if count else frozenset()
    classes = int(y.max()) + 1
    params = init_params(widths, classes, kind, rank, init, seed, zero_bias)
    if count:
        domains = _with_primary(domains or tracking_domains(x, y, primary=domain), domain)
    history: list[dict[str, Any]] = []
    tracked: list[dict[str, Any]] = []
    stopped = _loop(_Run(params, kind, schedule, counted, domains, seed), x, y,
                    (history, tracked), progress)
    settings = {"widths": list(map(int, widths)), "kind": kind,
                "rank": int(rank) if kind == "maxout" else 2, "init": init, "zero_bias": zero_bias,
                "classes": classes, "samples": len(x), "epochs": epochs, "lr": lr,
                "optimizer": optimizer, "momentum": momentum, "batch_size": batch_size,
                "seed": seed, "track_every": track_every,
                "track_epochs": sorted(counted) if track_epochs is not None else None}
    return run_record(settings, "numpy", domains if count else None, history, tracked, stopped)


def _with_primary(domains, domain):
    return domains if domain is None else dataclasses.replace(domains, primary=domain)


@dataclass
class _Run:
    """The state of one numpy run: parameters, how they move, where they are counted."""

    params: Params
    kind: str
    schedule: "Schedule"
    counted: frozenset[int]
    domains: TrackingDomains | None
    seed: int


def _loop(state, x, y, out, progress):
    """Train `state` in place, appending to ``out = (history, tracked)``; return None, or,
    when Ctrl-C stopped the run, the last epoch measured (the record holds epochs 0 to it)."""
    history, tracked = out
    schedule, kind = state.schedule, state.kind
    rng = np.random.default_rng(state.seed + 1)
    stepper = _Optimizer(schedule, state.params)
    try:
        for epoch in range(schedule.epochs + 1):
            loss, accuracy = evaluate(state.params, x, y, kind)
            history.append({"epoch": epoch, "loss": loss, "accuracy": accuracy})
            if epoch in state.counted:
                tracked.append(tracked_row(history[-1], network_from_params(state.params, kind),
                                           state.domains))
            if epoch == schedule.epochs:
                return None
            order = rng.permutation(len(x)) if schedule.batch_size else np.arange(len(x))
            size = schedule.batch_size or len(x)
            for start in range(0, len(x), size):
                batch = order[start:start + size]
                grads = _loss_grad(state.params, x[batch], y[batch], kind)[2]
                state.params = stepper.step(state.params, grads)
            if progress is not None:
                progress(epoch + 1)
    except KeyboardInterrupt:
        return history[-1]["epoch"] if history else 0
    return None


def _check_data(x, y, widths):
    if x.ndim != 2 or y.shape != (len(x),) or len(x) == 0:
        raise TrainingError("x must be (n, n0) and y (n,) integer labels")
    if y.min() < 0:
        raise TrainingError("labels must be 0, 1, ..., C-1")
    if len(widths) < 2 or int(widths[0]) != x.shape[1]:
        raise TrainingError(f"widths must start with the input dimension {x.shape[1]} and "
                            f"have a hidden width, got {','.join(map(str, widths))}")


@dataclass(frozen=True)
class Schedule:
    """How the parameters move: epochs, learning rate, optimizer, batches, tracking (checked).

    Both trainers check their settings by making one.

    Raises
    ------
    TrainingError
        For a setting out of range, naming it and its value.

    Examples
    --------
    >>> Schedule(10, 0.1, "sgd", None, 5, momentum=0.9).momentum
    0.9
    >>> Schedule(10, 0.1, "rmsprop", None, 5)
    Traceback (most recent call last):
    ...
    polyregions.errors.TrainingError: unknown optimizer 'rmsprop'; choose adam or sgd
    """

    epochs: int
    lr: float
    optimizer: str
    batch_size: int | None
    track_every: int
    momentum: float = 0.0

    def __post_init__(self) -> None:
        for value, what, least in ((self.epochs, "epochs", 0), (self.track_every, "track_every", 1)):
            if isinstance(value, bool) or not isinstance(value, int) or value < least:
                raise TrainingError(f"{what} must be a {'non-negative' if least == 0 else 'positive'}"
                                    f" integer, got {value!r}")
        lr = self.lr
        if not (isinstance(lr, (int, float)) and math.isfinite(lr) and lr > 0):
            raise TrainingError(f"the learning rate must be a positive number, got {lr!r}")
        m = self.momentum
        if not (isinstance(m, (int, float)) and not isinstance(m, bool) and 0 <= m < 1):
            raise TrainingError(f"the momentum must be a number in [0, 1), got {m!r}")
        if self.optimizer not in OPTIMIZERS:
            raise TrainingError(f"unknown optimizer {self.optimizer!r}; choose adam or sgd")
        size = self.batch_size
        if size is not None and (not isinstance(size, int) or size < 1):
            raise TrainingError(f"batch_size must be a positive integer, got {size!r}")


class _Optimizer:
    """Plain SGD, or Adam with its moment estimates (kept here, updated at every step)."""

    def __init__(self, schedule, params):
        self.kind, self.lr, self.t = schedule.optimizer, schedule.lr, 0
        self.momentum = schedule.momentum
        self.moments = [[np.zeros_like(p) for p in layer] for layer in params]
        self.squares = [[np.zeros_like(p) for p in layer] for layer in params]

    def step(self, params, grads):
        """The parameters after one step along `grads`."""
        self.t += 1
        return [tuple(self._update(i, j, p, g) for j, (p, g) in enumerate(zip(layer, grad)))
                for i, (layer, grad) in enumerate(zip(params, grads))]

    def _update(self, i, j, p, g):
        if self.kind == "sgd" and self.momentum:
            # PyTorch's momentum: the first step is the gradient itself.
            v = g if self.t == 1 else self.momentum * self.moments[i][j] + g
            self.moments[i][j] = v
            return p - self.lr * v
        if self.kind == "sgd":
            return p - self.lr * g
        self.moments[i][j] = 0.9 * self.moments[i][j] + 0.1 * g
        self.squares[i][j] = 0.999 * self.squares[i][j] + 0.001 * g * g
        m_hat = self.moments[i][j] / (1 - 0.9 ** self.t)
        v_hat = self.squares[i][j] / (1 - 0.999 ** self.t)
        return p - self.lr * m_hat / (np.sqrt(v_hat) + 1e-8)


def write_csv(run: dict[str, Any], path: str | os.PathLike[str]) -> None:
    """Write one CSV row per epoch: epoch, loss, accuracy, and the counts where tracked.

    Examples
    --------
    >>> import os, tempfile
    >>> x, y = make_task("moons", samples=40, seed=0)
    >>> run = train(x, y, [2, 4], epochs=2, track_every=1, seed=0)
    >>> path = os.path.join(tempfile.mkdtemp(), "run.csv")
    >>> write_csv(run, path)
    >>> rows = open(path).read().splitlines()
    >>> rows[0].split(",")[:3], len(rows)
    (['epoch', 'loss', 'accuracy'], 4)
    """
    import csv

    counts = {t["epoch"]: t for t in run["tracked"]}
    try:
        with open(path, "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(["epoch", "loss", "accuracy", "activation_regions",
                          "decision_boundary_pieces"])
            for h in run["history"]:
                t = counts.get(h["epoch"], {})
                out.writerow([h["epoch"], repr(h["loss"]), repr(h["accuracy"]),
                              t.get("activation_regions", ""), t.get("decision_boundary_pieces", "")])
    except OSError as err:
        raise ExportError.cannot_write(path, err) from err
