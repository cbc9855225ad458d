#include "pybind.hpp"
#include "vipreport/caseload.hpp"

namespace vipreport::bindings {

void bind_caseload(py::module_& m) {
    m.def("caseload",
          [](const Column<int64_t>& person, const Column<int32_t>& start, const Column<int32_t>& end,
             int32_t first_month, int32_t n_months) {
              const auto n = static_cast<std::size_t>(person.size());
              check_same_length(n, static_cast<std::size_t>(start.size()), "start");
              check_same_length(n, static_cast<std::size_t>(end.size()), "end");
              const int64_t* p = column_data(person, "person");
              const int32_t* s = column_data(start, "start");
              const int32_t* e = column_data(end, "end");
              CaseloadCounts counts;
              {
                  py::gil_scoped_release release;
                  counts = caseload(p, s, e, n, first_month, n_months);
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
