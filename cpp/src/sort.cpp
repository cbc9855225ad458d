#include "vipreport/sort.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

namespace vipreport {

void check_row_count(std::size_t n) {
    if (n >= std::numeric_limits<uint32_t>::max())
        throw std::invalid_argument("too many rows for one table: " + std::to_string(n));
}

std::vector<uint32_t> order_subset_by_person_day(const int64_t* person, const int32_t* day,
                                                 std::vector<uint32_t> rows) {
    auto before = [&](uint32_t a, uint32_t b) {
        if (person[a] != person[b]) return person[a] < person[b];
        if (day[a] != day[b]) return day[a] < day[b];
        return a < b;
    };
    if (!std::is_sorted(rows.begin(), rows.end(), before)) std::sort(rows.begin(), rows.end(), before);
    return rows;
}

std::vector<uint32_t> order_by_person_day(const int64_t* person, const int32_t* day, std::size_t n) {
    check_row_count(n);
    std::vector<uint32_t> rows(n);
    std::iota(rows.begin(), rows.end(), 0u);
    return order_subset_by_person_day(person, day, std::move(rows));
}

}  // namespace vipreport
