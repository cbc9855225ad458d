#include "vipreport/summary.hpp"

#include <algorithm>
#include <boost/accumulators/accumulators.hpp>
#include <boost/accumulators/statistics/count.hpp>
#include <boost/accumulators/statistics/max.hpp>
#include <boost/accumulators/statistics/mean.hpp>
#include <boost/accumulators/statistics/min.hpp>
#include <boost/accumulators/statistics/stats.hpp>
#include <boost/accumulators/statistics/variance.hpp>
#include <cmath>
#include <limits>
#include <vector>

namespace vipreport {

namespace acc = boost::accumulators;

Summary summarize(const int32_t* values, std::size_t n) {
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    if (n == 0) return {0, nan, nan, nan, nan, nan};
    acc::accumulator_set<
        double, acc::stats<acc::tag::count, acc::tag::mean, acc::tag::variance, acc::tag::min, acc::tag::max>>
        stats;
    for (std::size_t i = 0; i < n; ++i) stats(static_cast<double>(values[i]));
    // Boost's median feature is a P-square estimate; a published median must
    // be exact, so it comes from a selection instead.
    std::vector<int32_t> sorted(values, values + n);
    const std::size_t mid = n / 2;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(mid), sorted.end());
    double median = sorted[mid];
    if (n % 2 == 0) {
        const int32_t below =
            *std::max_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(mid));
        median = (static_cast<double>(below) + median) / 2.0;
    }
    const auto count = static_cast<double>(acc::count(stats));
    // acc::variance is the population variance; rescale to the sample one.
    const double stddev = n < 2 ? nan : std::sqrt(acc::variance(stats) * count / (count - 1.0));
    return {static_cast<int64_t>(n), acc::mean(stats), stddev, median, acc::min(stats), acc::max(stats)};
}

}  // namespace vipreport
