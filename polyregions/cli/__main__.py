"""``python -m polyregions.cli``: the ``polyregions`` command."""

import sys

from .main import main

__all__: list[str] = []  # a script, nothing to import

if __name__ == "__main__":
    sys.exit(main())
