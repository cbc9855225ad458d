#include "vipreport/calendar.hpp"

#include <stdexcept>
#include <string>

namespace vipreport {

namespace {
// Floor division: month arithmetic must work for dates before 1970 too.
int32_t floor_div(int32_t a, int32_t b) { return (a >= 0) ? a / b : -((-a + b - 1) / b); }
}  // namespace

int32_t days_from_civil(int32_t y, int32_t m, int32_t d) {
    if (m < 1 || m > 12) throw std::invalid_argument("month must be 1..12, got " + std::to_string(m));
    if (y < -kMaxYear || y > kMaxYear)
        throw std::out_of_range("year must be -" + std::to_string(kMaxYear) + ".." +
                                std::to_string(kMaxYear) + ", got " + std::to_string(y));
    if (d < -1000 || d > 1000) throw std::out_of_range("day must be -1000..1000, got " + std::to_string(d));
    y -= m <= 2;
    const int32_t era = (y >= 0 ? y : y - 399) / 400;
    const int32_t yoe = y - era * 400;
    const int32_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

CivilDate civil_from_days(int32_t z) {
    int64_t zz = static_cast<int64_t>(z) + 719468;
    const int64_t era = (zz >= 0 ? zz : zz - 146096) / 146097;
    const int64_t doe = zz - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t y = yoe + era * 400;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const int64_t m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<int32_t>(y + (m <= 2)), static_cast<int32_t>(m), static_cast<int32_t>(d)};
}

int32_t month_index(int32_t year, int32_t month) { return year * 12 + (month - 1); }

int32_t month_index_of_day(int32_t day_number) {
    const CivilDate c = civil_from_days(day_number);
    return month_index(c.year, c.month);
}

void check_month_index(int32_t month_idx, const char* name) {
    if (month_idx < -12 * kMaxYear || month_idx > 12 * kMaxYear)
        throw std::out_of_range(std::string(name) + ": month index " + std::to_string(month_idx) +
                                " is outside the supported range");
}

int32_t first_day_of_month(int32_t month_idx) {
    check_month_index(month_idx, "month_index");
    const int32_t year = floor_div(month_idx, 12);
    return days_from_civil(year, month_idx - year * 12 + 1, 1);
}

int32_t last_day_of_month(int32_t month_idx) {
    check_month_index(month_idx, "month_index");  // before month_idx + 1 can overflow
    return first_day_of_month(month_idx + 1) - 1;
}

int32_t days_in_month(int32_t month_idx) {
    return last_day_of_month(month_idx) - first_day_of_month(month_idx) + 1;
}

void check_month_span(int32_t first_month, int32_t n_months) {
    if (n_months < 0 || n_months > kMaxMonths)
        throw std::invalid_argument("n_months must be 0.." + std::to_string(kMaxMonths) + ", got " +
                                    std::to_string(n_months));
    check_month_index(first_month, "first_month");
    check_month_index(first_month + n_months, "n_months");
}

void check_fy_start_month(int32_t fy_start_month) {
    if (fy_start_month < 1 || fy_start_month > 12)
        throw std::invalid_argument("fiscal_year_start_month must be 1..12, got " +
                                    std::to_string(fy_start_month));
}

int32_t fiscal_year_start_month_index(int32_t month_idx, int32_t fy_start_month) {
    check_fy_start_month(fy_start_month);
    check_month_index(month_idx, "month_index");
    // Months elapsed since the fiscal year began, 0..11.
    const int32_t offset = ((month_idx - (fy_start_month - 1)) % 12 + 12) % 12;
    return month_idx - offset;
}

int32_t fiscal_year_of_month(int32_t month_idx, int32_t fy_start_month) {
    const int32_t start = fiscal_year_start_month_index(month_idx, fy_start_month);
    const int32_t start_year = floor_div(start, 12);
    return fy_start_month == 1 ? start_year : start_year + 1;
}

}  // namespace vipreport
