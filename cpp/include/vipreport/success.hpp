// Success rates: each notified person's first notification (t0) and first
// qualifying incident strictly after it (a failure: recidivism), then the
// running and fixed-window rates for a series of as-of dates from that one index.
#pragma once
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "vipreport/grid.hpp"

namespace vipreport {

constexpr int32_t kNoDay = std::numeric_limits<int32_t>::max();

struct Cohort {
    std::vector<int64_t> person;         // sorted ascending, one row per person
    std::vector<int32_t> first_notice;   // t0
    std::vector<int32_t> group;          // group code of the t0 notification
    std::vector<int32_t> first_failure;  // first qualifying incident day > t0, or kNoDay
};

// Notifications (person, day, group code); incidents (person, day, qualifies).
// An incident on t0 itself is not a failure: it is what prompted the
// notification, not an outcome of it. Same-day notifications of one person
// resolve to the smallest group code, so the result does not depend on row order.
Cohort index_cohort(const int64_t* notice_person, const int32_t* notice_day, const int32_t* notice_group,
                    std::size_t n_notices, const int64_t* incident_person, const int32_t* incident_day,
                    const uint8_t* incident_qualifies, std::size_t n_incidents);

// Borrowed columns of a Cohort (or of NumPy arrays holding one).
struct CohortView {
    const int32_t* first_notice;
    const int32_t* group;
    const int32_t* first_failure;
    std::size_t size;
};

inline CohortView view(const Cohort& c) {
    return {c.first_notice.data(), c.group.data(), c.first_failure.data(), c.person.size()};
}

struct SuccessCounts {
    Grid<int64_t> persons;   // as-of x group
    Grid<int64_t> failures;  // as-of x group
};

// Running rate: persons with t0 in the `cohort_months` calendar months ending
// with as-of's month and t0 <= as-of; failure when first_failure <= as-of.
SuccessCounts running_success(const CohortView& cohort, const int32_t* as_of, std::size_t n_as_of,
                              int32_t n_groups, int32_t cohort_months);

// Fixed window: persons with t0 + window_days <= as-of; failure when
// first_failure <= t0 + window_days (so an incident exactly window_days
// after t0 is a failure).
SuccessCounts fixed_window_success(const CohortView& cohort, const int32_t* as_of, std::size_t n_as_of,
                                   int32_t n_groups, int32_t window_days);

}  // namespace vipreport
