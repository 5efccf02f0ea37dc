"""What a training run counts, exactly: the domains, and one tracked row per counted epoch.

Every trainer (numpy's :func:`polyregions.params.train.train`, PyTorch's
:func:`polyregions.training.torch_trainer.train_torch`) counts the same things
at a tracked epoch, in the :class:`TrackingDomains` made once per run:

* the **primary** domain (:func:`default_domain`): the keys
  ``activation_regions`` and ``decision_boundary_pieces``;
* the **data box** (the data's bounding box widened to whole numbers), only
  when the input dimension is at most ``box_dim_limit``: an exact enumeration of
  a box in 64 dimensions is out of reach;
* 2-D **slices**, each through three training points of different classes;
* the **data regions**: the number of distinct activation patterns of the
  training inputs (:func:`~polyregions.analysis.data_patterns.distinct_regions`),
  the regions the data meets, an exact lower bound on the regions of any domain
  holding it.

All counts are exact. :func:`tracked_row` and :func:`run_record` write the
record format ``polyregions/training-v1`` once, for both trainers.
"""

import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..analysis.data_patterns import distinct_regions
from ..domain import Box, Domain, Slice
from ..errors import TrainingError
from ..geometry.polytope import rank
from ..network import Network, network_to_dict
from ..numbers import to_fraction

__all__ = ["TrackingDomains", "tracking_domains", "track", "tracked_row", "run_record",
           "tracked_epochs", "default_domain", "region_counts", "data_box"]

#: The name of the record format both trainers write.
RECORD_FORMAT = "polyregions/training-v1"


def data_box(x: np.ndarray, box: tuple[Any, Any] | None = None) -> Box:
    """The box ``[lo, hi]^n`` of `box`, or by default the data's bounding box widened to
    whole numbers.

    Examples
    --------
    >>> data_box(np.array([[0.5, -0.2], [1.2, 0.7]])).to_spec()["upper"]
    ['2', '1']
    """
    if box is None:
        lo, hi = np.floor(x.min(axis=0)), np.ceil(x.max(axis=0))
        return Box([int(v) for v in lo], [int(v) for v in hi])
    return Box([box[0]] * x.shape[1], [box[1]] * x.shape[1])


def default_domain(x: np.ndarray, y: np.ndarray,
                   box: tuple[Any, Any] | None = None) -> Box | Slice:
    """The 2-D domain where regions are counted.

    For 2-D data: the box `box` ``(lo, hi)`` (both axes), by default the data's
    bounding box widened to whole numbers. Otherwise: the
    :class:`~polyregions.domain.Slice` through three data points (the first
    points of distinct classes, then the next points; each taken only when it is
    affinely independent of those already taken), slice coordinates in `box`,
    by default ``[-1, 2]``.

    Examples
    --------
    >>> x = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 1]], dtype=float)
    >>> default_domain(x, np.array([0, 1, 1, 0])).points[2]
    (Fraction(0, 1), Fraction(1, 1), Fraction(0, 1))
    """
    if x.shape[1] == 2:
        return data_box(x, box)
    lo, hi = box if box is not None else (-1, 2)
    firsts = [int(np.flatnonzero(y == label)[0]) for label in dict.fromkeys(y.tolist())]
    chosen: list[int] = []
    for i in firsts + list(range(len(x))):
        if len(chosen) == 3:
            break
        if i not in chosen and _independent(x, chosen + [i]):
            chosen.append(i)
    if len(chosen) < 3:
        raise TrainingError("no three affinely independent data points for the slice")
    return _slice(x, chosen, (lo, hi))


def _slice(x, chosen, bounds):
    lo, hi = bounds
    p1, p2, p3 = (x[i].tolist() for i in chosen)
    return Slice(p1, p2, p3, [lo, lo], [hi, hi])


def _independent(x, idx):
    """Whether the data points `idx` are affinely independent, exactly (as the slice needs)."""
    points = [[to_fraction(v) for v in x[i].tolist()] for i in idx]
    return rank([[a - b for a, b in zip(p, points[0])] for p in points[1:]]) == len(idx) - 1


def region_counts(network: Network, domain: Domain) -> tuple[int, int | None]:
    """``(activation_regions, decision_boundary_pieces)`` of `network` in `domain`, exactly.

    The pieces are None for a network with fewer than 2 outputs.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, LinearLayer
    >>> net = Network(2, [ReluLayer([[1, 0]], [0]), LinearLayer([[1], [0]], [0, "1/2"])])
    >>> region_counts(net, Box([-1, -1], [1, 1]))
    (2, 1)
    """
    from ..analysis.decision import decision_boundary
    from ..enumeration.run import enumerate_regions

    result = enumerate_regions(network, domain)
    pieces = decision_boundary(result).piece_count if network.output_dim >= 2 else None
    return len(result), pieces


