"""Claims (a) and (d) during training: exact regions while maxout networks learn the digits.

For every rank ``K`` (2 and 3), initialization (maxout-He, sphere, many regions,
He normal) and bias setting (drawn, or all zero) several seeded networks
``(64, w, w, w)`` are trained with mini-batch SGD on the 1,797 digits
(:mod:`polyregions.experiments.digits_training`). At the tracked epochs the
exact network is counted:

* in 2-D slices, each through three training points of three different classes
  (the same slices for every run): activation regions and decision-boundary
  pieces, averaged over the slices;
* in the data box, through the distinct activation regions the 1,797 training
  inputs meet (an exact lower bound on the regions of the data box, whose exact
  count in 64 dimensions is out of reach).

The figure puts the counts beside the loss and accuracy curves, mean ± std over
the seeds.
"""

from typing import Any

from .digits_training import INITS, DigitsRun, init_label, run_digits
from .figures import mean_and_std, mean_band, outside_legend
from .runner import Experiment

__all__ = ["TRAINING_COMPLEXITY"]

#: What each figure column shows: the row key, and the y label.
_PANELS = (("slice_regions", "activation regions in a slice"),
           ("data_regions", "regions met by the 1,797 inputs"),
           ("loss", "training loss (cross-entropy)"),
           ("accuracy", "training accuracy"))


def _settings(quick: bool) -> dict[str, Any]:
    if quick:
        return {"ranks": [2], "inits": ["maxout_he", "sphere"], "zero_bias": [False],
                "seeds": [0, 1], "width": 3, "epochs": 2, "lr": 0.05, "momentum": 0.9,
                "batch_size": 128, "track_epochs": [0, 2], "slices": 1, "slice_seed": 0}
    return {"ranks": [2, 3], "inits": list(INITS), "zero_bias": [False, True],
            "seeds": list(range(5)), "width": 16, "epochs": 30, "lr": 0.05, "momentum": 0.9,
            "batch_size": 64, "track_epochs": [0, 1, 3, 10, 30], "slices": 2,
            "slice_seed": 0}


def _units(settings):
    return [DigitsRun(K, init, zero, seed, settings["width"], settings["epochs"], settings["lr"],
                      settings["momentum"], settings["batch_size"],
                      tuple(settings["track_epochs"]), settings["slices"], settings["slice_seed"])
            for K in settings["ranks"] for init in settings["inits"]
            for zero in settings["zero_bias"] for seed in settings["seeds"]]


def _run_unit(run: DigitsRun) -> list[dict[str, Any]]:
    record = run_digits(run)
    tracked = {t["epoch"]: t for t in record["tracked"]}
    rows = []
    for h in record["history"]:
        row = {"rank": run.rank, "init": run.init, "zero_bias": run.zero_bias,
               "label": init_label(run.init, run.zero_bias), "seed": run.seed,
               "epoch": h["epoch"], "loss": h["loss"], "accuracy": h["accuracy"]}
        t = tracked.get(h["epoch"])
        if t is not None:
            regions = [s["activation_regions"] for s in t["slices"]]
            pieces = [s["decision_boundary_pieces"] for s in t["slices"]]
            row.update(slice_regions=sum(regions) / len(regions),
                       slice_boundary_pieces=sum(pieces) / len(pieces),
                       slice_regions_each=regions, slice_boundary_pieces_each=pieces,
                       data_regions=t["data_regions"],
                       slice_points=[s["points"] for s in t["slices"]])
        rows.append(row)
    return rows


def _curves(rows, key):
    """``{(rank, label): [(epoch, mean, std), ...]}`` of `key` over the seeds, where it is known."""
    groups: dict[tuple[int, str], dict[int, list[float]]] = {}
    for row in rows:
        if row.get(key) is not None:
            groups.setdefault((row["rank"], row["label"]), {}).setdefault(
                row["epoch"], []).append(row[key])
    return {group: [(epoch, *mean_and_std(values)) for epoch, values in sorted(by_epoch.items())]
            for group, by_epoch in groups.items()}


def _summarize(rows, settings):
    table = []
    curves = {key: _curves(rows, key) for key, _ in _PANELS + (("slice_boundary_pieces", ""),)}
    for (K, label), loss in sorted(curves["loss"].items()):
        regions = curves["slice_regions"].get((K, label), [])
        data = curves["data_regions"].get((K, label), [])
        entry = {"rank": K, "init": label, "final_loss_mean": loss[-1][1],
                 "final_loss_std": loss[-1][2],
                 "final_accuracy_mean": curves["accuracy"][(K, label)][-1][1]}
        if regions:
            entry.update(slice_regions_at_init=regions[0][1], slice_regions_at_end=regions[-1][1],
                         data_regions_at_init=data[0][1], data_regions_at_end=data[-1][1])
        table.append(entry)
    return {"runs": table, "curves": {key: {f"K={K} {label}": values
                                            for (K, label), values in by_group.items()}
                                      for key, by_group in curves.items()}}


def _draw(rows, settings, summary):
    import matplotlib.pyplot as plt

    ranks = settings["ranks"]
    figure, axes = plt.subplots(len(ranks), len(_PANELS), figsize=(4.2 * len(_PANELS),
                                                                    3.6 * len(ranks)),
                                squeeze=False)
    colours = dict(zip(settings["inits"], plt.rcParams["axes.prop_cycle"].by_key()["color"]))
    for r, K in enumerate(ranks):
        for c, (key, ylabel) in enumerate(_PANELS):
            ax = axes[r][c]
            for init in settings["inits"]:
                for zero in settings["zero_bias"]:
                    label = init_label(init, zero)
                    curve = summary["curves"][key].get(f"K={K} {label}")
                    if curve:
                        mean_band(ax, [e for e, _, _ in curve], [(m, s) for _, m, s in curve],
                                  label, color=colours[init], linestyle="--" if zero else "-")
            ax.set_xlabel("epoch")
            ax.set_ylabel(ylabel)
            ax.set_title(f"maxout rank K = {K}, widths 64-{settings['width']}-"
                         f"{settings['width']}-{settings['width']}-10", fontsize=9)
            ax.grid(alpha=0.3)
        outside_legend(axes[r][-1])
    figure.suptitle(f"Training on the digits (SGD, lr {settings['lr']}, momentum "
                    f"{settings['momentum']}, batch {settings['batch_size']}): mean ± std over "
                    f"{len(settings['seeds'])} seeds")
    figure.tight_layout()
    return figure


TRAINING_COMPLEXITY = Experiment(
    "training-complexity",
    "exact regions in slices and met by the data during training on the digits, by initialization",
    _settings, _units, _run_unit, _summarize, _draw, needs=("matplotlib", "torch", "sklearn"))
