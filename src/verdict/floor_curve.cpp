#include "floor_curve.hpp"

#include <algorithm>

namespace leakbisect {
namespace {

constexpr double kFloorQuantile = 0.1;  // the post-GC floor: a low quantile, not the raw samples
constexpr double kTailConfidence = 0.9; // of the reference's late growth carried past its end

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
    const std::size_t block_count = std::clamp<std::size_t>(
        samples.size() / kMinSamplesPerBlock, std::size_t{1}, std::max<std::size_t>(max_blocks, 1));
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
