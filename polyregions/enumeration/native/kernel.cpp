#include "kernel.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "wide_sum.hpp"

namespace polyregions {

LayerData make_layer(Rows rows, std::vector<std::pair<std::size_t, std::size_t>> slices, Z den) {
    if (sgn(den) <= 0) throw std::invalid_argument("a layer's denominator must be positive");
    std::size_t width = rows.empty() ? 0 : rows[0].size();
    for (const Row& r : rows)
        if (r.size() != width || width == 0)
            throw std::invalid_argument("a layer's piece rows must have one common, positive length");
    for (const auto& s : slices)
        if (s.first >= s.second || s.second > rows.size())
            throw std::invalid_argument("a unit's slice (" + std::to_string(s.first) + ", " +
                                        std::to_string(s.second) + ") is empty or out of range");
    LayerData layer;
    layer.weights = scaled_matrix(rows);
    layer.small = small_rows(rows);
    if (layer.small.empty()) layer.medium = medium_rows(rows);
    layer.zero.reserve(rows.size());
    for (const Row& r : rows)
        layer.zero.push_back(std::all_of(r.begin(), r.end(), [](const Z& v) { return sgn(v) == 0; }));
    layer.rows = std::move(rows);
    layer.slices = std::move(slices);
    layer.den = std::move(den);
    return layer;
}

const Rows& MapData::rows() const {
    if (!rows_) {
        Rows out(size());
        for (std::size_t i = 0; i < out.size(); ++i) {
            out[i].resize(width_);  // fresh GMP zeros take no memory: only nonzero entries are set
            for (std::size_t c = 0; c < width_; ++c)
                if (wide_entry(i, c) != 0) set_int128(out[i][c], wide_entry(i, c));
        }
        rows_.emplace(std::move(out));
    }
    return *rows_;
}

namespace {

// A 128-bit value as a long, when it fits.
bool long_value(__int128 v, long& out) {
    if (v < static_cast<__int128>(LONG_MIN) || v > static_cast<__int128>(LONG_MAX)) return false;
    out = static_cast<long>(v);
    return true;
}

}  // namespace

const MapData::Small& MapData::small_columns() const {
    if (!small_) {
        const std::size_t count = size();
        const std::size_t width = wide() ? width_ : (count == 0 ? 1 : (*rows_)[0].size());
        const auto zero = [&](std::size_t i) {
            if (wide()) {
                for (std::size_t c = 0; c < width; ++c)
                    if (wide_entry(i, c) != 0) return false;
                return true;
            }
            const Row& r = (*rows_)[i];
            return std::all_of(r.begin(), r.end(), [](const Z& v) { return sgn(v) == 0; });
        };
        Small out;
        out.inputs.reserve(count + 1);
        out.inputs.push_back(0);  // (den, 0, ..., 0): den > 0
        for (std::size_t i = 0; i < count; ++i)
            if (!zero(i)) out.inputs.push_back(i + 1);
        const std::size_t kept = out.inputs.size();
        out.columns.assign(width * kept, 0);
        bool fits = small_value(den, out.columns[0]);
        for (std::size_t k = 1; k < kept && fits; ++k)
            for (std::size_t c = 0; c < width && fits; ++c) {
                const std::size_t i = out.inputs[k] - 1;
                long& slot = out.columns[c * kept + k];
                fits = wide() ? long_value(wide_entry(i, c), slot) : small_value((*rows_)[i][c], slot);
            }
        if (!fits) out.columns.clear();
        small_.emplace(std::move(out));
    }
    return *small_;
}

namespace {

// The number of leading zero bits of a 128-bit magnitude (128 for 0).
unsigned clz128(unsigned __int128 x) {
    const auto high = static_cast<unsigned long long>(x >> 64), low = static_cast<unsigned long long>(x);
    if (high) return static_cast<unsigned>(__builtin_clzll(high));
    return low ? 64u + static_cast<unsigned>(__builtin_clzll(low)) : 128u;
}

// sum_k u[inputs[k]] * v[k] in __int128 (a piece row against a map column without its zero
// rows); false when the sum overflows.
bool gathered_dot(const long* u, const std::vector<std::size_t>& inputs, const long* v, __int128& acc) {
    acc = 0;
    for (std::size_t k = 0; k < inputs.size(); ++k) {
        // A product of two longs always fits in __int128; only the sum can overflow.
        const __int128 p = static_cast<__int128>(u[inputs[k]]) * static_cast<__int128>(v[k]);
        if (__builtin_add_overflow(acc, p, &acc)) return false;
    }
    return true;
}

// Piece j of the layer composed with the map, its coefficient of column c, in __int128 from
// the layer's long (or else 128-bit) rows and the map's long columns; false when something
// does not fit or a sum overflows.
bool compose_int128(const LayerData& layer, std::size_t j, const MapData& map, std::size_t c, __int128& acc) {
    const MapData::Small& small = map.small_columns();
    if (small.columns.empty()) return false;
    const std::size_t n = map.size() + 1;
    const long* column = &small.columns[c * small.inputs.size()];
    if (!layer.small.empty() && gathered_dot(&layer.small[j * n], small.inputs, column, acc)) return true;
    return !layer.medium.empty() && gathered_dot_int128(&layer.medium[j * n], small.inputs, column, acc);
}

// Piece j of the layer composed with the map, its coefficient of column c, exactly in five
// machine words from the layer's long or 128-bit rows and the map's entries of up to 128 bits;
// false when an entry or the map's denominator does not fit 128 bits.
bool compose_wide(const LayerData& layer, std::size_t j, const MapData& map, std::size_t c, Z& out) {
    if (layer.small.empty() && layer.medium.empty()) return false;
    const std::size_t n = map.size() + 1;
    const auto entry = [&](std::size_t i) -> __int128 {
        return layer.small.empty() ? layer.medium[j * n + i] : layer.small[j * n + i];
    };
    WideSum sum;
    __int128 value = 0;
    if (c == 0) {
        if (!int128_value(map.den, value)) return false;
        sum.add_product(entry(0), value);
    }
    const Rows* rows = map.wide() ? nullptr : &map.rows();
    for (std::size_t i = 1; i < n; ++i) {
        if (map.wide()) value = map.wide_entry(i - 1, c);
        else if (!int128_value((*rows)[i - 1][c], value)) return false;
        sum.add_product(entry(i), value);
    }
    sum.write(out);
    return true;
}

// The primitive row of a - b and its negation, into `row` and `opposite` (as screen_unit makes
// the cuts between two pieces, for rows beyond 128 bits).
void primitive_difference(const Row& a, const Row& b, Row& row, Row& opposite) {
    row.resize(a.size());
    for (std::size_t c = 0; c < a.size(); ++c) mpz_sub(row[c].get_mpz_t(), a[c].get_mpz_t(), b[c].get_mpz_t());
    make_primitive(row);
    opposite.resize(row.size());
    for (std::size_t c = 0; c < row.size(); ++c) mpz_neg(opposite[c].get_mpz_t(), row[c].get_mpz_t());
}

// out = (negative ? -m : m) for a magnitude of up to 128 bits, the limbs written in place.
void set_magnitude(Z& out, bool negative, unsigned __int128 m) {
    mpz_ptr z = out.get_mpz_t();
    const auto low = static_cast<mp_limb_t>(m), high = static_cast<mp_limb_t>(m >> 64);
    const mp_size_t size = high ? 2 : (low ? 1 : 0);
    if (size == 0) return mpz_set_ui(z, 0);
    mp_limb_t* limbs = mpz_limbs_write(z, size);
    limbs[0] = low;
    if (size == 2) limbs[1] = high;
    mpz_limbs_finish(z, negative ? -size : size);
}

// The primitive row of the 128-bit entries (each divided by the gcd of their magnitudes,
// signs kept, as make_primitive divides) and its negation, into `row` and `opposite`.
void primitive_pair(const __int128* entries, std::size_t width, Row& row, Row& opposite) {
    unsigned __int128 g = 0;
    for (std::size_t c = 0; c < width && g != 1; ++c) g = gcd128(g, magnitude(entries[c]));
    // Float weights make the common factor a power of two: a shift, not a 128-bit division.
    const bool power = (g & (g - 1)) == 0;
    const unsigned shift = g > 1 && power ? ctz128(g) : 0;
    row.resize(width);
    opposite.resize(width);
    for (std::size_t c = 0; c < width; ++c) {
        // A magnitude, and so a quotient of one, fits unsigned even for -2^127.
        const unsigned __int128 m = magnitude(entries[c]);
        const unsigned __int128 q = g <= 1 ? m : power ? m >> shift : m / g;
        set_magnitude(row[c], entries[c] < 0, q);
        set_magnitude(opposite[c], entries[c] > 0, q);
    }
}

}  // namespace

void Kernel::compose(Z& out, const LayerData& layer, std::size_t j, const MapData& map,
                     std::size_t c) const {
    if (layer.zero[j]) {  // ReLU's inactive piece: n products of zero, in every region
        out = 0;
        return;
    }
    __int128 acc = 0;
    if (compose_int128(layer, j, map, c, acc)) return set_int128(out, acc);
    if (compose_wide(layer, j, map, c, out)) return;
    const std::size_t n = map.size() + 1;
    // Exactly, straight from the map's rows: r_0 (den if c == 0) + sum_i r_i rows[i - 1][c].
    const Row& r = layer.rows[j];
    if (c == 0) mpz_mul(out.get_mpz_t(), r[0].get_mpz_t(), map.den.get_mpz_t());
    else out = 0;
    const Rows& rows = map.rows();
    for (std::size_t i = 1; i < n; ++i)
        mpz_addmul(out.get_mpz_t(), r[i].get_mpz_t(), rows[i - 1][c].get_mpz_t());
}

Kernel::Kernel(int dim, std::vector<LayerData> layers, Options options)
    : dim_(dim), layers_(std::move(layers)), options_(options) {
    if (dim < 1) throw std::invalid_argument("the domain's dimension must be positive");
}

void Kernel::check_widths(const Rows& rows, const char* what) const {
    for (const Row& r : rows)
        if (r.size() != static_cast<std::size_t>(dim_) + 1)
            throw std::invalid_argument(std::string("a ") + what + " row has " + std::to_string(r.size()) +
                                        " entries, expected dim + 1 = " + std::to_string(dim_ + 1));
}

CellPtr Kernel::start(Rows facets, Rows points, Rows rays, Rows lines) const {
    check_widths(facets, "facet");
    check_widths(points, "point");
    check_widths(rays, "ray");
    check_widths(lines, "line");
    // Screening reads the values at the first generator: a cell always has a point.
    if (points.empty()) throw std::invalid_argument("the domain has no point");
    const bool bounded = rays.empty() && lines.empty();
    if (options_.polygon_path && dim_ == 2 && bounded)
        return Cell::from_polygon(cyclic_polygon(facets, points));
    if (options_.incidence_path && bounded)
        return Cell::from_polytope(BoundedPolytope::from_generators(facets, points));
    return Cell::from_description(
        from_domain(std::move(facets), std::move(points), std::move(rays), std::move(lines)));
}

ContextPtr Kernel::enter_layer(std::size_t layer, MapPtr map) const {
    if (layer >= layers_.size()) throw std::out_of_range("no layer " + std::to_string(layer));
    const std::size_t inputs = layers_[layer].rows[0].size() - 1;
    if (map->size() != inputs)
        throw std::invalid_argument("the map has " + std::to_string(map->size()) +
                                    " rows, the layer " + std::to_string(inputs) + " inputs");
    if (!map->wide())  // a wide map was made here, with rows of dim + 1 entries
        for (const Row& r : map->rows())
            if (r.size() != static_cast<std::size_t>(dim_) + 1)
                throw std::invalid_argument("a map row must have dim + 1 entries");
    if (sgn(map->den) <= 0) throw std::invalid_argument("a map's denominator must be positive");
    return std::make_shared<Context>(layer, std::move(map));
}

void Kernel::prepare(Context& context) const {
    if (context.ready_) return;
    const LayerData& layer = layers_[context.layer];
    const MapData& map = *context.map;
    const std::size_t width = static_cast<std::size_t>(dim_) + 1, inputs = map.size() + 1;
    if (options_.float_filter) {
        context.floats_.emplace(map.image.empty() ? scaled_map(map.den, map.rows(), width) : map.image, inputs,
                                width, layer.rows.size());
        context.floats_ready_.assign(layer.slices.size(), 0);
    }
    context.ready_ = true;
}

const Rows& Kernel::piece_rows(Context& context, std::size_t unit) const {
    prepare(context);
    // Made on first use: with the float filter most contexts never need exact piece rows.
    if (context.pieces_.empty()) context.pieces_.resize(layers_[context.layer].slices.size());
    std::optional<Rows>& slot = context.pieces_.at(unit);
    if (!slot) {
        const LayerData& layer = layers_[context.layer];
        Rows rows;
        for (std::size_t j = layer.slices[unit].first; j < layer.slices[unit].second; ++j) {
            // A piece pair_cut composed already is copied, not composed again.
            if (j < context.composed_.size() && context.composed_[j]) {
                rows.push_back(*context.composed_[j]);
                continue;
            }
            Row& row = rows.emplace_back(static_cast<std::size_t>(dim_) + 1);
            for (std::size_t c = 0; c < row.size(); ++c) compose(row[c], layer, j, *context.map, c);
        }
        slot.emplace(std::move(rows));
    }
    return *slot;
}

const Row& Kernel::exact_piece(Context& context, std::size_t j) const {
    const LayerData& layer = layers_[context.layer];
    if (context.composed_.empty()) context.composed_.resize(layer.rows.size());
    std::optional<Row>& slot = context.composed_[j];
    if (!slot) {
        Row row(static_cast<std::size_t>(dim_) + 1);
        for (std::size_t c = 0; c < row.size(); ++c) compose(row[c], layer, j, *context.map, c);
        slot.emplace(std::move(row));
    }
    return *slot;
}

namespace {

// loose_winner for generators of W entries (0: of `width`, known only at run time), each value
// summed in the order of PieceFloats::value, computed only where a comparison reads it.
template <std::size_t W>
int loose_winner_of(const PieceFloats& floats, std::size_t begin, std::size_t rank, const double* gens,
                    std::size_t n, std::size_t width) {
    const std::size_t w = W ? W : width;
    const auto value = [&](std::size_t k, std::size_t g) {
        const double* v = floats.values(begin + k);
        const double* x = &gens[g * w];
        double s = v[0] * x[0];
        for (std::size_t c = 1; c < w; ++c) s += v[c] * x[c];
        return s;
    };
    std::size_t best = 0;
    double top = value(0, 0);
    for (std::size_t k = 1; k < rank; ++k) {
        const double t = value(k, 0);
        if (t > top) best = k, top = t;
    }
    const double factor = floats.factor(), own = floats.total(begin + best) * factor + kTiny;
    // Generator by generator: a unit the cell's vertices split fails at the first one that
    // shows it, without the values at the rest.
    for (std::size_t g = 0; g < n; ++g) {
        const double at = g == 0 ? top : value(best, g);
        for (std::size_t k = 0; k < rank; ++k) {
            if (k == best) continue;
            const double bound = own + (floats.total(begin + k) * factor + kTiny);
            if (!(at - value(k, g) > bound)) return -1;
        }
    }
    return static_cast<int>(best);
}

}  // namespace

int Kernel::loose_winner(const PieceFloats& floats, std::size_t begin, std::size_t rank, const double* gens,
                         std::size_t n) const {
    // The common widths unrolled (a 2-D to a 5-D domain).
    switch (dim_) {
        case 2: return loose_winner_of<3>(floats, begin, rank, gens, n, 3);
        case 3: return loose_winner_of<4>(floats, begin, rank, gens, n, 4);
        case 4: return loose_winner_of<5>(floats, begin, rank, gens, n, 5);
        case 5: return loose_winner_of<6>(floats, begin, rank, gens, n, 6);
        default: return loose_winner_of<0>(floats, begin, rank, gens, n, static_cast<std::size_t>(dim_) + 1);
    }
}

void Kernel::ready_floats(Context& context, std::size_t unit) const {
    if (context.floats_ready_[unit]) return;
    const LayerData& layer = layers_[context.layer];
    const auto [begin, end] = layer.slices[unit];
    PieceFloats& floats = *context.floats_;
    // A unit (0, p) only compares p with the zero piece (certified_sign): p's values and the
    // total of its magnitudes do. A zero piece keeps the zero values and magnitudes it starts with.
    const bool against_zero = end - begin == 2 && layer.zero[begin];
    if (against_zero) floats.compute_with_total(layer.weights, begin + 1);
    for (std::size_t p = begin; p < end && !against_zero; ++p)
        if (!layer.zero[p]) floats.compute(layer.weights, p, p + 1);
    context.floats_ready_[unit] = 1;
}

int Kernel::certified_winner(Context& context, const double* gens, std::size_t n, std::size_t unit,
                             bool signs, Screening& out) const {
    std::vector<double>& values = out.values;
    std::vector<double>& bounds = out.bounds;
    const LayerData& layer = layers_[context.layer];
    const auto [begin, end] = layer.slices[unit];
    PieceFloats& floats = *context.floats_;
    const bool against_zero = end - begin == 2 && layer.zero[begin];
    ready_floats(context, unit);
    const std::size_t width = static_cast<std::size_t>(dim_) + 1;
    const std::size_t rank = end - begin;
    // Grown, never shrunk: the entries are all written before they are read.
    if (values.size() < rank * n) {
        values.resize(rank * n);
        bounds.resize(rank * n);
    }
    if (against_zero) return certified_sign(floats, begin + 1, gens, n, signs, out);
    const int loose = loose_winner(floats, begin, rank, gens, n);
    if (loose >= 0) return loose;
    for (std::size_t k = 0; k < rank; ++k)
        for (std::size_t g = 0; g < n; ++g)
            floats.evaluate(begin + k, &gens[g * width], values[k * n + g], bounds[k * n + g]);
    // The candidate is the float argmax at the first generator; it is certified when its
    // margin over every other piece beats the error bounds everywhere.
    std::size_t best = 0;
    for (std::size_t k = 1; k < rank; ++k)
        if (values[k * n] > values[best * n]) best = k;
    for (std::size_t k = 0; k < rank; ++k) {
        if (k == best) continue;
        for (std::size_t g = 0; g < n; ++g)
            if (!(values[best * n + g] - values[k * n + g] > bounds[best * n + g] + bounds[k * n + g]))
                return -1;
    }
    return static_cast<int>(best);
}

// certified_winner for a unit (0, p): the same values and decision, but piece 0's are known
// (value 0, bound kTiny, as PieceFloats::evaluate gives the zero row), so only piece p is
// evaluated and each comparison is p's value against 0; p's bound is one proven bound for
// every generator, from the total of p's magnitudes. Returns kCertifiedSplit
// as soon as the floats prove p above 0 at one generator and below it at another: then
// neither piece is >= the other everywhere, the two are different functions, and the unit
// splits the cell (the values are then left incomplete: nothing reads them), with, when
// `signs`, the signs of p the floats prove at every generator in out.signs (2 where they prove
// none).
int Kernel::certified_sign(const PieceFloats& floats, std::size_t piece, const double* gens, std::size_t n,
                           bool signs, Screening& out) const {
    const std::size_t width = static_cast<std::size_t>(dim_) + 1;
    double* value = &out.values[n];
    double* bound = &out.bounds[n];
    // One bound for every generator: each generator's image has entries of magnitude at most
    // 1 (scaled_row), so m . |g| <= the total of p's magnitudes m, which bounds the error
    // there as evaluate's bound does (PieceFloats::compute_with_total).
    const double* v = floats.values(piece);
    const double common = floats.total(piece) * floats.factor() + kTiny, margin = common + kTiny;
    const auto at = [&](std::size_t g) {
        const double* x = &gens[g * width];
        if (width == 3) return v[0] * x[0] + v[1] * x[1] + v[2] * x[2];  // a 2-D domain: unrolled
        double s = 0.0;
        for (std::size_t c = 0; c < width; ++c) s += v[c] * x[c];
        return s;
    };
    std::size_t above = 0, below = 0;
    for (std::size_t g = 0; g < n; ++g) {
        const double s = at(g);
        value[g] = s;
        bound[g] = common;
        above += s > margin;
        below += -s > margin;
        if (above && below) {
            if (!signs) return kCertifiedSplit;
            // The split's cut is a positive multiple of p (split_cells): these are its signs
            // wherever p's value beats the bound, as they are at the generators before g.
            out.signs.resize(n);
            for (std::size_t h = 0; h < n; ++h) {
                const double t = h == g ? s : at(h);
                out.signs[h] = t > margin ? 1 : -t > margin ? -1 : 2;
            }
            return kCertifiedSplit;
        }
    }
    // The float argmax at the first generator (ties to piece 0) wins when its margin beats
    // the bounds everywhere: p when it is above 0 at every generator, 0 when below.
    if (above == n) return 1;
    if (below == n) return 0;
    // screen_unit reads piece 0's values and bounds too.
    std::fill(out.values.begin(), out.values.begin() + static_cast<std::ptrdiff_t>(n), 0.0);
    std::fill(out.bounds.begin(), out.bounds.begin() + static_cast<std::ptrdiff_t>(n), kTiny);
    return -1;
}

void Kernel::split_cells(Context& context, std::size_t unit, std::vector<Candidate>& cells) const {
    // screen_unit's cells of two live pieces (0, p) with piece 0 the zero row: piece 0 where
    // the primitive -p >= 0, piece 1 where the primitive p >= 0.
    if (context.split_cuts_.empty()) context.split_cuts_.resize(layers_[context.layer].slices.size());
    std::array<RowPtr, 2>& cuts = context.split_cuts_[unit];
    if (!cuts[1]) {
        Row cut, opposite;
        const LayerData& layer = layers_[context.layer];
        const std::size_t j = layer.slices[unit].first + 1, width = static_cast<std::size_t>(dim_) + 1;
        // Piece p in 128 bits when it fits (no GMP row of either piece is made), else exactly.
        __int128 few[8];
        std::vector<__int128> many(width > 8 ? width : 0);
        __int128* entries = width > 8 ? many.data() : few;
        bool fits = true;
        for (std::size_t c = 0; c < width && fits; ++c) fits = compose_int128(layer, j, *context.map, c, entries[c]);
        if (fits) {
            primitive_pair(entries, width, cut, opposite);
        } else {
            cut = piece_rows(context, unit)[1];
            make_primitive(cut);
            opposite.resize(cut.size());
            for (std::size_t c = 0; c < cut.size(); ++c) mpz_neg(opposite[c].get_mpz_t(), cut[c].get_mpz_t());
        }
        cuts[0] = std::make_shared<const Row>(std::move(opposite));
        cuts[1] = std::make_shared<const Row>(std::move(cut));
    }
    cells.resize(2);
    for (int k = 0; k < 2; ++k) {
        cells[k].piece = k;
        cells[k].cuts.assign(1, cuts[k]);
    }
}

const RowPtr& Kernel::pair_cut(Context& context, std::size_t unit, std::size_t k, std::size_t j) const {
    const LayerData& layer = layers_[context.layer];
    const std::size_t begin = layer.slices[unit].first, rank = layer.slices[unit].second - begin;
    const std::size_t width = static_cast<std::size_t>(dim_) + 1;
    if (context.pair_cuts_.empty()) context.pair_cuts_.resize(layer.slices.size());
    Context::PairCuts& unit_cuts = context.pair_cuts_[unit];
    if (unit_cuts.cuts.empty()) {
        unit_cuts.entries.assign(rank * width, 0);
        unit_cuts.composed.assign(rank, 0);
        unit_cuts.cuts.resize(rank * rank);
    }
    RowPtr& cut = unit_cuts.cuts[k * rank + j];
    if (cut) return cut;
    bool fits = true;
    for (const std::size_t p : {k, j}) {
        char& state = unit_cuts.composed[p];
        // A zero piece keeps the zero entries it starts with.
        for (std::size_t c = 0; c < width && state == 0 && !layer.zero[begin + p]; ++c)
            if (!compose_int128(layer, begin + p, *context.map, c, unit_cuts.entries[p * width + c])) state = 2;
        if (state == 0) state = 1;
        fits = fits && state == 1;
    }
    // The cut of k's cell against j is the primitive k - j, that of j's against k its negation.
    __int128 few[8];
    std::vector<__int128> many(width > 8 ? width : 0);
    __int128* difference = width > 8 ? many.data() : few;
    for (std::size_t c = 0; c < width && fits; ++c)
        fits = !__builtin_sub_overflow(unit_cuts.entries[k * width + c], unit_cuts.entries[j * width + c],
                                       &difference[c]);
    Row row, opposite;
    if (fits) {
        primitive_pair(difference, width, row, opposite);
    } else {  // rows beyond 128 bits: from the two pieces' exact rows
        primitive_difference(exact_piece(context, begin + k), exact_piece(context, begin + j), row, opposite);
    }
    unit_cuts.cuts[j * rank + k] = std::make_shared<const Row>(std::move(opposite));
    cut = std::make_shared<const Row>(std::move(row));
    return cut;
}

int Kernel::float_alive(Context& context, std::size_t unit, std::size_t n, Screening& out) const {
    const LayerData& layer = layers_[context.layer];
    const auto [begin, end] = layer.slices[unit];
    const std::size_t rank = end - begin;
    const double* values = out.values.data();
    const double* bounds = out.bounds.data();
    // Piece j above piece k at generator g, proven as screen_unit's floats prove it.
    const auto above = [&](std::size_t j, std::size_t k, std::size_t g) {
        return values[j * n + g] - values[k * n + g] > bounds[j * n + g] + bounds[k * n + g];
    };
    // screen_unit keeps, in order, the pieces no other piece is >= at every generator. A piece
    // above each other one at some generator (not necessarily the same one: a piece can stay
    // below the others' maximum everywhere and still be kept) is kept, and equals none of them;
    // a piece below one other at every generator is not (nor is any piece equal to it).
    std::vector<std::size_t> alive;
    for (std::size_t k = 0; k < rank; ++k) {
        bool kept = true;
        for (std::size_t j = 0; j < rank && kept; ++j) {
            bool somewhere = j == k;
            for (std::size_t g = 0; g < n && !somewhere; ++g) somewhere = above(k, j, g);
            kept = somewhere;
        }
        if (kept) {
            alive.push_back(k);
            continue;
        }
        bool beaten = false;
        for (std::size_t j = 0; j < rank && !beaten; ++j) {
            beaten = j != k;
            for (std::size_t g = 0; g < n && beaten; ++g) beaten = above(j, k, g);
        }
        if (!beaten) return -1;
    }
    if (alive.empty()) return -1;
    if (alive.size() == 1) return static_cast<int>(alive[0]);
    const std::size_t count = alive.size();
    for (std::size_t a = 0; a < count; ++a)
        for (std::size_t b = a + 1; b < count; ++b) pair_cut(context, unit, alive[a], alive[b]);
    const std::vector<RowPtr>& cuts = context.pair_cuts_[unit].cuts;
    out.cells.resize(count);
    for (std::size_t a = 0; a < count; ++a) {
        Candidate& cell = out.cells[a];
        cell.piece = static_cast<int>(alive[a]);
        cell.cuts.clear();
        for (std::size_t b = 0; b < count; ++b)
            if (b != a) cell.cuts.push_back(cuts[alive[a] * rank + alive[b]]);
    }
    return kCertifiedSplit;
}

Screening Kernel::screen(Context& context, const Cell& cell, std::size_t first_unit) const {
    Screening out;
    screen(context, cell, first_unit, out);
    return out;
}

void Kernel::screen(Context& context, const Cell& cell, std::size_t first_unit, Screening& out) const {
    prepare(context);
    const LayerData& layer = layers_[context.layer];
    out.winners.clear();  // out.cells is cleared last: a split's cells reuse its buffers
    out.signs.clear();
    // A polygon's split takes the signs the floats prove at its vertices (Screening::signs).
    const bool polygon = cell.kind() == CellKind::polygon;
    // The cell's generator floats, read once for all the units.
    const bool filtered = context.floats_.has_value() && first_unit < layer.slices.size();
    const double* gens = nullptr;
    std::size_t n = 0;
    if (filtered && polygon) {
        // A polygon's vertices carry their images: gathered into a buffer the walk keeps, not
        // into a vector of the cell's own (each cell is screened about once).
        const std::vector<VertexPtr>& points = cell.polygon().points;
        out.generators.resize(3 * points.size());
        double* next = out.generators.data();
        for (const VertexPtr& p : points) next = std::copy(p->image, p->image + 3, next);
        gens = out.generators.data();
        n = points.size();
    } else if (filtered) {
        const std::vector<double>& floats = cell.generator_floats();
        const std::size_t width = static_cast<std::size_t>(dim_) + 1;
        gens = floats.data();
        n = floats.size() / width;
    }
    for (std::size_t unit = first_unit; unit < layer.slices.size(); ++unit) {
        int k = -1;
        if (filtered) k = certified_winner(context, gens, n, unit, polygon, out);
        if (k == kCertifiedSplit) return split_cells(context, unit, out.cells);
        if (k < 0 && filtered) {
            k = float_alive(context, unit, n, out);
            if (k == kCertifiedSplit) return;
        }
        if (k < 0) {
            UnitScreening unit_screening =
                screen_unit(piece_rows(context, unit), cell.generator_refs(),
                            filtered ? out.values.data() : nullptr, filtered ? out.bounds.data() : nullptr);
            if (!unit_screening.cells.empty()) {
                out.cells = std::move(unit_screening.cells);
                return;
            }
            k = unit_screening.winner;
        }
        out.winners.push_back(k);
    }
    out.cells.clear();
}

MapPtr Kernel::next_map(std::size_t layer_index, const MapData& map, const std::vector<int>& chosen,
                        Context* context) const {
    const LayerData& layer = layers_.at(layer_index);
    if (chosen.size() != layer.slices.size())
        throw std::invalid_argument("a choice of " + std::to_string(chosen.size()) + " pieces for " +
                                    std::to_string(layer.slices.size()) + " units");
    for (std::size_t u = 0; u < chosen.size(); ++u) {
        const auto [begin, end] = layer.slices[u];
        if (chosen[u] < 0 || static_cast<std::size_t>(chosen[u]) >= end - begin)
            throw std::out_of_range("unit " + std::to_string(u) + " has no piece " +
                                    std::to_string(chosen[u]));
    }
    if (context) remember_pieces(layer, map, chosen, *context);
    MapPtr out = small_next_map(layer, map, chosen, context);
    return out ? out : exact_next_map(layer, map, chosen, context);
}

const Row* Kernel::known_piece(const Context* context, std::size_t u, std::size_t choice, std::size_t j) {
    if (!context || !context->ready_) return nullptr;
    if (u < context->pieces_.size() && context->pieces_[u]) return &(*context->pieces_[u])[choice];
    if (j < context->composed_.size() && context->composed_[j]) return &*context->composed_[j];
    return nullptr;
}

void Kernel::remember_pieces(const LayerData& layer, const MapData& map, const std::vector<int>& chosen,
                             Context& context) const {
    // A row costs about `inputs` products to compose and `width` numbers to keep. In a slice
    // of a high-input network (785 inputs, width 3) every region of the first layer would
    // compose its 64 rows again; in a deep narrow network (65 inputs, width 3, often one
    // region to a context) keeping them would cost more than it saves.
    const std::size_t width = static_cast<std::size_t>(dim_) + 1, inputs = map.size() + 1;
    if (inputs <= 8 * width) return;
    prepare(context);
    if (context.composed_.empty()) context.composed_.resize(layer.rows.size());
    for (std::size_t u = 0; u < chosen.size(); ++u) {
        const auto choice = static_cast<std::size_t>(chosen[u]);
        const std::size_t j = layer.slices[u].first + choice;
        if (layer.zero[j] || known_piece(&context, u, choice, j)) continue;
        Row row(width);
        for (std::size_t c = 0; c < width; ++c) compose(row[c], layer, j, map, c);
        context.composed_[j].emplace(std::move(row));
    }
}

MapPtr Kernel::small_next_map(const LayerData& layer, const MapData& map, const std::vector<int>& chosen,
                              const Context* context) const {
    const MapData::Small& small = map.small_columns();
    long layer_den = 0, map_den = 0;
    if (layer.small.empty() || small.columns.empty() || !small_value(layer.den, layer_den) ||
        !small_value(map.den, map_den))
        return nullptr;
    const std::size_t width = static_cast<std::size_t>(dim_) + 1, n = map.size() + 1;
    // The entries, composed in place and kept by the new map.
    std::vector<__int128> entries(chosen.size() * width);
    __int128* const values = entries.data();
    for (std::size_t u = 0; u < chosen.size(); ++u) {
        const auto choice = static_cast<std::size_t>(chosen[u]);
        __int128* value = &values[u * width];
        const std::size_t j = layer.slices[u].first + choice;
        // A piece the context has composed already is read back, not composed again.
        if (const Row* row = known_piece(context, u, choice, j)) {
            for (std::size_t c = 0; c < width; ++c)
                if (!int128_value((*row)[c], value[c])) return nullptr;
            continue;
        }
        if (layer.zero[j]) {  // an inactive ReLU unit: nothing to compose
            std::fill(value, value + width, 0);
            continue;
        }
        for (std::size_t c = 0; c < width; ++c)
            if (!gathered_dot(&layer.small[j * n], small.inputs, &small.columns[c * small.inputs.size()],
                              value[c]))
                return nullptr;
    }
    // Both denominators are positive longs: their product fits, and so does every quotient.
    const __int128 den = static_cast<__int128>(layer_den) * map_den;
    const std::size_t count = chosen.size() * width;
    unsigned __int128 g = magnitude(den);
    for (std::size_t i = 0; i < count && g != 1; ++i) g = gcd128(g, magnitude(values[i]));
    // Float weights make the common factor a power of two: a shift, not a 128-bit division.
    const bool power = (g & (g - 1)) == 0;
    const unsigned shift = power ? ctz128(g) : 0;
    const auto divided = [&](__int128 v) {
        if (g == 1) return v;  // also -2^127, whose magnitude is no __int128
        if (!power) return v / static_cast<__int128>(g);
        const auto q = static_cast<__int128>(magnitude(v) >> shift);
        return v < 0 ? -q : q;
    };
    const __int128 reduced_den = divided(den);
    // The entries stay 128-bit numbers (MapData makes GMP rows of them only when asked).
    unsigned __int128 all = magnitude(reduced_den);
    for (__int128& v : entries) {
        if (v == 0) continue;
        v = divided(v);
        all |= magnitude(v);
    }
    // The float image of the map, as scaled_map gives it (one power of two, the largest entry
    // below 2), from the 128-bit entries: each rounded to nearest, within a relative u.
    const unsigned bits = 128 - clz128(all);
    const int scale = -static_cast<int>(bits > 0 ? bits - 1 : 0);
    std::vector<double> image(width * (chosen.size() + 1), 0.0);
    const double factor = pow2(scale);  // exactly ldexp(., scale): every entry is at least 1
    image[0] = int128_double(reduced_den) * factor;
    for (std::size_t i = 0; i < count; ++i)
        if (values[i] != 0) image[width + i] = int128_double(values[i]) * factor;
    auto out = std::make_shared<MapData>(from_int128(reduced_den), std::move(entries), width);
    out->image = std::move(image);
    return out;
}

MapPtr Kernel::exact_next_map(const LayerData& layer, const MapData& map, const std::vector<int>& chosen,
                              Context* context) const {
    const std::size_t width = static_cast<std::size_t>(dim_) + 1;
    Z den = layer.den * map.den;
    Rows rows;
    rows.reserve(chosen.size());
    for (std::size_t u = 0; u < chosen.size(); ++u) {
        const auto piece = static_cast<std::size_t>(chosen[u]);
        if (const Row* row = known_piece(context, u, piece, layer.slices[u].first + piece)) {
            rows.push_back(*row);
            continue;
        }
        // Only the chosen piece is composed: y' = (r_0 den_map + r . map_rows) / (den den_map).
        Row& row = rows.emplace_back(width);
        for (std::size_t c = 0; c < width; ++c) compose(row[c], layer, layer.slices[u].first + piece, map, c);
    }
    // One denominator, coprime with the rows: the unique form of engine.next_map.
    lowest_terms(den, rows);
    return std::make_shared<MapData>(std::move(den), std::move(rows));
}

}  // namespace polyregions
