#include "leakbisect/verdict/verdict.hpp"

#include "floor_curve.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>
#include <limits>

namespace leakbisect {
namespace {

constexpr double kMinSplitShare = 0.25;    // a stretch of the window holds at least this share of the floors
constexpr double kSplitGrowthShare = 0.5;  // every stretch must grow by at least this × min_leak
constexpr double kDecelerationRatio = 1.3; // first half this much steeper than the second: saturating
// The later part of a decelerating window must be steadier than that to leak on its own: a cache
// still filling there slows down within it too, a leak under an early heap step does not.
constexpr double kLaterDecelerationRatio = 1.2;
// The second half's own interval is a guard against a cache filling under high noise, not the
// test itself (the whole window's interval is): at the probe's confidence, the few floors of a
// sparse recording's half could never bound it.
constexpr double kHalfConfidence = 0.95;
// Serially correlated floors count as fewer independent ones, but never as fewer than this many:
// floors that sit still for long stretches (a heap that grows in steps, a worker that settled)
// drive the lag-1 estimate to its clamp, which would leave Sen's interval unbounded however the
// curve looks.
constexpr double kMinEffectiveFloors = 8;

std::string_view unit_of(Axis axis) {
    return axis == Axis::requests ? "request" : "second";
}

SlopeEstimate corrected_slope(const std::vector<Point>& floors, double confidence) {
    const SlopeEstimate plain = theil_sen(floors, confidence);
    const double most = std::max(1.0, static_cast<double>(floors.size()) / kMinEffectiveFloors);
    return theil_sen(floors, confidence, std::min(most, autocorrelation_inflation(floors, plain.slope)));
}

std::vector<Point> part(const std::vector<Point>& floors, std::size_t from, std::size_t to) {
    return {floors.begin() + static_cast<std::ptrdiff_t>(from),
            floors.begin() + static_cast<std::ptrdiff_t>(to)};
}

// The least growth over any stretch of the lower envelope (each floor lowered to the least floor
// after it) that holds at least kMinSplitShare of the floors, over at most the fixed load's number
// of floors. A step leaves a flat stretch on one side; a GC cycle that completes inside the window
// flattens everything before its trough; a cycle longer than the fixed load leaves a flat stretch
// between its rises. A leak grows over every stretch.
double least_growth_over_stretches(const std::vector<Point>& floors) {
    const std::vector<Point> envelope = lower_envelope(coarsen(floors, kBlocksAtFixedLoad));
    const auto side = std::max<std::size_t>(
        2, static_cast<std::size_t>(kMinSplitShare * static_cast<double>(envelope.size())));
    double least = std::numeric_limits<double>::infinity();
    for (std::size_t from = 0; from + side <= envelope.size(); ++from) {
        least = std::min(least, median_slope(part(envelope, from, from + side)));
    }
    return least;
}

// `window`: the judged floors; the first `transient` of them are the initial transient found in
// the data, judged for the shape of the curve but not for its rate. `later`: the floors are the
// later part of a decelerating window, not the whole judged window.
void decide(Judgement& judgement, const std::vector<Point>& window, std::size_t transient,
            const VerdictOptions& options, bool later = false);

// A decelerating window's later half, judged on its own (and so on down) while it spans at least
// the fixed load (or half the longest window the probe can reach, if that is shorter): the first
// such part that leaks steadily, or that has settled below min_leak, if any. A runtime that slows
// down all the way (Ruby's heap and malloc arenas) plateaus once its later part grows by less
// than min_leak; a leak that settles at a positive rate still leaks there.
std::optional<Judgement> later_part(const Judgement& whole, const std::vector<Point>& floors,
                                    const VerdictOptions& options) {
    const std::vector<Point> later = part(floors, floors.size() / 2, floors.size());
    double least_span = options.fixed_span;
    if (options.final_span > 0) {
        least_span = std::min(least_span, options.final_span / 2);
    }
    if (least_span <= 0 || later.size() < kMinBlocks || later.back().x - later.front().x < least_span) {
        return std::nullopt;
    }
    Judgement judgement = whole;
    decide(judgement, later, 0, options, true);
    if (judgement.verdict != Verdict::leak && judgement.verdict != Verdict::plateau) {
        return std::nullopt;
    }
    judgement.blocks = later.size();
    judgement.judged_span = later.back().x - later.front().x;
    judgement.settled_at = later.front().x;
    if (judgement.verdict == Verdict::plateau) {
        judgement.reason +=
            fmt::format(" over the last {:.0f} {}s of the window, after faster growth before them "
                        "(a runtime or a cache settling)",
                        judgement.judged_span, unit_of(options.axis));
    }
    return judgement;
}

void decide(Judgement& judgement, const std::vector<Point>& window, std::size_t transient,
            const VerdictOptions& options, bool later) {
    const std::vector<Point> floors = part(window, transient, window.size());
    const double min_leak = static_cast<double>(options.min_leak.value);
    const std::string_view unit = unit_of(options.axis);
    const SlopeEstimate overall = corrected_slope(floors, options.confidence);
    judgement.rate = overall.slope;
    judgement.rate_low = overall.low;
    judgement.rate_high = overall.high;
    const std::string relative = judgement.against_reference ? " relative to the reference" : "";

    // Memory whose floor never moves by min_leak × the window within the window grew by less than
    // min_leak per request, whatever the floors' serial correlation: a leak that fast would spread
    // the floors at least that far. Quiet apps (a page-granular RSS) decide at the first look.
    const auto [lowest, highest] = std::minmax_element(
        floors.begin(), floors.end(), [](const Point& a, const Point& b) { return a.y < b.y; });
    const double range = highest->y - lowest->y;
    const double span = floors.back().x - floors.front().x;
    if (span > 0 && range < min_leak * span) {
        judgement.verdict = Verdict::plateau;
        // The growth over the window is within ±range; close pairs of floors can give pairwise
        // slopes (and so a median and an interval) steeper than that.
        const double bound = range / span;
        judgement.rate_low = std::clamp(judgement.rate_low, -bound, bound);
        judgement.rate_high = std::clamp(judgement.rate_high, -bound, bound);
        judgement.rate = std::clamp(judgement.rate, judgement.rate_low, judgement.rate_high);
        judgement.reason = fmt::format(
            "the floor{} stays within {} over {:.0f} {}s: at most {}/{}, below min_leak {}", relative,
            format_bytes(range), span, unit, format_bytes(range / span), unit, format_bytes(min_leak));
        return;
    }
    if (overall.high < min_leak) {
        judgement.verdict = Verdict::plateau;
        judgement.reason = fmt::format("growth{} is at most {}/{}, below min_leak {}", relative,
                                       format_bytes(overall.high), unit, format_bytes(min_leak));
        return;
    }
    judgement.verdict = Verdict::inconclusive;
    if (!std::isfinite(overall.low)) {
        judgement.reason = fmt::format(
            "growth{} of about {}/{} cannot be bounded yet: its {} floors move together (a heap growing "
            "in steps, or long GC cycles), so they count as far fewer independent ones",
            relative, format_bytes(overall.slope), unit, floors.size());
        return;
    }
    if (overall.low <= min_leak) {
        judgement.reason =
            fmt::format("growth{} of {} to {}/{} straddles min_leak {}", relative, format_bytes(overall.low),
                        format_bytes(overall.high), unit, format_bytes(min_leak));
        return;
    }
    // A runtime settling or a cache filling grows fast, then slowly: not (yet) a leak. Withholding
    // LEAK only costs more load, so the point estimates are enough, without significance.
    const std::size_t window_half = window.size() / 2;
    const double first = median_slope(part(window, 0, window_half));
    const double second = median_slope(part(window, window_half, window.size()));
    if (first > (later ? kLaterDecelerationRatio : kDecelerationRatio) * std::max(second, 0.0)) {
        if (const std::optional<Judgement> decided = later_part(judgement, window, options)) {
            judgement = *decided;
            return;
        }
        judgement.reason = fmt::format(
            "the floor{} grows by {}/{} in the first half of the window but only {}/{} in the second: "
            "it is decelerating (a filling cache or a settling runtime)",
            relative, format_bytes(first), unit, format_bytes(second), unit);
        return;
    }
    // One step (an arena that grows once) or one GC cycle is not a leak: every stretch must grow.
    const double least = least_growth_over_stretches(window);
    if (least < kSplitGrowthShare * min_leak) {
        judgement.reason =
            fmt::format("the floor{} grew by {}/{} overall, but a quarter of the window grows by only {}/{}: "
                        "a step, or memory that comes back down later",
                        relative, format_bytes(overall.slope), unit, format_bytes(least), unit);
        return;
    }
    // The later half must leak on its own too: at high noise a cache filling over the whole window
    // hides its deceleration from the point estimates, not from this half's interval. A sparse
    // recording's half holds too few floors to bound anything: there its slope must clear min_leak.
    const std::vector<Point> second_half = part(window, window_half, window.size());
    const SlopeEstimate recent = theil_sen(second_half, kHalfConfidence);
    const double recent_least = second_half.size() >= kMinBlocks ? recent.low : median_slope(second_half);
    if (recent_least <= min_leak) {
        judgement.reason = fmt::format(
            "the floor{} grew by {}/{} overall, but in the second half of the window by {} to {}/{}, "
            "which straddles min_leak {}",
            relative, format_bytes(overall.slope), unit, format_bytes(recent.low), format_bytes(recent.high),
            unit, format_bytes(min_leak));
        return;
    }
    judgement.verdict = Verdict::leak;
    if (later) {
        judgement.reason = fmt::format(
            "the memory floor{} still grows by {}/{} (at least {}), steadily, over the last {:.0f} {}s "
            "of the window, after faster growth before them (a heap that grew in steps, or a cache "
            "filling on top of a leak)",
            relative, format_bytes(overall.slope), unit, format_bytes(overall.low),
            floors.back().x - floors.front().x, unit);
        return;
    }
    judgement.reason = fmt::format("the memory floor{} grows by {}/{} (at least {}), steadily", relative,
                                   format_bytes(overall.slope), unit, format_bytes(overall.low));
}

// A runtime still sizing its heap grows faster the more a configuration allocates, whether or not
// it keeps anything: against a reference that is still settling (its growth slowing down over the
// stretch), a chunk that only allocates more grows on top of it for as long as the reference
// grows, by an amount of the same order. Growth on top of such a reference that is less than the
// reference's own growth over the same stretch is not yet a leak; the load goes on until the
// reference has settled below it (a real leak stays, the extra sizing slows down with the
// reference's). A reference that grows steadily (a leak outside the chunks) will not settle: there
// the run's own rule decides (exit 11 when every chunk adds less than the baseline's own growth).
// As with deceleration, point estimates suffice: this only withholds LEAK.
void withhold_below_reference_growth(Judgement& judgement, const std::vector<Point>& reference_floors,
                                     double end, const VerdictOptions& options) {
    std::vector<Point> stretch;
    for (const Point& point : reference_floors) {
        if (point.x >= judgement.settled_at && point.x <= end) {
            stretch.push_back(point);
        }
    }
    if (stretch.size() < 4) {
        return;
    }
    const double reference_growth = median_slope(stretch);
    const std::size_t half = stretch.size() / 2;
    const bool settling = median_slope(part(stretch, 0, half + 1)) >
                          kDecelerationRatio * median_slope(part(stretch, half, stretch.size()));
    if (!settling || judgement.rate >= reference_growth) {
        return;
    }
    judgement.verdict = Verdict::inconclusive;
    judgement.reason = fmt::format(
        "the floor relative to the reference grows by {}/{} (at least {}), but the reference itself still "
        "grows by {}/{} over the same stretch: a runtime sizing its heap for a chunk that only allocates "
        "more grows like that too",
        format_bytes(judgement.rate), unit_of(options.axis), format_bytes(judgement.rate_low),
        format_bytes(reference_growth), unit_of(options.axis));
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

Judgement judge_trace(const Trace& trace, const VerdictOptions& options, const Trace* reference) {
    Judgement judgement;
    judgement.confidence = options.confidence;
    const std::string_view unit = unit_of(options.axis);

    const std::vector<Point> judged = judged_points(trace, options.axis, options.warmup);
    static_assert(kMinJudgedSamples == kMinBlocks);
    if (judged.size() < kMinJudgedSamples) {
        judgement.reason = fmt::format("only {} samples after the warm-up; at least {} are needed",
                                       judged.size(), kMinJudgedSamples);
        return judgement;
    }
    judgement.judged_span = judged.back().x - judged.front().x;
    if (judgement.judged_span <= 0) {
        judgement.reason = fmt::format("no {}s were completed after the warm-up", unit);
        return judgement;
    }
    std::vector<Point> floors = block_floors(judged, options.max_blocks);
    judgement.blocks = floors.size();
    if (floors.size() < kMinBlocks) {
        judgement.reason =
            fmt::format("the samples fill only {} blocks of the judged window; at least {} are needed",
                        floors.size(), kMinBlocks);
        return judgement;
    }
    std::vector<Point> reference_floors;
    if (reference != nullptr) {
        // The reference over the same window (or what it has of it), cut into blocks of the same
        // width: a shorter reference gets fewer blocks, not narrower and noisier ones.
        std::vector<Point> reference_judged = judged_points(*reference, options.axis, options.warmup);
        while (!reference_judged.empty() && reference_judged.back().x > judged.back().x) {
            reference_judged.pop_back();
        }
        const double width = judgement.judged_span / static_cast<double>(floors.size());
        const double reference_span =
            reference_judged.empty() ? 0 : reference_judged.back().x - reference_judged.front().x;
        const auto reference_blocks = static_cast<std::size_t>(std::ceil(reference_span / width));
        reference_floors = block_floors(reference_judged, std::min(reference_blocks, options.max_blocks));
        if (reference_floors.size() >= kMinBlocks) {
            floors = relative_to(floors, reference_floors);
            judgement.against_reference = true;
        }
    }
    const std::size_t transient = transient_end(floors);
    judgement.warmup_found = transient > 0;
    judgement.settled_at =
        transient == 0 ? judged.front().x : (floors[transient - 1].x + floors[transient].x) / 2;
    decide(judgement, floors, transient, options);
    if (judgement.verdict == Verdict::leak && judgement.against_reference) {
        withhold_below_reference_growth(judgement, reference_floors, floors.back().x, options);
    }
    if (transient > 0 && judgement.settled_at > judged.front().x) {
        judgement.reason += fmt::format(" (judged from {:.0f} {}s on: the warm-up found in the floor)",
                                        judgement.settled_at, unit);
    }
    return judgement;
}

} // namespace leakbisect
