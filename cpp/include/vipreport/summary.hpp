// Streaming summary statistics of an integer column (Boost.Accumulators).
#pragma once
#include <cstddef>
#include <cstdint>

namespace vipreport {

struct Summary {
    int64_t count;
    double mean;    // NaN when count == 0
    double stddev;  // sample standard deviation; NaN when count < 2
    double median;  // exact (middle value, or mean of the two middle values)
    double min;
    double max;
};

Summary summarize(const int32_t* values, std::size_t n);

}  // namespace vipreport
