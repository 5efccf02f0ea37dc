// Python ints <-> GMP integers, and tuples of them <-> rows.
//
// Small values (the common case) go through a C long, read from GMP's fields; longer ones through
// their little-endian magnitude bytes and a sign, exactly.
#pragma once

#include <pybind11/pybind11.h>

#include <cstdint>
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

// The tuples of rows handed to Python recently, found again by their entries: consecutive
// regions share most of their vertices and facets, and a row met again is the same tuple
// (immutable, equal, of the same ints) instead of new ints. A direct-mapped table of
// `slots` rows (a power of two); a row whose slot holds another is made afresh and replaces it.
// Its tuples live as long as the table or until clear().
class RowTuples {
  public:
    explicit RowTuples(std::size_t slots = 4096);
    py::tuple rows(const Rows& rows);
    // Forget every row (their tuples are let go).
    void clear();

  private:
    struct Slot {
        std::uint64_t hash = 0;
        std::vector<mp_limb_t> key;  // the row: its width, then each entry's signed limb count and limbs
        py::object tuple;
    };
    // A new reference to the tuple of `row` (null with a Python error set).
    PyObject* row(const Row& row);
    std::vector<Slot> slots_;
};

}  // namespace polyregions
