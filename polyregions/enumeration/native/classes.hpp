// The classes a region may predict, for polyregions/analysis/decision.py: the
// outputs not below another output at every generator of the region (a line
// counts in both directions), an output identical to a lower-index one dropped.
// Exactly _ClassCells' classes before its full-dimensional test.
#pragma once

#include <vector>

#include "rows.hpp"

namespace polyregions {

std::vector<int> undominated_classes(const Rows& outputs, const Rows& points, const Rows& rays,
                                     const Rows& lines);

// The primitive rows of y_i - y_j for every class i of `classes` and every other output j,
// in that order (i, then j increasing): _ClassCells.difference of each pair.
Rows class_differences(const Rows& outputs, const std::vector<int>& classes);

}  // namespace polyregions
