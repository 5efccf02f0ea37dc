"""The distribution of exact region counts over random parameters.

:func:`sample_counts` draws one network per seed with :func:`polyregions.params.init.initialize`,
counts its activation regions exactly (and the pieces of its decision boundary
when it has at least two outputs), and summarises the counts: histogram, exact
mean, standard deviation, extremes, beside the bounds of
:mod:`polyregions.bounds` (the maximum over all parameters and the growth form
of the expected value).
"""

import math
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from typing import Any

from ..domain import Domain
from ..enumeration.arguments import check_positive_integer
from ..enumeration.run import enumerate_regions
from ..errors import UsageError
from .init import initialize

__all__ = ["sample_counts", "count_one", "count_bounds", "summarize", "sample_to_json"]


def count_one(task: tuple[Any, ...]) -> tuple[int, int, int | None]:
    """Exact counts of one seeded draw: ``(seed, regions, decision-boundary pieces or None)``.

    `task` is ``(widths, kind, rank, init, seed, domain, outputs, zero_bias)``
    (a tuple, so that a process pool can send it).

    Examples
    --------
    One draw, seed 0, of a [2, 3] rank-2 maxout network with 2 outputs, counted in ``[-1, 1]^2``:

    >>> from polyregions import Box
    >>> count_one(((2, 3), "maxout", 2, "maxout_he", 0, Box.cube(2, -1, 1), 2, False))
    (0, 4, 4)
    """
    widths, kind, rank, init, seed, domain, outputs, zero_bias = task
    if isinstance(domain, dict):  # domains travel to worker processes as exact specs
        from ..domain import domain_from_spec

        domain = domain_from_spec(domain)
    net = initialize(widths, kind, rank, init, outputs=outputs, zero_bias=zero_bias, seed=seed)
    result = enumerate_regions(net, domain)
    pieces = None
    if outputs >= 2:
        from ..analysis.decision import decision_boundary

        pieces = decision_boundary(result).piece_count
    return seed, len(result), pieces


def summarize(values: Iterable[int]) -> dict[str, Any]:
    """Histogram, exact mean, standard deviation, min and max of integer `values`.

    The standard deviation is the population one (divide by ``N``), from the
    exact variance.

    Examples
    --------
    >>> s = summarize([3, 5, 5, 7])
    >>> s["histogram"], s["mean"], s["std"], s["min"], s["max"]
    ({3: 1, 5: 2, 7: 1}, Fraction(5, 1), 1.4142135623730951, 3, 7)
    """
    values = [int(v) for v in values]
    if not values:
        raise UsageError("no values to summarise")
    histogram: dict[int, int] = {}
    for v in sorted(values):
        histogram[v] = histogram.get(v, 0) + 1
    mean = Fraction(sum(values), len(values))
    variance = sum((v - mean) ** 2 for v in values) / len(values)
    return {"histogram": histogram, "mean": mean, "mean_float": float(mean),
            "std": math.sqrt(variance), "min": min(values), "max": max(values),
            "values": sorted(histogram)}


def count_bounds(widths: Sequence[int], kind: str, rank: int, outputs: int) -> dict[str, Any]:
    """What the theory says of the counts of an architecture (see :func:`sample_counts`).

    ``max_regions`` (the proven maximum over all parameters) and whether it is
    exact, and the growth forms of the expected numbers of regions (and, with
    two outputs or more, of decision-boundary pieces), as sympy numbers: shapes
    with unknown constants, not bounds.

    Examples
    --------
    >>> b = count_bounds((2, 3), "maxout", 3, 2)
    >>> b["max_regions"], b["expected_regions_growth"], b["expected_db_growth"]
    (19, 1215/2, 27)
    """
    from ..bounds import architecture_max_regions, expected_db_growth, expected_regions_growth

    K = 2 if kind == "relu" else rank
    value, exact = architecture_max_regions(widths, K, relu=kind == "relu")
    n0, N = widths[0], sum(widths[1:])
    report = {"max_regions": int(value), "max_regions_is_exact": bool(exact),
              "expected_regions_growth": expected_regions_growth(n0, K, N),
              "expected_regions_growth_without_rank":
                  expected_regions_growth(n0, K, N, with_rank=False)}
    if outputs >= 2:
        report["expected_db_growth"] = expected_db_growth(n0, K, N)
        report["expected_db_growth_without_rank"] = expected_db_growth(n0, K, N, with_rank=False)
    return report


