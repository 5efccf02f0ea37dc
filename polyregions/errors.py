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
    """Base class of every error raised by polyregions on bad input or state.

    Examples
    --------
    One ``except`` clause catches them all, with a one-line message:

    >>> from polyregions import Box
    >>> try:
    ...     Box([1], [0])
    ... except PolyregionsError as err:
    ...     print(err)
    box axis 0: lower bound 1 is not below upper bound 0
    """


class UsageError(PolyregionsError, ValueError):
    """A function or a command was called with a bad argument (e.g. ``workers=0``).

    Also raised for an argument of the right type that the function cannot
    use: a partial enumeration where a complete one is needed, a network with
    one output where a classifier is needed.


    Examples
    --------
    >>> from polyregions import Box, count_regions
    >>> from polyregions.data import default_network
    >>> count_regions(default_network(), Box.cube(2, -1, 1), workers=0)
    Traceback (most recent call last):
        ...
    polyregions.errors.UsageError: workers must be positive, got 0
    """


class NumberFormatError(PolyregionsError, ValueError):
    """A value cannot be read as an exact rational number.

    Examples
    --------
    >>> from polyregions import to_fraction
    >>> to_fraction("1/0")
    Traceback (most recent call last):
        ...
    polyregions.errors.NumberFormatError: value '1/0' divides by zero
    """


class ModelFormatError(PolyregionsError, ValueError):
    """A network model (file, dict or arrays) is malformed.

    Examples
    --------
    >>> from polyregions import network_from_dict
    >>> network_from_dict({"format": "onnx"})
    Traceback (most recent call last):
        ...
    polyregions.errors.ModelFormatError: unknown model format 'onnx', expected 'polyregions/network-v1'
    """


class PropertyError(PolyregionsError, ValueError):
    """A VNN-LIB property (or a counterexample file) is malformed; the message names the line.

    Examples
    --------
    >>> from polyregions.io.vnnlib import parse_property
    >>> parse_property("(assert")
    Traceback (most recent call last):
        ...
    polyregions.errors.PropertyError: <string>: line 1: unbalanced parentheses: '(' is never closed
    """


class DomainError(PolyregionsError, ValueError):
    """A domain is malformed, empty, or not full-dimensional.

    Examples
    --------
    >>> from polyregions import Box
    >>> Box([1], [0])
    Traceback (most recent call last):
        ...
    polyregions.errors.DomainError: box axis 0: lower bound 1 is not below upper bound 0
    """


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
    """A graph, region file or figure cannot be written or read back.

    Examples
    --------
    >>> import networkx as nx
    >>> from polyregions import write_graph
    >>> write_graph(nx.Graph(), "regions.xyz")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    polyregions.errors.ExportError: cannot write a graph as '.xyz' (regions.xyz): use ...
    """

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
    """A stored file (region stream, checkpoint part) fails its own record count or checksum.

    Examples
    --------
    It is an :class:`ExportError`, so one clause catches every file problem:

    >>> issubclass(CorruptFileError, ExportError)
    True
    """


class CertificateError(PolyregionsError, ValueError):
    """A certificate cannot be written (partial result) or read (malformed file).

    Examples
    --------
    >>> from polyregions import Box, enumerate_regions, write_certificate
    >>> from polyregions.data import default_network
    >>> partial = enumerate_regions(default_network(), Box.cube(2, -3, 3), max_regions=5)
    >>> write_certificate(partial, "cert.json")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    polyregions.errors.CertificateError: refusing to certify a partial result ...
    """


class BoundsError(PolyregionsError, ValueError):
    """An architecture or a parameter of a bound is invalid (e.g. a width below 1).

    Examples
    --------
    >>> from polyregions.bounds import architecture_max_regions
    >>> architecture_max_regions([2, 0], [2])
    Traceback (most recent call last):
        ...
    polyregions.errors.BoundsError: width n1 must be at least 1, got 0
    """


class TrainingError(UsageError):
    """Bad training arguments (unknown task or init, widths that do not fit the data...).

    Examples
    --------
    >>> from polyregions.params.train import make_task
    >>> make_task("spiral")
    Traceback (most recent call last):
        ...
    polyregions.errors.TrainingError: unknown task 'spiral'; choose one of moons, xor, circles, blobs, digits
    """


class ExecutionError(PolyregionsError, RuntimeError):
    """A parallel run failed: worker processes kept dying, or a cluster cannot be reached.

    Examples
    --------
    It is a :class:`RuntimeError` too, for callers that catch those:

    >>> issubclass(ExecutionError, RuntimeError) and issubclass(ExecutionError, PolyregionsError)
    True
    """


class MissingDependencyError(PolyregionsError, ImportError):
    """An optional dependency (an extra such as ``polyregions[dask]``) is not installed.

    Examples
    --------
    It is an :class:`ImportError` too, so ``except ImportError`` code keeps working:

    >>> issubclass(MissingDependencyError, ImportError)
    True
    """


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
