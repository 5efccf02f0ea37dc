#include "polygon.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include "floats.hpp"

namespace polyregions {

Vertex::Vertex(Row r, bool is_primitive) : primitive(is_primitive), made_(true), row_(std::move(r)) {
    if (row_.size() != 3) throw std::invalid_argument("a polygon's vertex row must have 3 entries");
    scaled_row(row_, image);
}

Vertex::Vertex(const __int128* entries, const double* made, bool is_primitive)
    : primitive(is_primitive), made_(false) {
    std::copy(entries, entries + 3, entries_);
    std::copy(made, made + 3, image);
}

const Row& Vertex::row() const {
    if (!made_) {
        row_.resize(3);  // fresh GMP zeros take no memory: only nonzero entries are set
        for (std::size_t i = 0; i < 3; ++i)
            if (entries_[i] != 0) set_int128(row_[i], entries_[i]);
        made_ = true;
    }
    return row_;
}

Row Vertex::primitive_row() const {
    Row out = row();
    if (!primitive) make_primitive(out);
    return out;
}

Polygon Polygon::from_rows(const Rows& points, const Rows& edges) {
    if (points.size() != edges.size())
        throw std::invalid_argument("a polygon has " + std::to_string(points.size()) + " vertices and " +
                                    std::to_string(edges.size()) + " edges");
    Polygon out;
    for (const Row& p : points) out.points.push_back(std::make_shared<const Vertex>(p));
    for (const Row& e : edges) {
        if (e.size() != 3) throw std::invalid_argument("a polygon's edge row must have 3 entries");
        out.edges.push_back(std::make_shared<const Row>(e));
    }
    return out;
}

Rows Polygon::point_rows() const {
    Rows out;
    out.reserve(points.size());
    for (const VertexPtr& p : points) out.push_back(p->primitive_row());
    return out;
}

Rows Polygon::edge_rows() const {
    Rows out;
    out.reserve(edges.size());
    for (const RowPtr& e : edges) out.push_back(*e);
    return out;
}

int vertex_sign(const Row& cut, const double* cut_image, const Vertex& vertex) {
    const int s = certified_dot_sign(cut_image, vertex.image, 3);
    return s != 2 ? s : sgn(dot(cut, vertex.row()));
}

Polygon cyclic_polygon(const Rows& facets, const Rows& points) {
    // on[r]: the vertices on facet r, in the order of `points`.
    std::vector<std::vector<std::size_t>> on(facets.size());
    for (std::size_t r = 0; r < facets.size(); ++r)
        for (std::size_t p = 0; p < points.size(); ++p)
            if (sgn(dot(facets[r], points[p])) == 0) on[r].push_back(p);
    Rows edges;
    std::vector<std::size_t> order{0};
    long previous = -1;
    for (std::size_t guard = 0; guard <= facets.size(); ++guard) {
        const std::size_t current = order.back();
        long row = -1;
        for (std::size_t r = 0; r < facets.size() && row < 0; ++r) {
            if (previous >= 0 && facets[r] == facets[static_cast<std::size_t>(previous)]) continue;
            for (std::size_t p : on[r])
                if (points[p] == points[current]) { row = static_cast<long>(r); break; }
        }
        if (row < 0 || on[static_cast<std::size_t>(row)].size() < 2)
            throw std::invalid_argument("cyclic_polygon: the facets do not bound a polygon");
        const auto& ends = on[static_cast<std::size_t>(row)];
        const std::size_t next = points[ends[1]] == points[current] ? ends[0] : ends[1];
        edges.push_back(facets[static_cast<std::size_t>(row)]);
        if (points[next] == points[order[0]]) {
            Rows cyclic;
            for (std::size_t p : order) cyclic.push_back(points[p]);
            return Polygon::from_rows(cyclic, edges);
        }
        order.push_back(next);
        previous = row;
    }
    throw std::invalid_argument("cyclic_polygon: the facets do not bound a polygon");
}

namespace {

// a * w - b * v, primitive: the point where the edge from v to w meets the cut.
Row crossing(const Z& a, const Row& w, const Z& b, const Row& v) {
    Row out(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
        mpz_mul(out[i].get_mpz_t(), a.get_mpz_t(), w[i].get_mpz_t());
        mpz_submul(out[i].get_mpz_t(), b.get_mpz_t(), v[i].get_mpz_t());
    }
    make_primitive(out);
    return out;
}

// r_i s_j - r_j s_i in __int128; false when it overflows.
bool minor(long ri, long rj, long si, long sj, __int128& out) {
    return !__builtin_sub_overflow(static_cast<__int128>(ri) * sj, static_cast<__int128>(rj) * si, &out);
}

// The same point as crossing() where a 2-D edge row and the cut fit machine words, up to a
// positive factor: their cross product (the point on both lines), with q > 0, divided by the
// power of two common to its entries (float weights make that the usual common factor; the
// rest is divided out when the vertex's rows are asked for). The cross product's entries
// have about half the bits of a * w - b * v. False when an entry does not fit (the caller
// then takes crossing()).
bool small_meet(const Row& edge, const Row& cut, __int128* out, double* image) {
    long r[3], s[3];
    for (std::size_t i = 0; i < 3; ++i)
        if (!small_value(edge[i], r[i]) || !small_value(cut[i], s[i])) return false;
    __int128 c[3];
    if (!minor(r[1], r[2], s[1], s[2], c[0]) || !minor(r[2], r[0], s[2], s[0], c[1]) ||
        !minor(r[0], r[1], s[0], s[1], c[2]) || c[0] == 0)
        return false;
    constexpr __int128 lowest = -static_cast<__int128>((~static_cast<unsigned __int128>(0)) >> 1) - 1;
    // Without -2^127 every magnitude, and every quotient of one, is an __int128 again.
    for (const __int128 v : c)
        if (v == lowest) return false;
    unsigned __int128 m[3];
    for (std::size_t i = 0; i < 3; ++i) m[i] = magnitude(c[i]);
    const unsigned shift = ctz128(m[0] | m[1] | m[2]);  // m[0] > 0
    const bool flip = c[0] < 0;
    __int128* const v = out;
    for (std::size_t i = 0; i < 3; ++i) {
        const auto q = static_cast<__int128>(m[i] >> shift);
        v[i] = (c[i] < 0) != flip ? -q : q;
    }
    // The float image as scaled_row makes it (largest entry in [1/2, 1)), from the 128-bit
    // entries: each rounded to nearest (within a relative 2^-53), then scaled exactly (no
    // entry of at least 1 underflows when divided by at most 2^128).
    const unsigned __int128 all = (m[0] | m[1] | m[2]) >> shift;
    const auto high = static_cast<unsigned long long>(all >> 64), low = static_cast<unsigned long long>(all);
    const int bits = high ? 128 - __builtin_clzll(high) : 64 - __builtin_clzll(low);  // all >= 1
    const double scale = pow2(-bits);
    for (std::size_t i = 0; i < 3; ++i) image[i] = int128_double(v[i]) * scale;
    return true;
}

// The point where the edge between v and w (on the line `edge`) meets the cut; cut . v and
// cut . w have opposite signs: (cut . v) w - (cut . w) v, primitive, or a multiple from the lines.
VertexPtr meet(const Row& edge, const Row& cut, const Vertex& w, const Vertex& v) {
    __int128 entries[3];
    double image[3];
    if (small_meet(edge, cut, entries, image)) return std::make_shared<const Vertex>(entries, image, false);
    return std::make_shared<const Vertex>(crossing(dot(cut, v.row()), w.row(), dot(cut, w.row()), v.row()));
}

}  // namespace

namespace {

// Room on the stack for the polygons of every day, on the heap for larger ones.
template <class T>
class Scratch {
  public:
    explicit Scratch(std::size_t n) : many_(n > kFew ? n : 0) {}
    T* data() { return many_.empty() ? few_ : many_.data(); }

