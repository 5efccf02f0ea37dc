// The certified float filter: floats with a proven error bound decide signs
// that are clearly away from zero; everything else goes to exact integers.
//
// As in polyregions/geometry/screening.py, with one difference in the input
// rounding: GMP's mpz_get_d_2exp truncates, so an entry carries a relative
// error below 2u (u = 2^-53) instead of u. Let W be a layer's piece matrix,
// G the homogenised layer-input map, g a generator, each scaled by a power of
// two (exact) so that every entry is below 2 in magnitude. The computed
// fl(fl(W G) g) differs from the exact W G g by at most
//   ((1 + 2u)^3 - 1 + gamma_{m+1} + gamma_{d+1}) (|W| |G| |g|)(1 + O(u))
//   <= (m + d + 9) u (|W| |G| |g|)(1 + O(u)),
// with m + 1 and d + 1 the inner dimensions, plus underflow terms far below
// 2^-1000. We take twice that, computed from the float magnitudes (whose own
// rounding and the rounding of the final subtraction the factor 2 covers),
// plus 2^-1000; a difference of two values is certified when it exceeds the
// sum of their bounds.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "rows.hpp"

namespace polyregions {

constexpr double kUnitRoundoff = 1.0 / 9007199254740992.0;  // 2^-53
constexpr double kTiny = 0x1p-1000;

// 2^e as a double, for a normal exponent (-1022 <= e <= 1023): x * pow2(e) is exactly
// ldexp(x, e) whenever the product is normal, without ldexp's library call.
inline double pow2(int e) {
    const auto bits = static_cast<std::uint64_t>(e + 1023) << 52;
    double out;
    std::memcpy(&out, &bits, sizeof out);
    return out;
}

// v rounded to the nearest double, as the conversion of __int128 rounds it: through the
// (faster) 64-bit conversion when v fits.
inline double int128_double(__int128 v) {
    if (v >= static_cast<__int128>(LONG_MIN) && v <= static_cast<__int128>(LONG_MAX))
        return static_cast<double>(static_cast<long>(v));
    return static_cast<double>(v);
}

inline long bit_length(const Z& v) {
    return sgn(v) == 0 ? 0 : static_cast<long>(mpz_sizeinbase(v.get_mpz_t(), 2));
}

// v / 2^shift as a double, relative error below 2^-52 (absolute 2^-1074 on underflow).
inline double scaled_double(const Z& v, long shift) {
    if (sgn(v) == 0) return 0.0;
    long e = 0;
    const double d = mpz_get_d_2exp(&e, v.get_mpz_t());
    const long exponent = e - shift;
    if (exponent < -1100) return 0.0;  // below every subnormal: covered by kTiny
    // Both round the exact d 2^exponent once, to nearest: the same double.
    if (exponent >= -1022 && exponent <= 1023) return d * pow2(static_cast<int>(exponent));
    return std::ldexp(d, static_cast<int>(exponent));
}

// A matrix as doubles after one power-of-two scaling (largest entry below 2), row-major.
inline std::vector<double> scaled_matrix(const Rows& rows) {
    long bits = 0;
    for (const Row& r : rows)
        for (const Z& v : r) bits = std::max(bits, bit_length(v));
    const long shift = std::max(bits - 1, 0L);
    std::vector<double> out;
    for (const Row& r : rows)
        for (const Z& v : r) out.push_back(scaled_double(v, shift));
    return out;
}

// The homogenised map ((den, 0, ..., 0), rows...) as scaled_matrix gives it, without copying it.
inline std::vector<double> scaled_map(const Z& den, const Rows& rows, std::size_t width) {
    long bits = bit_length(den);
    for (const Row& r : rows)
        for (const Z& v : r) bits = std::max(bits, bit_length(v));
    const long shift = std::max(bits - 1, 0L);
    std::vector<double> out(width * (rows.size() + 1), 0.0);
    out[0] = scaled_double(den, shift);
    double* next = &out[width];
    for (const Row& r : rows)
        for (const Z& v : r) *next++ = scaled_double(v, shift);
    return out;
}

// One row as doubles, scaled by a power of two (largest entry in [1/2, 1)), into out.
inline void scaled_row(const Row& row, double* out) {
    long bits = 0;
    for (const Z& v : row) bits = std::max(bits, bit_length(v));
    for (const Z& v : row) *out++ = scaled_double(v, bits);
}

// Generators as doubles, each scaled by its own power of two (scaled_row).
inline std::vector<double> generator_doubles(const Rows& generators) {
    std::vector<double> out;
    for (const Row& g : generators) {
        out.resize(out.size() + g.size());
        scaled_row(g, &out[out.size() - g.size()]);
    }
    return out;
}

// The sign of the exact dot product a . b of two rows from their scaled_row images a_f, b_f
// (n entries each), or 2 when the floats do not settle it. Each image entry is within a
// relative 2u of the exact scaled entry (2u = 2^-52, mpz_get_d_2exp truncates), plus 2^-1074
// on underflow, and every entry is below 1. Each product then carries a relative error below
// (1 + 2u)^2 (1 + u) - 1 < 5.1u, the n - 1 additions gamma_{n-1} < 1.01 (n - 1) u of the sum
// of magnitudes; with the rounding of the computed magnitude sum M, the error is below
// (n + 5) u M (1 + O(u)) plus far less than 2^-1000. The bound (2n + 10) u M + 2^-1000 covers
// it with room for the rounding of the bound itself; a sum beyond it has the exact sign.
inline int certified_dot_sign(const double* a, const double* b, std::size_t n) {
    double s = 0.0, m = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double p = a[i] * b[i];
        s += p;
        m += std::fabs(p);
    }
    const double bound = static_cast<double>(2 * n + 10) * kUnitRoundoff * m + kTiny;
    if (s > bound) return 1;
    if (-s > bound) return -1;
    return 2;
}

