// The extension module polyregions.enumeration._native: the native kernel's
// Python face. polyregions/enumeration/native.py wraps it into the contract's
// records; only rows of Python ints and small tuples cross here.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>

#include "kernel.hpp"
#include "layers_from_py.hpp"
#include "pyints.hpp"
#include "walk.hpp"

namespace py = pybind11;

namespace polyregions {

void bind_geometry(py::module_& m);
void bind_analysis(py::module_& m);

namespace {

struct CellHandle {
    CellPtr cell;
};

struct ContextHandle {
    ContextPtr context;
};

struct KernelHandle {
    std::shared_ptr<const Kernel> kernel;
};

MapPtr map_from_py(py::handle den, py::handle rows) {
    return std::make_shared<MapData>(z_from_py(den), rows_from_py(rows));
}

Choice choice_from_py(py::handle seq) {
    Choice out;
    for (py::handle v : py::iter(seq)) out.push_back(v.cast<int>());
    return out;
}

py::tuple choice_to_py(const Choice& choice) {
    py::tuple out(choice.size());
    for (std::size_t i = 0; i < choice.size(); ++i) out[i] = py::int_(choice[i]);
    return out;
}

py::tuple cell_parts(const Cell& cell) {
    return py::make_tuple(rows_to_py(cell.facets()), rows_to_py(cell.points()), rows_to_py(cell.rays()),
                          rows_to_py(cell.lines()));
}

CellHandle cell_from_state(const py::tuple& state) {
    if (state.size() != 5) throw py::value_error("a native cell's state has 5 fields");
    const int kind = state[0].cast<int>();
    Rows facets = rows_from_py(state[1]), points = rows_from_py(state[2]);
    switch (kind) {
        case static_cast<int>(CellKind::polygon):
            return {Cell::from_polygon(Polygon::from_rows(points, facets))};
        case static_cast<int>(CellKind::incidence):
            return {Cell::from_polytope(BoundedPolytope::from_generators(facets, points))};
        case static_cast<int>(CellKind::description):
            return {Cell::from_description(from_domain(std::move(facets), std::move(points),
                                                       rows_from_py(state[3]), rows_from_py(state[4])))};
        default:
            throw py::value_error("unknown native cell kind " + std::to_string(kind));
    }
}

KernelHandle make_kernel(int dim, const py::sequence& layers, bool polygon_path, bool incidence_path,
                     bool float_filter) {
    std::vector<LayerData> data = layers_from_py(layers);
    return {std::make_shared<const Kernel>(dim, std::move(data),
                                           Options{polygon_path, incidence_path, float_filter})};
}

py::tuple screen(const KernelHandle& self, ContextHandle& context, const CellHandle& cell, std::size_t first_unit) {
    Screening s = self.kernel->screen(*context.context, *cell.cell, first_unit);
    py::tuple cells(s.cells.size());
    for (std::size_t i = 0; i < s.cells.size(); ++i)
        cells[i] = py::make_tuple(s.cells[i].piece, rows_to_py(copied_rows(s.cells[i].cuts)));
    return py::make_tuple(choice_to_py(s.winners), cells);
}

py::object cut(const KernelHandle& self, const CellHandle& cell, py::handle cuts) {
    Rows rows = rows_from_py(cuts);
    self.kernel->check_widths(rows, "cut");
    CellPtr out = self.kernel->cut(*cell.cell, shared_rows(std::move(rows)));
    if (!out) return py::none();
    return py::cast(CellHandle{std::move(out)});
}

py::tuple next_map(const KernelHandle& self, ContextHandle& context, py::handle chosen) {
    const Context& c = *context.context;
    MapPtr map = self.kernel->next_map(c.layer, *c.map, choice_from_py(chosen), context.context.get());
    return py::make_tuple(z_to_py(map->den), rows_to_py(map->rows()));
}

// A vertex mask (64-bit words, lowest first) as a Python int.
py::object mask_to_py(const std::vector<std::uint64_t>& words) {
    py::object out = py::int_(0);
    for (std::size_t w = words.size(); w-- > 0;) {
        py::object word = py::reinterpret_steal<py::object>(PyLong_FromUnsignedLongLong(words[w]));
        out = w + 1 == words.size() ? word : (out << py::int_(64)) | word;
    }
    return out;
}

// The shared facets of a record as kernel.SharedFacet tuples.
py::tuple shared_to_py(const std::vector<SharedPiece>& shared, const py::object& facet_type) {
    py::tuple out(shared.size());
    for (std::size_t i = 0; i < shared.size(); ++i) {
        const SharedPiece& s = shared[i];
        const auto masks = face_masks(*s.piece);
        py::tuple faces(masks.size());
        for (std::size_t f = 0; f < masks.size(); ++f) faces[f] = mask_to_py(masks[f]);
        out[i] = facet_type(py::int_(s.region), row_to_py(s.row), rows_to_py(s.piece->points()), faces);
    }
    return out;
}

// Python's cyclic garbage collector paused while a batch of records is built: records are
// tuples of ints and tuples, which make no cycles, yet each of their thousands of new tuples
// counts towards the next collection. Collection resumes (as it was) when the batch is done.
class CollectorPause {
  public:
    CollectorPause() : was_enabled_(PyGC_Disable()) {}
    ~CollectorPause() {
        if (was_enabled_) PyGC_Enable();
    }
    CollectorPause(const CollectorPause&) = delete;
    CollectorPause& operator=(const CollectorPause&) = delete;

