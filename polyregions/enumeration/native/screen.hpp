// Exact screening of one unit on one cell: reference._screen_unit in C++.
#pragma once

#include <vector>

#include "rows.hpp"

namespace polyregions {

// The cell of one piece: the region cut by cut . (1, x) >= 0 for every cut.
struct Candidate {
    int piece;
    SharedRows cuts;
};

struct UnitScreening {
    int winner;                      // -1 when the unit splits the cell
    std::vector<Candidate> cells;    // then one per piece still in the running, in order
};

// How the unit's pieces (rows over the domain) split a cell with these generators.
// Identical pieces are merged (the lowest index wins); a piece >= another at every
// generator makes the other's cell thin. `values` and `bounds`, when given, hold
// float values of piece k at generator g (index k * G + g) with proven error
// bounds (floats.hpp): they settle the comparisons they can, exact integers the rest.
UnitScreening screen_unit(const Rows& pieces, const std::vector<const Row*>& generators,
                          const double* values, const double* bounds);

}  // namespace polyregions
