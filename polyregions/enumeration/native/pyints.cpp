#include "pyints.hpp"

#include <string>

namespace polyregions {

Z z_from_py(py::handle value) {
    if (!PyLong_Check(value.ptr())) throw py::type_error("expected an int");
    int overflow = 0;
    const long small = PyLong_AsLongAndOverflow(value.ptr(), &overflow);
    if (!overflow) {
        if (small == -1 && PyErr_Occurred()) throw py::error_already_set();
        return Z(small);
    }
    py::object text = py::reinterpret_steal<py::object>(PyNumber_ToBase(value.ptr(), 16));
    if (!text) throw py::error_already_set();
    Z out;
    // Base 0 reads the "0x" / "-0x" prefix Python writes.
    if (mpz_set_str(out.get_mpz_t(), PyUnicode_AsUTF8(text.ptr()), 0) != 0)
        throw py::value_error("cannot read a Python int as a GMP integer");
    return out;
}

py::object z_to_py(const Z& value) {
    if (value.fits_slong_p()) return py::reinterpret_steal<py::object>(PyLong_FromLong(value.get_si()));
    std::string text = value.get_str(16);
    PyObject* out = PyLong_FromString(text.c_str(), nullptr, 16);
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
