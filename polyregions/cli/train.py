"""``polyregions train --task T --widths n0,n1,...,nL``: train a classifier, counting regions exactly.

A maxout or ReLU MLP is trained with numpy (or PyTorch, ``--backend torch``) on
a built-in task; every ``--track-every`` epochs (or at ``--track-epochs``) the
exact region and decision-boundary counts are recorded in a 2-D domain (the
data box, or a slice through 3 points), in ``--slices`` slices through points
of three classes, in the data box (up to 2 inputs), and the number of regions
the training data meets. Ctrl-C writes the run so far, marked partial, and
exits 130.
"""

import argparse
import dataclasses
import json
import re
import sys
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from ..params.tracking import TrackingDomains
    from ..params.train import TrainingSettings

__all__ = ["add_parser", "run", "settings_from_args", "domains_from_args", "parse_track_epochs"]


def add_parser(subparsers: Subcommands) -> argparse.ArgumentParser:
    """Add the ``train`` subcommand.

    Examples
    --------
    >>> from polyregions.cli.options import new_subcommands
    >>> subparsers = new_subcommands()
    >>> add_parser(subparsers).prog
    'polyregions train'
    """
    parser = add_command_parser(subparsers, "train", "train a small classifier, counting regions exactly",
                                "Train a maxout/ReLU MLP classifier with numpy or PyTorch on a "
                                "built-in task; every --track-every epochs (or at --track-epochs) "
                                "record the exact region and decision-boundary counts in a 2-D "
                                "domain (the data box, or a slice through 3 points), in --slices "
                                "slices through points of three classes, and the regions the data "
                                "meets.", run)
    parser.add_argument("--task", required=True, help="moons, xor, circles, blobs or digits")
    add_architecture_options(parser, "2,8,8")
    _add_training_options(parser)
    _add_output_options(parser)
    return parser


def _add_training_options(parser):
    parser.add_argument("--backend", choices=("numpy", "torch"), default="numpy",
                        help="the trainer (default: %(default)s; torch needs the torch extra)")
    parser.add_argument("--init", default="maxout_he",
                        help="he, maxout_he, sphere or many_regions (default: %(default)s)")
    parser.add_argument("--zero-bias", action="store_true", help="initialize every bias at zero")
    parser.add_argument("--epochs", type=int, default=50, metavar="N",
                        help="training epochs (default: %(default)s)")
    parser.add_argument("--lr", type=float, default=0.01, help="learning rate (default: %(default)s)")
    parser.add_argument("--optimizer", choices=("adam", "sgd"), default="adam",
                        help="the optimizer (default: %(default)s)")
    parser.add_argument("--momentum", type=float, default=0.0,
                        help="SGD momentum in [0, 1) (default: %(default)s)")
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
    parser.add_argument("--track-epochs", metavar="E1,E2,...",
                        help="count regions at these epochs only, e.g. 0,5,20 "
                             "(default: every --track-every epochs)")
    parser.add_argument("--slices", type=int, default=3, metavar="N",
                        help="also count in N slices through points of three classes "
                             "(default: %(default)s)")
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
    """Run ``train``; return the exit status.

    Examples
    --------
    >>> import contextlib, io, json
    >>> from polyregions.cli.main import build_parser
    >>> argv = ["train", "--task", "moons", "--widths", "2,4", "--epochs", "2", "--json"]
    >>> args = build_parser("train").parse_args(argv)
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     status = run(args)
    >>> status, json.loads(out.getvalue())["epochs_done"]
    (0, 2)
    """
    from ..params.train import make_task

    check_architecture_options(args)
    _check_outputs(args)
    settings = settings_from_args(args)
    trainer = _trainer(args.backend)
    x, y = make_task(args.task, samples=args.samples, noise=args.noise, seed=args.seed)
    domains = None if args.no_count else domains_from_args(args, x, y)
    with Progress(args, unit=" epochs", total=args.epochs) as progress:
        run = trainer(x, y, settings, domains, progress.update)
    run["task"] = args.task
    _write_outputs(run, args)
    summary = _summary(run, args)
    if args.json:
        print(json_dumps(summary))
    else:
        _print_table(run, args)
    if run["interrupted"]:
        print(f"polyregions: interrupted after epoch {run['epochs_done']}; the run written is "
              "partial", file=sys.stderr)
        return 130
    return 0


