// Exact integer rows: the data every part of the native kernel shares.
//
// The layout is the Python one (polyregions/geometry/polytope.py): a facet
// (b, a_1, ..., a_n) means b + a . x >= 0; a vertex p / q is (q, p_1, ..., p_n)
// with q > 0; a ray or line direction d is (0, d_1, ..., d_n). Rows are kept
// primitive (entries divided by the gcd of their absolute values, signs kept),
// exactly as polyregions.numbers.primitive_vector does, so that both backends
// produce the same rows.
//
// Storage is GMP (gmpxx): a row never overflows. The hot loops take the machine
// integer fast path of dot() when every entry fits in 64 bits; the product
// then runs in __int128 with overflow checks and falls back to GMP.
#pragma once

#include <gmpxx.h>

#include <climits>
#include <cstddef>
#include <vector>

namespace polyregions {

using Z = mpz_class;
using Row = std::vector<Z>;
using Rows = std::vector<Row>;

// sum_i u[i] * v[i], exactly; u and v have the same length.
inline Z dot(const Row& u, const Row& v) {
    const std::size_t n = u.size();
    bool small = true;
    for (std::size_t i = 0; i < n && small; ++i)
        small = u[i].fits_slong_p() && v[i].fits_slong_p();
    if (small) {
        __int128 acc = 0;
        bool overflow = false;
        for (std::size_t i = 0; i < n && !overflow; ++i) {
            // A product of two longs always fits in __int128; only the sum can overflow.
            __int128 p = static_cast<__int128>(u[i].get_si()) * static_cast<__int128>(v[i].get_si());
            overflow = __builtin_add_overflow(acc, p, &acc);
        }
        if (!overflow) {
            if (acc >= static_cast<__int128>(LONG_MIN) && acc <= static_cast<__int128>(LONG_MAX))
                return Z(static_cast<long>(acc));
            // Split into two 64-bit halves to build the GMP number.
            const bool negative = acc < 0;
            unsigned __int128 m = negative ? -static_cast<unsigned __int128>(acc)
                                           : static_cast<unsigned __int128>(acc);
            Z hi(static_cast<unsigned long>(m >> 64));
            Z r = (hi << 64) + Z(static_cast<unsigned long>(m & ~0UL));
            return negative ? Z(-r) : r;
        }
    }
    Z acc = 0;
    for (std::size_t i = 0; i < n; ++i)
        mpz_addmul(acc.get_mpz_t(), u[i].get_mpz_t(), v[i].get_mpz_t());
    return acc;
}

// Divide the row by the gcd of its entries (a zero row stays zero), in place.
inline void make_primitive(Row& r) {
    Z g = 0;
    for (const Z& v : r) {
        mpz_gcd(g.get_mpz_t(), g.get_mpz_t(), v.get_mpz_t());
        if (g == 1) return;
    }
    if (g <= 1) return;
    for (Z& v : r) mpz_divexact(v.get_mpz_t(), v.get_mpz_t(), g.get_mpz_t());
}

inline int sign(const Z& v) { return sgn(v); }

}  // namespace polyregions
