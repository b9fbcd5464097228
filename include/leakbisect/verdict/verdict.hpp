// The plateau/leak judgement of one memory trace: pure maths, no I/O, no clock.
// Given samples of memory against requests (and optionally a known-good reference trace under the
// same load), it follows the post-GC floor and estimates growth in bytes per request with a
// confidence interval; the caller decides what to run next (see sequential.hpp).
#pragma once

#include "leakbisect/core/units.hpp"
#include "leakbisect/verdict/trace.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace leakbisect {

enum class Verdict {
    plateau,      // growth per request is confidently below min_leak
    leak,         // growth per request is confidently above min_leak, and not from one step
    inconclusive, // the evidence does not separate the two
    invalid,      // the load failed (too many errors): not judged
    skipped,      // the app crashed or never became ready after retries
};

std::string to_string(Verdict verdict); // "PLATEAU", "LEAK", ...
std::optional<Verdict> verdict_from_string(std::string_view text);

// The x axis of the judgement: requests for an HTTP load, seconds for a load command.
enum class Axis { requests, seconds };

// Fewer samples than this after the warm-up cannot be judged: one per block of the fewest blocks
// (a sparse recording, one sample a second, gets blocks of one or two samples).
constexpr std::size_t kMinJudgedSamples = 8;
// The judged window of the fixed load is cut into at most this many blocks; a longer window
// into proportionally more (see decide_at_look), so extending a probe adds evidence even when
// neighbouring floors move together.
constexpr std::size_t kBlocksAtFixedLoad = 32;

struct VerdictOptions {
    Bytes min_leak{100};      // growth per unit of the axis below this is a plateau
    double confidence = 0.99; // two-sided confidence of the slope interval
    double warmup = 300;      // leading part of the axis (requests or seconds) never judged
    Axis axis = Axis::requests;
    std::size_t max_blocks = kBlocksAtFixedLoad; // the judged window's floors: at most this many
    // The judged span of the fixed load (0: none). A decelerating window is judged again on its
    // later half, and so on down while the part is at least this long (or half of final_span, the
    // judged span of the probe's last look, if that is shorter): a leak under a heap that grew in
    // big steps early on still leaks there; a filled cache is flat.
    double fixed_span = 0;
    double final_span = 0;
};

struct Judgement {
    Verdict verdict = Verdict::inconclusive;
    double rate = 0;     // bytes per request (or per second): the Theil–Sen slope of the floor
    double rate_low = 0; // confidence interval of the rate
    double rate_high = 0;
    double confidence = 0;
    std::size_t blocks = 0;         // floor points the slope was fitted on
    double judged_span = 0;         // requests (or seconds) after warm-up that were judged
    std::string reason;             // one sentence a user can read
    bool against_reference = false; // the floor was judged relative to a reference trace's floor
    // Where the steady part that gave the rate begins: past `warmup`, the end of an initial
    // transient found in the floor itself (or of a decelerating window's earlier part).
    double settled_at = 0;
    bool warmup_found = false; // an initial transient was found in the floor and left unjudged
};

// LEAK needs the floor's growth interval above min_leak (the window's second half's too), growth
// that survives ignoring any single jump, and a curve that is not decelerating (or, in a window
// four fixed loads long, a later part that leaks on its own); PLATEAU needs the interval's upper
// end below min_leak, or floors that all lie within min_leak × the window. With `reference` (the
// baseline's trace under the same load), the reference's floor at the same request count is
// subtracted first, so growth the runtime shows on its own is not a leak; and LEAK then also needs
// that growth to be at least the reference's own over the same stretch (a runtime still sizing its
// heap grows faster for a configuration that only allocates more).
Judgement judge_trace(const Trace& trace, const VerdictOptions& options, const Trace* reference = nullptr);

} // namespace leakbisect
