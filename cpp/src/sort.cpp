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

namespace {

struct PersonDayOrder {
    const int64_t* person;
    const int32_t* day;
    bool operator()(uint32_t a, uint32_t b) const {
        if (person[a] != person[b]) return person[a] < person[b];
        if (day[a] != day[b]) return day[a] < day[b];
        return a < b;
    }
};

// Counting sort by person (keys dense enough to index an array), then each
// person's few rows by (day, row) with insertion sort: O(n + persons).
// The loader gives dense keys (ranks 0..P-1), so this is the usual path.
std::vector<uint32_t> counting_order(const int64_t* person, const PersonDayOrder& before,
                                     const std::vector<uint32_t>& rows, int64_t lo, std::size_t range) {
    std::vector<uint32_t> start(range + 1, 0);
    for (const uint32_t r : rows) ++start[static_cast<std::size_t>(person[r] - lo) + 1];
    std::partial_sum(start.begin(), start.end(), start.begin());
    std::vector<uint32_t> out(rows.size());
    std::vector<uint32_t> next(start.begin(), start.end() - 1);
    for (const uint32_t r : rows) out[next[static_cast<std::size_t>(person[r] - lo)]++] = r;
    for (std::size_t p = 0; p < range; ++p)
        sort_small(out.begin() + start[p], out.begin() + start[p + 1], before);
    return out;
}

}  // namespace

std::vector<uint32_t> order_subset_by_person_day(const int64_t* person, const int32_t* day,
                                                 std::vector<uint32_t> rows) {
    const PersonDayOrder before{person, day};
    if (std::is_sorted(rows.begin(), rows.end(), before)) return rows;
    int64_t lo = std::numeric_limits<int64_t>::max(), hi = std::numeric_limits<int64_t>::min();
    for (const uint32_t r : rows) {
        lo = std::min(lo, person[r]);
        hi = std::max(hi, person[r]);
    }
    // Dense keys: a counting sort. Sparse ones (raw integer ids): a comparison sort.
    const auto dense_limit = static_cast<uint64_t>(4 * rows.size() + (1u << 16));
    if (static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) < dense_limit)
        return counting_order(person, before, rows, lo, static_cast<std::size_t>(hi - lo) + 1);
    std::sort(rows.begin(), rows.end(), before);
    return rows;
}

std::vector<uint32_t> order_by_person_day(const int64_t* person, const int32_t* day, std::size_t n) {
    check_row_count(n);
    std::vector<uint32_t> rows(n);
    std::iota(rows.begin(), rows.end(), 0u);
    return order_subset_by_person_day(person, day, std::move(rows));
}

}  // namespace vipreport
