#include "pyints.hpp"

#include <vector>

namespace polyregions {

Z z_from_py(py::handle value) {
    if (!PyLong_Check(value.ptr())) throw py::type_error("expected an int");
    int overflow = 0;
    const long small = PyLong_AsLongAndOverflow(value.ptr(), &overflow);
    if (!overflow) {
        if (small == -1 && PyErr_Occurred()) throw py::error_already_set();
        return Z(small);
    }
    const std::size_t n = static_cast<std::size_t>(_PyLong_NumBits(value.ptr())) / 8 + 1;
    std::vector<unsigned char> bytes(n);
    if (_PyLong_AsByteArray(reinterpret_cast<PyLongObject*>(value.ptr()), bytes.data(), n, 1, 1) < 0)
        throw py::error_already_set();
    const bool negative = overflow < 0;
    if (negative) {
        // |v| = ~(v - 1): complement the bytes and add one, in place.
        for (unsigned char& b : bytes) b = static_cast<unsigned char>(~b);
        for (unsigned char& b : bytes)
            if (++b != 0) break;
    }
    Z out;
    mpz_import(out.get_mpz_t(), n, -1, 1, 0, 0, bytes.data());
    if (negative) mpz_neg(out.get_mpz_t(), out.get_mpz_t());
    return out;
}

py::object z_to_py(const Z& value) {
    long small = 0;
    if (small_value(value, small)) return py::reinterpret_steal<py::object>(PyLong_FromLong(small));
    // Magnitude bytes plus a zero byte, so that the two's complement fits one more bit.
    const std::size_t n = mpz_sizeinbase(value.get_mpz_t(), 256) + 1;
    std::vector<unsigned char> bytes(n, 0);
    mpz_export(bytes.data(), nullptr, -1, 1, 0, 0, value.get_mpz_t());
    if (sgn(value) < 0) {
        for (unsigned char& b : bytes) b = static_cast<unsigned char>(~b);
        for (unsigned char& b : bytes)
            if (++b != 0) break;
    }
    PyObject* out = _PyLong_FromByteArray(bytes.data(), n, 1, 1);
    if (!out) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(out);
}
Row row_from_py(py::handle row) {
    py::sequence seq = py::reinterpret_borrow<py::sequence>(row);
    Row out;
    out.reserve(seq.size());
    for (py::handle v : seq) out.push_back(z_from_py(v));
    return out;
}

Rows rows_from_py(py::handle rows) {
    py::sequence seq = py::reinterpret_borrow<py::sequence>(rows);
    Rows out;
    out.reserve(seq.size());
    for (py::handle r : seq) out.push_back(row_from_py(r));
    return out;
}

py::tuple row_to_py(const Row& row) {
    py::tuple out(row.size());
    for (std::size_t i = 0; i < row.size(); ++i) out[i] = z_to_py(row[i]);
    return out;
}

py::tuple rows_to_py(const Rows& rows) {
    py::tuple out(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) out[i] = row_to_py(rows[i]);
    return out;
}

}  // namespace polyregions
