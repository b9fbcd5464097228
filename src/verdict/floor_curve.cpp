#include "floor_curve.hpp"

#include <algorithm>

namespace leakbisect {
namespace {

constexpr double kFloorQuantile = 0.1;  // the post-GC floor: a low quantile, not the raw samples
constexpr double kTailConfidence = 0.9; // of the reference's late growth carried past its end
constexpr std::size_t kMinFloorsAfterTransient = 8;
// A cut must at least halve the MSER statistic: floors that follow a line up to noise (a steady
// leak, a flat plateau, a page-granular staircase) lower it by chance, a real transient by far more.
constexpr double kTransientGain = 0.5;

double axis_value(const MemorySample& sample, Axis axis) {
    return axis == Axis::requests ? static_cast<double>(sample.requests) : sample.seconds;
}

double reference_at(const std::vector<Point>& reference, double tail_slope, double x) {
    if (x <= reference.front().x) {
        return reference.front().y;
    }
    if (x >= reference.back().x) {
        return reference.back().y + tail_slope * (x - reference.back().x);
    }
    const auto after = std::lower_bound(reference.begin(), reference.end(), x,
                                        [](const Point& point, double value) { return point.x < value; });
    const auto before = after - 1;
    const double fraction = (x - before->x) / (after->x - before->x);
    return before->y + fraction * (after->y - before->y);
}

} // namespace

std::vector<Point> judged_points(const Trace& trace, Axis axis, double warmup) {
    std::vector<Point> judged;
    for (const MemorySample& sample : trace) {
        const double x = axis_value(sample, axis);
        if (x >= warmup) {
            judged.push_back({x, static_cast<double>(sample.bytes)});
        }
    }
    return judged;
}

std::vector<Point> block_floors(const std::vector<Point>& samples, std::size_t max_blocks) {
    if (samples.empty()) {
        return {};
    }
    const double start = samples.front().x;
    const double end = samples.back().x;
    // Several samples per block where there are enough; a sparse recording still gets the fewest
    // blocks a slope is fitted on, with fewer samples in each.
    const std::size_t wanted =
        std::max(samples.size() / kMinSamplesPerBlock, std::min(samples.size(), kMinBlocks));
    const std::size_t block_count =
        std::clamp<std::size_t>(wanted, std::size_t{1}, std::max<std::size_t>(max_blocks, 1));
    const double width = (end - start) / static_cast<double>(block_count);
    std::vector<std::vector<double>> values(block_count);
    std::vector<std::vector<double>> positions(block_count);
    for (const Point& sample : samples) {
        auto index = width > 0 ? static_cast<std::size_t>((sample.x - start) / width) : 0;
        index = std::min(index, block_count - 1);
        values[index].push_back(sample.y);
        positions[index].push_back(sample.x);
    }
    std::vector<Point> floors;
    for (std::size_t i = 0; i < block_count; ++i) {
        if (!values[i].empty()) {
            floors.push_back({median(positions[i]), quantile(values[i], kFloorQuantile)});
        }
    }
    return floors;
}

std::vector<Point> coarsen(const std::vector<Point>& floors, std::size_t count) {
    if (count == 0 || floors.size() <= count) {
        return floors;
    }
    std::vector<Point> coarse;
    for (std::size_t group = 0; group < count; ++group) {
        const std::size_t from = group * floors.size() / count;
        const std::size_t to = (group + 1) * floors.size() / count;
        std::vector<double> xs;
        std::vector<double> ys;
        for (std::size_t i = from; i < to; ++i) {
            xs.push_back(floors[i].x);
            ys.push_back(floors[i].y);
        }
        coarse.push_back({median(xs), median(ys)});
    }
    return coarse;
}

std::size_t transient_end(const std::vector<Point>& floors) {
    const std::size_t count = floors.size();
    if (count < 2 * kMinFloorsAfterTransient) {
        return 0;
    }
    // Suffix sums make every candidate cut's least-squares line O(1).
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    double syy = 0;
    std::vector<double> statistic(count, 0);
    const double x0 = floors.front().x;
    const double y0 = floors.front().y;
    for (std::size_t i = count; i-- > 0;) {
        const double x = floors[i].x - x0; // centred for numerical stability on byte-sized values
        const double y = floors[i].y - y0;
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
        syy += y * y;
        const auto m = static_cast<double>(count - i);
        const double vxx = sxx - sx * sx / m;
        const double vxy = sxy - sx * sy / m;
        const double vyy = syy - sy * sy / m;
        const double residual = vxx > 0 ? std::max(0.0, vyy - vxy * vxy / vxx) : std::max(0.0, vyy);
        statistic[i] = residual / (m * m);
    }
    std::size_t best = 0;
    for (std::size_t cut = 1; cut <= count / 2 && count - cut >= kMinFloorsAfterTransient; ++cut) {
        if (statistic[cut] < statistic[best]) {
            best = cut;
        }
    }
    return statistic[best] <= kTransientGain * statistic[0] ? best : 0;
}

std::vector<Point> lower_envelope(std::vector<Point> floors) {
    for (std::size_t i = floors.size(); i-- > 1;) {
        floors[i - 1].y = std::min(floors[i - 1].y, floors[i].y);
    }
    return floors;
}

std::vector<Point> relative_to(const std::vector<Point>& floors, const std::vector<Point>& reference) {
    if (reference.empty()) {
        return floors;
    }
    const std::vector<Point> late(reference.begin() + static_cast<std::ptrdiff_t>(reference.size() / 2),
                                  reference.end());
    // Only growth the reference surely shows is carried on: a flat, noisy reference must not
    // lend a probe a made-up creep to hide behind.
    const double tail_slope = std::max(0.0, theil_sen(late, kTailConfidence).low);
    std::vector<Point> relative;
    for (const Point& point : floors) {
        relative.push_back({point.x, point.y - reference_at(reference, tail_slope, point.x)});
    }
    return relative;
}

} // namespace leakbisect
