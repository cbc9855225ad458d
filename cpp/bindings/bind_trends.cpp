#include "pybind.hpp"
#include "vipreport/trends.hpp"

namespace vipreport::bindings {

void bind_trends(py::module_& m) {
    m.def(
        "linear_trends",
        [](const py::array& series, double confidence) {
            const Grid<double> values = grid<double>(series, "series");
            std::vector<LinearTrend> fits;
            {
                py::gil_scoped_release release;
                fits = linear_trends(values, confidence);
            }
            py::dict out;
            std::vector<double> intercept, slope, se, lo, hi;
            std::vector<uint8_t> significant;
            for (const auto& f : fits) {
                intercept.push_back(f.intercept);
                slope.push_back(f.slope);
                se.push_back(f.slope_se);
                lo.push_back(f.ci_low);
                hi.push_back(f.ci_high);
                significant.push_back(f.significant);
            }
            out["intercept"] = to_numpy(std::move(intercept));
            out["slope"] = to_numpy(std::move(slope));
            out["slope_se"] = to_numpy(std::move(se));
            out["ci_low"] = to_numpy(std::move(lo));
            out["ci_high"] = to_numpy(std::move(hi));
            out["significant"] = to_numpy(std::move(significant));
            return out;
        },
        py::arg("series"), py::kw_only(), py::arg("confidence") = 0.95);
}

}  // namespace vipreport::bindings
