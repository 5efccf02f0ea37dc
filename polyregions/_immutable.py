"""Shared helpers: immutable value objects and reading user files."""

import os

from .errors import PolyregionsError

__all__ = ["Immutable", "read_text"]


class Immutable:
    """Mixin for value objects: attributes are set once in ``__init__`` and never again.

    Subclasses declare ``__slots__`` and set attributes with
    ``object.__setattr__`` while constructing.
    """

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")


def read_text(path: str | os.PathLike[str], what: str, error: type[PolyregionsError]) -> str:
    """Return the text of the UTF-8 file `path`, or raise `error` with one clear line.

    `what` names the file in messages (``"model file"``, ``"polytope file"``).
    """
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        raise error(f"{what} not found: {path}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise error(f"cannot read {what} {path}: {err}") from None
