"""Exact activation regions and decision-boundary pieces during training.

    python examples/training_regions.py [--quick] [--task moons] [--png FILE]

Trains a rank-2 maxout network (2, 8, 8) on a built-in 2-D task with Adam and
prints loss, accuracy and the exact counts in the data box at tracked epochs.
"""

import argparse

from polyregions.errors import MissingDependencyError, require_extra
from polyregions.params.train import make_task, train


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 epochs")
    parser.add_argument("--task", default="moons", help="moons, xor, circles or blobs")
    parser.add_argument("--png", metavar="FILE", help="also save a figure (needs matplotlib)")
    args = parser.parse_args(argv)
    if args.png:  # the extra is checked before any work, not at the end
        try:
            require_extra("matplotlib", "plot", "--png")
        except MissingDependencyError as err:
            parser.error(str(err))
    epochs, every = (20, 5) if args.quick else (200, 10)
    x, y = make_task(args.task, samples=200, seed=0)
    run = train(x, y, (2, 8, 8), rank=2, init="maxout_he", epochs=epochs, lr=0.01,
                track_every=every, seed=0)
    print(f"{'epoch':>5} {'loss':>8} {'accuracy':>8} {'regions':>7} {'db pieces':>9}")
    for t in run["tracked"]:
        print(f"{t['epoch']:>5} {t['loss']:>8.4f} {t['accuracy']:>8.3f} "
              f"{t['activation_regions']:>7} {t['decision_boundary_pieces']:>9}")
    if args.png:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, (a, b) = plt.subplots(1, 2, figsize=(9, 3.5))
        a.plot([h["epoch"] for h in run["history"]], [h["loss"] for h in run["history"]])
        a.set_xlabel("epoch")
        a.set_ylabel("training loss")
        epochs_t = [t["epoch"] for t in run["tracked"]]
        b.plot(epochs_t, [t["activation_regions"] for t in run["tracked"]], "o-", label="regions")
        b.plot(epochs_t, [t["decision_boundary_pieces"] for t in run["tracked"]], "s-",
               label="decision-boundary pieces")
        b.set_xlabel("epoch")
        b.set_ylabel("exact count")
        b.legend()
        fig.tight_layout()
        fig.savefig(args.png)
        print(f"written {args.png}")


if __name__ == "__main__":
    main()
