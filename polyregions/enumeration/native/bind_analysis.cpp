// Python bindings of the analysis helpers (maps.hpp, classes.hpp, genericity.hpp), for
// polyregions/analysis/; rows cross as tuples of Python ints.
#include <pybind11/pybind11.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "classes.hpp"
#include "genericity.hpp"
#include "kernel.hpp"
#include "layers_from_py.hpp"
#include "maps.hpp"
#include "pyints.hpp"
#include "regions.hpp"

namespace py = pybind11;

namespace polyregions {

namespace {

py::tuple classes_of(const RegionTable& table, std::size_t region, py::handle outputs) {
    const RegionGenerators& g = table.at(region);
    const std::vector<int> alive = undominated_classes(rows_from_py(outputs), g.points, g.rays, g.lines);
    py::tuple out(alive.size());
    for (std::size_t i = 0; i < alive.size(); ++i) out[i] = py::int_(alive[i]);
    return out;
}

// (classes, differences): classes_of, and class_differences of those classes.
py::tuple classes_and_differences(const RegionTable& table, std::size_t region, py::handle outputs) {
    const RegionGenerators& g = table.at(region);
    const Rows rows = rows_from_py(outputs);
    const std::vector<int> alive = undominated_classes(rows, g.points, g.rays, g.lines);
    py::tuple classes(alive.size());
    for (std::size_t i = 0; i < alive.size(); ++i) classes[i] = py::int_(alive[i]);
    return py::make_tuple(classes, rows_to_py(class_differences(rows, alive)));
}

// Patterns read from Python one after another: the walk's records share the tuple of every
// layer whose choices did not change since the region before, and such a layer (the very
// same tuple, held here: immutable) is not read again.
class PatternReader {
  public:
    const Pattern& read(py::handle pattern) {
        // A tuple as it is (a new reference), any other sequence as a tuple.
        const auto layers = py::reinterpret_steal<py::tuple>(PySequence_Tuple(pattern.ptr()));
        if (!layers) throw py::error_already_set();
        const std::size_t n = layers.size();
        pattern_.resize(n);
        seen_.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            const py::handle layer = PyTuple_GET_ITEM(layers.ptr(), static_cast<Py_ssize_t>(i));
            if (seen_[i].ptr() == layer.ptr()) continue;
            ints_from_py(layer, pattern_[i]);
            seen_[i] = PyTuple_CheckExact(layer.ptr()) ? py::reinterpret_borrow<py::object>(layer) : py::object();
        }
        return pattern_;
    }

  private:
    Pattern pattern_;
    std::vector<py::object> seen_;  // by layer: the object pattern_'s choices were read from
};

Pattern pattern_from_py(py::handle pattern) { return PatternReader().read(pattern); }

std::shared_ptr<LayerMaps> make_maps(int dim, const py::sequence& layers, const py::sequence& has_pattern,
                                     py::handle den, py::handle rows) {
    std::vector<LayerData> data = layers_from_py(layers);
    std::vector<char> flags;
    for (py::handle f : has_pattern) flags.push_back(f.cast<bool>() ? 1 : 0);
    auto start = std::make_shared<MapData>(z_from_py(den), rows_from_py(rows));
    return std::make_shared<LayerMaps>(std::make_shared<const Kernel>(dim, std::move(data), Options{}),
                                       std::move(flags), std::move(start));
}

}  // namespace

