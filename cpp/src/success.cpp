#include "vipreport/success.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string>

#include "vipreport/calendar.hpp"
#include "vipreport/sort.hpp"

namespace vipreport {

namespace {

// Dense person keys (the loader's ranks 0..P-1): per-person arrays indexed by
// key, one pass over notifications and one over incidents, no sorting.
bool index_dense(const int64_t* notice_person, const int32_t* notice_day, const int32_t* notice_group,
                 std::size_t n_notices, const int64_t* incident_person, const int32_t* incident_day,
                 const uint8_t* incident_qualifies, std::size_t n_incidents, Cohort& cohort) {
    if (n_notices == 0) return true;
    const auto [lo_it, hi_it] = std::minmax_element(notice_person, notice_person + n_notices);
    const int64_t lo = *lo_it, hi = *hi_it;
    if (static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) >= 4 * n_notices + (1u << 16)) return false;
    const auto range = static_cast<std::size_t>(hi - lo) + 1;
    std::vector<int32_t> t0(range, kNoDay), group(range, 0), fail(range, kNoDay);
    for (std::size_t i = 0; i < n_notices; ++i) {
        const auto p = static_cast<std::size_t>(notice_person[i] - lo);
        const int32_t day = notice_day[i];
        if (day < t0[p]) {
            t0[p] = day;
            group[p] = notice_group[i];
        } else if (day == t0[p]) {  // same first day: the smallest group code, whatever the row order
            group[p] = std::min(group[p], notice_group[i]);
        }
    }
    for (std::size_t i = 0; i < n_incidents; ++i) {
        const int64_t who = incident_person[i];
        if (!incident_qualifies[i] || who < lo || who > hi) continue;
        const auto p = static_cast<std::size_t>(who - lo);
        const int32_t day = incident_day[i];
        if (day > t0[p] && day < fail[p]) fail[p] = day;  // t0 == kNoDay (not notified) never passes
    }
    for (std::size_t p = 0; p < range; ++p) {
        if (t0[p] == kNoDay) continue;
        cohort.person.push_back(lo + static_cast<int64_t>(p));
        cohort.first_notice.push_back(t0[p]);
        cohort.group.push_back(group[p]);
        cohort.first_failure.push_back(fail[p]);
    }
    return true;
}

// Sparse keys (raw integer ids): sort both tables by (person, day) and merge.
void index_sorted(const int64_t* notice_person, const int32_t* notice_day, const int32_t* notice_group,
                  std::size_t n_notices, const int64_t* incident_person, const int32_t* incident_day,
                  const uint8_t* incident_qualifies, std::size_t n_incidents, Cohort& cohort) {
    const std::vector<uint32_t> notices = order_by_person_day(notice_person, notice_day, n_notices);
    for (std::size_t k = 0; k < notices.size(); ++k) {
        const uint32_t i = notices[k];
        if (k > 0 && notice_person[notices[k - 1]] == notice_person[i]) {
            if (notice_day[i] == cohort.first_notice.back())
                cohort.group.back() = std::min(cohort.group.back(), notice_group[i]);
            continue;
        }
        cohort.person.push_back(notice_person[i]);
        cohort.first_notice.push_back(notice_day[i]);
        cohort.group.push_back(notice_group[i]);
    }
    cohort.first_failure.assign(cohort.person.size(), kNoDay);
    std::vector<uint32_t> qualifying;
    for (std::size_t i = 0; i < n_incidents; ++i)
        if (incident_qualifies[i]) qualifying.push_back(static_cast<uint32_t>(i));
    const std::vector<uint32_t> incidents =
        order_subset_by_person_day(incident_person, incident_day, std::move(qualifying));
    std::size_t j = 0;
    for (std::size_t p = 0; p < cohort.person.size(); ++p) {
        const int64_t who = cohort.person[p];
        while (j < incidents.size() && incident_person[incidents[j]] < who) ++j;
        for (std::size_t q = j; q < incidents.size() && incident_person[incidents[q]] == who; ++q) {
            if (incident_day[incidents[q]] > cohort.first_notice[p]) {
                cohort.first_failure[p] = incident_day[incidents[q]];
                break;
            }
        }
    }
}

}  // namespace

Cohort index_cohort(const int64_t* notice_person, const int32_t* notice_day, const int32_t* notice_group,
                    std::size_t n_notices, const int64_t* incident_person, const int32_t* incident_day,
                    const uint8_t* incident_qualifies, std::size_t n_incidents) {
    check_row_count(n_notices);
    check_row_count(n_incidents);
    for (std::size_t i = 0; i < n_notices; ++i)
        if (notice_day[i] == kNoDay)
            throw std::invalid_argument("notice_day: notification day at row " + std::to_string(i) +
                                        " is the no-day sentinel");
    Cohort cohort;
    if (!index_dense(notice_person, notice_day, notice_group, n_notices, incident_person, incident_day,
                     incident_qualifies, n_incidents, cohort))
        index_sorted(notice_person, notice_day, notice_group, n_notices, incident_person, incident_day,
                     incident_qualifies, n_incidents, cohort);
    return cohort;
}

