// The integer double-description step on bounded polytopes (see incidence.hpp).
#include "incidence.hpp"

#include <algorithm>
#include <utility>

namespace polyregions {

namespace {

using Word = std::uint64_t;

std::size_t words_for(std::size_t bits) { return (bits + 63) / 64; }
void put(Word* set, std::size_t i) { set[i >> 6] |= Word{1} << (i & 63); }

int popcount(const Word* set, std::size_t n) {
    int c = 0;
    for (std::size_t w = 0; w < n; ++w) c += __builtin_popcountll(set[w]);
    return c;
}

// Call f(i) for every member i of the set, ascending.
template <class F>
void for_each_member(const Word* set, std::size_t n, F f) {
    for (std::size_t w = 0; w < n; ++w)
        for (Word b = set[w]; b; b &= b - 1) f(w * 64 + static_cast<std::size_t>(__builtin_ctzll(b)));
}

// The transposed incidence: for each of `slots` facets the set of vertices on it.
std::vector<Word> vertex_sets(const std::vector<Word>& inc, std::size_t vertices, std::size_t fwords,
                              std::size_t slots, std::size_t vwords) {
    std::vector<Word> on(slots * vwords, 0);
    for (std::size_t k = 0; k < vertices; ++k)
        for_each_member(&inc[k * fwords], fwords, [&](std::size_t f) { put(&on[f * vwords], k); });
    return on;
}

// Whether the vertices on facet f are a proper subset of those on some other facet.
bool dominated(const std::vector<Word>& on, const std::vector<int>& count, std::size_t f,
               std::size_t vwords) {
    const Word* m = &on[f * vwords];
    for (std::size_t g = 0; g < count.size(); ++g) {
        if (count[g] <= count[f]) continue;  // a proper superset has more vertices
        const Word* o = &on[g * vwords];
        bool inside = true;
        for (std::size_t w = 0; w < vwords && inside; ++w) inside = (m[w] & ~o[w]) == 0;
        if (inside) return true;
    }
    return false;
}

// make_primitive, with the gcd started on the shortest entry: a new vertex's
// entries have hundreds of bits and a gcd of a few, so only the first gcd runs
// at full length; entries equal to the running gcd up to sign (a vertex on a box
// facet x_i = +-1 has p_i = +-q) and zeros cost nothing.
void make_primitive_shortest_first(Row& r) {
    std::size_t first = 0;
    for (std::size_t i = 1; i < r.size(); ++i)
        if (sgn(r[first]) == 0 || (sgn(r[i]) != 0 && mpz_cmpabs(r[i].get_mpz_t(), r[first].get_mpz_t()) < 0))
            first = i;
    Z g = abs(r[first]);
    for (std::size_t i = 0; i < r.size() && g > 1; ++i)
        if (i != first && sgn(r[i]) != 0 && mpz_cmpabs(r[i].get_mpz_t(), g.get_mpz_t()) != 0)
            mpz_gcd(g.get_mpz_t(), g.get_mpz_t(), r[i].get_mpz_t());
    if (g <= 1) return;
    for (Z& v : r) mpz_divexact(v.get_mpz_t(), v.get_mpz_t(), g.get_mpz_t());
}

}  // namespace

BoundedPolytope BoundedPolytope::from_generators(const Rows& facets, const Rows& points, int first_id) {
    BoundedPolytope p;
    p.points_ = points;
    p.rows_ = facets;
    p.ids_.resize(facets.size());
    for (std::size_t i = 0; i < facets.size(); ++i) p.ids_[i] = first_id + static_cast<int>(i);
    p.fwords_ = words_for(facets.size());
    p.vwords_ = words_for(points.size());
    p.inc_.assign(points.size() * p.fwords_, 0);
    for (std::size_t k = 0; k < points.size(); ++k)
        for (std::size_t f = 0; f < facets.size(); ++f)
            if (sgn(dot(facets[f], points[k])) == 0) put(&p.inc_[k * p.fwords_], f);
    p.on_ = vertex_sets(p.inc_, points.size(), p.fwords_, facets.size(), p.vwords_);
    return p;
}

int BoundedPolytope::next_id() const {
    return ids_.empty() ? 0 : *std::max_element(ids_.begin(), ids_.end()) + 1;
}

std::vector<int> BoundedPolytope::incidence(std::size_t k) const {
    std::vector<int> out;
    for_each_member(&inc_[k * fwords_], fwords_, [&](std::size_t f) { out.push_back(static_cast<int>(f)); });
    return out;
}

namespace {

// Whether a == -b, entry by entry.
bool opposite(const Row& a, const Row& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (sgn(a[i]) != -sgn(b[i]) || mpz_cmpabs(a[i].get_mpz_t(), b[i].get_mpz_t()) != 0) return false;
    return true;
}

// The primitive s u - t v of the edge (v, u), s = cut . v > 0, t = cut . u < 0.
Row edge_vertex(const Z& s, const Row& v, const Z& t, const Row& u) {
    Row vertex(v.size());
    for (std::size_t c = 0; c < v.size(); ++c) {
        mpz_mul(vertex[c].get_mpz_t(), s.get_mpz_t(), u[c].get_mpz_t());
        mpz_submul(vertex[c].get_mpz_t(), t.get_mpz_t(), v[c].get_mpz_t());
    }
    make_primitive_shortest_first(vertex);
    return vertex;
}

}  // namespace

// The cut of `poly` into `out`: 0 when nothing is strictly inside, 1 when the cut
// is redundant (out untouched), 2 when `out` holds the cut polytope. With `take`
// (which is `poly`) the kept vertices and the rows are moved into `out`.
int BoundedPolytope::cut_into(const BoundedPolytope& poly, BoundedPolytope* take, const Row& cut,
                              int cut_id, int dim, BoundedPolytope& out) {
    const std::size_t nv = poly.points_.size(), nf = poly.ids_.size(), fw = poly.fwords_,
                      vw = poly.vwords_;
    // The opposite of the memo's cut: the same values negated, the same edges and vertices.
    std::unique_ptr<CutMemo> memo;
    if (poly.memo_.memo && opposite(poly.memo_.memo->cut, cut)) memo = std::move(poly.memo_.memo);
    std::vector<Z> values = memo ? std::move(memo->values) : std::vector<Z>(nv);
    std::vector<int> sign_of(nv);
    bool any_positive = false, any_negative = false;
    for (std::size_t k = 0; k < nv; ++k) {
        if (memo) mpz_neg(values[k].get_mpz_t(), values[k].get_mpz_t());
        else values[k] = dot(cut, poly.points_[k]);
        sign_of[k] = sgn(values[k]);
        any_positive |= sign_of[k] > 0;
        any_negative |= sign_of[k] < 0;
    }
    if (!any_positive) return 0;
    if (!any_negative) return 1;

    // The cut takes the slot of an existing facet with its id (a dict assignment), else a new one.
    const std::size_t cut_slot = static_cast<std::size_t>(
        std::find(poly.ids_.begin(), poly.ids_.end(), cut_id) - poly.ids_.begin());
    const std::size_t slots = std::max(nf, cut_slot + 1), fw2 = words_for(slots);

    std::vector<Word> inc;
    std::vector<std::size_t> kept_vertices, positive, negative;
    inc.reserve((nv + 8) * fw2);
    for (std::size_t k = 0; k < nv; ++k) {
        if (sign_of[k] > 0) positive.push_back(k);
        if (sign_of[k] < 0) {
            negative.push_back(k);
            continue;
        }
        kept_vertices.push_back(k);
        const std::size_t at = inc.size();
        inc.resize(at + fw2, 0);
        std::copy_n(&poly.inc_[k * fw], fw, &inc[at]);
        if (sign_of[k] == 0) put(&inc[at], cut_slot);
    }

    // A new vertex lies on the facets its edge's ends share, and on the cut.
    std::vector<Word> common(fw);
    auto add_incidence = [&](std::size_t i, std::size_t j) {
        const Word *inc_i = &poly.inc_[i * fw], *inc_j = &poly.inc_[j * fw];
        const std::size_t at = inc.size();
        inc.resize(at + fw2, 0);
        for (std::size_t w = 0; w < fw; ++w) inc[at + w] = inc_i[w] & inc_j[w];
        put(&inc[at], cut_slot);
    };
    Rows fresh;
    std::vector<std::pair<std::size_t, std::size_t>> edges;
    if (memo) {
        // The memo's edges (v, w) are (w, v) here; this cut meets them in the order of (w, v).
        std::vector<std::size_t> order(memo->edges.size());
        for (std::size_t e = 0; e < order.size(); ++e) order[e] = e;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            const auto &x = memo->edges[a], &y = memo->edges[b];
            return x.second != y.second ? x.second < y.second : x.first < y.first;
        });
        fresh.reserve(order.size());
        for (std::size_t e : order) {
            add_incidence(memo->edges[e].second, memo->edges[e].first);
            fresh.push_back(std::move(memo->fresh[e]));
        }
    } else {
        // Two vertices span an edge exactly when no third vertex lies on all the facets they share.
        fresh.reserve(positive.size() + negative.size());
        std::vector<Word> shared(vw);
        const std::size_t needed = dim > 1 ? static_cast<std::size_t>(dim - 1) : 0;
        for (std::size_t i : positive) {
            const Word* inc_i = &poly.inc_[i * fw];
            for (std::size_t j : negative) {
                const Word* inc_j = &poly.inc_[j * fw];
                std::size_t count = 0;
                for (std::size_t w = 0; w < fw; ++w) {
                    common[w] = inc_i[w] & inc_j[w];
                    count += static_cast<std::size_t>(__builtin_popcountll(common[w]));
                }
                if (count < needed) continue;
                std::fill(shared.begin(), shared.end(), ~Word{0});
                if (nv % 64) shared[vw - 1] = (Word{1} << (nv % 64)) - 1;
                for_each_member(common.data(), fw, [&](std::size_t f) {
                    const Word* on_f = &poly.on_[f * vw];
                    for (std::size_t w = 0; w < vw; ++w) shared[w] &= on_f[w];
                });
                shared[i >> 6] &= ~(Word{1} << (i & 63));
                shared[j >> 6] &= ~(Word{1} << (j & 63));
                if (std::any_of(shared.begin(), shared.end(), [](Word w) { return w != 0; })) continue;
                fresh.push_back(edge_vertex(values[i], poly.points_[i], values[j], poly.points_[j]));
                edges.emplace_back(i, j);
                add_incidence(i, j);
            }
        }
        // Only a polytope that outlives this cut (a const one) can meet the opposite cut.
        if (!take) poly.memo_.memo.reset(new CutMemo{cut, std::move(values), std::move(edges), fresh});
    }

    Rows points;
    points.reserve(kept_vertices.size() + fresh.size());
    for (std::size_t k : kept_vertices) {
        if (take) points.push_back(std::move(take->points_[k]));
        else points.push_back(poly.points_[k]);
    }
    for (Row& r : fresh) points.push_back(std::move(r));
    std::vector<int> ids = take ? std::move(take->ids_) : poly.ids_;
    Rows rows = take ? std::move(take->rows_) : poly.rows_;
    if (cut_slot == nf) {
        ids.push_back(cut_id);
        rows.push_back(cut);
    } else {
        rows[cut_slot] = cut;
    }

    // Drop the rows whose vertex sets are empty or a proper subset of another's.
    const std::size_t nv2 = points.size(), vw2 = words_for(nv2);
    std::vector<Word> on = vertex_sets(inc, nv2, fw2, slots, vw2);
    std::vector<int> count(slots);
    for (std::size_t f = 0; f < slots; ++f) count[f] = popcount(&on[f * vw2], vw2);
    std::vector<std::size_t> kept;
    for (std::size_t f = 0; f < slots; ++f)
        if (count[f] > 0 && !dominated(on, count, f, vw2)) kept.push_back(f);

    out.points_ = std::move(points);
    out.vwords_ = vw2;
    if (kept.size() == slots) {
        out.ids_ = std::move(ids);
        out.rows_ = std::move(rows);
        out.fwords_ = fw2;
        out.inc_ = std::move(inc);
        out.on_ = std::move(on);
        return 2;
    }
    const std::size_t fw3 = words_for(kept.size());
    out.ids_.clear();
    out.rows_.clear();
    out.on_.assign(kept.size() * vw2, 0);
    out.inc_.assign(nv2 * fw3, 0);
    for (std::size_t s = 0; s < kept.size(); ++s) {
        out.ids_.push_back(ids[kept[s]]);
        out.rows_.push_back(std::move(rows[kept[s]]));
        const Word* on_f = &on[kept[s] * vw2];
        std::copy_n(on_f, vw2, &out.on_[s * vw2]);
        for_each_member(on_f, vw2, [&](std::size_t k) { put(&out.inc_[k * fw3], s); });
    }
    out.fwords_ = fw3;
    return 2;
}

