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

}  // namespace polyregions
