#include "pybind.hpp"
#include "vipreport/summary.hpp"

namespace vipreport::bindings {

void bind_summary(py::module_& m) {
    m.def("summarize",
          [](const Column<int32_t>& values) {
              const int32_t* v = column_data(values, "values");
              const auto n = static_cast<std::size_t>(values.size());
              Summary s{};
              {
                  py::gil_scoped_release release;
                  s = summarize(v, n);
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
