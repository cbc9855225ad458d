#include "pybind.hpp"
#include "vipreport/digest.hpp"

namespace vipreport::bindings {

void bind_digest(py::module_& m) {
    m.def(
        "digest",
        [](const py::array& data) {
            const auto bytes = column<uint8_t>(data, "data");
            std::array<uint64_t, 2> out;
            {
                py::gil_scoped_release release;
                out = digest(bytes.data(), static_cast<std::size_t>(bytes.size()));
            }
            return std::make_tuple(out[0], out[1]);
        },
        py::arg("data"),
        "A 128-bit digest (two uint64) of a uint8 array's bytes, to key memoised work on a column's "
        "contents.");
}

}  // namespace vipreport::bindings
