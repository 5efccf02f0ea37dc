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

#include <algorithm>
#include <climits>
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

namespace polyregions {

static_assert(sizeof(mp_limb_t) == sizeof(long) && LONG_MAX == 0x7fffffffffffffffL,
              "the machine-integer fast paths assume 64-bit GMP limbs and longs");

using Z = mpz_class;
using Row = std::vector<Z>;
using Rows = std::vector<Row>;
// An immutable row shared by everything that reads it: a split's cut is one row for all the
// cells it bounds (each polygon keeps it as an edge), never copied.
using RowPtr = std::shared_ptr<const Row>;
using SharedRows = std::vector<RowPtr>;

// The rows themselves, copied (for the paths that take plain rows).
inline Rows copied_rows(const SharedRows& rows) {
    Rows out;
    out.reserve(rows.size());
    for (const RowPtr& r : rows) out.push_back(*r);
    return out;
}

// Each row as a shared row of its own.
inline SharedRows shared_rows(Rows rows) {
    SharedRows out;
    out.reserve(rows.size());
    for (Row& r : rows) out.push_back(std::make_shared<const Row>(std::move(r)));
    return out;
}

// Whether v fits in a long, and then its value: read from GMP's own fields, inline
// (the same answer as fits_slong_p / get_si without two library calls per entry).
inline bool small_value(const Z& v, long& out) {
    const __mpz_struct* z = v.get_mpz_t();
    if (z->_mp_size == 0) { out = 0; return true; }
    if (z->_mp_size != 1 && z->_mp_size != -1) return false;
    const mp_limb_t limb = z->_mp_d[0];
    if (z->_mp_size > 0) {
        if (limb > static_cast<mp_limb_t>(LONG_MAX)) return false;
        out = static_cast<long>(limb);
    } else {
        if (limb > static_cast<mp_limb_t>(LONG_MAX) + 1) return false;
        out = static_cast<long>(-static_cast<__int128>(limb));
    }
    return true;
}

// out = acc, writing the (at most two) limbs in place: no temporaries, no allocation when
// out already has room (GMP numbers keep their limbs when they get smaller values).
inline void set_int128(Z& out, __int128 acc) {
    mpz_ptr z = out.get_mpz_t();
    if (acc >= static_cast<__int128>(LONG_MIN) && acc <= static_cast<__int128>(LONG_MAX)) {
        mpz_set_si(z, static_cast<long>(acc));
        return;
    }
    const bool negative = acc < 0;
    const unsigned __int128 m = negative ? -static_cast<unsigned __int128>(acc)
                                         : static_cast<unsigned __int128>(acc);
    const mp_limb_t hi = static_cast<mp_limb_t>(m >> 64);
    const mp_size_t size = hi ? 2 : 1;
    mp_limb_t* limbs = mpz_limbs_write(z, 2);
    limbs[0] = static_cast<mp_limb_t>(m);
    limbs[1] = hi;
    mpz_limbs_finish(z, negative ? -size : size);
}

// Whether v fits in a signed __int128, and then its value (the inverse of set_int128).
inline bool int128_value(const Z& v, __int128& out) {
    const __mpz_struct* z = v.get_mpz_t();
    const int size = z->_mp_size < 0 ? -z->_mp_size : z->_mp_size;
    if (size > 2) return false;
    unsigned __int128 m = size > 0 ? z->_mp_d[0] : 0;
    if (size == 2) m |= static_cast<unsigned __int128>(z->_mp_d[1]) << 64;
    if (m >> 127) return false;  // 2^127 itself (= -2^127 when negative) is left to GMP too
    out = z->_mp_size < 0 ? -static_cast<__int128>(m) : static_cast<__int128>(m);
    return true;
}

// A 128-bit integer as a GMP integer.
inline Z from_int128(__int128 acc) {
    Z out;
    set_int128(out, acc);
    return out;
}

// sum_i u[i] * v[i] for machine integers, in __int128; false when the sum overflows.
inline bool dot_int128(const long* u, const long* v, std::size_t n, __int128& acc) {
    acc = 0;
    for (std::size_t i = 0; i < n; ++i) {
        // A product of two longs always fits in __int128; only the sum can overflow.
        const __int128 p = static_cast<__int128>(u[i]) * static_cast<__int128>(v[i]);
        if (__builtin_add_overflow(acc, p, &acc)) return false;
    }
    return true;
}

// |v| without overflow (also for the most negative __int128).
inline unsigned __int128 magnitude(__int128 v) {
    return v < 0 ? -static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
}

inline unsigned ctz128(unsigned __int128 x) {
    const auto low = static_cast<unsigned long long>(x);
    return low ? static_cast<unsigned>(__builtin_ctzll(low))
               : 64u + static_cast<unsigned>(__builtin_ctzll(static_cast<unsigned long long>(x >> 64)));
}

// Binary gcd of two 128-bit magnitudes (gcd(0, b) = b). The dyadic denominators of float
// weights make a power of two common: its gcd with anything is read off the lowest set bit.
inline unsigned __int128 gcd128(unsigned __int128 a, unsigned __int128 b) {
    if (a == 0) return b;
    if (b == 0) return a;
    const auto lowest_bit = [](unsigned __int128 v) { return v & -v; };
    if (lowest_bit(a) == a) return std::min(a, lowest_bit(b));
    if (lowest_bit(b) == b) return std::min(b, lowest_bit(a));
    const unsigned shift = ctz128(a | b);
    a >>= ctz128(a);
    do {
        b >>= ctz128(b);
        if (a > b) std::swap(a, b);
        b -= a;
        if (((a | b) >> 64) == 0) {  // the rest in machine words
            auto x = static_cast<unsigned long long>(a), y = static_cast<unsigned long long>(b);
            while (y != 0) {
                y >>= __builtin_ctzll(y);
                if (x > y) std::swap(x, y);
                y -= x;
            }
            return static_cast<unsigned __int128>(x) << shift;
        }
    } while (b != 0);
    return a << shift;
}

// The rows as one row-major array of machine integers T, when fits(v, x) holds for every entry
// (and sets x to it); else empty.
template <class T, class Fits>
std::vector<T> machine_rows(const Rows& rows, Fits fits) {
    std::vector<T> out;
    for (const Row& r : rows)
        for (const Z& v : r) {
            T x = 0;
            if (!fits(v, x)) return {};
            out.push_back(x);
        }
    return out;
}

// The rows as one row-major array of longs, when every entry fits; else empty.
inline std::vector<long> small_rows(const Rows& rows) { return machine_rows<long>(rows, small_value); }

// out = sum_i u[i] * v[i], exactly, in out's own limbs (no allocation when it has room);
// u and v have the same length, and out is neither's entry.
inline void dot_into(Z& out, const Row& u, const Row& v) {
    const std::size_t n = u.size();
    bool small = true;
    __int128 acc = 0;
    for (std::size_t i = 0; i < n && small; ++i) {
        long a = 0, b = 0;
        small = small_value(u[i], a) && small_value(v[i], b);
        // A product of two longs always fits in __int128; only the sum can overflow.
        small = small && !__builtin_add_overflow(acc, static_cast<__int128>(a) * b, &acc);
    }
    if (small) return set_int128(out, acc);
    mpz_set_ui(out.get_mpz_t(), 0);
    for (std::size_t i = 0; i < n; ++i)
        mpz_addmul(out.get_mpz_t(), u[i].get_mpz_t(), v[i].get_mpz_t());
}

// sum_i u[i] * v[i], exactly; u and v have the same length.
inline Z dot(const Row& u, const Row& v) {
    Z out;
    dot_into(out, u, v);
    return out;
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

// Divide `den` and every entry of `rows` by their gcd, in place: the unique form of a map
// (den > 0, gcd 1 with the entries) that engine.next_map gives.
inline void lowest_terms(Z& den, Rows& rows) {
    Z g = den;
    for (const Row& row : rows)
        for (const Z& v : row) {
            if (g == 1) return;
            mpz_gcd(g.get_mpz_t(), g.get_mpz_t(), v.get_mpz_t());
        }
    if (g == 1) return;
    mpz_divexact(den.get_mpz_t(), den.get_mpz_t(), g.get_mpz_t());
    for (Row& row : rows)
        for (Z& v : row) mpz_divexact(v.get_mpz_t(), v.get_mpz_t(), g.get_mpz_t());
}

}  // namespace polyregions
