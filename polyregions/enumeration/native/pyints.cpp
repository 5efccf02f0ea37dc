#include "pyints.hpp"

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

#if PY_VERSION_HEX >= 0x030c0000 || defined(Py_LIMITED_API)
// _PyLong_AsByteArray (little-endian; two's complement when `is_signed`) across the signature
// change of Python 3.13.
int as_byte_array(PyObject* value, unsigned char* out, std::size_t bytes, int is_signed = 0) {
#if PY_VERSION_HEX >= 0x030d0000
    return _PyLong_AsByteArray(reinterpret_cast<PyLongObject*>(value), out, bytes, 1, is_signed, 1);
#else
    return _PyLong_AsByteArray(reinterpret_cast<PyLongObject*>(value), out, bytes, 1, is_signed);
#endif
}
#endif

}  // namespace

namespace polyregions {

namespace {

#if PY_VERSION_HEX < 0x030c0000 && !defined(Py_LIMITED_API)
// out = the Python int `value` (not a machine word), read digit by digit from the int's own
// storage into GMP's limbs, as CPython up to 3.11 lays it out (the inverse of int_from_limbs
// below): no byte buffer, no absolute value made first.
void z_from_digits(PyObject* value, Z& out) {
    const PyLongObject* v = reinterpret_cast<const PyLongObject*>(value);
    const Py_ssize_t size = Py_SIZE(v);
    const std::size_t digits = static_cast<std::size_t>(size < 0 ? -size : size);
    const std::size_t room = (digits * PyLong_SHIFT + 63) / 64;
    mp_limb_t* limbs = mpz_limbs_write(out.get_mpz_t(), static_cast<mp_size_t>(room));
    unsigned __int128 pending = 0;  // bits read from the digits, not yet written
    int held = 0;
    std::size_t next = 0;
    for (std::size_t k = 0; k < digits; ++k) {
        pending |= static_cast<unsigned __int128>(v->ob_digit[k]) << held;
        held += PyLong_SHIFT;
        if (held >= 64) {
            limbs[next++] = static_cast<mp_limb_t>(pending);
            pending >>= 64;
            held -= 64;
        }
    }
    if (held > 0) limbs[next++] = static_cast<mp_limb_t>(pending);
    // mpz_limbs_finish drops the zero limbs on top.
    const mp_size_t used = static_cast<mp_size_t>(next);
    mpz_limbs_finish(out.get_mpz_t(), size < 0 ? -used : used);
}
#endif

}  // namespace

Z z_from_py(py::handle value) {
    if (!PyLong_Check(value.ptr())) throw py::type_error("expected an int");
    int overflow = 0;
    const long small = PyLong_AsLongAndOverflow(value.ptr(), &overflow);
    if (!overflow) {
        if (small == -1 && PyErr_Occurred()) throw py::error_already_set();
        return Z(small);
    }
    Z out;
#if PY_VERSION_HEX < 0x030c0000 && !defined(Py_LIMITED_API)
    z_from_digits(value.ptr(), out);
#else
    // Up to 126 bits (float64 weights over a common denominator): 16 signed bytes, no temporaries.
    if (_PyLong_NumBits(value.ptr()) <= 126) {
        unsigned char bytes[16];
        if (as_byte_array(value.ptr(), bytes, sizeof bytes, 1) != 0) throw py::error_already_set();
        unsigned __int128 bits = 0;
        for (int i = 15; i >= 0; --i) bits = (bits << 8) | bytes[i];
        set_int128(out, static_cast<__int128>(bits));
        return out;
    }
    // Longer values cross as their little-endian magnitude bytes (no text, no parsing).
    py::object magnitude = py::reinterpret_steal<py::object>(PyNumber_Absolute(value.ptr()));
    if (!magnitude) throw py::error_already_set();
    const std::size_t bytes = (_PyLong_NumBits(magnitude.ptr()) + 7) / 8;
    std::vector<unsigned char> buffer(bytes);
    if (as_byte_array(magnitude.ptr(), buffer.data(), bytes) != 0) throw py::error_already_set();
    mpz_import(out.get_mpz_t(), bytes, -1, 1, 0, 0, buffer.data());
    if (_PyLong_Sign(value.ptr()) < 0) mpz_neg(out.get_mpz_t(), out.get_mpz_t());
#endif
    return out;
}

namespace {

#if PY_VERSION_HEX < 0x030c0000 && !defined(Py_LIMITED_API)
// A new Python int of the given sign and magnitude limbs (n > 0, top limb nonzero), written
// digit by digit into the int's own storage, as CPython up to 3.11 lays it out (30- or 15-bit
// digits, the sign in ob_size): no byte buffer, no byte-by-byte loop.
PyObject* int_from_limbs(const mp_limb_t* limbs, std::size_t n, bool negative) {
    const std::size_t bits = n * 64 - static_cast<std::size_t>(__builtin_clzll(limbs[n - 1]));
    const std::size_t digits = (bits + PyLong_SHIFT - 1) / PyLong_SHIFT;
    PyLongObject* out = _PyLong_New(static_cast<Py_ssize_t>(digits));
    if (!out) return nullptr;
    unsigned __int128 pending = 0;  // bits read from the limbs, not yet written
    int held = 0;
    std::size_t next = 0;
    for (std::size_t k = 0; k < digits; ++k) {
        if (held < PyLong_SHIFT && next < n) {
            pending |= static_cast<unsigned __int128>(limbs[next++]) << held;
            held += 64;
        }
        out->ob_digit[k] = static_cast<digit>(pending & PyLong_MASK);
        pending >>= PyLong_SHIFT;
        held -= PyLong_SHIFT;
    }
    if (negative) Py_SET_SIZE(out, -static_cast<Py_ssize_t>(digits));
    return reinterpret_cast<PyObject*>(out);
}
#endif

// A new reference to the Python int of `value`: a machine word through PyLong_FromLong (the
// common case, read straight from GMP's fields), longer ones from GMP's limbs (int_from_limbs,
// or as their bytes on other Pythons; mpz_export's byte-by-byte loop was a tenth of a 4-D walk).
PyObject* new_py_int(const Z& value) {
    long small = 0;
    if (small_value(value, small)) return PyLong_FromLong(small);
    const __mpz_struct* z = value.get_mpz_t();
    const std::size_t limbs = static_cast<std::size_t>(z->_mp_size < 0 ? -z->_mp_size : z->_mp_size);
#if PY_VERSION_HEX < 0x030c0000 && !defined(Py_LIMITED_API)
    return int_from_limbs(z->_mp_d, limbs, z->_mp_size < 0);
#else
    std::vector<unsigned char> buffer(limbs * sizeof(mp_limb_t));
    std::size_t bytes = 0;
    mpz_export(buffer.data(), &bytes, -1, 1, 0, 0, z);
    PyObject* magnitude = _PyLong_FromByteArray(buffer.data(), bytes, 1, 0);
    if (!magnitude || z->_mp_size > 0) return magnitude;
    PyObject* out = PyNumber_Negative(magnitude);
    Py_DECREF(magnitude);
    return out;
#endif
}

// A new reference to the tuple of the row's ints (null with a Python error set).
PyObject* new_py_row(const Row& row) {
    PyObject* out = PyTuple_New(static_cast<Py_ssize_t>(row.size()));
    if (!out) return nullptr;
    for (std::size_t i = 0; i < row.size(); ++i) {
        PyObject* v = new_py_int(row[i]);
        if (!v) {
            Py_DECREF(out);
            return nullptr;
        }
        PyTuple_SET_ITEM(out, static_cast<Py_ssize_t>(i), v);
    }
    return out;
}

py::object steal_or_throw(PyObject* object) {
    if (!object) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(object);
}

}  // namespace

py::object z_to_py(const Z& value) { return steal_or_throw(new_py_int(value)); }

namespace {

// A sequence's items read in place (a tuple or list as it is, anything else listed once).
class FastSequence {
  public:
    explicit FastSequence(py::handle seq)
        : seq_(steal_or_throw(PySequence_Fast(seq.ptr(), "expected a sequence"))) {}
    std::size_t size() const { return static_cast<std::size_t>(PySequence_Fast_GET_SIZE(seq_.ptr())); }
    py::handle operator[](std::size_t i) const {
        return PySequence_Fast_GET_ITEM(seq_.ptr(), static_cast<Py_ssize_t>(i));
    }