def sample_counts(widths: Sequence[int], kind: str = "maxout", rank: int = 2, init: str = "maxout_he",
                  seeds: int | Iterable[int] = 10, domain: Domain | None = None, *, outputs: int = 0,
                  zero_bias: bool = False, workers: int = 1,
                  progress: Callable[[int], object] | None = None) -> dict[str, Any]:
    """Exact counts for many seeded random networks, and their summary.

    Parameters
    ----------
    widths : sequence of int
        ``(n0, n1, ..., nL)``.
    kind, rank, init, outputs, zero_bias
        As in :func:`polyregions.params.init.initialize`.
    seeds : int or iterable of int
        ``N`` means the seeds ``0, ..., N - 1``.
    domain : Domain
        Where to count (for example ``Box.cube(n0, -3, 3)``).
    workers : int
        Processes (one seed per task, :class:`polyregions.enumeration.parallel.ProcessExecutor`);
        the result does not depend on it.
    progress : callable, optional
        Called with the number of seeds done after each one.

    Returns
    -------
    dict
        ``seeds``, ``activation_regions`` (one count per seed, in seed order),
        ``decision_boundary_pieces`` (a list, or None below two outputs),
        ``summary`` (:func:`summarize` of each, or None) and ``bounds``
        (``max_regions``, ``max_regions_is_exact``, the expected-value growth
        forms as sympy numbers), plus the arguments.

    Raises
    ------
    UsageError
        When an argument is invalid (the message names it).

    Examples
    --------
    >>> from polyregions import Box
    >>> s = sample_counts((1, 3), "relu", init="he", seeds=4, domain=Box([-1], [1]))
    >>> s["activation_regions"], sum(s["summary"]["activation_regions"]["histogram"].values())
    ([3, 1, 1, 4], 4)
    """
    if domain is None:
        raise UsageError("sample_counts needs a domain, e.g. Box.cube(n0, -3, 3)")
    seed_list = _seed_list(seeds, workers)
    widths = tuple(int(w) for w in widths)
    # Validate once, here, rather than in every worker.
    initialize(widths, kind, rank, init, outputs=outputs, zero_bias=zero_bias, seed=0)
    domain.check_network(initialize(widths, kind, rank, init, outputs=outputs, seed=0))
    where = domain if workers == 1 else domain.to_spec()
    tasks = [(widths, kind, rank, init, s, where, outputs, zero_bias) for s in seed_list]
    rows = _count_all(tasks, workers, progress)
    regions = [r for _, r, _ in rows]
    # With two outputs or more every draw has its number of pieces.
    pieces = [p for _, _, p in rows if p is not None] if outputs >= 2 else None
    return {
        "widths": list(widths), "kind": kind, "rank": 2 if kind == "relu" else rank,
        "init": init, "zero_bias": zero_bias, "outputs": outputs,
        "domain": domain.to_spec(), "seeds": seed_list,
        "activation_regions": regions, "decision_boundary_pieces": pieces,
        "summary": {"activation_regions": summarize(regions),
                    "decision_boundary_pieces": summarize(pieces) if pieces else None},
        "bounds": count_bounds(widths, kind, rank, outputs),
    }


def _seed_list(seeds, workers):
    """The list of seeds (``N`` means ``0 .. N - 1``), once the number of workers is checked."""
    seeds = list(range(seeds)) if isinstance(seeds, int) else [int(s) for s in seeds]
    if not seeds:
        raise UsageError("at least one seed is needed")
    check_positive_integer(workers, "workers")
    return seeds


def _count_all(tasks, workers, progress):
    """:func:`count_one` of every task in order, by `workers` processes; progress after each."""
    if workers == 1:
        results = map(count_one, tasks)
        executor = None
    else:
        from ..enumeration.parallel import ProcessExecutor

        executor = ProcessExecutor(min(workers, len(tasks)))
        results = executor.map(count_one, tasks)
    rows = []
    try:
        for row in results:
            rows.append(row)
            if progress is not None:
                progress(len(rows))
    finally:
        if executor is not None:
            executor.close()
    return rows


def _json_value(value):
    if isinstance(value, bool) or value is None or isinstance(value, (int, float, str)):
        return value
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    import sympy

    value = sympy.nsimplify(value) if not isinstance(value, sympy.Basic) else value
    if value.is_Integer:
        return int(value)
    return str(value)


def sample_to_json(sample: dict[str, Any]) -> dict[str, Any]:
    """The result of :func:`sample_counts` with JSON values (exact numbers as strings).

    Histogram keys become strings; rational means and growth forms become
    exact strings such as ``"41/4"``, with ``*_float`` companions for the
    growth forms.

    Examples
    --------
    >>> from polyregions import Box
    >>> sample = sample_counts((2, 3), rank=2, seeds=3, domain=Box.cube(2, -1, 1))
    >>> sample["activation_regions"], sample["summary"]["activation_regions"]["mean"]
    ([4, 6, 4], Fraction(14, 3))
    >>> sample_to_json(sample)["summary"]["activation_regions"]["mean"]
    '14/3'
    """
    out = _json_value(sample)
    for key, value in sample["bounds"].items():
        if key.startswith("expected"):
            out["bounds"][key + "_float"] = float(value)
    return out