namespace {

void check_as_of(const int32_t* as_of, std::size_t n) {
    for (std::size_t k = 1; k < n; ++k)
        if (as_of[k] <= as_of[k - 1])
            throw std::invalid_argument("as_of: dates must be strictly increasing (position " +
                                        std::to_string(k) + ")");
}

void check_group(int32_t g, int32_t n_groups, std::size_t row) {
    if (g < 0 || g >= n_groups)
        throw std::out_of_range("group: group code " + std::to_string(g) + " of cohort row " +
                                std::to_string(row) + " is outside 0.." + std::to_string(n_groups - 1));
}

// Adds `delta` to as-of positions [lo, hi] of one group via difference arrays.
void add_range(std::vector<int64_t>& diff, int32_t n_groups, std::size_t lo, std::size_t hi, int32_t group) {
    if (lo > hi) return;
    diff[lo * static_cast<std::size_t>(n_groups) + static_cast<std::size_t>(group)] += 1;
    diff[(hi + 1) * static_cast<std::size_t>(n_groups) + static_cast<std::size_t>(group)] -= 1;
}

Grid<int64_t> integrate(const std::vector<int64_t>& diff, std::size_t n_as_of, int32_t n_groups) {
    Grid<int64_t> out(n_as_of, static_cast<std::size_t>(n_groups));
    for (std::size_t g = 0; g < static_cast<std::size_t>(n_groups); ++g) {
        int64_t run = 0;
        for (std::size_t k = 0; k < n_as_of; ++k) {
            run += diff[k * static_cast<std::size_t>(n_groups) + g];
            out.at(k, g) = run;
        }
    }
    return out;
}

std::size_t first_at_or_after(const int32_t* as_of, std::size_t n, int64_t day) {
    return static_cast<std::size_t>(std::lower_bound(as_of, as_of + n, day) - as_of);
}

}  // namespace

SuccessCounts running_success(const CohortView& cohort, const int32_t* as_of, std::size_t n_as_of,
                              int32_t n_groups, int32_t cohort_months) {
    if (cohort_months < 1 || cohort_months > kMaxMonths)
        throw std::invalid_argument("cohort_months must be 1.." + std::to_string(kMaxMonths));
    if (n_groups < 1) throw std::invalid_argument("n_groups must be >= 1");
    check_as_of(as_of, n_as_of);
    std::vector<int32_t> cohort_start(n_as_of);
    for (std::size_t k = 0; k < n_as_of; ++k)
        cohort_start[k] = first_day_of_month(month_index_of_day(as_of[k]) - cohort_months + 1);
    const std::size_t slots = (n_as_of + 1) * static_cast<std::size_t>(n_groups);
    std::vector<int64_t> persons_diff(slots, 0), failures_diff(slots, 0);
    for (std::size_t p = 0; p < cohort.size; ++p) {
        const int32_t t0 = cohort.first_notice[p];
        check_group(cohort.group[p], n_groups, p);
        // As-of positions whose window [cohort_start, as_of] holds t0 form one run.
        const std::size_t lo = first_at_or_after(as_of, n_as_of, t0);
        const std::size_t end = static_cast<std::size_t>(
            std::upper_bound(cohort_start.begin(), cohort_start.end(), t0) - cohort_start.begin());
        if (end == 0 || lo >= end) continue;
        add_range(persons_diff, n_groups, lo, end - 1, cohort.group[p]);
        if (cohort.first_failure[p] != kNoDay) {
            const std::size_t from = std::max(lo, first_at_or_after(as_of, n_as_of, cohort.first_failure[p]));
            if (from < end) add_range(failures_diff, n_groups, from, end - 1, cohort.group[p]);
        }
    }
    return {integrate(persons_diff, n_as_of, n_groups), integrate(failures_diff, n_as_of, n_groups)};
}

SuccessCounts fixed_window_success(const CohortView& cohort, const int32_t* as_of, std::size_t n_as_of,
                                   int32_t n_groups, int32_t window_days) {
    if (window_days < 0) throw std::invalid_argument("window_days must be >= 0");
    if (n_groups < 1) throw std::invalid_argument("n_groups must be >= 1");
    check_as_of(as_of, n_as_of);
    const std::size_t slots = (n_as_of + 1) * static_cast<std::size_t>(n_groups);
    std::vector<int64_t> persons_diff(slots, 0), failures_diff(slots, 0);
    for (std::size_t p = 0; p < cohort.size; ++p) {
        check_group(cohort.group[p], n_groups, p);
        const int64_t closes = static_cast<int64_t>(cohort.first_notice[p]) + window_days;
        const std::size_t lo = first_at_or_after(as_of, n_as_of, closes);
        if (lo >= n_as_of) continue;
        add_range(persons_diff, n_groups, lo, n_as_of - 1, cohort.group[p]);
        if (cohort.first_failure[p] != kNoDay && cohort.first_failure[p] <= closes)
            add_range(failures_diff, n_groups, lo, n_as_of - 1, cohort.group[p]);
    }
    return {integrate(persons_diff, n_as_of, n_groups), integrate(failures_diff, n_as_of, n_groups)};
}

}  // namespace vipreport
