"""Kernel backends by name (see :mod:`polyregions.enumeration.kernel` for the contract).

Two backends exist: ``"python"``, the reference (:mod:`polyregions.enumeration.reference`),
and ``"native"``, the compiled one (:mod:`polyregions.enumeration.native`). A run
takes the backend named by ``EngineOptions(kernel=...)``; when that is None, the
one named by the environment variable ``POLYREGIONS_KERNEL`` (unset or empty:
none); else the default, ``"native"``. An unknown name is a
:class:`~polyregions.errors.UsageError` before any work, naming where it came from.

When the native extension is missing or broken (it does not import, or its
self-check fails), a run that asks for it, by name or by default, uses the
reference instead and says so in one line on stderr, once per process::

    polyregions: native kernel unavailable (ImportError: ...); using the Python reference kernel

Never a wrong answer: both backends give the same regions in the same order.
``POLYREGIONS_KERNEL=python`` (or ``EngineOptions(kernel="python")``) selects the
reference without a word.

Examples
--------
>>> kernel_names()
('python', 'native')
>>> resolve_options(EngineOptions(kernel="python", float_filter=False))
EngineOptions(kernel='python', polygon_path=True, incidence_path=True, float_filter=False, adjacency=False)
>>> kernel_name("fortran")
Traceback (most recent call last):
...
polyregions.errors.UsageError: unknown kernel backend 'fortran' (EngineOptions.kernel); known: python, native
"""

import dataclasses
import os
import sys
from typing import Any

from ..errors import UsageError
from . import native
from .kernel import EngineOptions, KernelBackend, KernelFactory, KernelSetup
from .reference import LayerContext, ReferenceCell, ReferenceKernel

__all__ = ["KERNEL_VARIABLE", "DEFAULT_KERNEL", "kernel_names", "kernel_name", "resolve_options",
           "build_kernel", "native_available"]

KERNEL_VARIABLE = "POLYREGIONS_KERNEL"
DEFAULT_KERNEL = "native"

_warned = False


def _reference(setup: KernelSetup) -> KernelBackend[ReferenceCell, LayerContext]:
    # Typed with the reference's own cell and context, so that a type checker holds the
    # reference backend to the contract method by method.
    return ReferenceKernel(setup)


def _native(setup: KernelSetup) -> KernelBackend[Any, Any]:
    if not native_available():
        return _reference(setup)
    return native.NativeKernel(setup)


_FACTORIES: dict[str, KernelFactory] = {"python": _reference, "native": _native}


def native_available() -> bool:
    """Whether the native kernel loads and passes its self-check; warns once when it does not.

    Examples
    --------
    The compiled kernel is used when it loads; the Python one always works:

    >>> native_available() in (True, False)
    True
    """
    global _warned
    reason = native.unavailable_reason()
    if reason is not None and not _warned:
        _warned = True
        print(f"polyregions: native kernel unavailable ({reason}); using the Python reference kernel",
              file=sys.stderr)
    return reason is None


def kernel_names() -> tuple[str, ...]:
    """The names of the backends this installation has.

    Examples
    --------
    >>> "python" in kernel_names()
    True
    """
    return tuple(_FACTORIES)


def kernel_name(requested: str | None = None) -> str:
    """The backend a run uses: `requested`, else ``$POLYREGIONS_KERNEL``, else ``"native"``.

    Raises
    ------
    UsageError
        When the name is not one of :func:`kernel_names`.

    Examples
    --------
    >>> kernel_name("python")
    'python'
    """
    source = "EngineOptions.kernel"
    if requested is None:
        requested, source = os.environ.get(KERNEL_VARIABLE) or DEFAULT_KERNEL, KERNEL_VARIABLE
    if requested not in _FACTORIES:
        raise UsageError(f"unknown kernel backend {requested!r} ({source}); "
                         f"known: {', '.join(_FACTORIES)}")
    return requested


def resolve_options(options: EngineOptions | None) -> EngineOptions:
    """`options` (the defaults when None) with the backend's name looked up and checked.

    Raises
    ------
    UsageError
        When `options` is not an :class:`EngineOptions` or names no known backend.

    Examples
    --------
    >>> resolve_options(EngineOptions(kernel="python")).kernel
    'python'
    """
    if options is None:
        options = EngineOptions()
    elif not isinstance(options, EngineOptions):
        raise UsageError(f"options must be an EngineOptions, got {options!r}")
    return dataclasses.replace(options, kernel=kernel_name(options.kernel))


def build_kernel(setup: KernelSetup) -> KernelBackend[Any, Any]:
    """The backend of ``setup.options`` (resolved as by :func:`resolve_options`), built for `setup`.

    A native backend that is unavailable is the reference (see the module docstring).

    Examples
    --------
    >>> from polyregions import Box, Network, ReluLayer
    >>> from polyregions.enumeration.engine import prepare
    >>> net = Network(2, [ReluLayer([[1, 0]], [0])])
    >>> job, _ = prepare(net, Box.cube(2, -1, 1), EngineOptions(kernel="python"))
    >>> type(job.kernel).__name__        # prepare builds the kernel with build_kernel
    'ReferenceKernel'
    """
    return _FACTORIES[kernel_name(setup.options.kernel)](setup)
