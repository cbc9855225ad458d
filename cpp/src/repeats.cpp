#include "vipreport/repeats.hpp"

#include "vipreport/digest.hpp"

namespace vipreport {

std::vector<uint8_t> repeated(const uint64_t* values, std::size_t n) {
    std::vector<uint8_t> out(n, 0);
    // Open addressing with linear probing, at most half full. The empty slot is
    // marked by a value no row has: 0, with zero itself tracked apart.
    std::size_t capacity = 16;
    while (capacity < 2 * n) capacity <<= 1;
    std::vector<uint64_t> slots(capacity, 0);
    const std::size_t mask = capacity - 1;
    bool zero_seen = false;
    for (std::size_t i = 0; i < n; ++i) {
        const uint64_t v = values[i];
        if (v == 0) {
            out[i] = zero_seen;
            zero_seen = true;
            continue;
        }
        for (std::size_t at = mix64(v) & mask;; at = (at + 1) & mask) {
            if (slots[at] == v) {
                out[i] = 1;
                break;
            }
            if (slots[at] == 0) {
                slots[at] = v;
                break;
            }
        }
    }
    return out;
}

}  // namespace vipreport
