// Orderings of event rows by (person key, day), the access pattern of every
// per-person computation. Inputs that are already in order are detected in
// one pass and not re-sorted.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace vipreport {

// Row indices 0..n-1 ordered by (person, day, row).
std::vector<uint32_t> order_by_person_day(const int64_t* person, const int32_t* day, std::size_t n);

// The given row indices ordered by (person, day, row).
std::vector<uint32_t> order_subset_by_person_day(const int64_t* person, const int32_t* day,
                                                 std::vector<uint32_t> rows);

void check_row_count(std::size_t n);  // rows are indexed by uint32

// Values grouped by a dense person key: person lo + p owns values[start[p] .. start[p+1]).
// Built by one counting pass and one scatter, copying the values themselves so
// later per-person work reads memory in order.
template <typename T>
struct PersonGroups {
    int64_t lo = 0;
    std::vector<uint32_t> start;  // persons + 1 offsets
    std::vector<T> values;

    std::size_t persons() const { return start.empty() ? 0 : start.size() - 1; }
    const T* begin(std::size_t p) const { return values.data() + start[p]; }
    const T* end(std::size_t p) const { return values.data() + start[p + 1]; }
};

// Whether keys in [lo, hi] are dense enough for per-person arrays (the loader's ranks are).
inline bool dense_keys(int64_t lo, int64_t hi, std::size_t rows) {
    return hi >= lo && static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) <
                           4 * static_cast<uint64_t>(rows) + (1u << 16);
}

// Rows with keep(i) and a person in [lo, hi], grouped by person; value(i) is stored.
template <typename T, typename Keep, typename Value>
PersonGroups<T> group_by_person(const int64_t* person, std::size_t n, int64_t lo, int64_t hi, Keep keep,
                                Value value) {
    PersonGroups<T> groups;
    groups.lo = lo;
    const auto range = static_cast<std::size_t>(hi - lo) + 1;
    groups.start.assign(range + 1, 0);
    for (std::size_t i = 0; i < n; ++i)
        if (keep(i) && person[i] >= lo && person[i] <= hi)
            ++groups.start[static_cast<std::size_t>(person[i] - lo) + 1];
    for (std::size_t p = 0; p < range; ++p) groups.start[p + 1] += groups.start[p];
    groups.values.resize(groups.start[range]);
    std::vector<uint32_t> next(groups.start.begin(), groups.start.end() - 1);
    for (std::size_t i = 0; i < n; ++i)
        if (keep(i) && person[i] >= lo && person[i] <= hi)
            groups.values[next[static_cast<std::size_t>(person[i] - lo)]++] = value(i);
    return groups;
}

// Sorts one person's few values in place (insertion sort; std::sort for a long run).
template <typename It, typename Less = std::less<>>
void sort_small(It first, It last, Less less = {}) {
    if (last - first > 32) {
        std::sort(first, last, less);
        return;
    }
    for (It it = first + (first != last); it < last; ++it) {
        const auto value = *it;
        It hole = it;
        for (; hole != first && less(value, *(hole - 1)); --hole) *hole = *(hole - 1);
        *hole = value;
    }
}

}  // namespace vipreport
