"""Every region's output map, composed by the native kernel when it is there.

The native kernel composes the layer maps of a pattern as its walk does
(``_native.LayerMaps``), keeping the maps of a pattern prefix for all the
regions that share it; the reference is
:attr:`~polyregions.enumeration.complex.Region.output_rows`, used with
``POLYREGIONS_KERNEL=python`` or without the extension. Both give the map in
lowest terms, a unique form, so they are equal.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from ..domain import Domain
from ..enumeration.complex import Region, RegionComplex
from ..enumeration.engine import LayerPlan
from ..enumeration.kernel import Rows
from ..errors import UsageError
from ..network import Network

__all__ = ["output_maps", "native_regions", "native_layer_maps", "LayerMaps", "native_maps_arguments",
           "BATCH", "batches", "with_output_maps"]

BATCH = 512
"""The native helpers take the regions in batches of this many: between batches the
callers report progress, which is where a deadline or Ctrl-C stops the work."""


def batches(count: int) -> range:
    """The first region of each batch of :data:`BATCH` among `count` regions.

    Examples
    --------
    >>> list(batches(1100))
    [0, 512, 1024]
    """
    return range(0, count, BATCH)


def _native_module() -> Any:
    """The native extension when the runs use the native kernel, else None."""
    from ..enumeration import native
    from ..enumeration.backends import kernel_name

    return native.load() if kernel_name() == "native" else None


def native_maps_arguments(result: RegionComplex) -> tuple[Any, ...] | None:
    """``(module, dim, layers, has_pattern, den, rows)`` for the native analysis helpers,
    or None when the run uses the reference kernel.

    Examples
    --------
    The arguments exist when the compiled kernel ran the enumeration:

    >>> from polyregions import Box, Network, ReluLayer, enumerate_regions
    >>> result = enumerate_regions(Network(2, [ReluLayer([[1, 0]], [0])]), Box.cube(2, -1, 1))
    >>> arguments = native_maps_arguments(result)
    >>> arguments is None or len(arguments) == 6
    True
    """
    module = _native_module()
    if module is None:
        return None
    plans = [LayerPlan.of(layer) for layer in result.network.layers]
    rows, den = result.domain.integer_input_map()
    return (module, result.domain.dim, [(p.rows, p.slices, p.den) for p in plans],
            [p.has_pattern for p in plans], den, rows)


def native_regions(result: RegionComplex) -> Any:
    """Every region's generators converted for the native helpers once, or None.

    A ``_native.RegionTable`` (region ``i`` of `result` is entry ``i``), which
    the decision boundary's classes and the genericity screen both read; None
    when the run uses the reference kernel.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, Box, enumerate_regions
    >>> table = native_regions(enumerate_regions(Network(1, [ReluLayer([[1]], [0])]), Box.cube(1, -1, 1)))
    >>> table is None or len(table) == 2
    True
    """
    module = _native_module()
    if module is None:
        return None
    table = module.RegionTable(result.domain.dim)
    table.extend((p.point_rows, p.ray_rows, p.line_rows) for p in (r.polytope for r in result))
    return table


@dataclass(frozen=True)
class LayerMaps:
    """The native layer maps of one enumeration's network and domain (:func:`native_layer_maps`).

    They compose maps for that network in that domain only: :meth:`of` refuses them
    for any other enumeration, which would otherwise get wrong maps silently.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, Box, enumerate_regions
    >>> net = Network(1, [ReluLayer([[1]], [0])])
    >>> maps = LayerMaps(net, Box.cube(1, -1, 1), native=None)  # as native_layer_maps makes them
    >>> other = enumerate_regions(net, Box.cube(1, -2, 2))
    >>> try:
    ...     maps.of(other)
    ... except UsageError as error:
    ...     print(error)
    layer_maps were made for another enumeration's network or domain
    """

    network: Network
    domain: Domain
    native: Any  # _native.LayerMaps

    def of(self, result: RegionComplex) -> Any:
        """The native maps, when they were made for `result`'s network and domain."""
        if self.network is not result.network or self.domain is not result.domain:
            raise UsageError("layer_maps were made for another enumeration's network or domain")
        return self.native

    @staticmethod
    def given(layer_maps: Any, result: RegionComplex) -> Any:
        """The native maps of a `layer_maps` argument for `result`; a one-line error for any
        value that is not a :class:`LayerMaps` of it."""
        if not isinstance(layer_maps, LayerMaps):
            raise UsageError(f"layer_maps must come from native_layer_maps, got {type(layer_maps).__name__}")
        return layer_maps.of(result)


def native_layer_maps(result: RegionComplex) -> "LayerMaps | None":
    """The native layer maps of `result`'s network and domain (``_native.LayerMaps``), or None.

    They keep the contexts they compose by pattern prefix: the output maps and the
    genericity screen (:func:`~polyregions.analysis.genericity.genericity`) given
    the same object compose each prefix once. None when the run uses the reference
    kernel.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, Box, enumerate_regions
    >>> result = enumerate_regions(Network(1, [ReluLayer([[1]], [0])]), Box.cube(1, -1, 1))
    >>> maps = native_layer_maps(result)
    >>> maps is None or output_maps(result, maps) == output_maps(result)
    True
    """
    arguments = native_maps_arguments(result)
    if arguments is None:
        return None
    module, *rest = arguments
    return LayerMaps(result.network, result.domain, module.LayerMaps(*rest))


def output_maps(result: RegionComplex, layer_maps: Any = None) -> list[tuple[int, Rows]]:
    """``region.output_rows`` of every region of `result`, in order.

    With the native kernel they are composed by `layer_maps` (made by
    :func:`native_layer_maps` when not given); :class:`~polyregions.errors.UsageError`
    when they were made for another enumeration.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, LinearLayer, Box, enumerate_regions
    >>> net = Network(1, [ReluLayer([[2]], [1]), LinearLayer([["1/4"]], [0])])
    >>> output_maps(enumerate_regions(net, Box.cube(1, -1, 1)))  # 0, then (1 + 2 x) / 4
    [(1, ((0, 0),)), (4, ((1, 2),))]
    """
    maps = native_layer_maps(result) if layer_maps is None else layer_maps
    if maps is None:
        return [region.output_rows for region in result]
    return LayerMaps.given(maps, result).outputs([region.pattern for region in result])


def with_output_maps(regions: Iterable[Region], network: Network,
                     domain: Domain) -> Iterator[tuple[Region, tuple[int, Rows]]]:
    """Each region of a stream with its output map ``(den, rows)``, composed a batch at a time.

    The native kernel composes a batch's maps sharing the layer prefixes of their
    patterns (:func:`output_maps`), several times faster than region by region; a
    batch of :data:`BATCH` regions keeps memory flat, so the regions may come
    from a stream (:class:`~polyregions.enumeration.run.LimitedRun`).

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, Box, iter_regions
    >>> net, box = Network(1, [ReluLayer([[2]], [1])]), Box.cube(1, -1, 1)
    >>> [rows for _, rows in with_output_maps(iter_regions(net, box), net, box)]  # 0, then 1 + 2 x
    [(1, ((0, 0),)), (1, ((1, 2),))]
    """
    layer_maps = native_layer_maps(RegionComplex(network, domain, ()))
    stream = iter(regions)
    while batch := list(islice(stream, BATCH)):
        yield from zip(batch, output_maps(RegionComplex(network, domain, batch), layer_maps))
