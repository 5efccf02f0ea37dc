// Counting the regions that a layer of two-piece units cuts a polygon into, without cutting it.
//
// Within a convex polygon R, each unit with two pieces splits along one line, the zero set of
// the difference of its pieces (or not at all). The regions of R are then the faces of a line
// arrangement restricted to R's interior, and adding the lines one by one gives their number:
// line j, where it meets the interior (an open chord of R), is cut by the earlier lines into
// k_j + 1 open segments, k_j being the number of distinct points of the chord where an earlier
// line crosses it, and each segment splits one face in two. So
//     faces = 1 + sum over distinct lines j of (1 + k_j),
// whatever the degeneracies: a line equal to an earlier one adds nothing, a line meeting R only on
// its boundary is not counted, parallel lines meet nowhere and concurrent lines meet once.
//
// Every fact comes from signs, each proven by the float filter's error bounds or decided
// exactly: the line's signs at the vertices give its chord's two ends on the boundary, two chords
// cross inside R iff their ends interleave along the boundary (ends on one edge are ordered by
// a 2x2 determinant of values at the edge's vertices), and the line i' of i' < i < j passes
// through the crossing of i and j iff the three chords cross pairwise and det(i', i, j) = 0.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "rows.hpp"

namespace polyregions {

// A walk's buffers for Kernel::count_line_faces, kept from one polygon to the next.
struct FaceScratch {
    std::vector<double> generators;  // the vertices' float images, 3 each
    std::vector<std::size_t> units;  // by line: its unit
    std::vector<double> values;      // by line and vertex: the cut's float value
    std::vector<int> signs;          // by line and vertex: the cut's exact sign
    std::vector<double> bounds;      // by line: one error bound of its values at every vertex
    std::vector<double> rows, errors;    // by line: the cut's float row (3) and one bound on its entries' errors
    std::vector<int> ends;               // by line: its chord's two ends (2k vertex k, 2k + 1 inside edge k)
    std::vector<std::optional<Row>> exact;  // by line: the exact cut, made when the floats settle nothing
    std::vector<char> cross;             // by pair of lines: their chords cross inside the polygon
    std::vector<char> kept;              // by line: no earlier line is the same
};

}  // namespace polyregions
