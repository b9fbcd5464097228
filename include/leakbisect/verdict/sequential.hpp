// Adaptive load as a pure decision: the request counts at which a probe's trace is judged
// ("looks"), and at each look whether the verdict is clear or the same process needs more load.
// The error budget 1 - confidence is split evenly across the looks. The caller runs the load.
#pragma once

#include "leakbisect/verdict/verdict.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace leakbisect {

struct LoadBudget {
    std::uint64_t requests = 3000;      // the recipe's fixed load: always one of the looks
    std::uint64_t warmup = 300;         // the first look judges at least as many requests again
    std::uint64_t max_requests = 50000; // the last look
    // The probe is the reference later probes are judged against (a run's baseline): one that grows
    // is not stopped at LEAK before this many requests, so its curve covers the windows those
    // probes are judged over instead of being extrapolated there. 0: stop at the first clear verdict.
    std::uint64_t reference_until = 0;
};

// How far a growing reference's curve is recorded: the looks up to this many fixed loads, where
// most probes judged against it decide (a creeping runtime's growth slows down over that span, and
// a straight line drawn through its first fixed load would overstate it there).
constexpr std::uint64_t kReferenceFixedLoads = 4;

// Ascending request counts: requests/2 doubling (those at least twice the warm-up), up to and
// including max_requests. Never empty.
std::vector<std::uint64_t> look_schedule(const LoadBudget& budget);

struct LookDecision {
    Judgement judgement;                    // at this look's share of the error budget
    std::optional<std::uint64_t> extend_to; // INCONCLUSIVE with a later look left: run up to here
};

// Judges `trace` (the requests up to look_schedule(budget)[look]) at the confidence of one look,
// and says whether to stop. `options.confidence` is the whole probe's confidence. A trace short
// of the fixed load may stop on PLATEAU but never on LEAK: a GC cycle can be as long as the window
// the user chose, and a shorter window cannot tell its rise from a leak. Past the fixed load the
// window keeps the fixed load's block width: more floors, not wider ones.
LookDecision decide_at_look(const Trace& trace, const VerdictOptions& options, const LoadBudget& budget,
                            std::size_t look, const Trace* reference = nullptr);

// Replays the looks over a recorded trace as a probe would have made them: the samples up to
// each look in turn, stopping at the first clear verdict; a trace that ends between looks is
// judged once more at its end. Returns the last decision and how many requests it judged.
struct ReplayResult {
    Judgement judgement;
    std::uint64_t requests = 0; // the look where the replay stopped
    std::size_t looks = 0;
};
ReplayResult replay_looks(const Trace& trace, const VerdictOptions& options, const LoadBudget& budget,
                          const Trace* reference = nullptr);

} // namespace leakbisect
