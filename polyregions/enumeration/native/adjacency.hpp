// Adjacency born in the refinement, inside the native walk: the native twin of
// polyregions/enumeration/adjacency.py (split and finish).
//
// Every live region of the walk has a node holding its links: for each region
// it shares an (n0 - 1)-dimensional piece of facet with, the hyperplane row
// (>= 0 on the holder) and the shared piece, a bounded polytope in domain
// coordinates. Both backends must give identical records, so every choice
// mirrors the Python code: the sibling faces built from the cells' reports, the
// cached sides of a piece against each hyperplane of a split, the clipping by
// one double-description step per cut (incidence.hpp) with the same facet ids.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "incidence.hpp"
#include "rows.hpp"
#include "screen.hpp"

namespace polyregions {

struct AdjacencyNode;
using NodePtr = std::shared_ptr<AdjacencyNode>;
using PiecePtr = std::shared_ptr<const BoundedPolytope>;

// A hyperplane row and its negation, shared by the two ends of every link across it.
struct Plane {
    Row row, negated;
};
using PlanePtr = std::shared_ptr<const Plane>;

// A link of a node: the neighbour, the row >= 0 on the holder, and the shared piece.
struct Link {
    NodePtr other;
    PlanePtr plane;
    bool flipped;  // the holder's row is plane->negated
    PiecePtr piece;

    const Row& row() const { return flipped ? plane->negated : plane->row; }
    const Row& other_row() const { return flipped ? plane->row : plane->negated; }
};

// A region's place in the adjacency: its links while it lives, then its index (-1 before).
// Links between live nodes go both ways (a cycle of owners): split and finish clear a
// node's links, and a walk that stops early clears those of the nodes it still holds.
struct AdjacencyNode {
    std::vector<Link> links;
    long index = -1;
};

// What a split cell contributes: its facets and vertices (Cell::facets(), Cell::points()).
struct CellFacts {
    Rows facets;
    const Rows* points;
};

// The facet a finished region shares with an earlier one (kernel.SharedFacet).
struct SharedPiece {
    long region;
    Row row;        // >= 0 on the earlier region
    PiecePtr piece;
};

// The nodes of the cells a split of `parent` made (adjacency.split): `candidates` are every
// candidate cell of the unit, `positions` those whose cell is not empty, `cells` their facts;
// `dim` is the domain's dimension. The parent's links move to the cells.
std::vector<NodePtr> split_node(AdjacencyNode& parent, const std::vector<Candidate>& candidates,
                                const std::vector<std::size_t>& positions,
                                const std::vector<CellFacts>& cells, int dim);

// Give a finished region its index; its shared facets with regions finished before it, by
// increasing index (adjacency.finish). The node keeps no links.
std::vector<SharedPiece> finish_node(AdjacencyNode& node, long index);

// For each facet row of `piece` whose vertex set is not empty, in the order of the rows, the
// bit mask of its vertices as 64-bit words, lowest first (adjacency._faces).
std::vector<std::vector<std::uint64_t>> face_masks(const BoundedPolytope& piece);

}  // namespace polyregions
