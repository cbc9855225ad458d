// Linear trends of monthly counts, fitted by least squares (Eigen).
#pragma once
#include <cstddef>
#include <vector>

#include "vipreport/grid.hpp"

namespace vipreport {

struct LinearTrend {
    double intercept;  // fitted count at t = 0 (the first month)
    double slope;      // change in count per month
    double slope_se;   // standard error of the slope
    double ci_low;     // 95% interval for the slope (Student t, n-2 df)
    double ci_high;
    bool significant;  // interval excludes zero
};

// One ordinary-least-squares fit of y = a + b t, t = 0..rows-1, per column.
// Needs at least 3 rows (one residual degree of freedom).
std::vector<LinearTrend> linear_trends(const Grid<double>& series, double confidence);

}  // namespace vipreport
