"""``polyregions certify MODEL [domain] -o CERT [--report]``: a certificate of the exact count.

The certificate is a self-contained JSON file that ``polyregions verify``
re-checks independently of the engine; ``--report`` shows the count beside the
bounds of the architecture.
"""

import argparse
import time

from .bounds import bound_rows, growth_rows
from .options import (
    Progress,
    Subcommands,
    add_run_parser,
    cell_text,
    check_output_file,
    network_and_domain,
    print_report,
)
from .runs import Deadline, enumerate_with_options

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Subcommands) -> argparse.ArgumentParser:
    """Add the ``certify`` subcommand.

    Examples
    --------
    >>> from polyregions.cli.options import new_subcommands
    >>> subparsers = new_subcommands()
    >>> args = add_parser(subparsers).parse_args(["m.json", "--box", "-1", "1", "-o", "cert.json"])
    >>> args.output, args.report, args.max_regions
    ('cert.json', False, None)
    """
    parser = add_run_parser(subparsers, "certify", "write a certificate of the exact region count",
                            "Enumerate the regions and write a self-contained JSON "
                            "certificate that 'polyregions verify' re-checks.", run)
    parser.add_argument("-o", "--output", metavar="CERT", required=True,
                        help="the certificate file (.json)")
    parser.add_argument("--report", action="store_true",
                        help="also print the count beside the theoretical bounds")
    return parser


def run(args: argparse.Namespace) -> int:
    """Run ``certify``; return the exit status.

    Examples
    --------
    >>> import contextlib, io, json, os, tempfile
    >>> from polyregions import Network, ReluLayer, save_network
    >>> from polyregions.cli.main import build_parser
    >>> folder = tempfile.mkdtemp()
    >>> model = os.path.join(folder, "model.json")
    >>> save_network(Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])]), model)
    >>> cert = os.path.join(folder, "cert.json")
    >>> argv = ["certify", model, "--box", "-1", "1", "-o", cert, "--json"]
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     status = run(build_parser("certify").parse_args(argv))
    >>> with open(cert, encoding="utf-8") as f:
    ...     written = json.load(f)["count"]
    >>> status, json.loads(out.getvalue())["activation_regions"], written   # the four quadrants
    (0, 4, 4)
    """
    deadline = Deadline(args.time_limit)
    from ..certify.certificate import write_certificate

    check_output_file(args.output)
    network, domain = network_and_domain(args)
    with Progress(args) as progress:
        result = enumerate_with_options(network, domain, args, deadline, progress)
    start = time.perf_counter()
    cert = write_certificate(result, args.output)  # refuses a partial result
    summary = {
        "input_dim": network.input_dim,
        "domain": domain.to_spec(),
        "activation_regions": cert["count"],
        "max_regions_bound": cert["max_regions_bound"],
        "max_regions_bound_is_exact": cert["max_regions_bound_is_exact"],
        "file": args.output,
        "seconds": round(result.seconds, 6),
        "certificate_seconds": round(time.perf_counter() - start, 6),
    }
    if args.report:
        summary["bounds"] = _bounds_summary(network)
    rows = [("activation regions", str(cert["count"])), ("written", args.output)]
    print_report(args, summary, lambda: rows + (_report_rows(cert["count"], summary["bounds"])
                                                if args.report else []))
    return 0


def _bounds_summary(network):
    """The bounds of the network's architecture as JSON values, or None without them."""
    try:
        from ..bounds import BoundsError, network_bounds_report, report_to_json
    except ImportError:
        return None
    try:
        return report_to_json(network_bounds_report(network))
    except BoundsError:  # no layer with an activation pattern
        return None


def _report_rows(count, bounds):
    if bounds is None:
        return [("bounds", "not available for this network")]
    exact = "exact maximum" if bounds["max_regions_is_exact"] else "upper bound"
    rows = [("exact count / maximum", f"{count} / {cell_text(bounds['max_regions'])}  ({exact})")]
    return rows + bound_rows(bounds) + growth_rows(bounds, db=False)
