"""The exception hierarchy of polyregions.

Every error a user can cause by bad input is a :class:`PolyregionsError`, so a
caller (and the command line) can catch one base class and report its message.
"""

import importlib
import os
import pathlib
from types import ModuleType

__all__ = [
    "PolyregionsError",
    "UsageError",
    "NumberFormatError",
    "ModelFormatError",
    "PropertyError",
    "DomainError",
    "LimitReached",
    "ExportError",
    "CorruptFileError",
    "CertificateError",
    "BoundsError",
    "TrainingError",
    "ExecutionError",
    "MissingDependencyError",
    "install_command",
    "require_extra",
]


class PolyregionsError(Exception):
    """Base class of every error raised by polyregions on bad input or state."""


class UsageError(PolyregionsError, ValueError):
    """A function or a command was called with a bad argument (e.g. ``workers=0``).

    Also raised for an argument of the right type that the function cannot
    use: a partial enumeration where a complete one is needed, a network with
    one output where a classifier is needed.
    """


class NumberFormatError(PolyregionsError, ValueError):
    """A value cannot be read as an exact rational number."""


class ModelFormatError(PolyregionsError, ValueError):
    """A network model (file, dict or arrays) is malformed."""


class PropertyError(PolyregionsError, ValueError):
    """A VNN-LIB property (or a counterexample file) is malformed; the message names the line."""


class DomainError(PolyregionsError, ValueError):
    """A domain is malformed, empty, or not full-dimensional."""


class LimitReached(PolyregionsError):
    """A user-set limit (regions or time) stopped a computation early.

    `stop_reason` (``"max_regions"``, ``"time_limit"``, ``"interrupt"``) and
    `regions` (how many were found) say why and how far, when the raiser knows.

    Examples
    --------
    >>> err = LimitReached("stopped", stop_reason="time_limit", regions=12)
    >>> str(err), err.stop_reason, err.regions
    ('stopped', 'time_limit', 12)
    """

    def __init__(self, message: str, *, stop_reason: "str | None" = None,
                 regions: "int | None" = None) -> None:
        super().__init__(message)
        self.stop_reason = stop_reason
        self.regions = regions


class ExportError(PolyregionsError, ValueError):
    """A graph, region file or figure cannot be written or read back."""

    @classmethod
    def cannot_write(cls, path: "str | os.PathLike[str]", err: OSError) -> "ExportError":
        """The error for the OSError `err` met writing `path`: the path and the system's reason.

        Examples
        --------
        >>> ExportError.cannot_write("/proc/x", FileNotFoundError(2, "No such file or directory"))
        ExportError('cannot write /proc/x: No such file or directory')
        """
        return cls(f"cannot write {os.fspath(path)}: {err.strerror or err}")


class CorruptFileError(ExportError):
    """A stored file (region stream, checkpoint part) fails its own record count or checksum."""


class CertificateError(PolyregionsError, ValueError):
    """A certificate cannot be written (partial result) or read (malformed file)."""


class BoundsError(PolyregionsError, ValueError):
    """An architecture or a parameter of a bound is invalid (e.g. a width below 1)."""


class TrainingError(UsageError):
    """Bad training arguments (unknown task or init, widths that do not fit the data...)."""


class ExecutionError(PolyregionsError, RuntimeError):
    """A parallel run failed: worker processes kept dying, or a cluster cannot be reached."""


class MissingDependencyError(PolyregionsError, ImportError):
    """An optional dependency (an extra such as ``polyregions[dask]``) is not installed."""


# The folder holding the package: a source checkout when it also holds setup.cfg.
_CHECKOUT = pathlib.Path(__file__).resolve().parent.parent


def install_command(extra: str) -> str:
    """The command that installs the optional `extra` here, as error messages give it.

    In a source checkout (the package imported from a folder with ``setup.cfg``,
    as after ``make demo``) it is the checkout's own venv, editable:
    ``.venv/bin/pip install -e '.[dask]'``; elsewhere ``pip install 'polyregions[dask]'``.

    Examples
    --------
    >>> install_command("dask") in (".venv/bin/pip install -e '.[dask]'",
    ...                             "pip install 'polyregions[dask]'")
    True
    """
    if (_CHECKOUT / "setup.cfg").is_file():
        return f".venv/bin/pip install -e '.[{extra}]'"
    return f"pip install 'polyregions[{extra}]'"


def require_extra(module: str, extra: str, purpose: str) -> ModuleType:
    """Import `module`, or raise a one-line error saying how to install the `extra`.

    Parameters
    ----------
    module : str
        The module to import (``"matplotlib"``, ``"distributed"``).
    extra : str
        The extra of polyregions that brings it (``"plot"``, ``"dask"``).
    purpose : str
        What needs it, the start of the message (``"drawing figures"``).

    Raises
    ------
    MissingDependencyError
        "`purpose` needs `module`: `install command`", when the import fails.

    Examples
    --------
    >>> require_extra("json", "plot", "reading JSON").__name__
    'json'
    >>> require_extra("no_such_module_here", "plot", "drawing") # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    polyregions.errors.MissingDependencyError: drawing needs no_such_module_here: ...pip install ...
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(f"{purpose} needs {module}: {install_command(extra)}") from None
