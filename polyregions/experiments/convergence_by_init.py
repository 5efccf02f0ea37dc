"""Claim (d): how many epochs each initialization needs to reach a fixed training loss.

The runs of :mod:`polyregions.experiments.digits_training` without counts:
maxout networks ``(64, w, w, w)`` of rank ``K`` trained with mini-batch SGD on
the digits from many seeds, for each initialization with and without zero
biases. A run's number is the first epoch whose training loss (measured on all
1,797 inputs after the epoch) is at most the target; runs that never reach it
within the epochs are counted as such, not dropped. The figure shows every
run's number (one dot per seed) with the mean ± std, and the mean loss curves
with the target.
"""

from statistics import median
from typing import Any

from .digits_training import INITS, DigitsRun, init_label, run_digits
from .figures import mean_and_std, outside_legend
from .runner import Experiment

__all__ = ["CONVERGENCE_BY_INIT"]


def _settings(quick: bool) -> dict[str, Any]:
    if quick:
        return {"ranks": [2], "inits": ["maxout_he", "he"], "zero_bias": [False], "seeds": [0, 1],
                "width": 3, "epochs": 3, "lr": 0.05, "momentum": 0.9, "batch_size": 128,
                "target_loss": 2.0}
    return {"ranks": [2, 3], "inits": list(INITS), "zero_bias": [False, True],
            "seeds": list(range(10)), "width": 16, "epochs": 40, "lr": 0.05, "momentum": 0.9,
            "batch_size": 64, "target_loss": 0.05}


def _units(settings):
    return [(DigitsRun(K, init, zero, seed, settings["width"], settings["epochs"], settings["lr"],
                       settings["momentum"], settings["batch_size"]), settings["target_loss"])
            for K in settings["ranks"] for init in settings["inits"]
            for zero in settings["zero_bias"] for seed in settings["seeds"]]


def _run_unit(unit) -> list[dict[str, Any]]:
    run, target = unit
    losses = [h["loss"] for h in run_digits(run)["history"]]
    reached = next((epoch for epoch, loss in enumerate(losses) if loss <= target), None)
    return [{"rank": run.rank, "init": run.init, "zero_bias": run.zero_bias,
             "label": init_label(run.init, run.zero_bias), "seed": run.seed,
             "epochs_to_target": reached, "final_loss": losses[-1], "losses": losses}]


def _summarize(rows, settings):
    table = []
    for K in settings["ranks"]:
        for label in dict.fromkeys(r["label"] for r in rows if r["rank"] == K):
            runs = [r for r in rows if r["rank"] == K and r["label"] == label]
            epochs = [r["epochs_to_target"] for r in runs if r["epochs_to_target"] is not None]
            entry = {"rank": K, "init": label, "runs": len(runs), "reached": len(epochs),
                     "final_loss_mean": mean_and_std([r["final_loss"] for r in runs])[0]}
            if epochs:
                entry.update(zip(("epochs_mean", "epochs_std"), mean_and_std(epochs)),
                             epochs_median=median(epochs), epochs_min=min(epochs),
                             epochs_max=max(epochs))
            table.append(entry)
    return {"target_loss": settings["target_loss"], "max_epochs": settings["epochs"],
            "by_init": table}


def _draw(rows, settings, summary):
    import matplotlib.pyplot as plt

    ranks = settings["ranks"]
    figure, axes = plt.subplots(2, len(ranks), figsize=(6.5 * len(ranks), 8), squeeze=False)
    colours = dict(zip(settings["inits"], plt.rcParams["axes.prop_cycle"].by_key()["color"]))
    for c, K in enumerate(ranks):
        top, bottom = axes[0][c], axes[1][c]
        entries = [e for e in summary["by_init"] if e["rank"] == K]
        for i, entry in enumerate(entries):
            runs = [r for r in rows if r["rank"] == K and r["label"] == entry["init"]]
            init = runs[0]["init"]
            _dots(top, i, runs, entry, settings["epochs"], colours[init])
            _quartiles(bottom, [r["losses"] for r in runs], entry["init"], color=colours[init],
                       linestyle="--" if runs[0]["zero_bias"] else "-")
        top.set_xticks(range(len(entries)), [e["init"] for e in entries], rotation=35,
                       ha="right", fontsize=8)
        top.set_xlabel("initialization")
        top.set_ylabel(f"epochs to training loss <= {settings['target_loss']}")
        top.set_title(f"maxout rank K = {K}: dots are seeds, black mean ± std (x: not reached "
                      f"in {settings['epochs']} epochs)",
                      fontsize=9)
        top.grid(alpha=0.3, axis="y")
        bottom.axhline(settings["target_loss"], color="k", lw=0.8, ls=":", label="target loss")
        bottom.set_yscale("log")
        bottom.set_xlabel("epoch")
        bottom.set_ylabel("training loss (median, quartile band)")
        bottom.grid(alpha=0.3, which="both")
    outside_legend(axes[1][-1])
    figure.suptitle(f"Epochs to a fixed training loss on the digits, widths 64-{settings['width']}"
                    f"-{settings['width']}-{settings['width']}-10, {len(settings['seeds'])} seeds")
    figure.tight_layout()
    return figure


def _quartiles(ax, curves, label, **style):
    """The median curve over the seeds with the band between the quartiles (positive, so
    it suits a log axis, where ``mean - std`` would not)."""
    import numpy as np

    low, mid, high = np.percentile(np.array(curves), [25, 50, 75], axis=0)
    epochs = np.arange(len(mid))
    line, = ax.plot(epochs, mid, marker="o", ms=2, label=label, **style)
    ax.fill_between(epochs, low, high, color=line.get_color(), alpha=0.12, lw=0)


def _dots(ax, i, runs, entry, max_epochs, colour):
    """One dot per seed (x above the axis for runs that never reached the target), mean ± std."""
    reached = [r["epochs_to_target"] for r in runs if r["epochs_to_target"] is not None]
    spread = [i + 0.25 * (k / max(1, len(runs) - 1) - 0.5) for k in range(len(runs))]
    for x, r in zip(spread, runs):
        if r["epochs_to_target"] is None:
            ax.plot(x, max_epochs + 1, "x", color=colour, ms=5)
        else:
            ax.plot(x, r["epochs_to_target"], "o", color=colour, ms=3, alpha=0.7)
    if reached:
        ax.errorbar(i + 0.3, entry["epochs_mean"], yerr=entry["epochs_std"], fmt="s",
                    color="k", ms=4, capsize=3)


CONVERGENCE_BY_INIT = Experiment(
    "convergence-by-init",
    "epochs to a fixed training loss on the digits for each initialization, over seeds",
    _settings, _units, _run_unit, _summarize, _draw, needs=("matplotlib", "torch", "sklearn"))
