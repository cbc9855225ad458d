#include "pybind.hpp"
#include "vipreport/engagement.hpp"

namespace vipreport::bindings {

void bind_engagement(py::module_& m) {
    ResultClass<EngagementCounts>(m, "EngagementCounts", "engagement's result: one row per month asked for.")
        .array("notified", &EngagementCounts::notified, "Distinct persons notified in the month (int64).")
        .array("engaged", &EngagementCounts::engaged, "Of those, persons engaged within the window (int64).")
        .array("provisional", &EngagementCounts::provisional,
               "1 where a window is still open at as-of, else 0 (uint8).")
        .array("open", &EngagementCounts::open,
               "Persons per month whose window is still open at as-of (int64).")
        .array("days_to_engagement", &EngagementCounts::days_to_engagement,
               "One entry per engaged (person, month): days from notification to engagement (int32).");
    m.def(
        "engagement",
        [](const py::array& notice_person, const py::array& notice_day, const py::array& service_person,
           const py::array& service_day, const py::array& service_engaging, const py::array& months,
           int32_t window_days, int32_t as_of) {
            const auto np = column<int64_t>(notice_person, "notice_person");
            const auto nd = column<int32_t>(notice_day, "notice_day");
            const auto sp = column<int64_t>(service_person, "service_person");
            const auto sd = column<int32_t>(service_day, "service_day");
            const auto se = column<uint8_t>(service_engaging, "service_engaging");
            const auto mo = column<int32_t>(months, "months");
            const auto n = static_cast<std::size_t>(np.size());
            const auto ns = static_cast<std::size_t>(sp.size());
            check_same_length(n, static_cast<std::size_t>(nd.size()), "notice_day");
            check_same_length(ns, static_cast<std::size_t>(sd.size()), "service_day");
            check_same_length(ns, static_cast<std::size_t>(se.size()), "service_engaging");
            EngagementCounts counts;
            {
                py::gil_scoped_release release;
                counts = engagement(np.data(), nd.data(), n, sp.data(), sd.data(), se.data(), ns, mo.data(),
                                    static_cast<std::size_t>(mo.size()), window_days, as_of);
            }
            return counts;
        },
        py::arg("notice_person"), py::arg("notice_day"), py::arg("service_person"), py::arg("service_day"),
        py::arg("service_engaging"), py::arg("months"), py::kw_only(), py::arg("window_days"),
        py::arg("as_of"));
}

}  // namespace vipreport::bindings
