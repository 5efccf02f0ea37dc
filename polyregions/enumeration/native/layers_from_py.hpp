// A network's layers as the Python side hands them over: (rows, slices, den) per layer.
#pragma once

#include <utility>
#include <vector>

#include "kernel.hpp"
#include "pyints.hpp"

namespace polyregions {

// The layers of a sequence of (rows, slices, den) tuples, each checked by make_layer.
inline std::vector<LayerData> layers_from_py(const py::sequence& layers) {
    std::vector<LayerData> data;
    for (py::handle layer : layers) {
        py::tuple parts = py::reinterpret_borrow<py::tuple>(layer);
        std::vector<std::pair<std::size_t, std::size_t>> slices;
        for (py::handle s : py::iter(parts[1]))
            slices.emplace_back(s.cast<std::pair<std::size_t, std::size_t>>());
        data.push_back(make_layer(rows_from_py(parts[0]), std::move(slices), z_from_py(parts[2])));
    }
    return data;
}

}  // namespace polyregions
