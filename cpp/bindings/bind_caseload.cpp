#include "pybind.hpp"
#include "vipreport/caseload.hpp"

namespace vipreport::bindings {

void bind_caseload(py::module_& m) {
    ResultClass<CaseloadCounts>(m, "CaseloadCounts", "caseload's result: one row per month.")
        .array("active_last_day", &CaseloadCounts::active_last_day,
               "Distinct persons active on the month's last day (int64).")
        .array("average_daily", &CaseloadCounts::average_daily,
               "Mean over the month's days of the distinct persons active (float64).");
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
            return counts;
        },
        py::arg("person"), py::arg("start"), py::arg("end"), py::kw_only(), py::arg("first_month"),
        py::arg("n_months"));
}

}  // namespace vipreport::bindings
