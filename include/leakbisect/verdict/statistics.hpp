// Robust statistics for the verdict: quantiles and the Theil–Sen slope with Sen's
// rank-based confidence interval. Pure functions over plain numbers.
#pragma once

#include <cstddef>
#include <vector>

namespace leakbisect {

struct Point {
    double x = 0;
    double y = 0;
};

// Linear-interpolated quantile, q in [0, 1]. `values` must not be empty.
double quantile(std::vector<double> values, double q);
double median(std::vector<double> values);

struct SlopeEstimate {
    double slope = 0; // median of pairwise slopes
    double low = 0;   // Sen's interval at the given two-sided confidence
    double high = 0;
};

// Theil–Sen over points with distinct x (pairs with equal x are ignored). Fewer than two
// points give a zero slope with an infinite interval. `variance_inflation` widens Sen's interval
// for serially correlated points (1: independent; see autocorrelation_inflation).
SlopeEstimate theil_sen(const std::vector<Point>& points, double confidence, double variance_inflation = 1);

// The Theil–Sen point estimate alone (no interval): the median pairwise slope, 0 for fewer than
// two points with distinct x. Cheaper than theil_sen where only the slope is wanted.
double median_slope(const std::vector<Point>& points);

// (1 + rho) / (1 - rho) for the lag-1 autocorrelation rho of the residuals around the line
// `slope`, rho clamped to [0, 0.8]: how much serial correlation inflates a slope's variance.
double autocorrelation_inflation(const std::vector<Point>& points, double slope);

// The standard normal quantile (inverse CDF), p in (0, 1).
double normal_quantile(double p);

} // namespace leakbisect
