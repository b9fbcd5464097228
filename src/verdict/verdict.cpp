#include "leakbisect/verdict/verdict.hpp"

#include "leakbisect/verdict/statistics.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>

namespace leakbisect {
namespace {

constexpr std::size_t kMaxBlocks = 20;
constexpr std::size_t kMinBlocks = 6;
constexpr std::size_t kMinSamplesPerBlock = 2;
constexpr double kFloorQuantile = 0.1; // the post-GC floor: a low quantile, not the raw samples

double axis_value(const MemorySample& sample, Axis axis) {
    return axis == Axis::requests ? static_cast<double>(sample.requests) : sample.seconds;
}

std::string_view unit_of(Axis axis) {
    return axis == Axis::requests ? "request" : "second";
}

// Splits the judged window into equal-width blocks of the axis and keeps each block's floor.
std::vector<Point> block_floors(const std::vector<Point>& samples, double start, double end) {
    const std::size_t block_count =
        std::clamp<std::size_t>(samples.size() / kMinSamplesPerBlock, std::size_t{1}, kMaxBlocks);
    const double width = (end - start) / static_cast<double>(block_count);
    std::vector<std::vector<double>> values(block_count);
    std::vector<std::vector<double>> positions(block_count);
    for (const Point& sample : samples) {
        auto index = static_cast<std::size_t>((sample.x - start) / width);
        index = std::min(index, block_count - 1);
        values[index].push_back(sample.y);
        positions[index].push_back(sample.x);
    }
    std::vector<Point> floors;
    for (std::size_t i = 0; i < block_count; ++i) {
        if (values[i].empty()) {
            continue;
        }
        floors.push_back({median(positions[i]), quantile(values[i], kFloorQuantile)});
    }
    return floors;
}

} // namespace

std::string to_string(Verdict verdict) {
    switch (verdict) {
    case Verdict::plateau:
        return "PLATEAU";
    case Verdict::leak:
        return "LEAK";
    case Verdict::inconclusive:
        return "INCONCLUSIVE";
    case Verdict::invalid:
        return "INVALID";
    case Verdict::skipped:
        return "SKIPPED";
    }
    return "INCONCLUSIVE";
}

std::optional<Verdict> verdict_from_string(std::string_view text) {
    for (const Verdict verdict :
         {Verdict::plateau, Verdict::leak, Verdict::inconclusive, Verdict::invalid, Verdict::skipped}) {
        if (to_string(verdict) == text) {
            return verdict;
        }
    }
    return std::nullopt;
}

Judgement judge_trace(const Trace& trace, const VerdictOptions& options) {
    Judgement judgement;
    judgement.confidence = options.confidence;
    const double min_leak = static_cast<double>(options.min_leak.value);
    const std::string_view unit = unit_of(options.axis);

    std::vector<Point> judged;
    for (const MemorySample& sample : trace) {
        const double x = axis_value(sample, options.axis);
        if (x >= options.warmup) {
            judged.push_back({x, static_cast<double>(sample.bytes)});
        }
    }
    if (judged.size() < kMinBlocks * kMinSamplesPerBlock) {
        judgement.reason = fmt::format("only {} samples after the warm-up; at least {} are needed",
                                       judged.size(), kMinBlocks * kMinSamplesPerBlock);
        return judgement;
    }
    const double start = judged.front().x;
    const double end = judged.back().x;
    judgement.judged_span = end - start;
    if (judgement.judged_span <= 0) {
        judgement.reason = fmt::format("no {}s were completed after the warm-up", unit);
        return judgement;
    }

    const std::vector<Point> floors = block_floors(judged, start, end);
    judgement.blocks = floors.size();
    if (floors.size() < kMinBlocks) {
        judgement.reason =
            fmt::format("the samples fill only {} blocks of the judged window; at least {} are needed",
                        floors.size(), kMinBlocks);
        return judgement;
    }

    const SlopeEstimate overall = theil_sen(floors, options.confidence);
    judgement.rate = overall.slope;
    judgement.rate_low = overall.low;
    judgement.rate_high = overall.high;

    // A leak keeps growing: a single step (an arena that grows once) or a cache that fills in the
    // first half does not. Growth must hold in each half of the window on its own.
    const std::size_t half = floors.size() / 2;
    const std::vector<Point> first(floors.begin(), floors.begin() + static_cast<std::ptrdiff_t>(half));
    const std::vector<Point> second(floors.begin() + static_cast<std::ptrdiff_t>(half), floors.end());
    const double first_slope = theil_sen(first, options.confidence).slope;
    const double second_slope = theil_sen(second, options.confidence).slope;

    if (overall.low > min_leak && first_slope > min_leak && second_slope > min_leak) {
        judgement.verdict = Verdict::leak;
        judgement.reason =
            fmt::format("the memory floor grows by {}/{} (at least {}) in both halves of the window",
                        format_bytes(overall.slope), unit, format_bytes(overall.low));
    } else if (overall.high < min_leak) {
        judgement.verdict = Verdict::plateau;
        judgement.reason = fmt::format("growth is at most {}/{}, below min_leak {}",
                                       format_bytes(overall.high), unit, format_bytes(min_leak));
    } else if (overall.low > min_leak) {
        judgement.verdict = Verdict::inconclusive;
        judgement.reason = fmt::format(
            "the floor grew by {}/{} overall but not in both halves ({} then {}): a step or a filling cache",
            format_bytes(overall.slope), unit, format_bytes(first_slope), format_bytes(second_slope));
    } else {
        judgement.verdict = Verdict::inconclusive;
        judgement.reason =
            fmt::format("growth of {} to {}/{} straddles min_leak {}", format_bytes(overall.low),
                        format_bytes(overall.high), unit, format_bytes(min_leak));
    }
    return judgement;
}

} // namespace leakbisect
