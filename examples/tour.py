"""A tour of the Python API on the small classifier shipped in examples/.

    python examples/tour.py [--quick]

Counts the activation regions in a box, shows one region exactly, builds the
region graph, and reads off linear regions and the decision boundary.
"""

import argparse
import pathlib

import polyregions as pr
from polyregions.analysis.decision import decision_boundary
from polyregions.analysis.linear import linear_regions

HERE = pathlib.Path(__file__).resolve().parent


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="(already quick; for the test suite)")
    parser.parse_args(argv)

    net = pr.load_network(HERE / "small_classifier.json")
    result = pr.enumerate_regions(net, pr.Box.cube(2, -2, 2))
    print(f"{len(result)} activation regions in [-2, 2]^2 ({result.bounded_count} bounded)")

    region = result[0]
    print("first region: pattern", region.pattern)
    print("  facets (b, a1, a2) meaning b + a.x >= 0:", region.polytope.rows)
    print("  vertices:", [tuple(str(c) for c in v) for v in region.polytope.vertices])
    print("  volume:", region.polytope.volume())
    matrix, offset = region.affine_map
    print("  logits on it: A =", [[str(a) for a in row] for row in matrix],
          "c =", [str(c) for c in offset])

    graph = pr.region_graph(result)
    print(f"{graph.number_of_edges()} shared facets, {pr.boundary_facet_count(graph)} on the boundary")
    print(f"{len(linear_regions(graph))} linear regions")
    boundary = decision_boundary(result, graph)
    print(f"decision boundary: {boundary.piece_count} pieces, {boundary.maximal_piece_count} maximal, "
          f"length {boundary.total_measure} = {float(boundary.total_measure):.6f}")
    return result, graph, boundary


if __name__ == "__main__":
    main()
