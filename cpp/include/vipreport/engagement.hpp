// Engagement: of the persons notified in a month, how many reached a service
// of an engaging status within the window after their notification.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace vipreport {

struct EngagementCounts {
    std::vector<int64_t> notified;     // per month: distinct persons notified
    std::vector<int64_t> engaged;      // per month: of those, engaged
    std::vector<uint8_t> provisional;  // per month: window still open at as-of
    // Per month: of the persons notified, those whose window is still open at
    // as-of (its last day, t + window_days, is after as-of).
    std::vector<int64_t> open;
    // One entry per engaged (person, month): days from the month's first
    // notification of that person to the first engaging service.
    std::vector<int32_t> days_to_engagement;
};

// A person notified several times in one month counts once, from the month's
// first notification t. Engaged when an engaging service falls on a day s with
// t <= s <= t + window_days and s <= as_of. Months are month indices.
EngagementCounts engagement(const int64_t* notice_person, const int32_t* notice_day, std::size_t n_notices,
                            const int64_t* service_person, const int32_t* service_day,
                            const uint8_t* service_engaging, std::size_t n_services, const int32_t* months,
                            std::size_t n_months, int32_t window_days, int32_t as_of);

}  // namespace vipreport
