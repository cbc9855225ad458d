#include "vipreport/counts.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "vipreport/calendar.hpp"

namespace vipreport {

Grid<int64_t> count_by_month(const int32_t* days, const int32_t* codes, const int64_t* weights, std::size_t n,
                             int32_t n_categories, int32_t first_month, int32_t n_months) {
    if (n_categories < 0) throw std::invalid_argument("n_categories must be >= 0");
    check_month_span(first_month, n_months);
    Grid<int64_t> grid(static_cast<std::size_t>(n_months), static_cast<std::size_t>(n_categories));
    if (n_months == 0) return grid;
    const int32_t lo = first_day_of_month(first_month);
    const int32_t hi = last_day_of_month(first_month + n_months - 1);
    // A day -> row lookup over the covered range replaces a civil-date
    // conversion per event.
    std::vector<int32_t> row_of_day(static_cast<std::size_t>(hi - lo + 1));
    for (int32_t m = 0; m < n_months; ++m) {
        const int32_t a = first_day_of_month(first_month + m) - lo;
        const int32_t b = last_day_of_month(first_month + m) - lo;
        for (int32_t d = a; d <= b; ++d) row_of_day[static_cast<std::size_t>(d)] = m;
    }
    for (std::size_t i = 0; i < n; ++i) {
        const int32_t day = days[i];
        if (day < lo || day > hi) continue;
        const int32_t code = codes[i];
        if (code < 0 || code >= n_categories)
            throw std::out_of_range("codes: category code " + std::to_string(code) + " at row " +
                                    std::to_string(i) + " is outside 0.." + std::to_string(n_categories - 1));
        grid.at(static_cast<std::size_t>(row_of_day[static_cast<std::size_t>(day - lo)]),
                static_cast<std::size_t>(code)) += weights ? weights[i] : 1;
    }
    return grid;
}

Grid<int64_t> fiscal_year_to_date(const Grid<int64_t>& monthly, int32_t first_month, int32_t fy_start_month) {
    check_fy_start_month(fy_start_month);
    check_month_span(first_month, static_cast<int32_t>(std::min<std::size_t>(monthly.rows, kMaxMonths + 1)));
    Grid<int64_t> out(monthly.rows, monthly.cols);
    for (std::size_t r = 0; r < monthly.rows; ++r) {
        const int32_t month = first_month + static_cast<int32_t>(r);
        const bool restart = r == 0 || fiscal_year_start_month_index(month, fy_start_month) == month;
        for (std::size_t c = 0; c < monthly.cols; ++c)
            out.at(r, c) = monthly.at(r, c) + (restart ? 0 : out.at(r - 1, c));
    }
    return out;
}

}  // namespace vipreport
