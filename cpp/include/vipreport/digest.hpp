// A 128-bit digest of a column's bytes, for keying memoised work on its
// contents: any edit gives another digest. It guards against accident, not
// attack, so it is a fast multiply-rotate hash over two lanes, not SHA-1.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>

namespace vipreport {

std::array<uint64_t, 2> digest(const uint8_t* data, std::size_t n);

}  // namespace vipreport
