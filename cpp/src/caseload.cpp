#include "vipreport/caseload.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

#include "vipreport/calendar.hpp"
#include "vipreport/sort.hpp"

namespace vipreport {

namespace {
using Episode = std::pair<int32_t, int32_t>;  // [start, end), compared by start then end
}  // namespace

CaseloadCounts caseload(const int64_t* person, const int32_t* start, const int32_t* end, std::size_t n,
                        int32_t first_month, int32_t n_months) {
    check_month_span(first_month, n_months);
    for (std::size_t i = 0; i < n; ++i)
        if (end[i] < start[i])
            throw std::invalid_argument("end: enrollment row " + std::to_string(i) +
                                        " ends before it starts");
    CaseloadCounts out;
    if (n_months == 0) return out;
    const int64_t lo = first_day_of_month(first_month);
    const int64_t hi = last_day_of_month(first_month + n_months - 1);
    std::vector<int64_t> diff(static_cast<std::size_t>(hi - lo + 2), 0);
    auto add_interval = [&](int64_t a, int64_t b) {  // [a, b), clipped to [lo, hi]
        a = std::max(a, lo);
        b = std::min(b, hi + 1);
        if (a >= b) return;
        diff[static_cast<std::size_t>(a - lo)] += 1;
        diff[static_cast<std::size_t>(b - lo)] -= 1;
    };

    // Each person's episodes in start order, merged where they overlap or touch.
    auto merge_person = [&](const Episode* first, const Episode* last) {
        int64_t a = first->first, b = first->second;
        for (const Episode* e = first + 1; e < last; ++e) {
            if (e->first <= b) {
                b = std::max<int64_t>(b, e->second);
            } else {
                add_interval(a, b);
                a = e->first;
                b = e->second;
            }
        }
        add_interval(a, b);
    };
    if (n > 0) {
        const auto [lo_it, hi_it] = std::minmax_element(person, person + n);
        if (dense_keys(*lo_it, *hi_it, n)) {
            PersonGroups<Episode> episodes = group_by_person<Episode>(
                person, n, *lo_it, *hi_it, [](std::size_t) { return true; },
                [&](std::size_t i) { return Episode{start[i], end[i]}; });
            for (std::size_t p = 0; p < episodes.persons(); ++p) {
                Episode* first = episodes.values.data() + episodes.start[p];
                Episode* last = episodes.values.data() + episodes.start[p + 1];
                if (first == last) continue;
                sort_small(first, last);
                merge_person(first, last);
            }
        } else {
            const std::vector<uint32_t> rows = order_by_person_day(person, start, n);
            std::vector<Episode> own;
            for (std::size_t k = 0; k < rows.size();) {
                own.clear();
                const int64_t who = person[rows[k]];
                for (; k < rows.size() && person[rows[k]] == who; ++k)
                    own.push_back({start[rows[k]], end[rows[k]]});
                merge_person(own.data(), own.data() + own.size());
            }
        }
    }

    out.active_last_day.resize(static_cast<std::size_t>(n_months));
    out.average_daily.resize(static_cast<std::size_t>(n_months));
    int64_t active = 0;
    int64_t day = lo;
    for (int32_t m = 0; m < n_months; ++m) {
        const int64_t last = last_day_of_month(first_month + m);
        int64_t person_days = 0;
        const int64_t first = day;
        for (; day <= last; ++day) {
            active += diff[static_cast<std::size_t>(day - lo)];
            person_days += active;
        }
        out.active_last_day[static_cast<std::size_t>(m)] = active;
        out.average_daily[static_cast<std::size_t>(m)] =
            static_cast<double>(person_days) / static_cast<double>(last - first + 1);
    }
    return out;
}

}  // namespace vipreport
