"""``python -m polyregions.cli``: the ``polyregions`` command."""

import sys

from .main import main

if __name__ == "__main__":
    sys.exit(main())