CutOutcome cut_polytope(const BoundedPolytope& poly, const Row& cut, int cut_id, int dim,
                        BoundedPolytope& out) {
    return static_cast<CutOutcome>(BoundedPolytope::cut_into(poly, nullptr, cut, cut_id, dim, out));
}

CutOutcome cut_polytope(BoundedPolytope&& poly, const Row& cut, int cut_id, int dim,
                        BoundedPolytope& out) {
    return static_cast<CutOutcome>(BoundedPolytope::cut_into(poly, &poly, cut, cut_id, dim, out));
}

std::optional<BoundedPolytope> cut_polytope(const BoundedPolytope& poly, const Row& cut, int cut_id,
                                            int dim) {
    BoundedPolytope out;
    switch (cut_polytope(poly, cut, cut_id, dim, out)) {
        case CutOutcome::empty: return std::nullopt;
        case CutOutcome::unchanged: return poly;
        default: return out;
    }
}

std::optional<BoundedPolytope> cut_polytope(BoundedPolytope&& poly, const Row& cut, int cut_id,
                                            int dim) {
    BoundedPolytope out;
    switch (cut_polytope(std::move(poly), cut, cut_id, dim, out)) {
        case CutOutcome::empty: return std::nullopt;
        case CutOutcome::unchanged: return std::move(poly);
        default: return out;
    }
}

}  // namespace polyregions
