// Exact sums of products of 128-bit integers in five machine words.
//
// A layer's rows of 70 to 100 bits (medium.hpp) against a map whose entries outgrow 64 bits
// (the second layer of float weights) make products of up to 254 bits: beyond __int128, far
// below the sizes GMP is made for. Each product's four 64 x 64 -> 128-bit partial products
// are added, by sign, into 128-bit columns of their word positions; the carries are propagated
// once, when the sum is written into a GMP number limb by limb. A sum of fewer than 2^62
// terms overflows neither a column nor the five words of the result.
#pragma once

#include <cstddef>
#include <cstdint>

#include "rows.hpp"

namespace polyregions {

class WideSum {
  public:
    // Add a * b.
    void add_product(__int128 a, __int128 b) {
        if (a == 0 || b == 0) return;
        const unsigned __int128 x = magnitude(a), y = magnitude(b);
        const auto x0 = static_cast<std::uint64_t>(x), x1 = static_cast<std::uint64_t>(x >> 64);
        const auto y0 = static_cast<std::uint64_t>(y), y1 = static_cast<std::uint64_t>(y >> 64);
        // The four partial products go into the columns of their words, carries left for
        // write(): a column gains at most three 64-bit words a term, so it cannot overflow.
        unsigned __int128* column = (a < 0) != (b < 0) ? negative_ : positive_;
        if (x1 == 0 && y1 == 0) {  // one word each (most entries of a layer): one product
            const U p = static_cast<U>(x0) * y0;
            column[0] += static_cast<std::uint64_t>(p);
            column[1] += static_cast<std::uint64_t>(p >> 64);
            return;
        }
        const U p00 = static_cast<U>(x0) * y0, p01 = static_cast<U>(x0) * y1;
        const U p10 = static_cast<U>(x1) * y0, p11 = static_cast<U>(x1) * y1;
        column[0] += static_cast<std::uint64_t>(p00);
        column[1] += static_cast<std::uint64_t>(p00 >> 64);
        column[1] += static_cast<std::uint64_t>(p01);
        column[1] += static_cast<std::uint64_t>(p10);
        column[2] += static_cast<std::uint64_t>(p01 >> 64);
        column[2] += static_cast<std::uint64_t>(p10 >> 64);
        column[2] += static_cast<std::uint64_t>(p11);
        column[3] += static_cast<std::uint64_t>(p11 >> 64);
    }

    // The sum, into out.
    void write(Z& out) const {
        std::uint64_t plus[kWords], minus[kWords];
        words(positive_, plus);
        words(negative_, minus);
        // The magnitude is the larger sum less the smaller.
        std::size_t top = kWords;
        while (top > 0 && plus[top - 1] == minus[top - 1]) --top;
        mpz_ptr z = out.get_mpz_t();
        if (top == 0) return mpz_set_ui(z, 0);
        const bool negative = minus[top - 1] > plus[top - 1];
        const std::uint64_t* big = negative ? minus : plus;
        const std::uint64_t* small = negative ? plus : minus;
        std::uint64_t m[kWords];
        std::uint64_t borrow = 0;
        for (std::size_t i = 0; i < top; ++i) {
            const U v = static_cast<U>(big[i]) - small[i] - borrow;
            m[i] = static_cast<std::uint64_t>(v);
            borrow = static_cast<std::uint64_t>(v >> 64) & 1;  // a wrap-around sets every high bit
        }
        std::size_t size = top;
        while (size > 0 && m[size - 1] == 0) --size;
        mp_limb_t* limbs = mpz_limbs_write(z, static_cast<mp_size_t>(size));
        for (std::size_t i = 0; i < size; ++i) limbs[i] = m[i];
        const auto limb_count = static_cast<mp_size_t>(size);
        mpz_limbs_finish(z, negative ? -limb_count : limb_count);
    }

  private:
    using U = unsigned __int128;
    static constexpr std::size_t kColumns = 4, kWords = 5;

    // The columns with their carries propagated: the sum as words, lowest first.
    static void words(const U (&columns)[kColumns], std::uint64_t (&out)[kWords]) {
        U carry = 0;
        for (std::size_t i = 0; i < kColumns; ++i) {
            // A column is below 2^127 (far fewer than 2^62 terms), the carry below 2^64.
            const U v = columns[i] + carry;
            out[i] = static_cast<std::uint64_t>(v);
            carry = v >> 64;
        }
        out[kColumns] = static_cast<std::uint64_t>(carry);
    }

    // The products of each sign, by column (64-bit word position), carries not propagated.
    U positive_[kColumns] = {0, 0, 0, 0}, negative_[kColumns] = {0, 0, 0, 0};
};

}  // namespace polyregions
