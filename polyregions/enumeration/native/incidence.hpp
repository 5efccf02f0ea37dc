// Bounded polytopes as vertices with facet incidence, cut by one integer
// double-description step: the native twin of polyregions/geometry/incidence.py.
//
// Both backends must produce the same cells, so every choice below mirrors the
// Python code: the kept vertices in their order, then one new vertex
// s w - t v (made primitive) for every adjacent pair (positive v, negative w)
// in the order (v, w) of the Python double loop; the facet ids in insertion
// order with the cut appended; a row is dropped when its vertex set is empty or
// a proper subset of another row's.
//
// Incidence is kept both ways as flat bitsets: for every vertex the set of
// facet slots it lies on, and for every facet slot the set of its vertices.
//
// A split cuts one polytope by c and then by -c (the two cells of a two-piece
// unit, the first two cells of any split): both cuts cross the same edges at the
// same primitive vertices, since s w - t v is the same vector for (c, v, w) and
// (-c, w, v). The first such cut leaves its values and new vertices with the
// polytope it read (a cache, invisible in every result); the opposite cut takes
// them instead of recomputing them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "rows.hpp"

namespace polyregions {

// What a cut of a polytope found, for the opposite cut of the same polytope.
struct CutMemo {
    Row cut;
    std::vector<Z> values;                                  // cut . (vertex k)
    std::vector<std::pair<std::size_t, std::size_t>> edges;  // (positive, negative) vertex, in order
    Rows fresh;                                              // the new vertex of each edge
};

// A polytope's memo: private to one object, so a copy starts without one.
class MemoSlot {
public:
    MemoSlot() = default;
    MemoSlot(const MemoSlot&) {}
    MemoSlot(MemoSlot&&) noexcept = default;
    MemoSlot& operator=(const MemoSlot&) { memo.reset(); return *this; }
    MemoSlot& operator=(MemoSlot&&) noexcept = default;
    std::unique_ptr<CutMemo> memo;
};

enum class CutOutcome { empty = 0, unchanged = 1, cut = 2 };

class BoundedPolytope {
public:
    // Irredundant facet rows and the vertices of the polytope; facet ids from first_id.
    static BoundedPolytope from_generators(const Rows& facets, const Rows& points, int first_id = 0);

    const Rows& points() const { return points_; }
    // The facet rows, in the order of their ids (insertion order, as the Python dict).
    Rows facet_rows() const { return rows_; }
    const Rows& facet_row_refs() const { return rows_; }
    const std::vector<int>& facet_ids() const { return ids_; }
    // max id + 1, or 0 without facets (IncidenceCell.cut uses max(rows) + 1).
    int next_id() const;
    // For vertex k, the slots (indices into facet_ids()) of the facets it lies on, ascending.
    std::vector<int> incidence(std::size_t k) const;
    // A cut keeps the vertices it does not cut off, in order, then appends the new ones: for
    // each kept vertex, its index among the points of the polytope it was cut from (empty for
    // a polytope made from generators).
    const std::vector<std::size_t>& kept_from() const { return kept_from_; }

private:
    friend CutOutcome cut_polytope(const BoundedPolytope&, const Row&, int, int, BoundedPolytope&);
    friend CutOutcome cut_polytope(BoundedPolytope&&, const Row&, int, int, BoundedPolytope&);
    friend CutOutcome cut_polytope_before_opposite(BoundedPolytope&, const Row&, int, int, BoundedPolytope&);
    // The cut into `out` (see incidence.cpp); `take`, when given, is `poly` itself and may be emptied.
    static int cut_into(const BoundedPolytope& poly, BoundedPolytope* take, const Row& cut, int cut_id,
                        int dim, BoundedPolytope& out, bool strict_only = false);

    Rows points_;
    std::vector<int> ids_;              // facet ids, insertion order
    Rows rows_;                         // facet rows, parallel to ids_
    std::size_t fwords_ = 0;            // 64-bit words of a facet-slot set
    std::size_t vwords_ = 0;            // 64-bit words of a vertex set
    std::vector<std::uint64_t> inc_;    // vertex k: facet slots, words [k * fwords_, (k + 1) * fwords_)
    std::vector<std::uint64_t> on_;     // slot f: vertices, words [f * vwords_, (f + 1) * vwords_)
    std::vector<std::size_t> kept_from_;  // see kept_from()
    mutable MemoSlot memo_;             // the last two-sided cut of this polytope, until its opposite
};

// The part of `poly` where cut . (1, x) >= 0 into `out`, unless it is empty (no vertex
// strictly inside) or `poly` itself (the cut is redundant; `out` untouched).
CutOutcome cut_polytope(const BoundedPolytope& poly, const Row& cut, int cut_id, int dim,
                        BoundedPolytope& out);
// The same, taking `poly` apart when the cut changes it (and only then).
CutOutcome cut_polytope(BoundedPolytope&& poly, const Row& cut, int cut_id, int dim,
                        BoundedPolytope& out);

// The first cut of a split: the same as cut_polytope(poly, cut, ...), for a polytope whose only
// later use is the opposite cut (by -cut): when the cut changes it, the vertices strictly inside
// move into `out` (the opposite cut drops them; the rest of `poly` stays as it was).
CutOutcome cut_polytope_before_opposite(BoundedPolytope& poly, const Row& cut, int cut_id, int dim,
                                        BoundedPolytope& out);

// Whether a == -b, entry by entry.
bool opposite(const Row& a, const Row& b);

// The part of `poly` where cut . (1, x) >= 0; the cut's facet id is cut_id.
// nullopt when no vertex is strictly inside; `poly` unchanged when the cut is redundant.
std::optional<BoundedPolytope> cut_polytope(const BoundedPolytope& poly, const Row& cut, int cut_id,
                                            int dim);
// The same, taking `poly` apart: its kept vertices are moved, not copied.
std::optional<BoundedPolytope> cut_polytope(BoundedPolytope&& poly, const Row& cut, int cut_id,
                                            int dim);

}  // namespace polyregions
