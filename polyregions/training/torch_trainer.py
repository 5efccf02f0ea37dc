"""Train a PyTorch classifier while counting its regions exactly.

:func:`train_torch` trains any ``nn.Sequential`` that
:func:`~polyregions.io.torch.network_from_torch` imports (Maxout, Linear,
ReLU, LeakyReLU, ...) with cross-entropy on its logits, plain SGD (with
momentum) or Adam, full-batch or mini-batches shuffled by a
``torch.Generator`` seeded with `seed` (so a run is deterministic). At every
tracked epoch the model is imported **exactly** (every float at its binary
value) and :func:`~polyregions.params.tracking.track` counts its regions; the
record is the one the numpy trainer writes (``polyregions/training-v1``),
with ``backend`` ``"torch"``. :func:`train_classifier` builds the model with
:func:`~polyregions.training.models.torch_network` from
:class:`~polyregions.params.train.TrainingSettings` and trains it.
"""

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from ..errors import TrainingError
from ..io.torch import network_from_torch
from ..network import Network
from ..params.tracking import (
    TrackingDomains,
    run_record,
    tracked_epochs,
    tracked_row,
    tracking_domains,
)
from ..params.train import Schedule, TrainingSettings, check_seed
from .models import require_torch, torch_network

__all__ = ["train_torch", "train_classifier"]

Callback = Callable[[int, Any, dict[str, Any]], object]


def train_torch(model: Any, x: Any, y: Any, *, epochs: int, lr: float, optimizer: str = "adam",
                momentum: float = 0.0, batch_size: int | None = None, seed: int = 0,
                track_every: int = 5, track_epochs: Iterable[int] | None = None,
                domains: TrackingDomains | None = None, count: bool = True,
                callback: Callback | None = None,
                progress: Callable[[int], object] | None = None) -> dict[str, Any]:
    """Train `model` on ``(x, y)`` and record loss, accuracy and exact region counts.

    Parameters
    ----------
    model : torch.nn.Sequential
        A classifier that :func:`~polyregions.io.torch.network_from_torch` imports;
        its outputs are the logits. Trained in place.
    x, y : numpy arrays
        Inputs ``(n, n0)`` and integer labels ``0..C-1`` (``C`` at most the outputs).
    epochs, lr : int, float
        Passes over the data and the learning rate.
    optimizer : {"adam", "sgd"}
        ``torch.optim.Adam`` (default betas and eps) or ``torch.optim.SGD``.
    momentum : float
        SGD momentum in ``[0, 1)``.
    batch_size : int, optional
        Mini-batch size; full batch when None.
    seed : int
        Seeds the shuffling (a ``torch.Generator``).
    track_every, track_epochs
        Count at epoch 0, every `track_every` epochs and the last, or at the
        epochs `track_epochs` only.
    domains : TrackingDomains, optional
        Where to count (default: ``tracking_domains(x, y)``).
    count : bool
        Set False to keep only loss and accuracy.
    callback : callable, optional
        ``callback(epoch, model, row)`` at every tracked epoch, `row` its record row.
    progress : callable, optional
        Called with the epoch number after each epoch.

    Returns
    -------
    dict
        The record ``polyregions/training-v1`` with ``backend`` ``"torch"``
        (see :func:`polyregions.params.train.train`). Ctrl-C returns the record
        so far, marked ``"interrupted": true``.

    Raises
    ------
    TrainingError
        On settings out of range or data the model cannot take.

    Examples
    --------
    >>> from polyregions.params.train import make_task
    >>> from polyregions.training.models import torch_network
    >>> x, y = make_task("xor", samples=20, seed=0)
    >>> run = train_torch(torch_network((2, 3), 2), x, y, epochs=2, lr=0.05, track_every=1)
    >>> run["backend"], [t["epoch"] for t in run["tracked"]]
    ('torch', [0, 1, 2])
    """
    torch = require_torch()
    check_seed(seed)
    schedule = Schedule(epochs, lr, optimizer, batch_size, track_every, momentum)
    counted = tracked_epochs(epochs, track_every, track_epochs)
    network = network_from_torch(model)
    x, y = _data(x, y, network)
    if count and domains is None:
        domains = tracking_domains(x, y)
    loop = _TorchLoop(torch, model, schedule, seed, (x, y))
    stopped = loop.run(counted, domains if count else None, callback, progress)
    settings = dict(_architecture(network), classes=int(y.max()) + 1, samples=len(x),
                    epochs=epochs, lr=lr, optimizer=optimizer, momentum=momentum,
                    batch_size=batch_size, seed=seed, track_every=track_every,
                    track_epochs=sorted(counted) if track_epochs is not None else None)
    return run_record(settings, "torch", domains if count else None, loop.history,
                      loop.tracked, stopped)


