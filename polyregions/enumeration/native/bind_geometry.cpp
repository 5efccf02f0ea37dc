// Python bindings of the n-D geometry (incidence cuts, cddlib descriptions), for
// the tests that compare them with the Python reference.
//
// Rows cross as tuples of tuples of Python ints, converted as the kernel's own
// bindings convert them (pyints.hpp), so integers of any length round-trip exactly.
#include <pybind11/pybind11.h>

#include <string>

#include "description.hpp"
#include "incidence.hpp"
#include "pyints.hpp"

namespace py = pybind11;

namespace polyregions {

namespace {

// A row of `width` ints (width < 0: any); `what` names it in the error.
Row to_row(py::handle seq, long width, const std::string& what) {
    Row row;
    for (py::handle v : py::iter(seq)) row.push_back(z_from_py(v));
    if (width >= 0 && static_cast<long>(row.size()) != width)
        throw py::value_error(what + " has " + std::to_string(row.size()) + " entries, expected " +
                              std::to_string(width));
    return row;
}

Rows to_rows(py::handle seq, long width, const std::string& what) {
    Rows rows;
    std::size_t i = 0;
    for (py::handle r : py::iter(seq)) rows.push_back(to_row(r, width, what + " " + std::to_string(i++)));
    return rows;
}

long checked_dim(int dim) {
    if (dim < 1) throw py::value_error("dimension must be at least 1, got " + std::to_string(dim));
    return dim + 1;
}

py::object bounded_cut(py::handle facets, py::handle points, py::handle cut, int cut_id, int dim,
                       int first_id) {
    const long width = checked_dim(dim);
    auto poly = BoundedPolytope::from_generators(to_rows(facets, width, "facet"),
                                                 to_rows(points, width, "point"), first_id);
    // The copying overload here, the moving one in bounded_cuts: the tests cover both.
    auto result = cut_polytope(poly, to_row(cut, width, "cut"), cut_id, dim);
    if (!result) return py::none();
    return py::make_tuple(rows_to_py(result->points()), rows_to_py(result->facet_row_refs()));
}

py::tuple with_incidence(const BoundedPolytope& poly) {
    py::tuple incidence(poly.points().size());
    for (std::size_t k = 0; k < poly.points().size(); ++k) {
        const std::vector<int> slots = poly.incidence(k);
        py::tuple t(slots.size());
        for (std::size_t s = 0; s < slots.size(); ++s) t[s] = py::int_(slots[s]);
        incidence[k] = t;
    }
    return py::make_tuple(rows_to_py(poly.points()), rows_to_py(poly.facet_row_refs()), incidence);
}

// The cuts one after the other, each with the next free facet id, as
// IncidenceCell.cut does; also the incidence (facet positions of each vertex).
py::object bounded_cuts(py::handle facets, py::handle points, py::handle cuts, int dim) {
    const long width = checked_dim(dim);
    auto poly = BoundedPolytope::from_generators(to_rows(facets, width, "facet"),
                                                 to_rows(points, width, "point"));
    for (const Row& cut : to_rows(cuts, width, "cut")) {
        const int id = poly.next_id();
        auto next = cut_polytope(std::move(poly), cut, id, dim);
        if (!next) return py::none();
        poly = std::move(*next);
    }
    return with_incidence(poly);
}

// One polytope cut by each cut on its own (with its next free facet id), as the
// cells of a split read their parent: the opposite of a cut reuses its vertices.
py::list bounded_cut_each(py::handle facets, py::handle points, py::handle cuts, int dim) {
    const long width = checked_dim(dim);
    const auto poly = BoundedPolytope::from_generators(to_rows(facets, width, "facet"),
                                                       to_rows(points, width, "point"));
    py::list out;
    for (const Row& cut : to_rows(cuts, width, "cut")) {
        auto result = cut_polytope(poly, cut, poly.next_id(), dim);
        if (result) out.append(with_incidence(*result));
        else out.append(py::none());
    }
    return out;
}

// A split of one polytope as the walk makes it: by `cut` taking the vertices only it keeps
// (cut_polytope_before_opposite), then by -cut taking the rest apart: [first, second], each
// None or (points, facet_rows, incidence).
py::list bounded_split(py::handle facets, py::handle points, py::handle cut, int dim) {
    const long width = checked_dim(dim);
    auto poly = BoundedPolytope::from_generators(to_rows(facets, width, "facet"),
                                                 to_rows(points, width, "point"));
    const Row row = to_row(cut, width, "cut");
    Row minus(row.size());
    for (std::size_t c = 0; c < row.size(); ++c) minus[c] = -row[c];
    const int id = poly.next_id();
    BoundedPolytope first;
    const CutOutcome outcome = cut_polytope_before_opposite(poly, row, id, dim, first);
    py::list out;
    if (outcome == CutOutcome::cut) out.append(with_incidence(first));
    else if (outcome == CutOutcome::unchanged) out.append(with_incidence(poly));
    else out.append(py::none());
    auto second = cut_polytope(std::move(poly), minus, id, dim);
    if (second) out.append(with_incidence(*second));
    else out.append(py::none());
    return out;
}

py::object description_cut(py::handle facets, py::handle points, py::handle rays, py::handle lines,
                           py::handle cuts, int dim) {
    const long width = checked_dim(dim);
    Description cell = from_domain(to_rows(facets, width, "facet"), to_rows(points, width, "point"),
                                   to_rows(rays, width, "ray"), to_rows(lines, width, "line"));
    auto result = cut_description(cell, to_rows(cuts, width, "cut"), dim);
    if (!result) return py::none();
    return py::make_tuple(rows_to_py(result->facets), rows_to_py(result->points),
                          rows_to_py(result->rays), rows_to_py(result->lines));
}

py::object generators(py::handle rows, int dim) {
    Generators g = double_description(to_rows(rows, checked_dim(dim), "row"), dim);
    return py::make_tuple(rows_to_py(g.points), rows_to_py(g.rays), rows_to_py(g.lines));
}

}  // namespace

void bind_geometry(py::module_& m) {
    m.def("bounded_cut", &bounded_cut, py::arg("facets"), py::arg("points"), py::arg("cut"),
          py::arg("cut_id"), py::arg("dim"), py::arg("first_id") = 0,
          "cut_polytope of BoundedPolytope.from_generators(facets, points, first_id): "
          "None or (points, facet_rows).");
    m.def("bounded_cuts", &bounded_cuts, py::arg("facets"), py::arg("points"), py::arg("cuts"),
          py::arg("dim"),
          "IncidenceCell.cut: None or (points, facet_rows, incidence as facet positions).");
    m.def("bounded_cut_each", &bounded_cut_each, py::arg("facets"), py::arg("points"),
          py::arg("cuts"), py::arg("dim"),
          "One polytope cut by each cut alone: a list of None or (points, facet_rows, incidence).");
    m.def("bounded_split", &bounded_split, py::arg("facets"), py::arg("points"), py::arg("cut"),
          py::arg("dim"),
          "One polytope cut by `cut`, then by its opposite, as a split in the walk: a list of two "
          "None or (points, facet_rows, incidence).");
    m.def("description_cut", &description_cut, py::arg("facets"), py::arg("points"), py::arg("rays"),
          py::arg("lines"), py::arg("cuts"), py::arg("dim"),
          "DescriptionCell.cut: None or (facets, points, rays, lines).");
    m.def("double_description", &generators, py::arg("rows"), py::arg("dim"),
          "polytope.double_description: (points, rays, lines).");
}

}  // namespace polyregions
