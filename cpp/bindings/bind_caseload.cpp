#include "pybind.hpp"
#include "vipreport/caseload.hpp"

namespace vipreport::bindings {

void bind_caseload(py::module_& m) {
    m.def(
        "caseload",
        [](const py::array& person, const py::array& start, const py::array& end, int32_t first_month,
           int32_t n_months) {
            const auto p = column<int64_t>(person, "person");
            const auto s = column<int32_t>(start, "start");
            const auto e = column<int32_t>(end, "end");
            const auto n = static_cast<std::size_t>(p.size());
            check_same_length(n, static_cast<std::size_t>(s.size()), "start");
            check_same_length(n, static_cast<std::size_t>(e.size()), "end");
            CaseloadCounts counts;
            {
                py::gil_scoped_release release;
                counts = caseload(p.data(), s.data(), e.data(), n, first_month, n_months);
            }
            py::dict out;
            out["active_last_day"] = to_numpy(std::move(counts.active_last_day));
            out["average_daily"] = to_numpy(std::move(counts.average_daily));
            return out;
        },
        py::arg("person"), py::arg("start"), py::arg("end"), py::kw_only(), py::arg("first_month"),
        py::arg("n_months"));
}

}  // namespace vipreport::bindings