@dataclass(frozen=True, eq=False)
class TrackingDomains:
    """The domains and points a run counts in (made by :func:`tracking_domains`).

    Attributes
    ----------
    primary : Box or Slice or None
        The domain of the ``activation_regions`` and ``decision_boundary_pieces`` keys.
    data_box : Box or None
        The data's box, None above ``box_dim_limit`` input dimensions.
    slices : tuple of Slice
    slice_points : tuple of (int, int, int)
        The indices of the training points ``(0, 0)``, ``(1, 0)``, ``(0, 1)`` of each slice.
    points : numpy array
        The inputs whose distinct patterns are ``data_regions`` (read-only).

    Examples
    --------
    >>> from polyregions.params.train import make_task
    >>> x, y = make_task("moons", samples=40, seed=0)
    >>> domains = tracking_domains(x, y)
    >>> domains.primary.kind, len(domains.slices), domains.points.shape
    ('box', 3, (40, 2))
    """

    primary: Domain | None
    data_box: Box | None
    slices: tuple[Slice, ...]
    slice_points: tuple[tuple[int, int, int], ...]
    points: np.ndarray

    def to_spec(self) -> dict[str, Any]:
        """The domains as JSON-ready exact specs (rebuilt by ``domain_from_spec``)."""
        return {"primary": _spec(self.primary), "data_box": _spec(self.data_box),
                "slices": [{"points": list(p), "domain": s.to_spec()}
                           for p, s in zip(self.slice_points, self.slices)],
                "data_points": len(self.points)}


def _spec(domain):
    return domain.to_spec() if domain is not None else None


def tracking_domains(x: Any, y: Any, *, slices: int = 3, box: tuple[Any, Any] | None = None,
                     box_dim_limit: int = 2, slice_box: tuple[Any, Any] = (-1, 2), seed: int = 0,
                     primary: Domain | None = None) -> TrackingDomains:
    """The domains a run counts in: primary domain, data box, `slices` slices, the data.

    Parameters
    ----------
    x, y : numpy arrays
        Training inputs ``(n, n0)`` and integer labels.
    slices : int
        The number of 2-D slices, each through three training points of three
        different classes (with fewer classes, points of distinct classes
        first), drawn by a :func:`numpy.random.default_rng` seeded with `seed`;
        the points are checked affinely independent, exactly. None when
        ``n0 < 2``.
    box : (lo, hi), optional
        The data box ``[lo, hi]^n0``; by default the data's bounding box widened
        to whole numbers.
    box_dim_limit : int
        The data box is counted only for ``n0 <= box_dim_limit``.
    slice_box : (lo, hi)
        The slice coordinates' box: ``(0, 0), (1, 0), (0, 1)`` are the points.
    primary : Domain, optional
        The primary domain; by default :func:`default_domain` (`box` as its box).

    Raises
    ------
    TrainingError
        When the data has no three affinely independent points for a slice.

    Examples
    --------
    >>> x = np.array([[0, 0], [1, 0], [0, 1], [1, 1], [2, 0]], dtype=float)
    >>> domains = tracking_domains(x, np.array([0, 1, 2, 0, 1]), slices=2)
    >>> domains.data_box.to_spec()["upper"], len(domains.slices)
    (['2', '1'], 2)
    """
    x, y = np.array(x, dtype=float), np.asarray(y, dtype=int)
    if isinstance(slices, bool) or not isinstance(slices, int) or slices < 0:
        raise TrainingError(f"slices must be a non-negative integer, got {slices!r}")
    x.setflags(write=False)
    chosen = _slice_points(x, y, slices if x.shape[1] >= 2 else 0, seed)
    return TrackingDomains(
        primary=primary if primary is not None else default_domain(x, y, box),
        data_box=data_box(x, box) if x.shape[1] <= box_dim_limit else None,
        slices=tuple(_slice(x, c, slice_box) for c in chosen), slice_points=chosen, points=x)


def _slice_points(x, y, count, seed):
    """`count` distinct triples of affinely independent points, of different classes first."""
    rng = np.random.default_rng(seed)
    labels = np.unique(y)
    chosen: list[tuple[int, int, int]] = []
    for _ in range(50 * count + 50):
        if len(chosen) == count:
            break
        triple = _draw(y, labels, rng)
        if len(triple) == 3 and set(triple) not in map(set, chosen) and _independent(x, triple):
            chosen.append(triple)
    if len(chosen) < count:
        raise TrainingError(f"found {len(chosen)} of {count} slices through three affinely "
                            "independent data points")
    return tuple(chosen)


def _draw(y, labels, rng):
    picks = [int(rng.choice(np.flatnonzero(y == c))) for c in rng.permutation(labels)[:3]]
    others = np.setdiff1d(np.arange(len(y)), picks)
    extra = rng.choice(others, min(3 - len(picks), len(others)), replace=False)
    return tuple(picks + [int(i) for i in extra])


