// Exact convex polygons, as polyregions/geometry/polygon.py keeps them:
// vertices in cyclic order and, for every i, the facet row of the edge from
// vertex i to vertex i + 1. Both functions mirror the Python ones step by
// step, so that they give the same vertices, in the same order, and the same
// edge rows.
#pragma once

#include "rows.hpp"

namespace polyregions {

struct Polygon {
    Rows points;  // cyclic order
    Rows edges;   // edges[i] runs from points[i] to points[i + 1]
};

// Order a bounded polygon's vertices cyclically (irredundant facet rows).
Polygon cyclic_polygon(const Rows& facets, const Rows& points);

enum class Clip { empty, unchanged, cut };

// The polygon cut by cut . (1, x) >= 0, into `out` when it is Clip::cut; Clip::empty
// when no vertex is strictly inside, Clip::unchanged when every vertex is inside.
Clip clip_polygon(const Polygon& polygon, const Row& cut, Polygon& out);

}  // namespace polyregions
