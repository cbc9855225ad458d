#include "pybind.hpp"
#include "vipreport/summary.hpp"

namespace vipreport::bindings {

void bind_summary(py::module_& m) {
    m.def(
        "summarize",
        [](const py::array& values) {
            const auto v = column<int32_t>(values, "values");
            Summary s{};
            {
                py::gil_scoped_release release;
                s = summarize(v.data(), static_cast<std::size_t>(v.size()));
            }
            py::dict out;
            out["count"] = s.count;
            out["mean"] = s.mean;
            out["std"] = s.stddev;
            out["median"] = s.median;
            out["min"] = s.min;
            out["max"] = s.max;
            return out;
        },
        py::arg("values"));
}

}  // namespace vipreport::bindings
