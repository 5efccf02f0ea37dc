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
#include <utility>
#include <vector>

#include "rows.hpp"

namespace polyregions {

constexpr double kUnitRoundoff = 1.0 / 9007199254740992.0;  // 2^-53
constexpr double kTiny = 0x1p-1000;

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

// Generators as doubles, each scaled by its own power of two (largest entry in [1/2, 1)).
inline std::vector<double> generator_doubles(const Rows& generators) {
    std::vector<double> out;
    for (const Row& g : generators) {
        long bits = 0;
        for (const Z& v : g) bits = std::max(bits, bit_length(v));
        for (const Z& v : g) out.push_back(scaled_double(v, bits));
    }
    return out;
}

// The float images of a layer's pieces on one layer-input map, (W G) and (|W| |G|),
// computed unit by unit on first use (most units of a layer are never screened
// on a given map: the regions split earlier).
class PieceFloats {
  public:
    // map: the scaled homogenised map, (m + 1) x (d + 1), row-major. It is kept by columns,
    // with its magnitudes, so that each composed entry is one contiguous dot product.
    PieceFloats(const std::vector<double>& map, std::size_t inputs, std::size_t width, std::size_t pieces)
        : columns_(map.size()), magnitudes_of_columns_(map.size()), inputs_(inputs), width_(width),
          values_(pieces * width, 0.0), magnitudes_(pieces * width, 0.0),
          factor_(2.0 * static_cast<double>(inputs + width + 7) * kUnitRoundoff) {
        for (std::size_t i = 0; i < inputs; ++i)
            for (std::size_t c = 0; c < width; ++c) {
                columns_[c * inputs + i] = map[i * width + c];
                magnitudes_of_columns_[c * inputs + i] = std::fabs(map[i * width + c]);
            }
    }

    // Fill pieces [begin, end) from the scaled layer weights (pieces x (m + 1), row-major).
    void compute(const std::vector<double>& weights, std::size_t begin, std::size_t end) {
        for (std::size_t p = begin; p < end; ++p) {
            const double* w = &weights[p * inputs_];
            // A zero piece (ReLU's) has zero value and magnitude: they are already zero.
            if (std::all_of(w, w + inputs_, [](double x) { return x == 0.0; })) continue;
            for (std::size_t c = 0; c < width_; ++c) {
                const double* column = &columns_[c * inputs_];
                const double* magnitude = &magnitudes_of_columns_[c * inputs_];
                double v = 0.0, m = 0.0;
                for (std::size_t i = 0; i < inputs_; ++i) {
                    v += w[i] * column[i];
                    m += std::fabs(w[i]) * magnitude[i];
                }
                values_[p * width_ + c] = v;
                magnitudes_[p * width_ + c] = m;
            }
        }
    }

    // Value and error bound of piece p at the scaled generator g (width doubles).
    void evaluate(std::size_t p, const double* g, double& value, double& bound) const {
        const double* v = &values_[p * width_];
        const double* m = &magnitudes_[p * width_];
        double s = 0.0, b = 0.0;
        for (std::size_t c = 0; c < width_; ++c) {
            s += v[c] * g[c];
            b += m[c] * std::fabs(g[c]);
        }
        value = s;
        bound = b * factor_ + kTiny;
    }

  private:
    std::vector<double> columns_, magnitudes_of_columns_;
    std::size_t inputs_, width_;
    std::vector<double> values_, magnitudes_;
    double factor_;
};

}  // namespace polyregions
