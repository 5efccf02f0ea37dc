"""``polyregions verify FILE``: re-check a certificate or a proof independently of the engine.

The file's ``format`` chooses the verifier: a region-count certificate
(``polyregions/certificate-v1``, written by ``certify``) or a proof that a
property holds (``polyregions/proof-v1``, written by ``check --certificate``).
Exit status 0 when it proves its claim, 1 naming the first failed check, 2
when the file is unreadable or malformed.
"""

import argparse
import sys
from typing import Any

from ..numbers import json_dumps
from .options import (
    Progress,
    Subcommands,
    add_command_parser,
    add_json_option,
    add_progress_option,
    print_rows,
)

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Subcommands) -> argparse.ArgumentParser:
    """Add the ``verify`` subcommand.

    Examples
    --------
    >>> from polyregions.cli.options import new_subcommands
    >>> subparsers = new_subcommands()
    >>> add_parser(subparsers).prog
    'polyregions verify'
    """
    parser = add_command_parser(subparsers, "verify",
                                "re-check a certificate or a proof independently of the engine",
                                "Verify a region-count certificate or a proof that a property holds: "
                                "exit 0 when it proves its claim, 1 naming the first failed check, "
                                "2 when it is malformed.", run)
    parser.add_argument("certificate", metavar="FILE",
                        help="a certificate written by certify, or a proof written by check "
                             "--certificate")
    add_json_option(parser)
    add_progress_option(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run ``verify``; return the exit status.

    Examples
    --------
    >>> import contextlib, io, json, os, tempfile
    >>> from polyregions import Box, Network, ReluLayer, enumerate_regions, write_certificate
    >>> from polyregions.cli.main import build_parser
    >>> cert = os.path.join(tempfile.mkdtemp(), "cert.json")
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])])
    >>> _ = write_certificate(enumerate_regions(net, Box.cube(2, -1, 1)), cert)
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     status = run(build_parser("verify").parse_args(["verify", cert, "--json"]))
    >>> status, json.loads(out.getvalue())["count"]
    (0, 4)
    """
    from ..certify.parsing import load_json
    from ..certify.proof_verifier import PROOF_FORMAT

    data = load_json(args.certificate, "certificate")  # CertificateError (exit 2) when unreadable
    if data.get("format") == PROOF_FORMAT:
        return _verify_proof(args, data)
    return _verify_certificate(args, data)


def _verify_certificate(args: argparse.Namespace, data: dict[str, Any]) -> int:
    from ..certify.verifier import verify_certificate

    with Progress(args) as progress:  # CertificateError (exit 2) when malformed
        report = verify_certificate(data, progress=progress.update)
    summary = dict(report.summary, ok=report.ok, failure=report.failure)
    if args.json:
        print(json_dumps(summary))
    elif report.ok:
        checks = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in summary["checks"].items())
        print_rows([("verified", f"{summary['count']} regions ({summary['domain']} domain, "
                                 f"dimension {summary['dim']})"),
                    ("domain volume", str(summary["domain_volume"])),
                    ("proven maximum", str(summary["max_regions_bound"] or "-")),
                    ("checks", checks),
                    ("time", f"{summary['seconds']:.3f} s")])
    return _status(report.ok, report.failure)


def _verify_proof(args: argparse.Namespace, data: dict[str, Any]) -> int:
    from ..certify.proof_verifier import PROOF_FORMAT, verify_proof

    report = verify_proof(data)  # CertificateError (exit 2) when malformed
    if args.json:
        print(json_dumps({"format": PROOF_FORMAT, "ok": report.valid, "failure": report.failure,
                          "cases": report.cases, "entries": report.entries,
                          "checks": report.checks, "seconds": report.seconds}))
    elif report.valid:
        checks = ", ".join(f"{v} {k}" for k, v in report.checks.items() if v)
        print_rows([("verified", "the property holds for the network"),
                    ("cases", f"{report.cases} (every one closed on every leaf)"),
                    ("entries", f"{report.entries} ({checks or 'none'})"),
                    ("time", f"{report.seconds:.3f} s")])
    return _status(report.valid, report.failure)


def _status(ok: bool, failure: str | None) -> int:
    if not ok:
        print(f"polyregions: verification failed: {failure}", file=sys.stderr)
        return 1
    return 0