  private:
    py::object seq_;
};

}  // namespace

void ints_from_py(py::handle seq, std::vector<int>& out) {
    const FastSequence items(seq);
    out.resize(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        PyObject* v = items[i].ptr();
        if (!PyLong_Check(v)) throw py::type_error("expected an int");
        const long value = PyLong_AsLong(v);
        if (value == -1 && PyErr_Occurred()) throw py::error_already_set();
        if (value < INT_MIN || value > INT_MAX) throw py::value_error(std::to_string(value) + " is out of range");
        out[i] = static_cast<int>(value);
    }
}

Row row_from_py(py::handle row) {
    const FastSequence items(row);
    Row out(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) out[i] = z_from_py(items[i]);
    return out;
}

Rows rows_from_py(py::handle rows) {
    const FastSequence items(rows);
    Rows out;
    out.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) out.push_back(row_from_py(items[i]));
    return out;
}

py::tuple row_to_py(const Row& row) {
    return py::reinterpret_steal<py::tuple>(steal_or_throw(new_py_row(row)).release());
}

namespace {

// The tuple of make(row) for every row; make returns a new reference, or null with a Python error set.
template <class Make>
py::tuple tuple_of_rows(const Rows& rows, Make make) {
    PyObject* out = PyTuple_New(static_cast<Py_ssize_t>(rows.size()));
    if (!out) throw py::error_already_set();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        PyObject* row = make(rows[i]);
        if (!row) {
            Py_DECREF(out);
            throw py::error_already_set();
        }
        PyTuple_SET_ITEM(out, static_cast<Py_ssize_t>(i), row);
    }
    return py::reinterpret_steal<py::tuple>(out);
}

}  // namespace