void bind_analysis(py::module_& m) {
    py::class_<LayerMaps, std::shared_ptr<LayerMaps>>(m, "LayerMaps")
        .def(py::init(&make_maps), py::arg("dim"), py::arg("layers"), py::arg("has_pattern"),
             py::arg("den"), py::arg("rows"),
             "A network's layer maps by pattern: layers as (rows, slices, den), whether each has a "
             "pattern, and the domain's map (den, rows) into the input space.")
        .def("output",
             [](LayerMaps& maps, py::handle pattern) {
                 MapPtr map = maps.output(pattern_from_py(pattern));
                 return py::make_tuple(z_to_py(map->den), rows_to_py(map->rows()));
             },
             py::arg("pattern"), "The output map on the pattern, (den, rows) in lowest terms.")
        .def("outputs",
             [](LayerMaps& maps, const py::sequence& patterns) {
                 py::list out;
                 PatternReader reader;
                 for (py::handle pattern : patterns) {
                     MapPtr map = maps.output(reader.read(pattern));
                     out.append(py::make_tuple(z_to_py(map->den), rows_to_py(map->rows())));
                 }
                 return out;
             },
             py::arg("patterns"), "output of every pattern, in one call: a list.");

    py::class_<RegionTable>(m, "RegionTable")
        .def(py::init<int>(), py::arg("dim"), "Regions' generators, converted once (see add).")
        .def("add",
             [](RegionTable& t, py::handle points, py::handle rays, py::handle lines) {
                 return t.add({rows_from_py(points), rows_from_py(rays), rows_from_py(lines)});
             },
             py::arg("points"), py::arg("rays"), py::arg("lines"), "Append a region; its index.")
        .def("extend",
             [](RegionTable& t, py::iterable regions) {
                 for (py::handle region : regions) {
                     py::tuple parts = py::reinterpret_borrow<py::tuple>(region);
                     if (parts.size() != 3) throw py::value_error("a region is (points, rays, lines)");
                     t.add({rows_from_py(parts[0]), rows_from_py(parts[1]), rows_from_py(parts[2])});
                 }
             },
             py::arg("regions"), "add every (points, rays, lines) of `regions`, in order.")
        .def("__len__", &RegionTable::size);

    m.def("undominated_classes",
          &classes_of, py::arg("table"), py::arg("region"), py::arg("outputs"),
          "The outputs of a region of the table below no other output at every generator "
          "(identical ones once).");
    m.def("undominated_classes_from",
          [](const RegionTable& table, std::size_t start, const py::sequence& outputs) {
              py::list out;
              for (std::size_t i = 0; i < outputs.size(); ++i)
                  out.append(classes_and_differences(table, start + i, outputs[i]));
              return out;
          },
          py::arg("table"), py::arg("start"), py::arg("outputs"),
          "For the table's regions start, start + 1, ... (region start + i's outputs being "
          "outputs[i]): (undominated_classes, the primitive rows of y_i - y_j for each of those "
          "classes i and each other output j, i then j increasing); a list.");

    py::class_<GenericityScreen>(m, "GenericityScreen")
        .def(py::init([](int dim, const py::sequence& layers, const py::sequence& has_pattern,
                         std::size_t depth, py::handle den, py::handle rows, py::handle domain) {
                 return std::make_unique<GenericityScreen>(make_maps(dim, layers, has_pattern, den, rows),
                                                           depth, rows_from_py(domain));
             }),
             py::arg("dim"), py::arg("layers"), py::arg("has_pattern"), py::arg("depth"), py::arg("den"),
             py::arg("rows"), py::arg("domain"),
             "The genericity certificate of a network in a domain: LayerMaps' arguments, the depth "
             "(one past the last layer with a pattern) and the domain's facet rows.")
        .def(py::init([](std::shared_ptr<LayerMaps> maps, std::size_t depth, py::handle domain) {
                 return std::make_unique<GenericityScreen>(std::move(maps), depth, rows_from_py(domain));
             }),
             py::arg("maps").none(false), py::arg("depth"), py::arg("domain"),
             "The same on the layer maps of the output maps (LayerMaps), sharing the contexts they "
             "composed.")
        .def("passes",
             [](GenericityScreen& s, const RegionTable& table, std::size_t region, py::handle pattern) {
                 const RegionGenerators& g = table.at(region);
                 return s.passes(pattern_from_py(pattern), g.points, g.rays, g.lines);
             },
             py::arg("table"), py::arg("region"), py::arg("pattern"),
             "True when the region of the table (with this pattern) certainly passes every "
             "genericity check; False: ask the Python checker.")
        .def("passes_from",
             [](GenericityScreen& s, const RegionTable& table, std::size_t start, const py::sequence& patterns) {
                 py::list out;
                 PatternReader reader;
                 for (std::size_t i = 0; i < patterns.size(); ++i) {
                     const RegionGenerators& g = table.at(start + i);
                     out.append(py::bool_(s.passes(reader.read(patterns[i]), g.points, g.rays, g.lines)));
                 }
                 return out;
             },
             py::arg("table"), py::arg("start"), py::arg("patterns"),
             "passes of the table's regions start, start + 1, ..., region start + i's pattern being "
             "patterns[i]: a list.");
}

}  // namespace polyregions
