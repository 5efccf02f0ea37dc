#include "pyints.hpp"

#include <vector>

namespace {

// _PyLong_AsByteArray (little-endian, unsigned) across the signature change of Python 3.13.
int as_byte_array(PyObject* value, unsigned char* out, std::size_t bytes) {
#if PY_VERSION_HEX >= 0x030d0000
    return _PyLong_AsByteArray(reinterpret_cast<PyLongObject*>(value), out, bytes, 1, 0, 1);
#else
    return _PyLong_AsByteArray(reinterpret_cast<PyLongObject*>(value), out, bytes, 1, 0);
#endif
}

}  // namespace

namespace polyregions {

Z z_from_py(py::handle value) {
    if (!PyLong_Check(value.ptr())) throw py::type_error("expected an int");
    int overflow = 0;
    const long small = PyLong_AsLongAndOverflow(value.ptr(), &overflow);
    if (!overflow) {
        if (small == -1 && PyErr_Occurred()) throw py::error_already_set();
        return Z(small);
    }
    // Longer values cross as their little-endian magnitude bytes (no text, no parsing).
    py::object magnitude = py::reinterpret_steal<py::object>(PyNumber_Absolute(value.ptr()));
    if (!magnitude) throw py::error_already_set();
    const std::size_t bytes = (_PyLong_NumBits(magnitude.ptr()) + 7) / 8;
    std::vector<unsigned char> buffer(bytes);
    if (as_byte_array(magnitude.ptr(), buffer.data(), bytes) != 0) throw py::error_already_set();
    Z out;
    mpz_import(out.get_mpz_t(), bytes, -1, 1, 0, 0, buffer.data());
    if (_PyLong_Sign(value.ptr()) < 0) mpz_neg(out.get_mpz_t(), out.get_mpz_t());
    return out;
}

py::object z_to_py(const Z& value) {
    if (value.fits_slong_p()) return py::reinterpret_steal<py::object>(PyLong_FromLong(value.get_si()));
    std::size_t bytes = 0;
    std::vector<unsigned char> buffer((mpz_sizeinbase(value.get_mpz_t(), 2) + 7) / 8);
    mpz_export(buffer.data(), &bytes, -1, 1, 0, 0, value.get_mpz_t());
    PyObject* magnitude = _PyLong_FromByteArray(buffer.data(), bytes, 1, 0);
    if (!magnitude) throw py::error_already_set();
    if (sgn(value) > 0) return py::reinterpret_steal<py::object>(magnitude);
    PyObject* out = PyNumber_Negative(magnitude);
    Py_DECREF(magnitude);
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