  private:
    static constexpr std::size_t kFew = 16;
    T few_[kFew] = {};
    std::vector<T> many_;
};

// The signs of cut . v at the polygon's vertices, into `signs` (those `known` gives, when it
// is given, taken as they are); whether one is > 0, one < 0.
void vertex_signs(const Polygon& polygon, const Row& cut, const int* known, int* signs, bool& positive,
                  bool& negative) {
    if (cut.size() != 3) throw std::invalid_argument("a polygon's cut row must have 3 entries");
    double cut_image[3];
    bool imaged = false;  // the cut's float image, made when a sign is not known
    positive = negative = false;
    for (std::size_t i = 0; i < polygon.points.size(); ++i) {
        if (known && known[i] != 2) {
            signs[i] = known[i];
        } else {
            if (!imaged) scaled_row(cut, cut_image);
            imaged = true;
            signs[i] = vertex_sign(cut, cut_image, *polygon.points[i]);
        }
        positive = positive || signs[i] > 0;
        negative = negative || signs[i] < 0;
    }
}

// Where the cut crosses the edges whose ends have opposite strict signs. A line meets a
// convex polygon's boundary in at most two points: at most two such edges, kept in place of
// one slot per edge.
class Crossings {
  public:
    void add(std::size_t edge, VertexPtr point) {
        if (count_ == 2) throw std::logic_error("a line crosses more than two edges of a convex polygon");
        edges_[count_] = edge;
        points_[count_++] = std::move(point);
    }
    // The crossing on `edge`, one of those added.
    const VertexPtr& on(std::size_t edge) const { return edges_[0] == edge ? points_[0] : points_[1]; }