// The float images of a layer's pieces on one layer-input map, (W G) and (|W| |G|),
// computed unit by unit on first use (most units of a layer are never screened
// on a given map: the regions split earlier).
class PieceFloats {
  public:
    // map: the scaled homogenised map, (m + 1) x (d + 1), row-major. Only its nonzero rows
    // are kept (a ReLU unit that is off on the region has a zero row), each with the sum of
    // its magnitudes: a term with a zero row adds nothing, neither to the value nor to the
    // bound.
    PieceFloats(const std::vector<double>& map, std::size_t inputs, std::size_t width, std::size_t pieces)
        : inputs_(inputs), width_(width), values_(pieces * width, 0.0), totals_(pieces, 0.0), factor_(2.0 * static_cast<double>(inputs + width + 7) * kUnitRoundoff) {
        // One allocation each: a context is made for every region of the layer before.
        used_.reserve(inputs);
        rows_.reserve(inputs * (width + 1));
        for (std::size_t i = 0; i < inputs; ++i) {
            const double* row = &map[i * width];
            if (std::all_of(row, row + width, [](double x) { return x == 0.0; })) continue;
            used_.push_back(i);
            double total = 0.0;
            for (std::size_t c = 0; c < width; ++c) {
                rows_.push_back(row[c]);
                total += std::fabs(row[c]);
            }
            rows_.push_back(total);
        }
    }

    // Fill pieces [begin, end) from the scaled layer weights (pieces x (m + 1), row-major).
    void compute(const std::vector<double>& weights, std::size_t begin, std::size_t end) {
        // Made on first use: the units screened against a zero piece only need totals.
        if (magnitudes_.empty()) magnitudes_.assign(values_.size(), 0.0);
        if (measured_.empty()) measured_.assign(totals_.size(), 0);
        if (magnitude_rows_.empty()) {  // |G|, once per map: every measured piece reads it
            magnitude_rows_.reserve(used_.size() * width_);
            for (std::size_t k = 0; k < used_.size(); ++k)
                for (std::size_t c = 0; c < width_; ++c) magnitude_rows_.push_back(std::fabs(rows_[k * (width_ + 1) + c]));
        }
        // The common widths unrolled (a 2-D to a 5-D domain); the sums are the same either way.
        switch (width_) {
            case 3: return measure<3>(weights, begin, end);
            case 4: return measure<4>(weights, begin, end);
            case 5: return measure<5>(weights, begin, end);
            case 6: return measure<6>(weights, begin, end);
            default: return measure<0>(weights, begin, end);
        }
    }

    // Fill piece p's values, and instead of its magnitudes their total (|W| |G| 1)_p: the sum
    // over the map's rows k of |W_pk| (|G_k| 1), each row's total summed once. It equals the
    // sum of p's magnitudes in exact arithmetic, and its rounding (a relative (m + d + 2) u at
    // most, as theirs) is within the factor 2 of evaluate's bound: total(p) factor() + kTiny
    // bounds the error of p's value at every generator whose entries are at most 1 in
    // magnitude. For pieces only compared against a zero piece: evaluate needs magnitudes.
    void compute_with_total(const std::vector<double>& weights, std::size_t p) {
        const double* w = &weights[p * inputs_];
        double* v = &values_[p * width_];
        const double* row = rows_.data();
        if (width_ == 3) {  // a 2-D domain: four sums side by side, two at a time with SSE2
#ifdef __SSE2__
            __m128d values01 = _mm_setzero_pd(), value2_total = _mm_setzero_pd();
            for (std::size_t k = 0; k < used_.size(); ++k, row += 4) {
                const double x = w[used_[k]];
                values01 = _mm_add_pd(values01, _mm_mul_pd(_mm_set1_pd(x), _mm_loadu_pd(row)));
                value2_total = _mm_add_pd(value2_total, _mm_mul_pd(_mm_set_pd(std::fabs(x), x), _mm_loadu_pd(row + 2)));
            }
            _mm_storeu_pd(v, values01);
            _mm_store_sd(v + 2, value2_total);
            _mm_storeh_pd(&totals_[p], value2_total);
#else
            double v0 = 0.0, v1 = 0.0, v2 = 0.0, total = 0.0;
            for (std::size_t k = 0; k < used_.size(); ++k, row += 4) {
                const double x = w[used_[k]];
                v0 += x * row[0];
                v1 += x * row[1];
                v2 += x * row[2];
                total += std::fabs(x) * row[3];
            }
            v[0] = v0, v[1] = v1, v[2] = v2, totals_[p] = total;
#endif
            return;
        }
        std::fill(v, v + width_, 0.0);
        double total = 0.0;
        for (std::size_t k = 0; k < used_.size(); ++k, row += width_ + 1) {
            const double x = w[used_[k]];
            for (std::size_t c = 0; c < width_; ++c) v[c] += x * row[c];
            total += std::fabs(x) * row[width_];
        }
        totals_[p] = total;
    }

