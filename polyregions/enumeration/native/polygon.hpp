// Exact convex polygons, as polyregions/geometry/polygon.py keeps them:
// vertices in cyclic order and, for every i, the facet row of the edge from
// vertex i to vertex i + 1. Both functions mirror the Python ones step by
// step, so that they give the same vertices, in the same order, and the same
// edge rows.
//
// Vertices and edge rows are immutable and shared: a cut polygon holds the
// vertices and edges it keeps of its parent, not copies of them. Each vertex
// carries its scaled float image (floats.hpp's generator_doubles), made once,
// from which clipping certifies the signs of a cut at the vertices; exact
// integers settle the signs the floats cannot. A new vertex is kept as a
// positive multiple of its row (signs and float images do not see the
// difference) and made primitive only when its rows are asked for.
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "rows.hpp"

namespace polyregions {

// A vertex (q, x, y), q > 0: a positive multiple of the primitive row unless `primitive`.
// One made in machine integers keeps its entries as __int128 and makes its GMP row only when
// an exact test or a report asks for it.
class Vertex {
  public:
    explicit Vertex(Row row, bool primitive = true);
    // From 128-bit entries, with its float image already made (the same scaling, each entry
    // within a relative 2^-52).
    Vertex(const __int128* entries, const double* image, bool primitive);

    const Row& row() const;
    // The primitive row (the row itself when it is).
    Row primitive_row() const;

    double image[3];  // the row as doubles, scaled by one power of two (largest entry in [1/2, 1))
    bool primitive;

  private:
    __int128 entries_[3] = {0, 0, 0};
    mutable bool made_;  // whether row_ holds the row
    mutable Row row_;
};
using VertexPtr = std::shared_ptr<const Vertex>;

struct Polygon {
    std::vector<VertexPtr> points;  // cyclic order
    std::vector<RowPtr> edges;      // edges[i] runs from points[i] to points[i + 1]

    // The polygon of these vertices, in cyclic order, and edge rows (edges[i] from i to i + 1).
    static Polygon from_rows(const Rows& points, const Rows& edges);
    Rows point_rows() const;  // primitive
    Rows edge_rows() const;
};

// Order a bounded polygon's vertices cyclically (irredundant facet rows).
Polygon cyclic_polygon(const Rows& facets, const Rows& points);

enum class Clip { empty, unchanged, cut };

// The polygon cut by cut . (1, x) >= 0, into `out` when it is Clip::cut; Clip::empty
// when no vertex is strictly inside, Clip::unchanged when every vertex is inside. The new
// edge is `cut` itself, shared.
Clip clip_polygon(const Polygon& polygon, const RowPtr& cut, Polygon& out);

// (clip_polygon(polygon, cut, first), clip_polygon(polygon, opposite, second)) for the opposite
// of the cut (its negation), from one pass over the vertices: the two sides share the new
// vertices and, like every polygon cut by that line, the edge rows `cut` and `opposite`.
// `known`, when given, holds by vertex the sign of cut . vertex, or 2 where it is unknown (then
// certified here as without it).
std::pair<Clip, Clip> split_polygon(const Polygon& polygon, const RowPtr& cut, const RowPtr& opposite,
                                    Polygon& first, Polygon& second, const int* known = nullptr);

// The sign of cut . vertex: from the float images when their error bound settles it (cut_image
// is the cut row scaled as a vertex's image is), else exactly.
int vertex_sign(const Row& cut, const double* cut_image, const Vertex& vertex);

}  // namespace polyregions
