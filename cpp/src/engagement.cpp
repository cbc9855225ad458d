#include "vipreport/engagement.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "vipreport/calendar.hpp"
#include "vipreport/sort.hpp"

namespace vipreport {

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
