// Python ints <-> GMP integers, and tuples of them <-> rows.
//
// Small values (the common case) go through a C long, read from GMP's fields; longer ones through
// their little-endian magnitude bytes and a sign, exactly.
#pragma once

#include <pybind11/pybind11.h>

#include <vector>

#include "rows.hpp"

namespace polyregions {

namespace py = pybind11;

Z z_from_py(py::handle value);
// The ints of a sequence (a tuple or list read in place) as machine ints, each checked to fit.
void ints_from_py(py::handle seq, std::vector<int>& out);
py::object z_to_py(const Z& value);
Row row_from_py(py::handle row);
Rows rows_from_py(py::handle rows);
py::tuple row_to_py(const Row& row);
py::tuple rows_to_py(const Rows& rows);

}  // namespace polyregions
