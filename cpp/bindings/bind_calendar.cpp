#include "pybind.hpp"
#include "vipreport/calendar.hpp"

namespace vipreport::bindings {

void bind_calendar(py::module_& m) {
    m.def("days_from_civil", &days_from_civil, py::arg("year"), py::arg("month"), py::arg("day"));
    m.def("civil_from_days", [](int32_t d) {
        const CivilDate c = civil_from_days(d);
        return py::make_tuple(c.year, c.month, c.day);
    }, py::arg("day_number"));
    m.def("month_index_of_day", &month_index_of_day, py::arg("day_number"));
    m.def("first_day_of_month", &first_day_of_month, py::arg("month_index"));
    m.def("last_day_of_month", &last_day_of_month, py::arg("month_index"));
    m.def("fiscal_year_of_month", &fiscal_year_of_month, py::arg("month_index"), py::arg("fy_start_month"));
    m.def("fiscal_year_start_month_index", &fiscal_year_start_month_index, py::arg("month_index"),
          py::arg("fy_start_month"));
    m.def("month_index_of_days", [](const py::array& days) {
        const auto d = column<int32_t>(days, "days");
        const auto n = static_cast<std::size_t>(d.size());
        std::vector<int32_t> out(n);
        {
            py::gil_scoped_release release;
            for (std::size_t i = 0; i < n; ++i) out[i] = month_index_of_day(d.data()[i]);
        }
        return to_numpy(std::move(out));
    }, py::arg("days"));
}

}  // namespace vipreport::bindings
