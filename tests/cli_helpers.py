"""Running the command line in-process, shared by the CLI tests."""

from polyregions.cli.main import main


def run(argv, capsys):
    """Run the command in-process; return (exit status, stdout, stderr)."""
    try:
        status = main(argv)
    except SystemExit as exit:  # argparse usage errors
        status = exit.code
    out, err = capsys.readouterr()
    return status, out, err