def track(network: Network, domains: TrackingDomains, x: Any = None) -> dict[str, Any]:
    """The exact counts of `network` in `domains` (JSON-ready).

    Parameters
    ----------
    network : Network
    domains : TrackingDomains
    x : array-like, optional
        The points of ``data_regions`` (default: ``domains.points``).

    Returns
    -------
    dict
        ``activation_regions``, ``decision_boundary_pieces`` (primary domain,
        None without one), ``data_box`` (``{activation_regions,
        decision_boundary_pieces}`` or None), ``slices`` (per slice
        ``{points, activation_regions, decision_boundary_pieces}``),
        ``data_regions`` and ``count_seconds``. Pieces are None below 2 outputs.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, LinearLayer
    >>> net = Network(2, [ReluLayer([[1, 0]], [0]), LinearLayer([[1], [0]], [0, "1/2"])])
    >>> x = np.array([[-1, 0], [1, 0], [0, 1], [1, 1]], dtype=float)
    >>> counts = track(net, tracking_domains(x, np.array([0, 1, 1, 0]), slices=1))
    >>> counts["data_box"], counts["data_regions"]
    ({'activation_regions': 2, 'decision_boundary_pieces': 1}, 2)
    """
    start = time.perf_counter()
    memo: dict[str, tuple[int, int | None]] = {}

    def counts(domain):
        # The primary domain is often the data box: it is counted once.
        key = json.dumps(domain.to_spec())
        if key not in memo:
            memo[key] = region_counts(network, domain)
        return dict(zip(("activation_regions", "decision_boundary_pieces"), memo[key]))

    primary = counts(domains.primary) if domains.primary is not None else \
        {"activation_regions": None, "decision_boundary_pieces": None}
    return dict(primary, data_box=counts(domains.data_box) if domains.data_box else None,
                slices=[dict(points=list(p), **counts(s))
                        for p, s in zip(domains.slice_points, domains.slices)],
                data_regions=distinct_regions(network, domains.points if x is None else x),
                count_seconds=round(time.perf_counter() - start, 6))


def tracked_row(row: dict[str, Any], network: Network, domains: TrackingDomains) -> dict[str, Any]:
    """One tracked epoch: `row` (``epoch``, ``loss``, ``accuracy``), the counts of
    :func:`track` and the exact ``network`` (JSON model format v1).

    Examples
    --------
    >>> from polyregions.params.init import initialize
    >>> from polyregions.params.train import make_task
    >>> x, y = make_task("moons", samples=40, seed=0)
    >>> net = initialize([2, 4], outputs=2, seed=0)
    >>> row = tracked_row({"epoch": 0, "loss": 1.0, "accuracy": 0.5}, net, tracking_domains(x, y))
    >>> row["epoch"], row["activation_regions"], row["decision_boundary_pieces"], row["data_regions"]
    (0, 7, 1, 5)
    """
    return dict(row, **track(network, domains), network=network_to_dict(network))


def run_record(settings: dict[str, Any], backend: str, domains: TrackingDomains | None,
               history: Sequence[dict[str, Any]], tracked: Sequence[dict[str, Any]],
               stopped: int | None = None) -> dict[str, Any]:
    """The run in the record format ``polyregions/training-v1`` (both trainers).

    `settings` holds the run's settings (``epochs`` among them). `stopped` is the
    last epoch measured when the run was interrupted (Ctrl-C), None for a
    finished run; an interrupted record has ``"interrupted": true``,
    ``"epochs_done": stopped`` and what was measured until then (a tracked row
    whose count was cut short is left out).

    Examples
    --------
    >>> record = run_record({"epochs": 5}, "numpy", None, [], [], stopped=2)
    >>> record["interrupted"], record["epochs_done"]
    (True, 2)
    """
    primary = domains.primary if domains is not None else None
    return dict({"format": RECORD_FORMAT, "backend": backend}, **settings,
                domain=primary.to_spec() if primary is not None else None,
                tracking=domains.to_spec() if domains is not None else None,
                interrupted=stopped is not None,
                epochs_done=settings["epochs"] if stopped is None else stopped,
                history=list(history), tracked=list(tracked))


def tracked_epochs(epochs: int, track_every: int = 5,
                   track_epochs: Iterable[int] | None = None) -> frozenset[int]:
    """The epochs to count at: `track_epochs` if given, else 0, every `track_every`-th
    and the last.

    Raises
    ------
    TrainingError
        For a tracked epoch outside ``0..epochs``.

    Examples
    --------
    >>> sorted(tracked_epochs(7, 3)), sorted(tracked_epochs(7, track_epochs=[5, 0]))
    ([0, 3, 6, 7], [0, 5])
    """
    if track_epochs is None:
        return frozenset(e for e in range(epochs + 1) if e % track_every == 0 or e == epochs)
    chosen = frozenset(track_epochs)
    bad = [e for e in chosen if isinstance(e, bool) or not isinstance(e, (int, np.integer))
           or not 0 <= e <= epochs]
    if bad:
        raise TrainingError(f"tracked epochs must be integers from 0 to {epochs}, got {bad[0]!r}")
    return frozenset(int(e) for e in chosen)
