// The integer double-description step on bounded polytopes (see incidence.hpp).
#include "incidence.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

namespace polyregions {

namespace {

using Word = std::uint64_t;

std::size_t words_for(std::size_t bits) { return (bits + 63) / 64; }
void put(Word* set, std::size_t i) { set[i >> 6] |= Word{1} << (i & 63); }

// The set bits of a word, inline: without a -mpopcnt build, __builtin_popcountll is a call
// into libgcc, made for every pair of vertices a cut compares.
int bits_set(Word x) {
    x -= (x >> 1) & 0x5555555555555555ULL;
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
    return static_cast<int>((x * 0x0101010101010101ULL) >> 56);
}

int popcount(const Word* set, std::size_t n) {
    int c = 0;
    for (std::size_t w = 0; w < n; ++w) c += bits_set(set[w]);
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

// The gcd of the row's entries into g (0 for a zero row), started on the shortest entry: a
// new vertex's entries have hundreds of bits and a gcd of a few, so only the first gcd runs
// at full length; entries equal to the running gcd up to sign (a vertex on a box facet
// x_i = +-1 has p_i = +-q) and zeros cost nothing.
void content_shortest_first(const Row& r, Z& g) {
    std::size_t first = 0;
    for (std::size_t i = 1; i < r.size(); ++i)
        if (sgn(r[first]) == 0 || (sgn(r[i]) != 0 && mpz_cmpabs(r[i].get_mpz_t(), r[first].get_mpz_t()) < 0))
            first = i;
    mpz_abs(g.get_mpz_t(), r[first].get_mpz_t());
    for (std::size_t i = 0; i < r.size() && g > 1; ++i)
        if (i != first && sgn(r[i]) != 0 && mpz_cmpabs(r[i].get_mpz_t(), g.get_mpz_t()) != 0)
            mpz_gcd(g.get_mpz_t(), g.get_mpz_t(), r[i].get_mpz_t());
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

bool opposite(const Row& a, const Row& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (sgn(a[i]) != -sgn(b[i]) || mpz_cmpabs(a[i].get_mpz_t(), b[i].get_mpz_t()) != 0) return false;
    return true;
}

namespace {

// The combination s u - t v of the edge (v, u), s = cut . v > 0, t = cut . u < 0, into
// `out`: numbers that keep their room from call to call.
void combine(const Z& s, const Row& v, const Z& t, const Row& u, Row& out) {
    out.resize(v.size());
    for (std::size_t c = 0; c < v.size(); ++c) {
        mpz_mul(out[c].get_mpz_t(), s.get_mpz_t(), u[c].get_mpz_t());
        mpz_submul(out[c].get_mpz_t(), t.get_mpz_t(), v[c].get_mpz_t());
    }
}

// The primitive row of a combination, twice the length of the result: each entry of the
// result is allocated once, at its own size.
Row primitive_of(const Row& combination) {
    thread_local Z content;
    content_shortest_first(combination, content);
    Row vertex(combination.size());
    for (std::size_t c = 0; c < combination.size(); ++c) {
        if (content > 1) mpz_divexact(vertex[c].get_mpz_t(), combination[c].get_mpz_t(), content.get_mpz_t());
        else vertex[c] = combination[c];
    }
    return vertex;
}

// The exact values of a cut at a polytope's vertices, in numbers that keep their limbs from
// cut to cut: a cut's values are products of hundreds of bits, and allocating them afresh (and
// growing them term by term) was a good part of a cut. A memo that takes them gives them back
// when its opposite cut has used them.
class CutValues {
  public:
    // Values kept by `pool` (the numbers of earlier cuts), at least n of them.
    CutValues(std::vector<Z>& pool, std::size_t n) : pool_(pool) {
        values.swap(pool_);
        if (values.size() < n) values.resize(n);
    }
    CutValues(std::vector<Z>& pool, std::vector<Z>&& taken) : values(std::move(taken)), pool_(pool) {}
    CutValues(const CutValues&) = delete;
    CutValues& operator=(const CutValues&) = delete;
    ~CutValues() {
        if (values.size() > pool_.size()) pool_.swap(values);
    }
    std::vector<Z> values;  // at least as many as the polytope has vertices

  private:
    std::vector<Z>& pool_;
};

// The new vertices of recent cuts, by the points they are.
//
// Every cell around a vertex of the arrangement meets it, from its own edge and cut, often
// with other rows for the same point: a hyperplane of a later layer bends where it crosses
// an earlier one, so the cells on the two sides reach a point of that crossing with two
// different cuts. The point p / q, though, is one primitive row with q > 0. So a new vertex
// is looked up by its point: the coordinates w_i / w_0 of w = s u - t v modulo the prime
// 2^61 - 1, the same for every multiple of the row, pick a stored row r. The line of the
// edge is where its common facets (those through both ends) meet (the facets of a polytope
// through a face cut out its affine hull), and the cut crosses it in one point: so r is the
// answer exactly when r lies on the cut and on every common facet, checked in exact
// arithmetic. Those few products with short facet rows replace forming w (twice the length
// of the answer) and its gcd. The store is bounded: it starts afresh when full.
class VertexCache {
  public:
    // A cut of a polytope with this many vertices of this width starts: the residues of its
    // vertices are kept until the next start (each vertex ends several edges).
    void start_cut(std::size_t vertices, std::size_t width) {
        known_.assign(vertices, 0);
        if (table_.size() < vertices * (width + 1)) table_.resize(vertices * (width + 1));
    }

    // The primitive row of s u - t v for the edge (v, u) of a full-dimensional polytope with these facet rows,
    // s = cut . v > 0, t = cut . u < 0, v and u its vertices iv and iu since start_cut;
    // `common` (fw words) holds the slots of the facets through both ends.
    Row vertex(const Row& cut, const Rows& facets, const Word* common, std::size_t fw, const Z& s, const Row& v,
               std::size_t iv, const Z& t, const Row& u, std::size_t iu) {
        std::uint64_t hash = 0;
        const bool keyed = fingerprint(residues(iv, s, v), residues(iu, t, u), v.size(), hash);
        if (!keyed) return computed(s, v, t, u);
        const std::size_t found = slot(hash).second;  // offset + 1, 0 when the hash is new
        if (found && on_all(found - 1, cut, facets, common, fw)) return read_row(found - 1);
        Row out = computed(s, v, t, u);
        if (!found) store(hash, out);
        return out;
    }

    // The same row without the store: for a polytope that is not full-dimensional (a facet of
    // a cell, as adjacency cuts it, has no row for its own hyperplane), whose common facets
    // meet in more than the edge's line.
    Row computed(const Z& s, const Row& v, const Z& t, const Row& u) {
        combine(s, v, t, u, combination_);
        return primitive_of(combination_);
    }

  private:
    static constexpr std::uint64_t kPrime = (std::uint64_t{1} << 61) - 1;
    static constexpr std::size_t kCapacity = std::size_t{1} << 21;  // limbs (16 MiB)
    static constexpr std::size_t kSlots = std::size_t{1} << 17;     // of the index, kept at most half full

    // x modulo the prime, from a value below 2^64.
    static std::uint64_t reduce(std::uint64_t x) {
        x = (x & kPrime) + (x >> 61);
        x = (x & kPrime) + (x >> 61);
        return x >= kPrime ? x - kPrime : x;
    }

    static std::uint64_t mul_mod(std::uint64_t a, std::uint64_t b) {
        const unsigned __int128 x = static_cast<unsigned __int128>(a) * b;
        return reduce((static_cast<std::uint64_t>(x) & kPrime) + static_cast<std::uint64_t>(x >> 61));
    }

    // v modulo the prime, limb by limb (2^64 = 8 modulo 2^61 - 1): Horner's rule in 128 bits,
    // reduced every 16 limbs, so that a limb costs a shift and an add.
    static std::uint64_t residue(const Z& v) {
        const __mpz_struct* z = v.get_mpz_t();
        unsigned __int128 acc = 0;
        std::size_t k = static_cast<std::size_t>(std::abs(z->_mp_size));
        while (k > 0) {
            for (std::size_t n = 0; n < 16 && k > 0; ++n) acc = (acc << 3) + z->_mp_d[--k];  // below 2^113
            acc = (acc & kPrime) + (acc >> 61);  // below 2^62
        }
        const std::uint64_t r = reduce(static_cast<std::uint64_t>(acc));
        return z->_mp_size < 0 && r ? kPrime - r : r;
    }

    // The inverse of a modulo the prime, 0 < a < p, by the extended Euclidean algorithm.
    static std::uint64_t inverse_mod(std::uint64_t a) {
        std::int64_t x0 = 0, x1 = 1;  // x1 a = r1, x0 a = r0 (mod p); |x| <= p
        std::uint64_t r0 = kPrime, r1 = a;
        while (r1 != 0) {
            const std::uint64_t q = r0 / r1;
            const std::uint64_t r2 = r0 - q * r1;
            const std::int64_t x2 = x0 - static_cast<std::int64_t>(q) * x1;
            r0 = r1;
            r1 = r2;
            x0 = x1;
            x1 = x2;
        }
        return x0 < 0 ? static_cast<std::uint64_t>(x0 + static_cast<std::int64_t>(kPrime)) : static_cast<std::uint64_t>(x0);
    }

    // The residues of vertex k since start_cut: its cut value, then its entries.
    const std::uint64_t* residues(std::size_t k, const Z& value, const Row& vertex) {
        std::uint64_t* out = &table_[k * (vertex.size() + 1)];
        if (!known_[k]) {
            out[0] = residue(value);
            for (std::size_t c = 0; c < vertex.size(); ++c) out[c + 1] = residue(vertex[c]);
            known_[k] = 1;
        }
        return out;
    }

    // The hash of the point of s u - t v modulo the prime, from the residues (s, v) and
    // (t, u) of the edge's ends; false when its w_0 vanishes there.
    bool fingerprint(const std::uint64_t* sv, const std::uint64_t* tu, std::size_t width, std::uint64_t& hash) {
        const std::uint64_t sm = sv[0], tm = kPrime - tu[0];  // s and -t
        std::vector<std::uint64_t>& w = residues_;
        w.resize(width);
        for (std::size_t i = 0; i < width; ++i) w[i] = reduce(mul_mod(sm, tu[i + 1]) + mul_mod(tm, sv[i + 1]));
        if (w[0] == 0) return false;
        const std::uint64_t inverse = inverse_mod(w[0]);
        // Each coordinate mixed in fully (the murmur3 finalizer): a plain xor-multiply chain
        // maps small permuted coordinates like (3, -1/2, 3) and (-1/2, 3, 3) to one hash.
        std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ width;
        for (std::size_t i = 1; i < width; ++i) {
            h ^= mul_mod(w[i], inverse) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
            h ^= h >> 33;
            h *= 0xff51afd7ed558ccdULL;
            h ^= h >> 33;
            h *= 0xc4ceb9fe1a85ec53ULL;
            h ^= h >> 33;
        }
        hash = h;
        return true;
    }

    // The index entry of `hash`, or the empty one where it goes (open addressing, linear probing).
    std::pair<std::uint64_t, std::size_t>& slot(std::uint64_t hash) {
        if (index_.empty()) index_.resize(kSlots);
        std::size_t i = static_cast<std::size_t>(hash) & (kSlots - 1);
        while (index_[i].second && index_[i].first != hash) i = (i + 1) & (kSlots - 1);
        return index_[i];
    }

    // The stored row at `at` (its width, then each entry as its signed limb count and limbs),
    // read in place, without copying its limbs.
    mpz_srcptr entry(std::size_t& at, __mpz_struct& view) const {
        const long size = static_cast<long>(store_[at++]);
        const std::size_t n = static_cast<std::size_t>(std::abs(size));
        mpz_roinit_n(&view, store_.data() + at, static_cast<mp_size_t>(size));
        at += n;
        return &view;
    }

    // Whether the stored row at `at` lies on the cut and on every facet of `common`.
    bool on_all(std::size_t at, const Row& cut, const Rows& facets, const Word* common, std::size_t fw) {
        if (store_[at++] != cut.size()) return false;
        row_.resize(cut.size());
        for (__mpz_struct& x : row_) entry(at, x);
        if (!tight(cut)) return false;
        bool all = true;
        for_each_member(common, fw, [&](std::size_t f) { all = all && tight(facets[f]); });
        return all;
    }

    // Whether f . row_ = 0. A facet's zero entries (many on a box) are skipped, and entries of
    // one limb (a box's, the first layer's) multiply as machine words.
    bool tight(const Row& f) {
        mpz_ptr value = value_.get_mpz_t();
        mpz_set_ui(value, 0);
        for (std::size_t i = 0; i < f.size(); ++i) {
            const __mpz_struct* z = f[i].get_mpz_t();
            if (z->_mp_size == 1) mpz_addmul_ui(value, &row_[i], z->_mp_d[0]);
            else if (z->_mp_size == -1) mpz_submul_ui(value, &row_[i], z->_mp_d[0]);
            else if (z->_mp_size != 0) mpz_addmul(value, z, &row_[i]);
        }
        return mpz_sgn(value) == 0;
    }

    Row read_row(std::size_t at) const {
        Row out(static_cast<std::size_t>(store_[at++]));
        for (Z& x : out) {
            __mpz_struct view;
            mpz_set(x.get_mpz_t(), entry(at, view));
        }
        return out;
    }

    // An integer as its signed limb count, then its limbs.
    static void append(std::vector<mp_limb_t>& out, const Z& v) {
        const __mpz_struct* z = v.get_mpz_t();
        out.push_back(static_cast<mp_limb_t>(static_cast<long>(z->_mp_size)));
        out.insert(out.end(), z->_mp_d, z->_mp_d + std::abs(z->_mp_size));
    }

    void store(std::uint64_t hash, const Row& vertex) {
        std::size_t limbs = 1;
        for (const Z& x : vertex) limbs += 1 + mpz_size(x.get_mpz_t());
        if (store_.size() + limbs > kCapacity || 2 * (used_ + 1) > kSlots) {
            store_.clear();
            std::fill(index_.begin(), index_.end(), std::pair<std::uint64_t, std::size_t>{0, 0});
            used_ = 0;
        }
        slot(hash) = {hash, store_.size() + 1};
        ++used_;
        store_.push_back(vertex.size());
        for (const Z& x : vertex) append(store_, x);
    }

    // Scratch of the current lookup: s u - t v, its residues, a stored row read in place, a value.
    Row combination_;
    std::vector<std::uint64_t> residues_;
    std::vector<std::uint64_t> table_;  // residues of the current cut's vertices (see residues())
    std::vector<char> known_;           // whether vertex k's are in table_
    std::vector<__mpz_struct> row_;
    Z value_;
    std::vector<mp_limb_t> store_;
    // (hash, 1 + offset in store_ of (width, entries)); (0, 0) is an empty entry.
    std::vector<std::pair<std::uint64_t, std::size_t>> index_;
    std::size_t used_ = 0;
};

// The buffers of a cut, kept between cuts (nothing in a cut cuts another polytope), and the
// store of its new vertices: the walk of a thread reuses its own cuts' vertices. One per
// thread, looked up once per cut: each use of a thread_local of a shared library costs a call
// or two (__tls_get_addr, and its initialisation guard).
struct CutScratch {
    VertexCache cache;
    std::vector<Z> numbers;  // CutValues' pool
    std::vector<int> sign_of;
    std::vector<std::size_t> positive, negative;
    std::vector<Word> common, shared;
    std::vector<int> count;
    std::vector<std::size_t> kept;
};

// Not inlined: the compiler would look the thread_local up again at every use of a member.
__attribute__((noinline)) CutScratch& cut_scratch() {
    thread_local CutScratch scratch;
    return scratch;
}

}  // namespace

// The cut of `poly` into `out`: 0 when nothing is strictly inside, 1 when the cut
// is redundant (out untouched), 2 when `out` holds the cut polytope. With `take`
// (which is `poly`) the kept vertices and the rows are moved into `out`; with `take`
// and `strict_only`, only the vertices strictly inside are (the opposite cut, the only
// later use of `poly`, drops them) and the memo is left for that cut.
int BoundedPolytope::cut_into(const BoundedPolytope& poly, BoundedPolytope* take, const Row& cut,
                              int cut_id, int dim, BoundedPolytope& out, bool strict_only) {
    const std::size_t nv = poly.points_.size(), nf = poly.ids_.size(), fw = poly.fwords_,
                      vw = poly.vwords_;
    // The opposite of the memo's cut: the same values negated, the same edges and vertices.
    std::unique_ptr<CutMemo> memo;
    // (Not for the first cut of a split: the opposite cut needs the memo this one leaves.)
    if (!strict_only && poly.memo_.memo && opposite(poly.memo_.memo->cut, cut))
        memo = std::move(poly.memo_.memo);
    CutScratch& buffers = cut_scratch();
    CutValues scratch = memo ? CutValues(buffers.numbers, std::move(memo->values)) : CutValues(buffers.numbers, nv);
    std::vector<Z>& values = scratch.values;
    std::vector<int>& sign_of = buffers.sign_of;
    sign_of.resize(nv);
    bool any_positive = false, any_negative = false;
    for (std::size_t k = 0; k < nv; ++k) {
        if (memo) mpz_neg(values[k].get_mpz_t(), values[k].get_mpz_t());
        else dot_into(values[k], cut, poly.points_[k]);
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
    std::vector<std::size_t> kept_vertices;
    std::vector<std::size_t>& positive = buffers.positive;
    std::vector<std::size_t>& negative = buffers.negative;
    kept_vertices.reserve(nv);
    positive.clear();
    negative.clear();
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
    std::vector<Word>& common = buffers.common;
    common.resize(fw);
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
        std::vector<Word>& shared = buffers.shared;
        shared.resize(vw);
        const std::size_t needed = dim > 1 ? static_cast<std::size_t>(dim - 1) : 0;
        VertexCache& cache = buffers.cache;
        const std::size_t width = poly.points_[0].size();
        const bool full = static_cast<std::size_t>(dim) + 1 == width;  // see VertexCache::computed
        cache.start_cut(nv, width);
        for (std::size_t i : positive) {
            const Word* inc_i = &poly.inc_[i * fw];
            for (std::size_t j : negative) {
                const Word* inc_j = &poly.inc_[j * fw];
                std::size_t count = 0;
                for (std::size_t w = 0; w < fw; ++w) {
                    common[w] = inc_i[w] & inc_j[w];
                    count += static_cast<std::size_t>(bits_set(common[w]));
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
                fresh.push_back(full ? cache.vertex(cut, poly.rows_, common.data(), fw, values[i], poly.points_[i], i,
                                                    values[j], poly.points_[j], j)
                                     : cache.computed(values[i], poly.points_[i], values[j], poly.points_[j]));
                edges.emplace_back(i, j);
                add_incidence(i, j);
            }
        }
        // Only a polytope that outlives this cut (a const one) can meet the opposite cut.
        if (!take || strict_only)
            poly.memo_.memo.reset(new CutMemo{cut, std::move(values), std::move(edges), fresh});
    }

    Rows points;
    points.reserve(kept_vertices.size() + fresh.size());
    for (std::size_t k : kept_vertices) {
        if (take && (!strict_only || sign_of[k] > 0)) points.push_back(std::move(take->points_[k]));
        else points.push_back(poly.points_[k]);
    }
    for (Row& r : fresh) points.push_back(std::move(r));

    // Drop the rows whose vertex sets are empty or a proper subset of another's: the incidence
    // decides, so only the rows kept are copied.
    const std::size_t nv2 = points.size(), vw2 = words_for(nv2);
    std::vector<Word> on = vertex_sets(inc, nv2, fw2, slots, vw2);
    std::vector<int>& count = buffers.count;
    std::vector<std::size_t>& kept = buffers.kept;
    count.resize(slots);
    for (std::size_t f = 0; f < slots; ++f) count[f] = popcount(&on[f * vw2], vw2);
    kept.clear();
    for (std::size_t f = 0; f < slots; ++f)
        if (count[f] > 0 && !dominated(on, count, f, vw2)) kept.push_back(f);

    // The row and id of slot f: the cut's, or the polytope's (moved out of `take`).
    auto row_of = [&](std::size_t f) -> Row {
        if (f == cut_slot) return cut;
        return take && !strict_only ? std::move(take->rows_[f]) : poly.rows_[f];
    };
    auto id_of = [&](std::size_t f) { return f == cut_slot ? cut_id : poly.ids_[f]; };
    out.points_ = std::move(points);
    out.kept_from_ = std::move(kept_vertices);
    out.vwords_ = vw2;
    out.ids_.clear();
    out.rows_.clear();
    out.ids_.reserve(kept.size());
    out.rows_.reserve(kept.size());
    for (std::size_t f : kept) {
        out.ids_.push_back(id_of(f));
        out.rows_.push_back(row_of(f));
    }
    if (kept.size() == slots) {
        out.fwords_ = fw2;
        out.inc_ = std::move(inc);
        out.on_ = std::move(on);
        return 2;
    }
    const std::size_t fw3 = words_for(kept.size());
    out.on_.assign(kept.size() * vw2, 0);
    out.inc_.assign(nv2 * fw3, 0);
    for (std::size_t s = 0; s < kept.size(); ++s) {
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

CutOutcome cut_polytope_before_opposite(BoundedPolytope& poly, const Row& cut, int cut_id, int dim,
                                        BoundedPolytope& out) {
    return static_cast<CutOutcome>(BoundedPolytope::cut_into(poly, &poly, cut, cut_id, dim, out, true));
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
