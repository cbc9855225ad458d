// Calendar arithmetic on int32 day numbers (days since 1970-01-01, proleptic
// Gregorian, as numpy's datetime64[D]) and int32 month indices (year*12 + month-1).
#pragma once
#include <cstdint>

namespace vipreport {

// Years beyond +-1,000,000 are refused: their day numbers would overflow int32 arithmetic.
constexpr int32_t kMaxYear = 1'000'000;
// The most months one tabulation spans (a thousand years).
constexpr int32_t kMaxMonths = 12'000;

struct CivilDate {
    int32_t year;
    int32_t month;  // 1..12
    int32_t day;    // 1..31
};

// Howard Hinnant's days_from_civil / civil_from_days; exact for any int32 day.
int32_t days_from_civil(int32_t year, int32_t month, int32_t day);
CivilDate civil_from_days(int32_t day_number);

int32_t month_index(int32_t year, int32_t month);
int32_t month_index_of_day(int32_t day_number);
int32_t first_day_of_month(int32_t month_idx);
int32_t last_day_of_month(int32_t month_idx);
int32_t days_in_month(int32_t month_idx);

// Fiscal year labelled by the calendar year in which it ends
// (FY2025 = Jul 2024 - Jun 2025 for a July start). A start month of 1
// makes the fiscal year the calendar year.
int32_t fiscal_year_of_month(int32_t month_idx, int32_t fy_start_month);
int32_t fiscal_year_start_month_index(int32_t month_idx, int32_t fy_start_month);

void check_fy_start_month(int32_t fy_start_month);             // throws std::invalid_argument
void check_month_index(int32_t month_idx, const char* name);   // throws std::out_of_range naming `name`
void check_month_span(int32_t first_month, int32_t n_months);  // throws for a span too long or out of range

}  // namespace vipreport
