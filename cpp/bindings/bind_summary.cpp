#include "pybind.hpp"
#include "vipreport/summary.hpp"

namespace vipreport::bindings {

void bind_summary(py::module_& m) {
    ResultClass<Summary>(m, "Summary", "summarize's result: statistics of an integer column.")
        .scalar("count", &Summary::count, "Number of values.")
        .scalar("mean", &Summary::mean, "Mean; NaN for no values.")
        .scalar("std", &Summary::stddev, "Sample standard deviation; NaN for fewer than two values.")
        .scalar("median", &Summary::median, "Exact median; NaN for no values.")
        .scalar("min", &Summary::min, "Smallest value; NaN for no values.")
        .scalar("max", &Summary::max, "Largest value; NaN for no values.");
    m.def(
        "summarize",
        [](const py::array& values) {
            const auto v = column<int32_t>(values, "values");
            Summary s{};
            {
                py::gil_scoped_release release;
                s = summarize(v.data(), static_cast<std::size_t>(v.size()));
            }
            return s;
        },
        py::arg("values"));
}

}  // namespace vipreport::bindings
