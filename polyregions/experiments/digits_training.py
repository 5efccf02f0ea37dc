"""Maxout networks trained on the digits with PyTorch: the runs of claims (d) and of training.

scikit-learn's handwritten digits (1,797 images of 8 x 8 pixels, shipped inside
scikit-learn, nothing downloaded), scaled to ``[0, 1]``, are the training set.
A run is one :class:`DigitsRun`: a maxout network ``(64, w, w, w)`` of rank
``K`` with a 10-output head, drawn with an initialization of
:mod:`polyregions.params.init` (with or without zero biases), trained with
mini-batch SGD from a seed. Where counts are asked for, the network is read
exactly at the tracked epochs and its regions are counted in 2-D slices, each
through three training points of three different classes (the same slices for
every run of an experiment), and the distinct regions met by the training
inputs are counted (:mod:`polyregions.params.tracking`).
"""

import functools
from dataclasses import dataclass
from typing import Any

__all__ = ["INITS", "DigitsRun", "digits_data", "run_digits", "init_label"]

#: The initializations compared, each with and without zero biases.
INITS = ("maxout_he", "sphere", "many_regions", "he")
_NAMES = {"maxout_he": "maxout-He", "sphere": "sphere", "many_regions": "many regions",
          "he": "He normal"}


def init_label(init: str, zero_bias: bool) -> str:
    """The name a figure shows for an initialization.

    Examples
    --------
    >>> init_label("maxout_he", True)
    'maxout-He, zero bias'
    """
    return _NAMES[init] + (", zero bias" if zero_bias else "")


@dataclass(frozen=True)
class DigitsRun:
    """One training run on the digits (a picklable work unit).

    Attributes
    ----------
    rank, init, zero_bias, seed
        The network: maxout rank, initialization, zero biases, the seed of the
        initialization and of the mini-batch order.
    width : int
        Units in each of the three hidden layers.
    epochs, lr, momentum, batch_size
        Mini-batch SGD.
    track_epochs : tuple of int
        Epochs whose network is counted (empty: no counts).
    slices : int
        2-D slices counted at each tracked epoch.
    slice_seed : int
        Chooses the slices' training points (fixed across the runs compared).

    Examples
    --------
    >>> import dataclasses, pickle
    >>> run = DigitsRun(rank=2, init="maxout_he", zero_bias=True, seed=0, width=8, epochs=5,
    ...                 lr=0.1, momentum=0.9, batch_size=64, track_epochs=(0, 5))
    >>> pickle.loads(pickle.dumps(run)) == run, run.slices      # sent to worker processes as is
    (True, 2)
    >>> dataclasses.replace(run, seed=1).seed
    1
    """

    rank: int
    init: str
    zero_bias: bool
    seed: int
    width: int
    epochs: int
    lr: float
    momentum: float
    batch_size: int
    track_epochs: tuple[int, ...] = ()
    slices: int = 2
    slice_seed: int = 0


def _slice_domains(x, y, run):
    """The run's slices, the first of them as the primary domain (so it is counted once)."""
    import dataclasses

    from ..params.tracking import tracking_domains

    domains = tracking_domains(x, y, slices=run.slices, seed=run.slice_seed)
    return dataclasses.replace(domains, primary=domains.slices[0])


@functools.lru_cache(maxsize=1)
def digits_data() -> tuple[Any, Any]:
    """The digits ``(x, y)``: 1,797 inputs of 64 pixels in ``[0, 1]`` and labels 0-9 (cached)."""
    from ..params.train import make_task

    return make_task("digits")


def run_digits(run: DigitsRun) -> dict[str, Any]:
    """Train `run` and return its record (``polyregions/training-v1``, torch backend).

    Examples
    --------
    A tiny run: three hidden layers of 2 units, one epoch, nothing counted.

    >>> import pytest
    >>> _ = pytest.importorskip("torch"), pytest.importorskip("sklearn")
    >>> record = run_digits(DigitsRun(rank=2, init="maxout_he", zero_bias=False, seed=0, width=2,
    ...                               epochs=1, lr=0.1, momentum=0.0, batch_size=256))
    >>> record["format"], record["widths"], record["samples"], record["epochs_done"]
    ('polyregions/training-v1', [64, 2, 2, 2], 1797, 1)
    >>> [h["epoch"] for h in record["history"]], record["tracked"]
    ([0, 1], [])
    """
    import torch

    from ..training.models import torch_network
    from ..training.torch_trainer import train_torch

    torch.set_num_threads(1)  # one process per core: the pool, not torch, spreads the work
    x, y = digits_data()
    model = torch_network((64, run.width, run.width, run.width), 10, "maxout", run.rank, run.init,
                          zero_bias=run.zero_bias, seed=run.seed)
    counting = bool(run.track_epochs)
    domains = _slice_domains(x, y, run) if counting else None
    return train_torch(model, x, y, epochs=run.epochs, lr=run.lr, optimizer="sgd",
                       momentum=run.momentum, batch_size=run.batch_size, seed=run.seed,
                       track_epochs=run.track_epochs or None, domains=domains, count=counting)
