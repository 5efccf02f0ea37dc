// Rows of 128-bit integers: the fast path for layers whose entries outgrow 64 bits.
//
// Float64 weights over one common denominator often need 70 to 100 bits (a 53-bit
// mantissa shifted by the spread of the exponents), too many for the long fast path
// of rows.hpp but far from GMP sizes. Their products with long map columns are summed
// in __int128 with every product and sum overflow-checked; on overflow the caller
// falls back to GMP, so the result is always the exact one.
#pragma once

#include <cstddef>
#include <vector>

#include "rows.hpp"

namespace polyregions {

// The rows as one row-major array of __int128, when every entry fits; else empty.
inline std::vector<__int128> medium_rows(const Rows& rows) {
    std::vector<__int128> out;
    for (const Row& r : rows)
        for (const Z& v : r) {
            __int128 x = 0;
            if (!int128_value(v, x)) return {};
            out.push_back(x);
        }
    return out;
}

// sum_i u[i] * v[i] in __int128; false when a product or a partial sum overflows.
inline bool dot_int128_long(const __int128* u, const long* v, std::size_t n, __int128& acc) {
    acc = 0;
    for (std::size_t i = 0; i < n; ++i) {
        __int128 p = 0;
        if (__builtin_mul_overflow(u[i], static_cast<__int128>(v[i]), &p)) return false;
        if (__builtin_add_overflow(acc, p, &acc)) return false;
    }
    return true;
}

}  // namespace polyregions
