// Orderings of event rows by (person key, day), the access pattern of every
// per-person computation. Inputs that are already in order are detected in
// one pass and not re-sorted.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace vipreport {

// Row indices 0..n-1 ordered by (person, day, row).
std::vector<uint32_t> order_by_person_day(const int64_t* person, const int32_t* day, std::size_t n);

// The given row indices ordered by (person, day, row).
std::vector<uint32_t> order_subset_by_person_day(const int64_t* person, const int32_t* day,
                                                 std::vector<uint32_t> rows);

void check_row_count(std::size_t n);  // rows are indexed by uint32

}  // namespace vipreport
