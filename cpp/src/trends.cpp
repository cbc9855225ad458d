#include "vipreport/trends.hpp"

#include <Eigen/Dense>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace vipreport {

std::vector<LinearTrend> linear_trends(const Grid<double>& series, double confidence) {
    if (series.rows < 3)
        throw std::invalid_argument("series: a trend needs at least 3 months, got " +
                                    std::to_string(series.rows));
    if (!(confidence > 0.0 && confidence < 1.0)) throw std::invalid_argument("confidence must be in (0, 1)");
    if (series.cols == 0) return {};  // nothing to fit (and no buffer for Eigen to map)
    const auto n = static_cast<Eigen::Index>(series.rows);
    const auto cols = static_cast<Eigen::Index>(series.cols);
    Eigen::MatrixXd design(n, 2);
    design.col(0).setOnes();
    design.col(1) = Eigen::VectorXd::LinSpaced(n, 0.0, static_cast<double>(n - 1));
    Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> y(
        series.values.data(), n, cols);
    // One factorisation serves every column.
    const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(design);
    const Eigen::MatrixXd coef = qr.solve(Eigen::MatrixXd(y));
    const Eigen::Matrix2d xtx_inv = (design.transpose() * design).inverse();
    const double dof = static_cast<double>(n - 2);
    const double t_crit = boost::math::quantile(boost::math::students_t(dof), 0.5 + confidence / 2.0);

    std::vector<LinearTrend> out;
    out.reserve(series.cols);
    for (Eigen::Index c = 0; c < cols; ++c) {
        const Eigen::VectorXd residual = y.col(c) - design * coef.col(c);
        const double sigma2 = residual.squaredNorm() / dof;
        const double se = std::sqrt(sigma2 * xtx_inv(1, 1));
        const double slope = coef(1, c);
        const double lo = slope - t_crit * se, hi = slope + t_crit * se;
        out.push_back({coef(0, c), slope, se, lo, hi, lo > 0.0 || hi < 0.0});
    }
    return out;
}

}  // namespace vipreport
