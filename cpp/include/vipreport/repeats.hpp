// Rows that repeat an earlier row: exact duplicates (by row hash) and near
// duplicates (by a packed person, day and type) are both found this way.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace vipreport {

// Per row, 1 when its value equals the value of an earlier row, else 0.
std::vector<uint8_t> repeated(const uint64_t* values, std::size_t n);

}  // namespace vipreport
