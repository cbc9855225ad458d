#include "vipreport/digest.hpp"

#include <cstring>

namespace vipreport {

namespace {

uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

}  // namespace

std::array<uint64_t, 2> digest(const uint8_t* data, std::size_t n) {
    // Two lanes, each word xor-ed in, multiplied by an odd constant and rotated:
    // every step is a bijection of the lane, so a changed word changes the lane,
    // and the lanes see different words, in order, so moved values change it too.
    uint64_t a = 0x9E3779B97F4A7C15ull ^ n, b = 0xC2B2AE3D27D4EB4Full + n;
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        uint64_t w0, w1;
        std::memcpy(&w0, data + i, 8);
        std::memcpy(&w1, data + i + 8, 8);
        a = rotl((a ^ w0) * 0x87C37B91114253D5ull, 31);
        b = rotl((b ^ w1) * 0x4CF5AD432745937Full, 33);
    }
    uint8_t tail[16] = {};
    std::memcpy(tail, data + i, n - i);
    uint64_t w0, w1;
    std::memcpy(&w0, tail, 8);
    std::memcpy(&w1, tail + 8, 8);
    a = rotl((a ^ w0) * 0x87C37B91114253D5ull, 31);
    b = rotl((b ^ w1) * 0x4CF5AD432745937Full, 33);
    return {mix64(a ^ rotl(b, 17)), mix64(b ^ rotl(a, 43) ^ static_cast<uint64_t>(n))};
}

}  // namespace vipreport
