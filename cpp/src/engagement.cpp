#include "vipreport/engagement.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "vipreport/calendar.hpp"
#include "vipreport/sort.hpp"

namespace vipreport {

namespace {

// Dense person keys: each person's notice days and engaging service days,
// grouped by a counting pass and sorted per person (a handful each).
void engagement_dense(const int64_t* notice_person, const int32_t* notice_day, std::size_t n_notices,
                      const int64_t* service_person, const int32_t* service_day,
                      const uint8_t* service_engaging, std::size_t n_services,
                      const std::unordered_map<int32_t, std::size_t>& slot_of_month, int32_t window_days,
                      int32_t as_of, int64_t lo, int64_t hi, EngagementCounts& out) {
    PersonGroups<int32_t> notices = group_by_person<int32_t>(
        notice_person, n_notices, lo, hi, [](std::size_t) { return true; },
        [&](std::size_t i) { return notice_day[i]; });
    PersonGroups<int32_t> services = group_by_person<int32_t>(
        service_person, n_services, lo, hi, [&](std::size_t i) { return service_engaging[i] != 0; },
        [&](std::size_t i) { return service_day[i]; });
    for (std::size_t p = 0; p < notices.persons(); ++p) {
        int32_t* first = notices.values.data() + notices.start[p];
        int32_t* last = notices.values.data() + notices.start[p + 1];
        if (first == last) continue;
        sort_small(first, last);
        int32_t* s_first = services.values.data() + services.start[p];
        int32_t* s_last = services.values.data() + services.start[p + 1];
        sort_small(s_first, s_last);
        int32_t previous_month = 0;
        bool have_previous = false;
        for (const int32_t* it = first; it < last; ++it) {
            const int32_t t = *it;
            const int32_t month = month_index_of_day(t);
            if (have_previous && month == previous_month) continue;  // the month's first notice only
            have_previous = true;
            previous_month = month;
            const auto slot = slot_of_month.find(month);
            if (slot == slot_of_month.end()) continue;
            out.notified[slot->second] += 1;
            const int32_t* s = std::lower_bound(s_first, s_last, t);
            if (s != s_last && static_cast<int64_t>(*s) <= static_cast<int64_t>(t) + window_days && *s <= as_of) {
                out.engaged[slot->second] += 1;
                out.days_to_engagement.push_back(*s - t);
            }
        }
    }
}

}  // namespace

EngagementCounts engagement(const int64_t* notice_person, const int32_t* notice_day,
                            std::size_t n_notices, const int64_t* service_person,
                            const int32_t* service_day, const uint8_t* service_engaging,
                            std::size_t n_services, const int32_t* months, std::size_t n_months,
                            int32_t window_days, int32_t as_of) {
    if (window_days < 0) throw std::invalid_argument("engagement window_days must be >= 0");
    std::unordered_map<int32_t, std::size_t> slot_of_month;
    for (std::size_t k = 0; k < n_months; ++k) check_month_index(months[k]);
    for (std::size_t k = 0; k < n_months; ++k)
        if (!slot_of_month.emplace(months[k], k).second)
            throw std::invalid_argument("month index " + std::to_string(months[k]) + " is repeated");

    EngagementCounts out;
    out.notified.assign(n_months, 0);
    out.engaged.assign(n_months, 0);
    out.provisional.assign(n_months, 0);
    for (std::size_t k = 0; k < n_months; ++k)
        out.provisional[k] = static_cast<int64_t>(last_day_of_month(months[k])) + window_days > as_of;

    check_row_count(n_services);
    check_row_count(n_notices);
    if (n_notices == 0) return out;
    const auto [lo_it, hi_it] = std::minmax_element(notice_person, notice_person + n_notices);
    if (dense_keys(*lo_it, *hi_it, n_notices)) {
        engagement_dense(notice_person, notice_day, n_notices, service_person, service_day, service_engaging,
                         n_services, slot_of_month, window_days, as_of, *lo_it, *hi_it, out);
        return out;
    }
    std::vector<uint32_t> engaging;
    for (std::size_t i = 0; i < n_services; ++i)
        if (service_engaging[i]) engaging.push_back(static_cast<uint32_t>(i));
    const std::vector<uint32_t> services =
        order_subset_by_person_day(service_person, service_day, std::move(engaging));
    const std::vector<uint32_t> notices = order_by_person_day(notice_person, notice_day, n_notices);

    std::size_t j = 0;           // first service of the current person
    int64_t last_person = 0;
    int32_t last_month = 0;
    bool have_last = false;
    for (const uint32_t i : notices) {
        const int64_t who = notice_person[i];
        const int32_t t = notice_day[i];
        const int32_t month = month_index_of_day(t);
        // Rows are sorted by (person, day): the month's first notice comes first.
        if (have_last && who == last_person && month == last_month) continue;
        have_last = true;
        last_person = who;
        last_month = month;
        const auto slot = slot_of_month.find(month);
        if (slot == slot_of_month.end()) continue;
        const std::size_t k = slot->second;
        out.notified[k] += 1;
        while (j < services.size() && service_person[services[j]] < who) ++j;
        // First engaging service of this person on or after t.
        std::size_t q = j;
        while (q < services.size() && service_person[services[q]] == who && service_day[services[q]] < t) ++q;
        if (q < services.size() && service_person[services[q]] == who) {
            const int32_t s = service_day[services[q]];
            if (static_cast<int64_t>(s) <= static_cast<int64_t>(t) + window_days && s <= as_of) {
                out.engaged[k] += 1;
                out.days_to_engagement.push_back(s - t);
            }
        }
    }
    return out;
}

}  // namespace vipreport