  private:
    int was_enabled_;
};

// The walk of engine.Job.drain over native work items, handing back records in batches.
// With a `facet_type` (kernel.SharedFacet) it tracks adjacency from unlinked items, and the
// records name the facets they share with earlier ones.
class WalkHandle {
  public:
    WalkHandle(const KernelHandle& kernel, const py::sequence& steps, std::size_t layers, const py::sequence& items,
           py::object record_type, py::object facet_type)
        : record_type_(std::move(record_type)), facet_type_(std::move(facet_type)) {
        std::vector<LayerStep> plan;
        for (py::handle step : steps) {
            py::tuple parts = py::reinterpret_borrow<py::tuple>(step);
            LayerStep s;
            s.has_pattern = parts[0].cast<bool>();
            if (!parts[1].is_none()) s.fixed = choice_from_py(parts[1]);
            plan.push_back(std::move(s));
        }
        std::vector<WorkItem> stack;
        for (py::handle item : items) {
            stack.push_back(work_from_py(py::reinterpret_borrow<py::tuple>(item)));
            if (!facet_type_.is_none()) stack.back().node = std::make_shared<AdjacencyNode>();
        }
        walk_ = std::make_unique<Walk>(kernel.kernel, std::move(plan), layers, std::move(stack));
    }

    py::list records(std::size_t limit, double seconds) {
        py::list out;
        const CollectorPause pause;
        walk_->run(limit, seconds, [&](const WorkItem& work, const std::vector<SharedPiece>& shared) {
            const Cell& cell = *work.cell;
            py::object neighbours = work.node ? py::object(shared_to_py(shared, facet_type_)) : py::none();
            out.append(record({pattern(walk_->pattern(work)), row_tuples_.rows(cell.facets()),
                                row_tuples_.rows(cell.points()), row_tuples_.rows(cell.rays()),
                                row_tuples_.rows(cell.lines()), map_den(work.map), map_rows(work.map),
                                std::move(neighbours)}));
        });
        // The batch's records hold every row kept: kept beyond it, they would be memory a
        // stream of regions never gives back.
        row_tuples_.clear();
        return out;
    }

    py::tuple count(std::size_t limit, double seconds) {
        std::size_t bounded = 0;
        const std::size_t n = walk_->count(limit, seconds, bounded);
        return py::make_tuple(n, bounded);
    }

    bool empty() const { return walk_->empty(); }

    // The work left, bottom of the stack first: (cell, done, current, map_den, map_rows, context).
    py::list remaining() const {
        if (!facet_type_.is_none())
            throw std::logic_error("the remaining work of a walk that tracks adjacency would lose its links");
        py::list out;
        for (const WorkItem& w : walk_->stack()) {
            py::object context = w.context ? py::cast(ContextHandle{w.context}) : py::none();
            py::tuple done(w.done.size());
            for (std::size_t i = 0; i < w.done.size(); ++i) done[i] = choice_to_py(w.done[i]);
            out.append(py::make_tuple(CellHandle{w.cell}, done, choice_to_py(w.current), z_to_py(w.map->den),
                                      rows_to_py(w.map->rows()), context));
        }
        return out;
    }

  private:
    // A record of `record_type_` holding `fields`, made as tuple.__new__ makes an instance of a
    // tuple subclass: a named tuple's own __new__ is Python code, a tenth of a small region's
    // time. Any other record type is called.
    py::object record(std::initializer_list<py::object> fields) const {
        PyObject* type = record_type_.ptr();
        if (!PyType_Check(type) || !PyType_IsSubtype(reinterpret_cast<PyTypeObject*>(type), &PyTuple_Type) ||
            reinterpret_cast<PyTypeObject*>(type)->tp_dictoffset != 0) {
            py::tuple args(fields.size());
            std::size_t i = 0;
            for (const py::object& f : fields) args[i++] = f;
            return record_type_(*args);
        }
        PyTypeObject* t = reinterpret_cast<PyTypeObject*>(type);
        PyObject* out = t->tp_alloc(t, static_cast<Py_ssize_t>(fields.size()));
        if (!out) throw py::error_already_set();
        Py_ssize_t i = 0;
        for (const py::object& f : fields) PyTuple_SET_ITEM(out, i++, f.inc_ref().ptr());
        if (!PyObject_GC_IsTracked(out)) PyObject_GC_Track(out);
        return py::reinterpret_steal<py::object>(out);
    }

