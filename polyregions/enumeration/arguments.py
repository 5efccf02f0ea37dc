"""Checks of the arguments of a run, shared by serial and parallel runs.

They live below both :mod:`polyregions.enumeration.run` and
:mod:`polyregions.enumeration.parallel`, so that neither imports the other to
check a count or a number of seconds.
"""

from numbers import Integral, Real

from ..errors import UsageError

__all__ = ["check_positive_integer", "check_positive_seconds"]


def check_positive_integer(value: object, name: str) -> int:
    """`value` if it is an integer of at least 1, else a :class:`UsageError` naming `name`.

    ``True`` is not an integer here, and neither is ``2.0``: a count is never a float.

    Examples
    --------
    >>> check_positive_integer(3, "workers")
    3
    >>> check_positive_integer(2.5, "max_regions")
    Traceback (most recent call last):
    ...
    polyregions.errors.UsageError: max_regions must be an integer, got 2.5
    """
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise UsageError(f"{name} must be an integer, got {value!r}")
    if int(value) < 1:
        raise UsageError(f"{name} must be positive, got {value}")
    return int(value)


def check_positive_seconds(value: object, name: str) -> Real:
    """`value` if it is a real number of seconds above 0, else a :class:`UsageError`.

    Examples
    --------
    >>> check_positive_seconds(0.5, "time_limit")
    0.5
    >>> check_positive_seconds(-1, "time_limit")
    Traceback (most recent call last):
    ...
    polyregions.errors.UsageError: time_limit must be positive, got -1
    """
    if isinstance(value, bool) or not isinstance(value, Real):
        raise UsageError(f"{name} must be a number of seconds, got {value!r}")
    if value <= 0 or value != value:  # NaN, the one value unequal to itself, is refused too
        raise UsageError(f"{name} must be positive, got {value}")
    return value
