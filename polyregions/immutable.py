"""Shared helpers: immutable value objects and reading user files."""

import os
import types
from collections.abc import Callable
from typing import ClassVar, TypeVar

from .errors import PolyregionsError

__all__ = ["Immutable", "Memoized", "SlotValue", "FactoryBuilt", "new_from_slots", "read_text"]

_T = TypeVar("_T", bound="Immutable")
_M = TypeVar("_M", bound="Memoized")
_V = TypeVar("_V")


class Immutable:
    """Mixin for value objects: attributes are set once in ``__init__`` and never again.

    Subclasses declare ``__slots__`` and set attributes with
    ``object.__setattr__`` while constructing.

    Examples
    --------
    >>> from polyregions import Box
    >>> Box.cube(2, 0, 1).lower = (5, 5)
    Traceback (most recent call last):
        ...
    AttributeError: Box is immutable
    """

    __slots__: tuple[str, ...] = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle by the values of the slots, since unpickling cannot set them the usual way.

        What a :class:`Memoized` value derived is left out: it is made again on use.

        Examples
        --------
        >>> import pickle
        >>> from polyregions import ReluLayer
        >>> layer = ReluLayer([[1, 2]], ["1/3"])
        >>> pickle.loads(pickle.dumps(layer)) == layer
        True
        """
        state = {name: getattr(self, name) for klass in type(self).__mro__
                 for name in getattr(klass, "__slots__", ())
                 if name != "_derived" and hasattr(self, name)}
        state.update(getattr(self, "__dict__", {}))
        return _restore, (type(self), state)


def _restore(cls: type[_T], state: dict[str, object]) -> _T:
    instance = cls.__new__(cls)
    for name, value in state.items():
        object.__setattr__(instance, name, value)
    return instance


class Memoized(Immutable):
    """An immutable value that keeps what other parts derive from it (:meth:`derived`).

    Examples
    --------
    >>> from polyregions import ReluLayer
    >>> layer = ReluLayer([[1, 2]], [0])
    >>> isinstance(layer, Memoized), layer.derived(lambda layer: layer.units)
    (True, 1)
    """

    __slots__ = ("_derived",)
    _derived: dict[Callable[..., object], object]

    def derived(self: _M, make: Callable[[_M], _V]) -> _V:
        """``make(self)``, made on the first call and kept: the value never changes.

        For data that costs more to derive than to keep, such as the engine's
        integer rows of a layer with 784 inputs, which every region count of the
        network would otherwise make again.

        Examples
        --------
        >>> from polyregions import ReluLayer
        >>> layer = ReluLayer([[1, 2]], [0])
        >>> calls = []
        >>> def units(layer):
        ...     calls.append(1)
        ...     return layer.units
        >>> layer.derived(units), layer.derived(units), len(calls)
        (1, 1, 1)
        """
        try:
            memo = self._derived
        except AttributeError:
            memo = {}
            object.__setattr__(self, "_derived", memo)
        if make not in memo:
            memo[make] = make(self)
        return memo[make]  # type: ignore[return-value]


class SlotValue(Immutable):
    """An immutable value equal to another of its class whose slots are equal, and hashed by them.

    Examples
    --------
    >>> class Pair(SlotValue):
    ...     __slots__ = ("a", "b")
    ...     def __init__(self, a, b):
    ...         object.__setattr__(self, "a", a)
    ...         object.__setattr__(self, "b", b)
    >>> Pair(1, 2) == Pair(1, 2), Pair(1, 2) == Pair(2, 1), len({Pair(1, 2), Pair(1, 2)})
    (True, False, 1)
    """

    __slots__: tuple[str, ...] = ()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return all(getattr(self, s) == getattr(other, s) for s in self.__slots__)

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, s) for s in self.__slots__))


class FactoryBuilt(Immutable):
    """An immutable value that only its named factories build (calling the class is refused).

    Subclasses list the factories in `factories`, for the error message; a
    factory that trusts its parts builds the value with :func:`new_from_slots`.

    Examples
    --------
    >>> from polyregions import HPolytope
    >>> HPolytope()  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    TypeError: HPolytope is built with HPolytope.from_inequalities, HPolytope.box or ...
    >>> HPolytope.box([0, 0], [1, 1]).dim
    2
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

    Examples
    --------
    >>> from polyregions.geometry.polytope import HPolytope
    >>> new_from_slots(HPolytope, 1, ((0, 1), (1, -1)), ((1, 0), (1, 1)), (), ()).volume()
    Fraction(1, 1)
    """
    setters = _slot_setters.get(cls)
    if setters is None:
        setters = _slot_setters.setdefault(cls, _setters_of(cls))
    if len(values) != len(setters):
        raise ValueError(f"{cls.__name__} has {len(setters)} slots, not {len(values)} values")
    instance = cls.__new__(cls)
    for setter, value in zip(setters, values):
        setter(instance, value)
    return instance


# The slots' own descriptors set them past the class's refusing __setattr__, as
# object.__setattr__ does, without looking each name up again (a region makes several values).
_slot_setters: dict[type, tuple[Callable[[object, object], None], ...]] = {}


def _setters_of(cls: type[Immutable]) -> tuple[Callable[[object, object], None], ...]:
    def setter(name: str) -> Callable[[object, object], None]:
        descriptor = cls.__dict__.get(name)
        if isinstance(descriptor, types.MemberDescriptorType):
            return descriptor.__set__
        return lambda instance, value: object.__setattr__(instance, name, value)
    return tuple(setter(name) for name in cls.__slots__)


def read_text(path: str | os.PathLike[str], what: str, error: type[PolyregionsError]) -> str:
    """Return the text of the UTF-8 file `path`, or raise `error` with one clear line.

    `what` names the file in messages (``"model file"``, ``"polytope file"``).

    Examples
    --------
    >>> from polyregions.errors import ModelFormatError
    >>> read_text("missing.json", "model file", ModelFormatError)
    Traceback (most recent call last):
        ...
    polyregions.errors.ModelFormatError: model file not found: missing.json
    """
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        raise error(f"{what} not found: {path}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise error(f"cannot read {what} {path}: {err}") from None