def settings_from_args(args: argparse.Namespace) -> "TrainingSettings":
    """The :class:`~polyregions.params.train.TrainingSettings` of the command line.

    Examples
    --------
    >>> from polyregions.cli.main import build_parser
    >>> argv = ["train", "--task", "moons", "--widths", "2,4", "--epochs", "3"]
    >>> settings = settings_from_args(build_parser("train").parse_args(argv))
    >>> settings.widths, settings.epochs, settings.optimizer
    ((2, 4), 3, 'adam')
    """
    from ..params.train import TrainingSettings

    return TrainingSettings(
        tuple(args.widths), kind=args.kind, rank=args.rank, init=args.init,
        zero_bias=args.zero_bias, seed=args.seed, epochs=args.epochs, lr=args.lr,
        optimizer=args.optimizer, momentum=args.momentum, batch_size=args.batch_size,
        track_every=args.track_every, track_epochs=parse_track_epochs(args.track_epochs),
        count=not args.no_count)


def domains_from_args(args: argparse.Namespace, x: Any, y: Any) -> "TrackingDomains":
    """The domains of ``--box`` and ``--slices`` (the API's defaults without them).

    Examples
    --------
    >>> from polyregions.cli.main import build_parser
    >>> from polyregions.params.train import make_task
    >>> args = build_parser("train").parse_args(["train", "--task", "moons", "--widths", "2,4"])
    >>> x, y = make_task("moons", seed=0)
    >>> domains = domains_from_args(args, x, y)
    >>> domains.primary.kind, len(domains.slices)
    ('box', 3)
    """
    from ..params.tracking import default_domain, tracking_domains

    box = tuple(args.box) if args.box else None
    return tracking_domains(x, y, slices=args.slices, box=box,
                            slice_box=box if box is not None else (-1, 2),
                            primary=default_domain(x, y, box))


def parse_track_epochs(text: str | None) -> tuple[int, ...] | None:
    """The epochs of ``--track-epochs E1,E2,...`` (None without the option).

    Examples
    --------
    >>> parse_track_epochs("0, 5,20")
    (0, 5, 20)
    >>> parse_track_epochs("0,five")
    Traceback (most recent call last):
    ...
    polyregions.errors.UsageError: --track-epochs must be epochs 0,5,20 (integers >= 0), got '0,five'
    """
    if text is None:
        return None
    parts = [p.strip() for p in text.split(",")]
    if not all(re.fullmatch(r"[0-9]+", p) for p in parts):
        raise UsageError(f"--track-epochs must be epochs 0,5,20 (integers >= 0), got {text!r}")
    return tuple(int(p) for p in parts)


def _trainer(backend):
    """``trainer(x, y, settings, domains, progress)`` of `backend`; torch is checked first."""
    if backend == "torch":
        from ..training.models import require_torch
        from ..training.torch_trainer import train_classifier

        require_torch()
        return lambda x, y, s, d, p: train_classifier(x, y, s, domains=d, progress=p)
    from ..params.train import train

    return lambda x, y, s, d, p: train(x, y, **dataclasses.asdict(s), domains=d, progress=p)


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
                                  "decision_boundary_pieces", "data_box", "slices",
                                  "data_regions")} for t in run["tracked"]]
    return {"task": args.task, "backend": run["backend"], "epochs": args.epochs,
            "loss": last["loss"], "accuracy": last["accuracy"], "domain": run["domain"],
            "tracked": tracked, "interrupted": run["interrupted"],
            "epochs_done": run["epochs_done"], "out": args.out, "csv": args.csv,
            "model": args.save_model}


def _print_table(run, args):
    print(f"{'epoch':>5}  {'loss':>8}  {'accuracy':>8}  {'regions':>7}  {'db pieces':>9}  "
          f"{'data regions':>12}")
    for t in run["tracked"] or run["history"][-1:]:
        print(f"{t['epoch']:>5}  {t['loss']:>8.4f}  {t['accuracy']:>8.3f}  "
              f"{_cell(t.get('activation_regions')):>7}  "
              f"{_cell(t.get('decision_boundary_pieces')):>9}  {_cell(t.get('data_regions')):>12}")
    for label, path in (("run", args.out), ("csv", args.csv), ("model", args.save_model)):
        if path:
            print(f"written {label}: {path}")



def _cell(value):
    return "-" if value is None else value
