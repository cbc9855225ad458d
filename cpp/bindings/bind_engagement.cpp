#include "pybind.hpp"
#include "vipreport/engagement.hpp"

namespace vipreport::bindings {

void bind_engagement(py::module_& m) {
    m.def("engagement",
          [](const Column<int64_t>& notice_person, const Column<int32_t>& notice_day,
             const Column<int64_t>& service_person, const Column<int32_t>& service_day,
             const Column<uint8_t>& service_engaging, const Column<int32_t>& months,
             int32_t window_days, int32_t as_of) {
              const auto n = static_cast<std::size_t>(notice_person.size());
              const auto ns = static_cast<std::size_t>(service_person.size());
              check_same_length(n, static_cast<std::size_t>(notice_day.size()), "notice_day");
              check_same_length(ns, static_cast<std::size_t>(service_day.size()), "service_day");
              check_same_length(ns, static_cast<std::size_t>(service_engaging.size()), "service_engaging");
              const int64_t* np = column_data(notice_person, "notice_person");
              const int32_t* nd = column_data(notice_day, "notice_day");
              const int64_t* sp = column_data(service_person, "service_person");
              const int32_t* sd = column_data(service_day, "service_day");
              const uint8_t* se = column_data(service_engaging, "service_engaging");
              const int32_t* mo = column_data(months, "months");
              const auto k = static_cast<std::size_t>(months.size());
              EngagementCounts counts;
              {
                  py::gil_scoped_release release;
                  counts = engagement(np, nd, n, sp, sd, se, ns, mo, k, window_days, as_of);
              }
              py::dict out;
              out["notified"] = to_numpy(std::move(counts.notified));
              out["engaged"] = to_numpy(std::move(counts.engaged));
              out["provisional"] = to_numpy(std::move(counts.provisional));
              out["days_to_engagement"] = to_numpy(std::move(counts.days_to_engagement));
              return out;
          },
          py::arg("notice_person"), py::arg("notice_day"), py::arg("service_person"),
          py::arg("service_day"), py::arg("service_engaging"), py::arg("months"), py::kw_only(),
          py::arg("window_days"), py::arg("as_of"));
}

}  // namespace vipreport::bindings
