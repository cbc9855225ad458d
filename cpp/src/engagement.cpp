#include "vipreport/engagement.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "vipreport/calendar.hpp"
#include "vipreport/sort.hpp"

namespace vipreport {

namespace {

// Dense person keys. Profiled at 5 million services, grouping every engaging
// service by person (a count, a scatter, a sort per person) was most of the
// time. Now only the report months' notices are grouped (a handful per person),
// and the services stream past them once: each service updates the earliest
// engaging day of the notices it falls after, within the window.
void engagement_dense(const int64_t* notice_person, const int32_t* notice_day, std::size_t n_notices,
                      const int64_t* service_person, const int32_t* service_day,
                      const uint8_t* service_engaging, std::size_t n_services, const int32_t* months,
                      std::size_t n_months, int32_t window_days, int32_t as_of, int64_t lo, int64_t hi,
                      EngagementCounts& out) {
    if (n_months == 0) return;
    const auto [min_it, max_it] = std::minmax_element(months, months + n_months);
    const int32_t min_month = *min_it;
    const int32_t day_lo = first_day_of_month(min_month), day_hi = last_day_of_month(*max_it);
    // The report-month slot of a day: a table by day over a short span (no civil-date
    // arithmetic per notice), by month over a long one.
    const bool by_day = static_cast<int64_t>(day_hi) - day_lo < (1 << 16);
    std::vector<int32_t> table(by_day ? static_cast<std::size_t>(day_hi - day_lo) + 1
                                      : static_cast<std::size_t>(*max_it - min_month) + 1,
                               -1);
    for (std::size_t k = 0; k < n_months; ++k) {
        if (!by_day) {
            table[static_cast<std::size_t>(months[k] - min_month)] = static_cast<int32_t>(k);
            continue;
        }
        for (int32_t d = first_day_of_month(months[k]); d <= last_day_of_month(months[k]); ++d)
            table[static_cast<std::size_t>(d - day_lo)] = static_cast<int32_t>(k);
    }
    auto slot_of = [&](int32_t day) -> int32_t {
        if (day < day_lo || day > day_hi) return -1;
        return by_day ? table[static_cast<std::size_t>(day - day_lo)]
                      : table[static_cast<std::size_t>(month_index_of_day(day) - min_month)];
    };

    PersonGroups<int32_t> notices = group_by_person<int32_t>(
        notice_person, n_notices, lo, hi, [&](std::size_t i) { return slot_of(notice_day[i]) >= 0; },
        [&](std::size_t i) { return notice_day[i]; });
    // Each person's notices in day order, compacted in place to the first of each month.
    std::vector<uint32_t> kept(notices.persons() + 1, 0);
    std::size_t w = 0;
    for (std::size_t p = 0; p < notices.persons(); ++p) {
        int32_t* first = notices.values.data() + notices.start[p];
        int32_t* last = notices.values.data() + notices.start[p + 1];
        kept[p] = static_cast<uint32_t>(w);
        sort_small(first, last);
        int32_t previous = -1;
        for (const int32_t* it = first; it < last; ++it) {
            const int32_t slot = slot_of(*it);
            if (slot == previous) continue;  // the month's first notice only
            previous = slot;
            notices.values[w++] = *it;
            out.notified[static_cast<std::size_t>(slot)] += 1;
            out.open[static_cast<std::size_t>(slot)] += static_cast<int64_t>(*it) + window_days > as_of;
        }
    }
    kept[notices.persons()] = static_cast<uint32_t>(w);

    // Earliest engaging day after each kept notice, as days since it (-1: none).
    std::vector<int32_t> wait(w, -1);
    const int64_t last_useful = std::min<int64_t>(as_of, static_cast<int64_t>(day_hi) + window_days);
    for (std::size_t i = 0; i < n_services; ++i) {
        if (!service_engaging[i]) continue;
        const int64_t who = service_person[i];
        const int32_t s = service_day[i];
        if (who < lo || who > hi || s < day_lo || s > last_useful) continue;
        const auto p = static_cast<std::size_t>(who - lo);
        for (uint32_t q = kept[p]; q < kept[p + 1]; ++q) {
            const int64_t since = static_cast<int64_t>(s) - notices.values[q];
            if (since >= 0 && since <= window_days && (wait[q] < 0 || since < wait[q]))
                wait[q] = static_cast<int32_t>(since);
        }
    }
    for (std::size_t q = 0; q < w; ++q) {
        if (wait[q] < 0) continue;
        out.engaged[static_cast<std::size_t>(slot_of(notices.values[q]))] += 1;
        out.days_to_engagement.push_back(wait[q]);
    }
}

}  // namespace

EngagementCounts engagement(const int64_t* notice_person, const int32_t* notice_day, std::size_t n_notices,
                            const int64_t* service_person, const int32_t* service_day,
                            const uint8_t* service_engaging, std::size_t n_services, const int32_t* months,
                            std::size_t n_months, int32_t window_days, int32_t as_of) {
    if (window_days < 0)
        throw std::invalid_argument("window_days must be >= 0, got " + std::to_string(window_days));
    std::unordered_map<int32_t, std::size_t> slot_of_month;
    for (std::size_t k = 0; k < n_months; ++k) check_month_index(months[k], "months");
    for (std::size_t k = 0; k < n_months; ++k)
        if (!slot_of_month.emplace(months[k], k).second)
            throw std::invalid_argument("months: month index " + std::to_string(months[k]) + " is repeated");

    EngagementCounts out;
    out.notified.assign(n_months, 0);
    out.engaged.assign(n_months, 0);
    out.provisional.assign(n_months, 0);
    out.open.assign(n_months, 0);
    for (std::size_t k = 0; k < n_months; ++k)
        out.provisional[k] = static_cast<int64_t>(last_day_of_month(months[k])) + window_days > as_of;

    check_row_count(n_services);
    check_row_count(n_notices);
    if (n_notices == 0) return out;
    const auto [lo_it, hi_it] = std::minmax_element(notice_person, notice_person + n_notices);
    if (dense_keys(*lo_it, *hi_it, n_notices)) {
        engagement_dense(notice_person, notice_day, n_notices, service_person, service_day, service_engaging,
                         n_services, months, n_months, window_days, as_of, *lo_it, *hi_it, out);
        return out;
    }
    std::vector<uint32_t> engaging;
    for (std::size_t i = 0; i < n_services; ++i)
        if (service_engaging[i]) engaging.push_back(static_cast<uint32_t>(i));
    const std::vector<uint32_t> services =
        order_subset_by_person_day(service_person, service_day, std::move(engaging));
    const std::vector<uint32_t> notices = order_by_person_day(notice_person, notice_day, n_notices);

    std::size_t j = 0;  // first service of the current person
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
        out.open[k] += static_cast<int64_t>(t) + window_days > as_of;
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
