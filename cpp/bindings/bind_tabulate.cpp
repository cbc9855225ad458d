#include <optional>

#include "pybind.hpp"
#include "vipreport/tabulate.hpp"

namespace vipreport::bindings {

namespace {

Grid<int64_t> grid_from(const Column<int64_t>& array) {
    if (array.ndim() != 2) throw std::invalid_argument("monthly counts must be two-dimensional");
    Grid<int64_t> grid(static_cast<std::size_t>(array.shape(0)), static_cast<std::size_t>(array.shape(1)));
    std::copy(array.data(), array.data() + array.size(), grid.values.begin());
    return grid;
}

}  // namespace

void bind_tabulate(py::module_& m) {
    m.def("count_by_month",
          [](const Column<int32_t>& days, const Column<int32_t>& codes,
             const std::optional<Column<int64_t>>& weights, int32_t n_categories,
             int32_t first_month, int32_t n_months) {
              const auto n = static_cast<std::size_t>(days.size());
              const int32_t* d = column_data(days, "days");
              const int32_t* c = column_data(codes, "codes");
              check_same_length(n, static_cast<std::size_t>(codes.size()), "codes");
              const int64_t* w = nullptr;
              if (weights) {
                  w = column_data(*weights, "weights");
                  check_same_length(n, static_cast<std::size_t>(weights->size()), "weights");
              }
              Grid<int64_t> grid;
              {
                  py::gil_scoped_release release;
                  grid = count_by_month(d, c, w, n, n_categories, first_month, n_months);
              }
              return to_numpy(std::move(grid));
          },
          py::arg("days"), py::arg("codes"), py::arg("weights") = py::none(), py::kw_only(),
          py::arg("n_categories"), py::arg("first_month"), py::arg("n_months"));
    m.def("fiscal_year_to_date",
          [](const Column<int64_t>& monthly, int32_t first_month, int32_t fy_start_month) {
              return to_numpy(fiscal_year_to_date(grid_from(monthly), first_month, fy_start_month));
          },
          py::arg("monthly"), py::kw_only(), py::arg("first_month"), py::arg("fy_start_month"));
    m.def("trailing_sum",
          [](const Column<int64_t>& monthly, int32_t window) {
              return to_numpy(trailing_sum(grid_from(monthly), window));
          },
          py::arg("monthly"), py::kw_only(), py::arg("window"));
}

}  // namespace vipreport::bindings
