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
inline std::vector<__int128> medium_rows(const Rows& rows) { return machine_rows<__int128>(rows, int128_value); }

// sum_k u[inputs[k]] * v[k] in __int128 (a piece row against a map column without its zero
// rows, as kernel.cpp's gathered_dot for long rows); false when a product or a partial sum
// overflows.
inline bool gathered_dot_int128(const __int128* u, const std::vector<std::size_t>& inputs, const long* v,
                                __int128& acc) {
    acc = 0;
    for (std::size_t k = 0; k < inputs.size(); ++k) {
        __int128 p = 0;
        if (__builtin_mul_overflow(u[inputs[k]], static_cast<__int128>(v[k]), &p)) return false;
        if (__builtin_add_overflow(acc, p, &acc)) return false;
    }
    return true;
}

}  // namespace polyregions
