#include "leakbisect/verdict/sequential.hpp"

#include <algorithm>
#include <cassert>
#include <fmt/format.h>

namespace leakbisect {
namespace {

constexpr std::size_t kMostBlocks = 256; // the Theil–Sen fit stays a few milliseconds

// Past the fixed load, blocks keep the fixed load's width, so a longer window holds more floors:
// with a fixed count, floors that move together (a heap growing in steps, a long GC cycle) would
// keep the interval as wide at 50,000 requests as at 5,000, and extending could never decide.
std::size_t blocks_at(const VerdictOptions& options, const LoadBudget& budget, std::uint64_t covered) {
    if (covered <= budget.requests || budget.requests <= budget.warmup) {
        return options.max_blocks;
    }
    const double growth =
        static_cast<double>(covered - budget.warmup) / static_cast<double>(budget.requests - budget.warmup);
    return std::min(kMostBlocks, static_cast<std::size_t>(static_cast<double>(options.max_blocks) * growth));
}

Trace samples_up_to(const Trace& trace, std::uint64_t requests) {
    Trace prefix;
    for (const MemorySample& sample : trace) {
        if (sample.requests > requests) {
            break;
        }
        prefix.push_back(sample);
    }
    return prefix;
}

} // namespace

std::vector<std::uint64_t> look_schedule(const LoadBudget& budget) {
    const std::uint64_t last = std::max<std::uint64_t>(budget.max_requests, budget.requests);
    std::vector<std::uint64_t> looks;
    // `look <= last / 2` before doubling: near 2^64 the doubling would wrap to 0 and never end.
    for (std::uint64_t look = std::max<std::uint64_t>(budget.requests / 2, 1); look < last;
         look = look <= last / 2 ? look * 2 : last) {
        if (look >= 2 * budget.warmup || look == budget.requests) {
            looks.push_back(look);
        }
    }
    looks.push_back(last);
    return looks;
}

LookDecision decide_at_look(const Trace& trace, const VerdictOptions& options, const LoadBudget& budget,
                            std::size_t look, const Trace* reference) {
    const std::vector<std::uint64_t> schedule = look_schedule(budget);
    assert(look < schedule.size());
    VerdictOptions at_look = options;
    at_look.confidence = 1 - (1 - options.confidence) / static_cast<double>(schedule.size());
    const std::uint64_t covered = trace.empty() ? 0 : trace.back().requests;
    at_look.max_blocks = blocks_at(options, budget, covered);
    at_look.fixed_span = static_cast<double>(budget.requests) - options.warmup;
    at_look.final_span = static_cast<double>(schedule.back()) - options.warmup;
    LookDecision decision;
    decision.judgement = judge_trace(trace, at_look, reference);
    if (decision.judgement.verdict == Verdict::leak && covered < budget.requests) {
        decision.judgement.verdict = Verdict::inconclusive;
        decision.judgement.reason +=
            fmt::format("; LEAK waits for the fixed load of {} requests", budget.requests);
    }
    // A floor that rose and then sat still for the rest of a short window is a warm-up, or the
    // first step of a leak whose heap grows in big steps: only the fixed load tells them apart.
    if (decision.judgement.verdict == Verdict::plateau && decision.judgement.warmup_found &&
        covered < budget.requests) {
        decision.judgement.verdict = Verdict::inconclusive;
        decision.judgement.reason += fmt::format(
            "; after a warm-up found in the floor, PLATEAU waits for the fixed load of {} requests",
            budget.requests);
    }
    const bool reference_grows =
        decision.judgement.verdict == Verdict::leak && covered < budget.reference_until;
    if ((decision.judgement.verdict == Verdict::inconclusive || reference_grows) &&
        look + 1 < schedule.size()) {
        decision.extend_to = schedule[look + 1];
        if (reference_grows) {
            decision.judgement.reason += fmt::format(
                "; every later probe is judged against this curve, so it is recorded up to {} requests",
                std::min(budget.reference_until, schedule.back()));
        }
    }
    return decision;
}

ReplayResult replay_looks(const Trace& trace, const VerdictOptions& options, const LoadBudget& budget,
                          const Trace* reference) {
    const std::vector<std::uint64_t> schedule = look_schedule(budget);
    const std::uint64_t end = trace.empty() ? 0 : trace.back().requests;
    ReplayResult result;
    for (std::size_t look = 0; look < schedule.size(); ++look) {
        const std::uint64_t at = std::min(schedule[look], end);
        const LookDecision decision =
            decide_at_look(samples_up_to(trace, at), options, budget, look, reference);
        result.judgement = decision.judgement;
        result.requests = at;
        result.looks = look + 1;
        if (!decision.extend_to || at == end) {
            break;
        }
    }
    return result;
}

} // namespace leakbisect
