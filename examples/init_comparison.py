"""Compare initializations: exact regions at init and training loss averaged over seeds.

    python examples/init_comparison.py [--quick] [--task moons] [--rank 5]

For each initialization of polyregions.params.init (he, maxout_he, sphere,
many_regions) trains maxout networks (2, 10, 10) of rank K with Adam from seeds
0..S-1 and prints the mean exact number of regions in the data box at epoch 0
and the mean loss at chosen epochs.
"""

import argparse
import statistics

from polyregions.params.init import INITIALIZATIONS
from polyregions.params.train import (
    default_domain,
    init_params,
    make_task,
    network_from_params,
    region_counts,
    train,
)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 seeds, 10 epochs")
    parser.add_argument("--task", default="moons")
    parser.add_argument("--rank", type=int, default=5)
    parser.add_argument("--lr", type=float, default=0.005)
    parser.add_argument("--optimizer", default="adam", choices=("adam", "sgd"))
    args = parser.parse_args(argv)
    seeds, epochs = (2, 10) if args.quick else (10, 100)
    shown = [0, 5, 10] if args.quick else [0, 10, 25, 50, 100]
    widths = (2, 10, 10)
    x, y = make_task(args.task, samples=200, seed=0)
    domain = default_domain(x, y)
    classes = int(y.max()) + 1
    print(f"task {args.task}, maxout {widths} rank {args.rank}, {args.optimizer} "
          f"lr {args.lr}, {seeds} seeds")
    print(f"{'init':<13} {'regions@0':>9} " + " ".join(f"{'loss@' + str(e):>9}" for e in shown))
    for init in INITIALIZATIONS:
        regions, losses = [], []
        for s in range(seeds):
            net = network_from_params(init_params(widths, classes, "maxout", args.rank, init, s))
            regions.append(region_counts(net, domain)[0])
            run = train(x, y, widths, rank=args.rank, init=init, epochs=epochs, lr=args.lr,
                        optimizer=args.optimizer, seed=s, count=False)
            losses.append([h["loss"] for h in run["history"]])
        mean = [statistics.mean(col) for col in zip(*losses)]
        print(f"{init:<13} {statistics.mean(regions):>9.1f} "
              + " ".join(f"{mean[e]:>9.4f}" for e in shown))


if __name__ == "__main__":
    main()
