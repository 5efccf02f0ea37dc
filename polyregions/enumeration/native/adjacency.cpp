// Adjacency tracked through the native walk (see adjacency.hpp and adjacency.py).
#include "adjacency.hpp"

#include <algorithm>
#include <optional>

namespace polyregions {

namespace {

Row negated(const Row& row) {
    Row out(row.size());
    for (std::size_t i = 0; i < row.size(); ++i) out[i] = -row[i];
    return out;
}

bool is_negation(const Row& a, const Row& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (mpz_cmpabs(a[i].get_mpz_t(), b[i].get_mpz_t()) != 0 || sgn(a[i]) != -sgn(b[i])) return false;
    return true;
}

void link(const NodePtr& a, const NodePtr& b, const Row& row, const PiecePtr& piece) {
    auto plane = std::make_shared<const Plane>(Plane{row, negated(row)});
    a->links.push_back({b, plane, false, piece});
    b->links.push_back({a, std::move(plane), true, piece});
}

// The facet of a cell on `row`, with the incidence of its vertices (adjacency._face).
PiecePtr face(const CellFacts& cell, const Row& row) {
    Rows points, rows;
    for (const Row& p : *cell.points)
        if (sgn(dot(row, p)) == 0) points.push_back(p);
    for (const Row& r : cell.facets)
        if (r != row) rows.push_back(r);
    return std::make_shared<const BoundedPolytope>(BoundedPolytope::from_generators(rows, points));
}

// A cut in terms of the distinct hyperplanes of a split: which one, and whether negated.
struct SignedCut {
    const Row* cut;
    std::size_t plane;
    bool negated;
};

// The sides of a piece against one hyperplane: positive at some vertex, negative at some.
struct Sides {
    bool known = false, positive = false, negative = false;
};

// The part of the piece where every cut is >= 0; nullptr if thinner (adjacency._clip).
PiecePtr clip(const PiecePtr& original, const std::vector<SignedCut>& cuts, int dim,
              std::vector<Sides>& sides, const Rows& planes) {
    std::optional<BoundedPolytope> piece;  // empty while the piece is the original
    for (const SignedCut& c : cuts) {
        if (!piece) {
            Sides& side = sides[c.plane];
            if (!side.known) {
                side.known = true;
                for (const Row& p : original->points()) {
                    const int s = sgn(dot(planes[c.plane], p));
                    side.positive |= s > 0;
                    side.negative |= s < 0;
                }
            }
            const bool positive = c.negated ? side.negative : side.positive;
            const bool negative = c.negated ? side.positive : side.negative;
            if (!positive) return nullptr;
            if (!negative) continue;
            piece = cut_polytope(*original, *c.cut, original->next_id(), dim);
        } else {
            const int id = piece->next_id();
            piece = cut_polytope(std::move(*piece), *c.cut, id, dim);
        }
        if (!piece) return nullptr;
    }
    if (!piece) return original;
    return std::make_shared<const BoundedPolytope>(std::move(*piece));
}

}  // namespace

std::vector<NodePtr> split_node(AdjacencyNode& parent, const std::vector<Candidate>& candidates,
                                const std::vector<std::size_t>& positions,
                                const std::vector<CellFacts>& cells, int dim) {
    std::vector<NodePtr> nodes(positions.size());
    for (NodePtr& node : nodes) node = std::make_shared<AdjacencyNode>();
    // Two cells meet in a facet on their cut when it is one of their facets.
    for (std::size_t b = 0; b < nodes.size(); ++b)
        for (std::size_t a = 0; a < b; ++a) {
            const Row& row = *candidates[positions[a]].cuts[positions[b] - 1];
            const Rows& facets = cells[a].facets;
            if (candidates.size() == 2 || std::find(facets.begin(), facets.end(), row) != facets.end())
                link(nodes[a], nodes[b], row, face(cells[a], row));
        }
    // The distinct hyperplanes of the cells' cuts (the cells share them with opposite signs).
    Rows planes;
    std::vector<std::vector<SignedCut>> signed_cuts;
    for (std::size_t position : positions) {
        std::vector<SignedCut> own;
        for (const RowPtr& shared : candidates[position].cuts) {
            const Row& cut = *shared;
            std::size_t p = 0;
            bool negated_plane = false;
            for (; p < planes.size(); ++p) {
                if (planes[p] == cut) break;
                if (is_negation(planes[p], cut)) { negated_plane = true; break; }
            }
            if (p == planes.size()) planes.push_back(cut);
            own.push_back({&cut, p, negated_plane});
        }
        signed_cuts.push_back(std::move(own));
    }
    const int piece_dim = dim - 1;
    std::vector<Link> links = std::move(parent.links);
    parent.links.clear();
    for (const Link& l : links) {
        AdjacencyNode& neighbour = *l.other;
        const bool alive = neighbour.index < 0;
        if (alive) {
            auto& theirs = neighbour.links;
            theirs.erase(std::find_if(theirs.begin(), theirs.end(),
                                      [&](const Link& m) { return m.other.get() == &parent; }));
        }
        std::vector<Sides> sides(planes.size());
        for (std::size_t k = 0; k < nodes.size(); ++k) {
            PiecePtr part = clip(l.piece, signed_cuts[k], piece_dim, sides, planes);
            if (!part) continue;
            nodes[k]->links.push_back({l.other, l.plane, l.flipped, part});
            if (alive) neighbour.links.push_back({nodes[k], l.plane, !l.flipped, part});
        }
    }
    return nodes;
}

std::vector<SharedPiece> finish_node(AdjacencyNode& node, long index) {
    node.index = index;
    std::vector<SharedPiece> shared;
    for (const Link& l : node.links)
        if (l.other->index >= 0) shared.push_back({l.other->index, l.other_row(), l.piece});
    std::sort(shared.begin(), shared.end(),
              [](const SharedPiece& a, const SharedPiece& b) { return a.region < b.region; });
    node.links.clear();
    return shared;
}

std::vector<std::vector<std::uint64_t>> face_masks(const BoundedPolytope& piece) {
    const std::size_t slots = piece.facet_ids().size(), words = (piece.points().size() + 63) / 64;
    std::vector<std::vector<std::uint64_t>> masks(slots, std::vector<std::uint64_t>(words, 0));
    for (std::size_t k = 0; k < piece.points().size(); ++k)
        for (int f : piece.incidence(k)) masks[f][k >> 6] |= std::uint64_t{1} << (k & 63);
    masks.erase(std::remove_if(masks.begin(), masks.end(),
                               [](const std::vector<std::uint64_t>& m) {
                                   return std::all_of(m.begin(), m.end(), [](std::uint64_t w) { return w == 0; });
                               }),
                masks.end());
    return masks;
}

}  // namespace polyregions
