// A 128-bit digest of a column's bytes, for keying memoised work on its
// contents: any edit gives another digest. It guards against accident, not
// attack, so it is a fast multiply-rotate hash over two lanes, not SHA-1.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>

namespace vipreport {

std::array<uint64_t, 2> digest(const uint8_t* data, std::size_t n);

// MurmurHash3's 64-bit finaliser: spreads every input bit over the word (the
// digest's last step, and the slot of a value in the repeated-rows hash set).
inline uint64_t mix64(uint64_t h) {
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ull;
    return h ^ (h >> 33);
}

}  // namespace vipreport
