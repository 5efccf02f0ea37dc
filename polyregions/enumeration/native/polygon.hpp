// Exact convex polygons, as polyregions/geometry/polygon.py keeps them:
// vertices in cyclic order and, for every i, the facet row of the edge from
// vertex i to vertex i + 1. Both functions mirror the Python ones step by
// step, so that they give the same vertices, in the same order, and the same
// edge rows.
#pragma once

#include <optional>

#include "rows.hpp"

namespace polyregions {

struct Polygon {
    Rows points;  // cyclic order
    Rows edges;   // edges[i] runs from points[i] to points[i + 1]
};

// Order a bounded polygon's vertices cyclically (irredundant facet rows).
Polygon cyclic_polygon(const Rows& facets, const Rows& points);

// The polygon cut by cut . (1, x) >= 0; nullopt when no vertex is strictly inside.
std::optional<Polygon> clip_polygon(const Polygon& polygon, const Row& cut);

}  // namespace polyregions