    // Piece p's float row (W G)_p (width doubles), the total of its magnitudes (made by
    // compute_with_total), and the factor of the bounds.
    const double* values(std::size_t p) const { return &values_[p * width_]; }
    double total(std::size_t p) const { return totals_[p]; }
    double factor() const { return factor_; }

    // evaluate's value alone.
    double value(std::size_t p, const double* g) const {
        const double* v = &values_[p * width_];
        if (width_ == 3) return v[0] * g[0] + v[1] * g[1] + v[2] * g[2];
        double s = 0.0;
        for (std::size_t c = 0; c < width_; ++c) s += v[c] * g[c];
        return s;
    }

    // Value and error bound of piece p at the scaled generator g (width doubles), after
    // compute() (a zero piece needs none: its value is 0, its bound kTiny).
    void evaluate(std::size_t p, const double* g, double& value, double& bound) const {
        const double* v = &values_[p * width_];
        // A piece without magnitudes: a zero piece (value 0, total 0: the bound is kTiny), or
        // one made by compute_with_total, whose total bounds its error at these generators
        // (entries at most 1). Zero magnitudes would give a nonzero value the bound kTiny.
        if (measured_.empty() || !measured_[p]) {
            value = this->value(p, g);
            bound = totals_[p] * factor_ + kTiny;
            return;
        }
        const double* m = &magnitudes_[p * width_];
        if (width_ == 3) {  // a 2-D domain: the same sums, in the same order, unrolled
            value = v[0] * g[0] + v[1] * g[1] + v[2] * g[2];
            bound = (m[0] * std::fabs(g[0]) + m[1] * std::fabs(g[1]) + m[2] * std::fabs(g[2])) * factor_ + kTiny;
            return;
        }
        double s = 0.0, b = 0.0;
        for (std::size_t c = 0; c < width_; ++c) {
            s += v[c] * g[c];
            b += m[c] * std::fabs(g[c]);
        }
        value = s;
        bound = b * factor_ + kTiny;
    }

  private:
    // compute() for rows of W entries (0: of width_), each sum over the map's rows in order.
    template <std::size_t W>
    void measure(const std::vector<double>& weights, std::size_t begin, std::size_t end) {
        const std::size_t width = W ? W : width_, stride = width_ + 1;
        for (std::size_t p = begin; p < end; ++p) {
            measured_[p] = 1;
            const double* w = &weights[p * inputs_];
            double* v = &values_[p * width];
            double* m = &magnitudes_[p * width];
            std::fill(v, v + width, 0.0);
            std::fill(m, m + width, 0.0);
            for (std::size_t k = 0; k < used_.size(); ++k) {
                const double x = w[used_[k]], a = std::fabs(x);
                const double* row = &rows_[k * stride];
                const double* size = &magnitude_rows_[k * width];
                for (std::size_t c = 0; c < width; ++c) {
                    v[c] += x * row[c];
                    m[c] += a * size[c];
                }
            }
            // As compute_with_total's total: within the factor 2 of the bounds, it bounds the
            // error at every generator whose entries are at most 1 in magnitude.
            double total = 0.0;
            for (std::size_t c = 0; c < width; ++c) total += m[c];
            totals_[p] = total;
        }
    }

    std::size_t inputs_, width_;
    std::vector<std::size_t> used_;  // the map's nonzero rows
    std::vector<double> rows_;       // by used row: its width entries, then their total magnitude
    std::vector<double> magnitude_rows_;  // by used row: its width entries' magnitudes (compute)
    std::vector<double> values_, magnitudes_, totals_;
    std::vector<char> measured_;  // by piece: whether compute() made its magnitudes
    double factor_;
};

}  // namespace polyregions
