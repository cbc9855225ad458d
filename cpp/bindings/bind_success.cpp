#include "pybind.hpp"
#include "vipreport/success.hpp"

namespace vipreport::bindings {

namespace {

struct CohortColumns {
    Column<int32_t> first_notice, group, first_failure;

    CohortColumns(const py::array& t0, const py::array& g, const py::array& fail)
        : first_notice(column<int32_t>(t0, "first_notice")),
          group(column<int32_t>(g, "group")),
          first_failure(column<int32_t>(fail, "first_failure")) {
        const auto n = static_cast<std::size_t>(first_notice.size());
        check_same_length(n, static_cast<std::size_t>(group.size()), "group");
        check_same_length(n, static_cast<std::size_t>(first_failure.size()), "first_failure");
    }

    CohortView view() const {
        return {first_notice.data(), group.data(), first_failure.data(),
                static_cast<std::size_t>(first_notice.size())};
    }
};

template <typename Rate>
SuccessCounts success(Rate rate, const py::array& t0, const py::array& group, const py::array& fail,
                      const py::array& as_of, int32_t n_groups, int32_t parameter) {
    const CohortColumns cohort(t0, group, fail);
    const auto a = column<int32_t>(as_of, "as_of");
    SuccessCounts counts;
    {
        py::gil_scoped_release release;
        counts = rate(cohort.view(), a.data(), static_cast<std::size_t>(a.size()), n_groups, parameter);
    }
    return counts;
}

}  // namespace

void bind_success(py::module_& m) {
    m.attr("NO_DAY") = kNoDay;
    ResultClass<Cohort>(m, "Cohort", "index_cohort's result: one row per notified person, in person order.")
        .array("person", &Cohort::person, "Person keys, ascending (int64).")
        .array("first_notice", &Cohort::first_notice, "Day of the person's first notification, t0 (int32).")
        .array("group", &Cohort::group, "Group code of the t0 notification (int32).")
        .array("first_failure", &Cohort::first_failure,
               "Day of the first qualifying incident after t0, or NO_DAY (int32).");
    ResultClass<SuccessCounts>(m, "SuccessCounts",
                               "A success rate's counts: one row per as-of date, one column per group.")
        .array("persons", &SuccessCounts::persons, "Persons in the cohort at each as-of (int64).")
        .array("failures", &SuccessCounts::failures, "Of those, persons who failed (int64).");
    m.def(
        "index_cohort",
        [](const py::array& notice_person, const py::array& notice_day, const py::array& notice_group,
           const py::array& incident_person, const py::array& incident_day,
           const py::array& incident_qualifies) {
            const auto np = column<int64_t>(notice_person, "notice_person");
            const auto nd = column<int32_t>(notice_day, "notice_day");
            const auto ng = column<int32_t>(notice_group, "notice_group");
            const auto ip = column<int64_t>(incident_person, "incident_person");
            const auto id = column<int32_t>(incident_day, "incident_day");
            const auto iq = column<uint8_t>(incident_qualifies, "incident_qualifies");
            const auto n = static_cast<std::size_t>(np.size());
            const auto ni = static_cast<std::size_t>(ip.size());
            check_same_length(n, static_cast<std::size_t>(nd.size()), "notice_day");
            check_same_length(n, static_cast<std::size_t>(ng.size()), "notice_group");
            check_same_length(ni, static_cast<std::size_t>(id.size()), "incident_day");
            check_same_length(ni, static_cast<std::size_t>(iq.size()), "incident_qualifies");
            Cohort cohort;
            {
                py::gil_scoped_release release;
                cohort =
                    index_cohort(np.data(), nd.data(), ng.data(), n, ip.data(), id.data(), iq.data(), ni);
            }
            return cohort;
        },
        py::arg("notice_person"), py::arg("notice_day"), py::arg("notice_group"), py::arg("incident_person"),
        py::arg("incident_day"), py::arg("incident_qualifies"));
    m.def(
        "running_success",
        [](const py::array& t0, const py::array& group, const py::array& fail, const py::array& as_of,
           int32_t n_groups, int32_t cohort_months) {
            return success(&running_success, t0, group, fail, as_of, n_groups, cohort_months);
        },
        py::arg("first_notice"), py::arg("group"), py::arg("first_failure"), py::arg("as_of"), py::kw_only(),
        py::arg("n_groups"), py::arg("cohort_months"));
    m.def(
        "fixed_window_success",
        [](const py::array& t0, const py::array& group, const py::array& fail, const py::array& as_of,
           int32_t n_groups, int32_t window_days) {
            return success(&fixed_window_success, t0, group, fail, as_of, n_groups, window_days);
        },
        py::arg("first_notice"), py::arg("group"), py::arg("first_failure"), py::arg("as_of"), py::kw_only(),
        py::arg("n_groups"), py::arg("window_days"));
}

}  // namespace vipreport::bindings
