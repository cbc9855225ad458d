#include "pybind.hpp"
#include "vipreport/recidivism.hpp"

namespace vipreport::bindings {

namespace {

CohortView cohort_view(const Column<int32_t>& first_notice, const Column<int32_t>& group,
                       const Column<int32_t>& first_failure) {
    const auto n = static_cast<std::size_t>(first_notice.size());
    check_same_length(n, static_cast<std::size_t>(group.size()), "group");
    check_same_length(n, static_cast<std::size_t>(first_failure.size()), "first_failure");
    return {column_data(first_notice, "first_notice"), column_data(group, "group"),
            column_data(first_failure, "first_failure"), n};
}

py::dict counts_dict(SuccessCounts&& counts) {
    py::dict out;
    out["persons"] = to_numpy(std::move(counts.persons));
    out["failures"] = to_numpy(std::move(counts.failures));
    return out;
}

}  // namespace

void bind_recidivism(py::module_& m) {
    m.attr("NO_DAY") = kNoDay;
    m.def("index_cohort",
          [](const Column<int64_t>& notice_person, const Column<int32_t>& notice_day,
             const Column<int32_t>& notice_group, const Column<int64_t>& incident_person,
             const Column<int32_t>& incident_day, const Column<uint8_t>& incident_qualifies) {
              const auto n = static_cast<std::size_t>(notice_person.size());
              const auto ni = static_cast<std::size_t>(incident_person.size());
              check_same_length(n, static_cast<std::size_t>(notice_day.size()), "notice_day");
              check_same_length(n, static_cast<std::size_t>(notice_group.size()), "notice_group");
              check_same_length(ni, static_cast<std::size_t>(incident_day.size()), "incident_day");
              check_same_length(ni, static_cast<std::size_t>(incident_qualifies.size()), "incident_qualifies");
              const int64_t* np = column_data(notice_person, "notice_person");
              const int32_t* nd = column_data(notice_day, "notice_day");
              const int32_t* ng = column_data(notice_group, "notice_group");
              const int64_t* ip = column_data(incident_person, "incident_person");
              const int32_t* id = column_data(incident_day, "incident_day");
              const uint8_t* iq = column_data(incident_qualifies, "incident_qualifies");
              Cohort cohort;
              {
                  py::gil_scoped_release release;
                  cohort = index_cohort(np, nd, ng, n, ip, id, iq, ni);
              }
              py::dict out;
              out["person"] = to_numpy(std::move(cohort.person));
              out["first_notice"] = to_numpy(std::move(cohort.first_notice));
              out["group"] = to_numpy(std::move(cohort.group));
              out["first_failure"] = to_numpy(std::move(cohort.first_failure));
              return out;
          },
          py::arg("notice_person"), py::arg("notice_day"), py::arg("notice_group"),
          py::arg("incident_person"), py::arg("incident_day"), py::arg("incident_qualifies"));
    m.def("running_success",
          [](const Column<int32_t>& first_notice, const Column<int32_t>& group,
             const Column<int32_t>& first_failure, const Column<int32_t>& as_of, int32_t n_groups,
             int32_t cohort_months) {
              const CohortView cohort = cohort_view(first_notice, group, first_failure);
              const int32_t* a = column_data(as_of, "as_of");
              const auto k = static_cast<std::size_t>(as_of.size());
              SuccessCounts counts;
              {
                  py::gil_scoped_release release;
                  counts = running_success(cohort, a, k, n_groups, cohort_months);
              }
              return counts_dict(std::move(counts));
          },
          py::arg("first_notice"), py::arg("group"), py::arg("first_failure"), py::arg("as_of"),
          py::kw_only(), py::arg("n_groups"), py::arg("cohort_months"));
    m.def("fixed_window_success",
          [](const Column<int32_t>& first_notice, const Column<int32_t>& group,
             const Column<int32_t>& first_failure, const Column<int32_t>& as_of, int32_t n_groups,
             int32_t window_days) {
              const CohortView cohort = cohort_view(first_notice, group, first_failure);
              const int32_t* a = column_data(as_of, "as_of");
              const auto k = static_cast<std::size_t>(as_of.size());
              SuccessCounts counts;
              {
                  py::gil_scoped_release release;
                  counts = fixed_window_success(cohort, a, k, n_groups, window_days);
              }
              return counts_dict(std::move(counts));
          },
          py::arg("first_notice"), py::arg("group"), py::arg("first_failure"), py::arg("as_of"),
          py::kw_only(), py::arg("n_groups"), py::arg("window_days"));
}

}  // namespace vipreport::bindings
