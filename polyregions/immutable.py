"""Shared helpers: immutable value objects and reading user files."""

import os
from typing import ClassVar, TypeVar

from .errors import PolyregionsError

__all__ = ["Immutable", "FactoryBuilt", "new_from_slots", "read_text"]

_T = TypeVar("_T", bound="Immutable")


class Immutable:
    """Mixin for value objects: attributes are set once in ``__init__`` and never again.

    Subclasses declare ``__slots__`` and set attributes with
    ``object.__setattr__`` while constructing.
    """

    __slots__: tuple[str, ...] = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")


class FactoryBuilt(Immutable):
    """An immutable value that only its named factories build (calling the class is refused).

    Subclasses list the factories in `factories`, for the error message; a
    factory that trusts its parts builds the value with :func:`new_from_slots`.
    """

    __slots__ = ()
    factories: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: object, **kwargs: object) -> None:
        *others, last = self.factories
        listed = f"{', '.join(others)} or {last}" if others else last
        raise TypeError(f"{type(self).__name__} is built with {listed}")


def new_from_slots(cls: type[_T], *values: object) -> _T:
    """An instance of `cls` holding `values` in the order of its ``__slots__``, without ``__init__``.

    For the factories that build a value from parts they trust: nothing is
    checked or copied.
    """
    instance = cls.__new__(cls)
    for name, value in zip(cls.__slots__, values, strict=True):
        object.__setattr__(instance, name, value)
    return instance


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
