"""polyregions: exact polyhedral geometry of piecewise-linear neural networks.

The main entry points::

    net = polyregions.load_network("model.json")
    cx = polyregions.enumerate_regions(net, polyregions.Box.cube(2, -3, 3))
    len(cx)          # the exact number of full-dimensional activation regions
"""

from .analysis.graph import boundary_facet_count, region_graph
from .domain import (
    Box,
    Domain,
    PolytopeDomain,
    Slice,
    WholeSpace,
    ball,
    domain_point_pattern,
    load_polytope,
)
from .enumeration.complex import Region, RegionComplex
from .enumeration.kernel import EngineOptions
from .enumeration.run import count_regions, enumerate_regions, iter_regions
from .errors import (
    BoundsError,
    CertificateError,
    DomainError,
    ExportError,
    LimitReached,
    ModelFormatError,
    NumberFormatError,
    PolyregionsError,
)
from .geometry.polytope import HPolytope
from .io.model import load_network, network_from_arrays, network_from_dict, network_to_dict, save_network
from .network import LeakyReluLayer, LinearLayer, MaxoutLayer, Network, ReluLayer
from .numbers import to_fraction

__version__ = "0.1.0"

__all__ = [
    "Box", "Domain", "PolytopeDomain", "Slice", "WholeSpace", "ball", "load_polytope",
    "Region", "RegionComplex", "HPolytope",
    "iter_regions", "enumerate_regions", "count_regions", "domain_point_pattern", "EngineOptions",
    "region_graph", "boundary_facet_count",
    "load_network", "save_network", "network_from_dict", "network_to_dict", "network_from_arrays",
    "Network", "MaxoutLayer", "ReluLayer", "LeakyReluLayer", "LinearLayer",
    "PolyregionsError", "ModelFormatError", "DomainError", "NumberFormatError", "LimitReached",
    "ExportError", "CertificateError", "BoundsError",
    "to_fraction",
]