py::tuple rows_to_py(const Rows& rows) { return tuple_of_rows(rows, new_py_row); }

namespace {

// A multiply-add per limb, mixed once at the end (the slot is read from the low bits).
std::uint64_t row_hash(const Row& row) {
    std::uint64_t h = row.size();
    for (const Z& v : row) {
        const __mpz_struct* z = v.get_mpz_t();
        h = (h + static_cast<std::uint64_t>(static_cast<std::int64_t>(z->_mp_size))) * 0x9e3779b97f4a7c15ULL;
        for (int i = 0, n = std::abs(z->_mp_size); i < n; ++i) h = (h + z->_mp_d[i]) * 0x9e3779b97f4a7c15ULL;
    }
    h ^= h >> 32;
    h *= 0xff51afd7ed558ccdULL;
    return h ^ (h >> 29);
}

// Whether `key` (as RowTuples::Slot keeps it) is `row`.
bool same_row(const std::vector<mp_limb_t>& key, const Row& row) {
    if (key.empty() || key[0] != row.size()) return false;
    std::size_t at = 1;
    for (const Z& v : row) {
        const __mpz_struct* z = v.get_mpz_t();
        const std::size_t n = static_cast<std::size_t>(std::abs(z->_mp_size));
        if (at + 1 + n > key.size() || key[at] != static_cast<mp_limb_t>(static_cast<long>(z->_mp_size)))
            return false;
        for (std::size_t i = 0; i < n; ++i)
            if (key[at + 1 + i] != z->_mp_d[i]) return false;
        at += 1 + n;
    }
    return at == key.size();
}

void set_key(std::vector<mp_limb_t>& key, const Row& row) {
    std::size_t limbs = 1 + row.size();
    for (const Z& v : row) limbs += static_cast<std::size_t>(std::abs(v.get_mpz_t()->_mp_size));
    key.resize(limbs);
    key[0] = row.size();
    std::size_t at = 1;
    for (const Z& v : row) {
        const __mpz_struct* z = v.get_mpz_t();
        const std::size_t n = static_cast<std::size_t>(std::abs(z->_mp_size));
        key[at] = static_cast<mp_limb_t>(static_cast<long>(z->_mp_size));
        std::copy(z->_mp_d, z->_mp_d + n, key.begin() + static_cast<std::ptrdiff_t>(at + 1));
        at += 1 + n;
    }
}

}  // namespace

RowTuples::RowTuples(std::size_t slots) : slots_(slots) {
    if (slots == 0 || (slots & (slots - 1)) != 0) throw std::invalid_argument("the slots of RowTuples are a power of two");
}

PyObject* RowTuples::row(const Row& row) {
    const std::uint64_t hash = row_hash(row);
    Slot& slot = slots_[static_cast<std::size_t>(hash) & (slots_.size() - 1)];
    if (slot.tuple && slot.hash == hash && same_row(slot.key, row)) return slot.tuple.inc_ref().ptr();
    PyObject* made = new_py_row(row);
    if (!made) return nullptr;
    slot.hash = hash;
    set_key(slot.key, row);
    slot.tuple = py::reinterpret_borrow<py::object>(made);
    return made;
}

void RowTuples::clear() {
    for (Slot& slot : slots_) slot.tuple = py::object();
}

py::tuple RowTuples::rows(const Rows& rows) {
    return tuple_of_rows(rows, [this](const Row& r) { return row(r); });
}

}  // namespace polyregions
