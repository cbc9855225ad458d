// A dense row-major matrix of counts, the result type of every tabulation.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace vipreport {

template <typename T>
struct Grid {
    std::size_t rows = 0;
    std::size_t cols = 0;
    std::vector<T> values;  // rows * cols, row-major

    Grid() = default;
    Grid(std::size_t r, std::size_t c) : rows(r), cols(c), values(r * c, T{}) {}
    T& at(std::size_t r, std::size_t c) { return values[r * cols + c]; }
    const T& at(std::size_t r, std::size_t c) const { return values[r * cols + c]; }
};

}  // namespace vipreport
