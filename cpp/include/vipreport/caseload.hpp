// Active caseload: distinct persons with an open enrollment, per day.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace vipreport {

struct CaseloadCounts {
    std::vector<int64_t> active_last_day;  // per month: distinct persons active on its last day
    std::vector<double> average_daily;     // per month: mean of the daily distinct count
};

// An enrollment [start, end) is active on day d when start <= d < end; an end
// of kNoDay (success.hpp) means still open. One person's overlapping or
// touching episodes are merged first, so a person counts once per day.
// Months are consecutive month indices first_month .. first_month+n_months-1.
CaseloadCounts caseload(const int64_t* person, const int32_t* start, const int32_t* end, std::size_t n,
                        int32_t first_month, int32_t n_months);

}  // namespace vipreport
