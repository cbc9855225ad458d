// Counting events by month x category, and fiscal-year-to-date sums.
#pragma once
#include <cstddef>
#include <cstdint>

#include "vipreport/grid.hpp"

namespace vipreport {

// Sum of weights (1 per row when weights is null) of events by month (rows,
// first_month .. first_month+n_months-1) and category code (columns,
// 0..n_categories-1). Events outside the months are not counted; a code
// outside 0..n_categories-1 throws std::out_of_range naming the row.
Grid<int64_t> count_by_month(const int32_t* days, const int32_t* codes, const int64_t* weights, std::size_t n,
                             int32_t n_categories, int32_t first_month, int32_t n_months);

// Running sum down each column that restarts at every fiscal-year start.
// Row r is month first_month + r. Rows before the grid's first fiscal-year
// start are partial sums, so callers start grids on a fiscal-year start.
Grid<int64_t> fiscal_year_to_date(const Grid<int64_t>& monthly, int32_t first_month, int32_t fy_start_month);

}  // namespace vipreport
