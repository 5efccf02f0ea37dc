// Any full-dimensional cell, bounded or not, as facets and generators, cut by
// cddlib's GMP double description: the native twin of DescriptionCell.cut in
// polyregions/enumeration/reference.py (double_description, is_full_dimensional
// and facet_rows of polyregions/geometry/polytope.py).
//
// cddlib is called as pycddlib 3 calls it (same matrix, same options), so the
// generators come out in the same order as in Python.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

#include "rows.hpp"

namespace polyregions {

// A cddlib failure (an error code from dd_DDMatrix2Poly and friends), never an abort.
class CddError : public std::runtime_error {
public:
    explicit CddError(const std::string& what) : std::runtime_error(what) {}
};

struct Description {
    Rows facets, points, rays, lines;
};

struct Generators {
    Rows points, rays, lines;
};

// The generators of {x in R^dim : r . (1, x) >= 0 for r in rows}, primitive rows
// (polytope.double_description); all empty when the set is empty.
Generators double_description(const Rows& rows, int dim);

// The rows that define facets, identical rows merged, first appearance kept (polytope.facet_rows).
Rows facet_rows(const Rows& rows, const Rows& points, const Rows& rays);

// Whether every row with a linear part is strict at some generator (polytope.is_full_dimensional).
bool is_full_dimensional(const Rows& rows, const Rows& points, const Rows& rays);

// The domain as a cell: its facets and generators taken as they are.
Description from_domain(Rows facets, Rows points, Rows rays, Rows lines);

// The part of `cell` where every row of `cuts` is >= 0; nullopt when it has no interior.
std::optional<Description> cut_description(const Description& cell, const Rows& cuts, int dim);

}  // namespace polyregions
