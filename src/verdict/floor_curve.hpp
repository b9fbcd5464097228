// The post-GC floor of a trace: its judged samples cut into equal blocks of the axis, each block
// reduced to a low quantile. Internal to the verdict module; pure functions over plain points.
#pragma once

#include "leakbisect/verdict/statistics.hpp"
#include "leakbisect/verdict/verdict.hpp"

#include <vector>

namespace leakbisect {

constexpr std::size_t kMinSamplesPerBlock = 3; // where the samples allow it
constexpr std::size_t kMinBlocks = 8;

// The samples at or after the warm-up, as (axis, bytes) points.
std::vector<Point> judged_points(const Trace& trace, Axis axis, double warmup);

// One point per non-empty block: (median position, low quantile of memory); at most max_blocks
// blocks of at least kMinSamplesPerBlock samples each, or kMinBlocks blocks of fewer samples.
std::vector<Point> block_floors(const std::vector<Point>& samples, std::size_t max_blocks);

// `floors` minus the reference floor at the same positions: linear between the reference's
// points, its first value before them, and past its end its last value plus its own late growth
// (the lower bound of its second half's slope, never negative), so a runtime's creep beyond the
// reference's window is still discounted, and a flat reference's noise is not.
std::vector<Point> relative_to(const std::vector<Point>& floors, const std::vector<Point>& reference);

// At most `count` points: runs of neighbouring floors merged into their median position and
// median floor. Floors of narrow blocks are noisy, and a lower envelope over them drifts upward
// (fewer floors lie after later ones, so their minimum is higher) as if memory grew.
std::vector<Point> coarsen(const std::vector<Point>& floors, std::size_t count);

// How many leading floors are an initial transient (a runtime settling, a heap sizing itself, a
// cache filling): MSER, the warm-up truncation rule of simulation output analysis, on the residuals
// of a straight line instead of a constant, so a steady leak is not truncated. The cut minimises
// the residual sum of squares of the floors after it over the square of their count, and takes at
// most half of the floors (a transient longer than that has not ended: nothing is cut).
std::size_t transient_end(const std::vector<Point>& floors);

// Each floor lowered to the least floor at or after it: the memory the process still comes back
// down to later. A GC cycle longer than a block leaves its troughs here, a leak does not.
std::vector<Point> lower_envelope(std::vector<Point> floors);

} // namespace leakbisect