  private:
    std::size_t edges_[2] = {0, 0};
    VertexPtr points_[2];
    int count_ = 0;
};

// The crossings of the cut with the polygon's edges (edge i runs from vertex i to i + 1).
// meet(edge, cut, w, v) with v the end on the positive side is the same row for the cut and
// for its opposite (both factors change sign), so a split's two sides share these vertices.
void crossing_points(const Polygon& polygon, const Row& cut, const int* signs, Crossings& crossings) {
    const std::size_t n = polygon.points.size();
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t j = (i + 1) % n;
        if (signs[i] > 0 && signs[j] < 0)
            crossings.add(i, meet(*polygon.edges[i], cut, *polygon.points[j], *polygon.points[i]));
        else if (signs[i] < 0 && signs[j] > 0)
            crossings.add(i, meet(*polygon.edges[i], cut, *polygon.points[i], *polygon.points[j]));
    }
}

// The part of the polygon where flip * (cut . x) >= 0 (flip is 1 or -1), into `out`: its new
// edge is `edge` (the cut times flip), its new vertices the crossing points.
void assemble(const Polygon& polygon, const int* signs, int flip, const Crossings& crossings, const RowPtr& edge,
              Polygon& out) {
    const std::vector<VertexPtr>& points = polygon.points;
    const std::size_t n = points.size();
    out.points.clear();
    out.edges.clear();
    out.points.reserve(n + 1);
    out.edges.reserve(n + 1);
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t j = (i + 1) % n;
        const int s = flip * signs[i], t = flip * signs[j];
        if (s >= 0) {
            out.points.push_back(points[i]);
            // The edge leaving v runs along the cut when v is on it and w is cut off.
            out.edges.push_back(s == 0 && t < 0 ? edge : polygon.edges[i]);
            if (s > 0 && t < 0) {
                out.points.push_back(crossings.on(i));
                out.edges.push_back(edge);
            }
        } else if (t > 0) {
            out.points.push_back(crossings.on(i));
            out.edges.push_back(polygon.edges[i]);
        }
    }
}

}  // namespace

Clip clip_polygon(const Polygon& polygon, const RowPtr& cut_edge, Polygon& out) {
    const Row& cut = *cut_edge;
    const std::size_t n = polygon.points.size();
    Scratch<int> signs(n);
    bool positive = false, negative = false;
    vertex_signs(polygon, cut, nullptr, signs.data(), positive, negative);
    if (!positive) return Clip::empty;
    if (!negative) return Clip::unchanged;
    Crossings crossings;
    crossing_points(polygon, cut, signs.data(), crossings);
    assemble(polygon, signs.data(), 1, crossings, cut_edge, out);
    return Clip::cut;
}

std::pair<Clip, Clip> split_polygon(const Polygon& polygon, const RowPtr& cut, const RowPtr& opposite,
                                    Polygon& first, Polygon& second, const int* known) {
    const std::size_t n = polygon.points.size();
    Scratch<int> signs(n);
    bool positive = false, negative = false;
    // The opposite's signs are these negated: its float image is this one's negated, and an
    // exact sign is odd too.
    vertex_signs(polygon, *cut, known, signs.data(), positive, negative);
    if (!positive || !negative) {
        const Clip side = positive || negative ? Clip::unchanged : Clip::empty;
        return {positive ? side : Clip::empty, negative ? side : Clip::empty};
    }
    Crossings crossings;
    crossing_points(polygon, *cut, signs.data(), crossings);
    assemble(polygon, signs.data(), 1, crossings, cut, first);
    assemble(polygon, signs.data(), -1, crossings, opposite, second);
    return {Clip::cut, Clip::cut};
}

}  // namespace polyregions
