#include <optional>

#include "pybind.hpp"
#include "vipreport/counts.hpp"

namespace vipreport::bindings {

void bind_counts(py::module_& m) {
    m.def(
        "count_by_month",
        [](const py::array& days, const py::array& codes, const std::optional<py::array>& weights,
           int32_t n_categories, int32_t first_month, int32_t n_months) {
            const auto d = column<int32_t>(days, "days");
            const auto c = column<int32_t>(codes, "codes");
            const auto n = static_cast<std::size_t>(d.size());
            check_same_length(n, static_cast<std::size_t>(c.size()), "codes");
            std::optional<Column<int64_t>> w;
            if (weights) {
                w = column<int64_t>(*weights, "weights");
                check_same_length(n, static_cast<std::size_t>(w->size()), "weights");
            }
            Grid<int64_t> out;
            {
                py::gil_scoped_release release;
                out = count_by_month(d.data(), c.data(), w ? w->data() : nullptr, n, n_categories,
                                     first_month, n_months);
            }
            return to_numpy(std::move(out));
        },
        py::arg("days"), py::arg("codes"), py::arg("weights") = py::none(), py::kw_only(),
        py::arg("n_categories"), py::arg("first_month"), py::arg("n_months"));
    m.def(
        "fiscal_year_to_date",
        [](const py::array& monthly, int32_t first_month, int32_t fy_start_month) {
            return to_numpy(
                fiscal_year_to_date(grid<int64_t>(monthly, "monthly"), first_month, fy_start_month));
        },
        py::arg("monthly"), py::kw_only(), py::arg("first_month"), py::arg("fy_start_month"));
}

}  // namespace vipreport::bindings