def _data(x, y, network):
    x, y = np.asarray(x, dtype=float), np.asarray(y)
    if x.ndim != 2 or y.shape != (len(x),) or len(x) == 0 or y.dtype.kind not in "iu":
        raise TrainingError("x must be (n, n0) and y (n,) integer labels")
    if x.shape[1] != network.input_dim:
        raise TrainingError(f"the model takes {network.input_dim} inputs, the data has "
                            f"{x.shape[1]}")
    if y.min() < 0 or y.max() >= network.output_dim:
        raise TrainingError(f"labels must be 0 to {network.output_dim - 1} (the model's outputs), "
                            f"got {int(y.min())} to {int(y.max())}")
    return x, y.astype(int)


def _architecture(network: Network) -> dict[str, Any]:
    """The settings a model shows: widths, and the kind and rank of its hidden layers."""
    hidden = network.layers[:-1]
    kinds = {layer.kind for layer in hidden}
    ranks = {r for layer in hidden for r in getattr(layer, "ranks", (2,))}
    return {"widths": list(network.widths[:-1]),
            "kind": kinds.pop() if len(kinds) == 1 else ("mixed" if kinds else None),
            "rank": ranks.pop() if len(ranks) == 1 else None, "init": None, "zero_bias": None}


class _TorchLoop:
    """One run: the model, its optimizer, the shuffling generator and what was measured."""

    def __init__(self, torch, model, schedule, seed, data):
        self.torch, self.model, self.schedule = torch, model, schedule
        dtype = next(model.parameters()).dtype
        self.x = torch.tensor(data[0], dtype=dtype)
        self.y = torch.tensor(data[1], dtype=torch.long)
        self.generator = torch.Generator().manual_seed(seed)
        params = model.parameters()
        self.optimizer = (torch.optim.Adam(params, lr=schedule.lr) if schedule.optimizer == "adam"
                          else torch.optim.SGD(params, lr=schedule.lr, momentum=schedule.momentum))
        self.history: list[dict[str, Any]] = []
        self.tracked: list[dict[str, Any]] = []

    def run(self, counted, domains, callback, progress):
        """Train; return None, or, when Ctrl-C stopped the run, the last epoch measured."""
        try:
            for epoch in range(self.schedule.epochs + 1):
                self._measure(epoch, epoch in counted, domains, callback)
                if epoch == self.schedule.epochs:
                    return None
                self._epoch()
                if progress is not None:
                    progress(epoch + 1)
        except KeyboardInterrupt:
            return self.history[-1]["epoch"] if self.history else 0
        return None

    def _measure(self, epoch, tracked, domains, callback):
        torch = self.torch
        with torch.no_grad():
            logits = self.model(self.x)
            loss = torch.nn.functional.cross_entropy(logits, self.y).item()
            accuracy = (logits.argmax(dim=1) == self.y).double().mean().item()
        row = {"epoch": epoch, "loss": loss, "accuracy": accuracy}
        self.history.append(row)
        if tracked and domains is not None:
            row = tracked_row(row, network_from_torch(self.model), domains)
            self.tracked.append(row)
        if tracked and callback is not None:
            callback(epoch, self.model, row)

    def _epoch(self):
        torch, n = self.torch, len(self.x)
        size = self.schedule.batch_size or n
        order = (torch.randperm(n, generator=self.generator) if self.schedule.batch_size
                 else torch.arange(n))
        for start in range(0, n, size):
            batch = order[start:start + size]
            self.optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(self.model(self.x[batch]), self.y[batch])
            loss.backward()
            self.optimizer.step()


def train_classifier(x: Any, y: Any, settings: TrainingSettings, *,
                     domains: TrackingDomains | None = None, callback: Callback | None = None,
                     progress: Callable[[int], object] | None = None) -> dict[str, Any]:
    """Build :func:`~polyregions.training.models.torch_network` from `settings` and train it.

    The record is :func:`train_torch`'s, with the architecture's settings
    (``init``, ``zero_bias``, ...) as given.

    Examples
    --------
    >>> from polyregions.params.train import make_task
    >>> x, y = make_task("xor", samples=20, seed=0)
    >>> run = train_classifier(x, y, TrainingSettings((2, 3), epochs=1, count=False))
    >>> run["init"], len(run["history"])
    ('maxout_he', 2)
    """
    y = np.asarray(y)
    model = torch_network(settings.widths, int(y.max()) + 1 if y.size else 2, settings.kind,
                          settings.rank, settings.init, zero_bias=settings.zero_bias,
                          seed=settings.seed)
    run = train_torch(model, x, y, epochs=settings.epochs, lr=settings.lr,
                      optimizer=settings.optimizer, momentum=settings.momentum,
                      batch_size=settings.batch_size, seed=settings.seed,
                      track_every=settings.track_every, track_epochs=settings.track_epochs,
                      domains=domains, count=settings.count, callback=callback, progress=progress)
    return dict(run, widths=list(map(int, settings.widths)), kind=settings.kind,
                rank=int(settings.rank) if settings.kind == "maxout" else 2, init=settings.init,
                zero_bias=settings.zero_bias)
