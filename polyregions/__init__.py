"""polyregions: exact polyhedral geometry of piecewise-linear neural networks.

The main entry points::

    net = polyregions.load_network("model.json")
    cx = polyregions.enumerate_regions(net, polyregions.Box.cube(2, -3, 3))
    len(cx)          # the exact number of full-dimensional activation regions
    G = polyregions.region_graph(cx)
    polyregions.linear_regions(G), polyregions.decision_boundary(cx, G)

Every name here is defined in one module of a sub-package (``docs/api.md``
lists them); this namespace only gathers what the README and the docs use.
"""

from .analysis.decision import BoundaryPiece, DecisionBoundary, decision_boundary
from .analysis.genericity import genericity
from .analysis.graph import boundary_facet_count, region_graph
from .analysis.linear import linear_region_count, linear_regions
from .certify.certificate import certificate_dict, write_certificate
from .certify.verifier import VerificationReport, verify_certificate
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
    CorruptFileError,
    DomainError,
    ExecutionError,
    ExportError,
    LimitReached,
    MissingDependencyError,
    ModelFormatError,
    NumberFormatError,
    PolyregionsError,
    TrainingError,
    UsageError,
)
from .geometry.polytope import HPolytope
from .io.graph_file import read_graph, write_graph
from .io.model import load_network, save_network
from .network import (
    LeakyReluLayer,
    LinearLayer,
    MaxoutLayer,
    Network,
    ReluLayer,
    network_from_arrays,
    network_from_dict,
    network_to_dict,
)
from .numbers import to_fraction

__version__ = "0.1.0"

__all__ = [
    "Box", "Domain", "PolytopeDomain", "Slice", "WholeSpace", "ball", "load_polytope",
    "Region", "RegionComplex", "HPolytope",
    "iter_regions", "enumerate_regions", "count_regions", "domain_point_pattern", "EngineOptions",
    "region_graph", "boundary_facet_count", "linear_regions", "linear_region_count",
    "decision_boundary", "DecisionBoundary", "BoundaryPiece", "genericity",
    "write_graph", "read_graph",
    "certificate_dict", "write_certificate", "verify_certificate", "VerificationReport",
    "load_network", "save_network", "network_from_dict", "network_to_dict", "network_from_arrays",
    "Network", "MaxoutLayer", "ReluLayer", "LeakyReluLayer", "LinearLayer",
    "PolyregionsError", "UsageError", "ModelFormatError", "DomainError", "NumberFormatError",
    "LimitReached", "ExportError", "CorruptFileError", "CertificateError", "BoundsError",
    "TrainingError", "ExecutionError", "MissingDependencyError",
    "to_fraction",
]
