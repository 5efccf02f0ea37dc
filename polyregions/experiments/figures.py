"""Drawing helpers shared by the experiments' figures (matplotlib, imported by the caller)."""

from collections.abc import Sequence
from statistics import mean, pstdev
from typing import Any

__all__ = ["mean_band", "mean_and_std", "outside_legend", "log_axes"]


def mean_and_std(values: Sequence[float]) -> tuple[float, float]:
    """The mean and the population standard deviation of `values`.

    Examples
    --------
    >>> mean_and_std([1, 2, 3])
    (2, 0.816496580927726)
    """
    return mean(values), pstdev(values)


def mean_band(ax: Any, x: Sequence[float], stats: Sequence[tuple[float, float]], label: str,
              floor: float | None = None, **style: Any) -> None:
    """Draw the means of `stats` ``(mean, std)`` as a line with markers, ± one std as a band.

    `floor` clips the band from below (on a log axis, where ``mean - std`` may be 0 or
    less); `style` goes to ``ax.plot`` (``color``, ``linestyle``, ...), and the band takes
    the line's colour.

    Examples
    --------
    >>> import pytest
    >>> plt = pytest.importorskip("matplotlib.pyplot")
    >>> fig, ax = plt.subplots()
    >>> mean_band(ax, [1, 2, 4], [(3.0, 1.0), (5.0, 1.5), (9.0, 2.0)], "regions", color="C0")
    >>> [line.get_label() for line in ax.get_lines()]
    ['regions']
    >>> plt.close(fig)
    """
    means, stds = [m for m, _ in stats], [s for _, s in stats]
    line, = ax.plot(x, means, marker="o", ms=3, label=label, **style)
    low = [m - s if floor is None else max(m - s, floor) for m, s in zip(means, stds)]
    ax.fill_between(x, low, [m + s for m, s in zip(means, stds)], color=line.get_color(),
                    alpha=0.15, lw=0)


def outside_legend(ax: Any) -> None:
    """A legend to the right of `ax`, where it hides no curve.

    Examples
    --------
    >>> import pytest
    >>> plt = pytest.importorskip("matplotlib.pyplot")
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1], [0, 1], label="regions")
    >>> outside_legend(ax)
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['regions']
    >>> plt.close(fig)
    """
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.02, 1), borderaxespad=0)


def log_axes(ax: Any, xticks: Sequence[float], floor: float = 0.5) -> None:
    """Log scales on both axes, ticks labelled at `xticks` only, the y axis from `floor` up.

    Examples
    --------
    >>> import pytest
    >>> plt = pytest.importorskip("matplotlib.pyplot")
    >>> fig, ax = plt.subplots()
    >>> log_axes(ax, [8, 16, 32])
    >>> ax.get_xscale(), ax.get_yscale(), [float(t) for t in ax.get_xticks()]
    ('log', 'log', [8.0, 16.0, 32.0])
    >>> plt.close(fig)
    """
    from matplotlib.ticker import NullFormatter

    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(bottom=floor)
    ax.set_xticks(list(xticks), [f"{v:g}" for v in xticks])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.grid(alpha=0.3, which="major")
