// Python bindings of the n-D geometry (incidence cuts and cddlib descriptions), for tests.
#include <pybind11/pybind11.h>

namespace polyregions {

void bind_geometry(pybind11::module_& m);

}  // namespace polyregions
