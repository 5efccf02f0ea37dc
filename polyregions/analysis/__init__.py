"""What users study on the region graph: linear regions and the decision boundary.

Functions take the graph of :func:`polyregions.region_graph`.
"""

from .decision import BoundaryPiece, DecisionBoundary, decision_boundary
from .linear import linear_region_count, linear_regions

__all__ = [
    "linear_regions",
    "linear_region_count",
    "decision_boundary",
    "DecisionBoundary",
    "BoundaryPiece",
]
