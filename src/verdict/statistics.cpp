#include "leakbisect/verdict/statistics.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace leakbisect {

double quantile(std::vector<double> values, double q) {
    assert(!values.empty());
    std::sort(values.begin(), values.end());
    const double position = q * static_cast<double>(values.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, values.size() - 1);
    const double fraction = position - static_cast<double>(below);
    return values[below] + fraction * (values[above] - values[below]);
}

double median(std::vector<double> values) {
    return quantile(std::move(values), 0.5);
}

// Acklam's rational approximation, relative error below 1.2e-9: ample for interval widths.
double normal_quantile(double p) {
    assert(p > 0 && p < 1);
    static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                                   1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                   6.680131188771972e+01, -1.328068155288572e+01};
    static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                   -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                   3.754408661907416e+00};
    constexpr double low = 0.02425;
    if (p < low) {
        const double q = std::sqrt(-2 * std::log(p));
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - low) {
        return -normal_quantile(1 - p);
    }
    const double q = p - 0.5;
    const double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

namespace {

std::vector<double> pairwise_slopes(const std::vector<Point>& points) {
    std::vector<double> slopes;
    slopes.reserve(points.size() * points.size() / 2);
    for (std::size_t i = 0; i < points.size(); ++i) {
        for (std::size_t j = i + 1; j < points.size(); ++j) {
            const double dx = points[j].x - points[i].x;
            if (dx != 0) {
                slopes.push_back((points[j].y - points[i].y) / dx);
            }
        }
    }
    return slopes;
}

} // namespace

double median_slope(const std::vector<Point>& points) {
    std::vector<double> slopes = pairwise_slopes(points);
    if (slopes.empty()) {
        return 0;
    }
    const std::size_t middle = slopes.size() / 2;
    std::nth_element(slopes.begin(), slopes.begin() + static_cast<std::ptrdiff_t>(middle), slopes.end());
    const double upper = slopes[middle];
    if (slopes.size() % 2 == 1) {
        return upper;
    }
    const double lower =
        *std::max_element(slopes.begin(), slopes.begin() + static_cast<std::ptrdiff_t>(middle));
    return (lower + upper) / 2;
}

SlopeEstimate theil_sen(const std::vector<Point>& points, double confidence, double variance_inflation) {
    std::vector<double> slopes = pairwise_slopes(points);
    constexpr double kInfinity = std::numeric_limits<double>::infinity();
    if (slopes.empty()) {
        return {0, -kInfinity, kInfinity};
    }
    std::sort(slopes.begin(), slopes.end());
    SlopeEstimate estimate;
    estimate.slope = quantile(slopes, 0.5);

    // Sen (1968): the interval's ranks come from the variance of Kendall's S under no trend.
    const auto n = static_cast<double>(points.size());
    const auto pair_count = static_cast<double>(slopes.size());
    const double z = normal_quantile(0.5 + confidence / 2);
    const double spread = z * std::sqrt(variance_inflation * n * (n - 1) * (2 * n + 5) / 18.0);
    const double lower_rank = std::floor((pair_count - spread) / 2);
    const double upper_rank = std::ceil((pair_count + spread) / 2);
    estimate.low = lower_rank < 1 ? -kInfinity : slopes[static_cast<std::size_t>(lower_rank) - 1];
    estimate.high = upper_rank > pair_count ? kInfinity : slopes[static_cast<std::size_t>(upper_rank) - 1];
    return estimate;
}

double autocorrelation_inflation(const std::vector<Point>& points, double slope) {
    if (points.size() < 4) {
        return 1;
    }
    std::vector<double> offsets;
    for (const Point& point : points) {
        offsets.push_back(point.y - slope * point.x);
    }
    const double intercept = median(offsets);
    double lagged = 0;
    double squares = 0;
    for (std::size_t i = 0; i < offsets.size(); ++i) {
        const double residual = offsets[i] - intercept;
        squares += residual * residual;
        if (i > 0) {
            lagged += residual * (offsets[i - 1] - intercept);
        }
    }
    if (squares <= 0) {
        return 1;
    }
    const double rho = std::clamp(lagged / squares, 0.0, 0.8);
    return (1 + rho) / (1 - rho);
}

} // namespace leakbisect
