#include "pybind.hpp"
#include "vipreport/calendar.hpp"

namespace vipreport::bindings {

void bind_calendar(py::module_& m) {
    m.def("days_from_civil", &days_from_civil, py::arg("year"), py::arg("month"), py::arg("day"));
    m.def(
        "civil_from_days",
        [](int32_t d) {
            const CivilDate c = civil_from_days(d);
            return py::make_tuple(c.year, c.month, c.day);
        },
        py::arg("day_number"));
    m.def("month_index_of_day", &month_index_of_day, py::arg("day_number"));
    m.def("first_day_of_month", &first_day_of_month, py::arg("month_index"));
    m.def("last_day_of_month", &last_day_of_month, py::arg("month_index"));
    m.def("fiscal_year_of_month", &fiscal_year_of_month, py::arg("month_index"), py::arg("fy_start_month"));
    m.def("fiscal_year_start_month_index", &fiscal_year_start_month_index, py::arg("month_index"),
          py::arg("fy_start_month"));
}

}  // namespace vipreport::bindings
