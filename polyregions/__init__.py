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

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Where each name of the flat namespace is defined. Modules are imported on first use of one of
#: their names, so that ``import polyregions`` and ``polyregions --version`` stay fast (sympy,
#: networkx and the analyses load only when needed).
_HOMES = {
    "Box": "domain", "Domain": "domain", "PolytopeDomain": "domain", "Slice": "domain",
    "WholeSpace": "domain", "ball": "domain", "load_polytope": "domain",
    "domain_point_pattern": "domain",
    "Region": "enumeration.complex", "RegionComplex": "enumeration.complex",
    "HPolytope": "geometry.polytope",
    "iter_regions": "enumeration.run", "enumerate_regions": "enumeration.run",
    "count_regions": "enumeration.run",
    "EngineOptions": "enumeration.kernel",
    "region_graph": "analysis.graph", "boundary_facet_count": "analysis.graph",
    "linear_regions": "analysis.linear", "linear_region_count": "analysis.linear",
    "decision_boundary": "analysis.decision", "DecisionBoundary": "analysis.decision",
    "BoundaryPiece": "analysis.decision",
    "genericity": "analysis.genericity",
    "write_graph": "io.graph_file", "read_graph": "io.graph_file",
    "certificate_dict": "certify.certificate", "write_certificate": "certify.certificate",
    "verify_certificate": "certify.verifier", "VerificationReport": "certify.verifier",
    "load_network": "io.model", "save_network": "io.model",
    "network_from_dict": "network", "network_to_dict": "network", "network_from_arrays": "network",
    "Network": "network", "MaxoutLayer": "network", "ReluLayer": "network",
    "LeakyReluLayer": "network", "LinearLayer": "network",
    "PolyregionsError": "errors", "UsageError": "errors", "ModelFormatError": "errors",
    "DomainError": "errors", "NumberFormatError": "errors", "LimitReached": "errors",
    "ExportError": "errors", "CorruptFileError": "errors", "CertificateError": "errors",
    "BoundsError": "errors", "TrainingError": "errors", "ExecutionError": "errors",
    "MissingDependencyError": "errors",
    "to_fraction": "numbers",
}

__all__ = [  # the keys of _HOMES (a test checks it)
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

if TYPE_CHECKING:  # the same names, for type checkers and editors
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


def __getattr__(name: str) -> Any:
    try:
        home = _HOMES[name]
    except KeyError:
        raise AttributeError(f"module 'polyregions' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
