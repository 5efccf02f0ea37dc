"""``polyregions train --task T --widths n0,n1,...,nL``: train a classifier, counting regions exactly.

A maxout or ReLU MLP is trained with numpy on a built-in task; every
``--track-every`` epochs the exact region and decision-boundary counts are
recorded in a 2-D domain (the data box, or a slice through 3 points).
"""

import argparse
import json

from ..errors import ExportError, UsageError
from ..numbers import json_dumps
from .options import (
    Progress,
    Subcommands,
    add_architecture_options,
    add_command_parser,
    add_report_options,
    check_architecture_options,
    check_output_file,
)

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Subcommands) -> argparse.ArgumentParser:
    """Add the ``train`` subcommand."""
    parser = add_command_parser(subparsers, "train", "train a small classifier, counting regions exactly",
                                "Train a maxout/ReLU MLP classifier with numpy on a built-in task; "
                                "every --track-every epochs record the exact region and "
                                "decision-boundary counts in a 2-D domain (the data box, or a slice "
                                "through 3 points).", run)
    parser.add_argument("--task", required=True, help="moons, xor, circles, blobs or digits")
    add_architecture_options(parser, "2,8,8")
    _add_training_options(parser)
    _add_output_options(parser)
    return parser


def _add_training_options(parser):
    parser.add_argument("--init", default="maxout_he",
                        help="he, maxout_he, sphere or many_regions (default: %(default)s)")
    parser.add_argument("--zero-bias", action="store_true", help="initialize every bias at zero")
    parser.add_argument("--epochs", type=int, default=50, metavar="N",
                        help="training epochs (default: %(default)s)")
    parser.add_argument("--lr", type=float, default=0.01, help="learning rate (default: %(default)s)")
    parser.add_argument("--optimizer", choices=("adam", "sgd"), default="adam",
                        help="the optimizer (default: %(default)s)")
    parser.add_argument("--batch-size", type=int, metavar="B",
                        help="mini-batches of B points (default: the full data)")
    parser.add_argument("--samples", type=int, default=200, metavar="N",
                        help="points of a 2-D task (default: %(default)s)")
    parser.add_argument("--noise", type=float, default=0.1,
                        help="noise of a 2-D task (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0,
                        help="seeds data, init and shuffling (default: %(default)s)")
    parser.add_argument("--track-every", type=int, default=5, metavar="E",
                        help="count regions every E epochs (default: %(default)s)")
    parser.add_argument("--box", nargs=2, metavar=("LO", "HI"),
                        help="count in [LO, HI]^2 (2-D data) or slice coordinates in it "
                             "(default: the data's box; [-1, 2] for a slice)")
    parser.add_argument("--no-count", action="store_true", help="record loss and accuracy only")


def _add_output_options(parser):
    parser.add_argument("--out", metavar="FILE", help="write the run as JSON")
    parser.add_argument("--csv", metavar="FILE", help="write one CSV row per epoch")
    parser.add_argument("--save-model", metavar="FILE",
                        help="write the final network (JSON model v1) for count, plot, ...")
    add_report_options(parser)


def run(args: argparse.Namespace) -> int:
    """Run ``train``; return the exit status."""
    from ..params.train import default_domain, make_task, train

    check_architecture_options(args)
    _check_outputs(args)
    x, y = make_task(args.task, samples=args.samples, noise=args.noise, seed=args.seed)
    domain = None if args.no_count else default_domain(x, y, args.box)
    with Progress(args, unit=" epochs", total=args.epochs) as progress:
        run = train(x, y, list(args.widths), kind=args.kind, rank=args.rank,
                    init=args.init, epochs=args.epochs, lr=args.lr, optimizer=args.optimizer,
                    batch_size=args.batch_size, seed=args.seed, zero_bias=args.zero_bias,
                    track_every=args.track_every, domain=domain, count=not args.no_count,
                    progress=progress.update)
    run["task"] = args.task
    _write_outputs(run, args)
    summary = _summary(run, args)
    if args.json:
        print(json_dumps(summary))
    else:
        _print_table(run, args)
    return 0


def _check_outputs(args):
    """Refuse, before the training, outputs that cannot be written."""
    if args.save_model is not None and args.no_count:
        raise UsageError("--save-model needs the counts (drop --no-count)")
    for path in (args.out, args.csv, args.save_model):
        if path is not None:
            check_output_file(path)


def _write_outputs(run, args):
    from ..io.model import save_network
    from ..network import network_from_dict
    from ..params.train import write_csv

    if args.out:
        try:
            with open(args.out, "w", encoding="utf-8") as f:
                json.dump(run, f)
        except OSError as err:
            raise ExportError.cannot_write(args.out, err) from err
    if args.csv:
        write_csv(run, args.csv)
    if args.save_model:
        save_network(network_from_dict(run["tracked"][-1]["network"]), args.save_model)


def _summary(run, args):
    last = run["history"][-1]
    tracked = [{k: t[k] for k in ("epoch", "loss", "accuracy", "activation_regions",
                                  "decision_boundary_pieces")} for t in run["tracked"]]
    return {"task": args.task, "epochs": args.epochs, "loss": last["loss"],
            "accuracy": last["accuracy"], "domain": run["domain"], "tracked": tracked,
            "out": args.out, "csv": args.csv, "model": args.save_model}


def _print_table(run, args):
    print(f"{'epoch':>5}  {'loss':>8}  {'accuracy':>8}  {'regions':>7}  {'db pieces':>9}")
    for t in run["tracked"] or run["history"][-1:]:
        print(f"{t['epoch']:>5}  {t['loss']:>8.4f}  {t['accuracy']:>8.3f}  "
              f"{t.get('activation_regions', '-'):>7}  {t.get('decision_boundary_pieces', '-'):>9}")
    for label, path in (("run", args.out), ("csv", args.csv), ("model", args.save_model)):
        if path:
            print(f"written {label}: {path}")

