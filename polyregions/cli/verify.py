"""``polyregions verify CERT``: re-check a certificate independently of the engine.

Exit status 0 when the certificate proves its count, 1 naming the first failed
check, 2 when the file is malformed.
"""

import argparse
import sys

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
    """Add the ``verify`` subcommand."""
    parser = add_command_parser(subparsers, "verify", "re-check a certificate independently of the engine",
                                "Verify a certificate: exit 0 when it proves its count, 1 naming the "
                                "first failed check, 2 when it is malformed.", run)
    parser.add_argument("certificate", metavar="CERT", help="a certificate written by certify")
    add_json_option(parser)
    add_progress_option(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run ``verify``; return the exit status."""
    from ..certify.verifier import verify_certificate

    with Progress(args) as progress:  # CertificateError (exit 2) when malformed
        report = verify_certificate(args.certificate, progress=progress.update)
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
    if not report.ok:
        print(f"polyregions: verification failed: {report.failure}", file=sys.stderr)
        return 1
    return 0