    static WorkItem work_from_py(const py::tuple& item) {
        WorkItem w;
        w.cell = item[0].cast<const CellHandle&>().cell;
        for (py::handle layer : py::iter(item[1])) w.done.push_back(choice_from_py(layer));
        w.current = choice_from_py(item[2]);
        if (!item[5].is_none()) {
            w.context = item[5].cast<const ContextHandle&>().context;
            w.map = w.context->map;  // the context's map is the item's: no second conversion
        } else {
            w.map = map_from_py(item[3], item[4]);
        }
        return w;
    }

    // The pattern as nested tuples; consecutive regions share most layers' choices, and
    // the tuples of those are reused.
    py::tuple pattern(const std::vector<Choice>& layers) {
        py::tuple out(layers.size());
        cached_choices_.resize(layers.size());
        cached_layers_.resize(layers.size());
        for (std::size_t i = 0; i < layers.size(); ++i) {
            if (!cached_layers_[i] || cached_choices_[i] != layers[i]) {
                cached_choices_[i] = layers[i];
                cached_layers_[i] = choice_to_py(layers[i]);
            }
            out[i] = cached_layers_[i];
        }
        return out;
    }

    // Consecutive regions mostly share their last map: convert it once.
    py::object map_den(const MapPtr& map) {
        refresh(map);
        return cached_den_;
    }
    py::object map_rows(const MapPtr& map) {
        refresh(map);
        return cached_rows_;
    }
    void refresh(const MapPtr& map) {
        if (map == cached_map_) return;
        cached_map_ = map;
        cached_den_ = z_to_py(map->den);
        cached_rows_ = rows_to_py(map->rows());
    }

    py::object record_type_, facet_type_;
    std::unique_ptr<Walk> walk_;
    MapPtr cached_map_;
    py::object cached_den_, cached_rows_;
    std::vector<Choice> cached_choices_;
    std::vector<py::object> cached_layers_;
    RowTuples row_tuples_;  // neighbouring regions share most vertices and facets
};

}  // namespace

}  // namespace polyregions

using namespace polyregions;  // NOLINT: the module's definitions below name the kernel's types

PYBIND11_MODULE(_native, m) {
    m.doc() = "The native exact kernel of polyregions (see polyregions/enumeration/native.py).";

    py::class_<CellHandle>(m, "Cell")
        .def_property_readonly("kind", [](const CellHandle& c) { return static_cast<int>(c.cell->kind()); })
        .def("report", [](const CellHandle& c) { return cell_parts(*c.cell); },
             "(facets, points, rays, lines) as rows of Python ints")
        .def(py::pickle(
            [](const CellHandle& c) {
                py::tuple parts = cell_parts(*c.cell);
                return py::make_tuple(static_cast<int>(c.cell->kind()), parts[0], parts[1], parts[2],
                                      parts[3]);
            },
            [](const py::tuple& state) { return cell_from_state(state); }));

    py::class_<ContextHandle>(m, "Context")
        .def_property_readonly("layer", [](const ContextHandle& c) { return c.context->layer; })
        .def(py::pickle(
            [](const ContextHandle& c) {
                return py::make_tuple(c.context->layer, z_to_py(c.context->map->den),
                                      rows_to_py(c.context->map->rows()));
            },
            [](const py::tuple& state) {
                return ContextHandle{std::make_shared<Context>(state[0].cast<std::size_t>(),
                                                           map_from_py(state[1], state[2]))};
            }));

    py::class_<KernelHandle>(m, "Kernel")
        .def(py::init(&make_kernel), py::arg("dim"), py::arg("layers"), py::arg("polygon_path"),
             py::arg("incidence_path"), py::arg("float_filter"))
        .def("start",
             [](const KernelHandle& k, py::handle facets, py::handle points, py::handle rays, py::handle lines) {
                 return CellHandle{k.kernel->start(rows_from_py(facets), rows_from_py(points), rows_from_py(rays),
                                               rows_from_py(lines))};
             })
        .def("enter_layer",
             [](const KernelHandle& k, std::size_t layer, py::handle den, py::handle rows) {
                 return ContextHandle{k.kernel->enter_layer(layer, map_from_py(den, rows))};
             })
        .def("screen", &screen)
        .def("cut", &cut)
        .def("next_map", &next_map)
        .def("walk", [](const KernelHandle& k, const py::sequence& steps, std::size_t layers,
                        const py::sequence& items, py::object record_type, py::object facet_type) {
            return std::make_unique<WalkHandle>(k, steps, layers, items, std::move(record_type),
                                                std::move(facet_type));
        }, py::arg("steps"), py::arg("layers"), py::arg("items"), py::arg("record_type"),
           py::arg("facet_type") = py::none());

    py::class_<WalkHandle>(m, "Walk")
        .def("records", &WalkHandle::records, py::arg("limit"), py::arg("seconds"))
        .def("count", &WalkHandle::count, py::arg("limit"), py::arg("seconds"))
        .def("remaining", &WalkHandle::remaining)
        .def_property_readonly("empty", &WalkHandle::empty);

    bind_geometry(m);
    bind_analysis(m);
}
