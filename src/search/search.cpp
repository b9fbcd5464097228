#include "leakbisect/search/search.hpp"

#include <cassert>
#include <fmt/format.h>
#include <map>
#include <optional>

namespace leakbisect {
namespace {

// The latest verdict for each prefix length.
using VerdictByPrefix = std::map<std::size_t, Verdict>;

VerdictByPrefix latest_verdicts(const std::vector<Observation>& history) {
    VerdictByPrefix verdicts;
    for (const Observation& observation : history) {
        verdicts[observation.prefix] = observation.verdict;
    }
    return verdicts;
}

std::optional<Verdict> verdict_of(const VerdictByPrefix& verdicts, std::size_t prefix) {
    const auto found = verdicts.find(prefix);
    if (found == verdicts.end()) {
        return std::nullopt;
    }
    return found->second;
}

ProbeRequest probe(const SearchProblem& problem, ProbeRole role, std::size_t prefix) {
    return ProbeRequest{
        role, prefix,
        std::vector<std::string>(problem.chunks.begin(),
                                 problem.chunks.begin() + static_cast<std::ptrdiff_t>(prefix))};
}

std::string describe_undecided(Verdict verdict) {
    return verdict == Verdict::skipped   ? "could not be run"
           : verdict == Verdict::invalid ? "had too many failed requests"
                                         : "was inconclusive";
}

Finding undecided_end(std::string stage, Verdict verdict, FindingKind kind = FindingKind::inconclusive) {
    Finding finding;
    finding.kind = kind;
    finding.summary =
        fmt::format("the {} probe {}, so the search cannot go on", stage, describe_undecided(verdict));
    return finding;
}

// Narrows (last_plateau, first_leak] to one chunk. Probes whose verdict was undecided are not
// asked again; the next probe is the untried prefix nearest the middle (bisect) or right after
// the last plateau (linear).
SearchStep narrow(const SearchProblem& problem, const VerdictByPrefix& verdicts) {
    const std::size_t n = problem.chunks.size();
    std::size_t first_leak = n;
    for (const auto& [prefix, verdict] : verdicts) {
        if (verdict == Verdict::leak && prefix < first_leak) {
            first_leak = prefix;
        }
    }
    std::size_t last_plateau = 0;
    for (const auto& [prefix, verdict] : verdicts) {
        if (verdict == Verdict::plateau && prefix < first_leak && prefix > last_plateau) {
            last_plateau = prefix;
        }
    }

    if (first_leak - last_plateau == 1) {
        Finding finding;
        finding.kind = FindingKind::localized;
        finding.culprit = problem.chunks[first_leak - 1];
        finding.last_plateau = last_plateau;
        finding.first_leak = first_leak;
        finding.summary = fmt::format("memory stops plateauing when '{}' is enabled", finding.culprit);
        return finding;
    }

    std::optional<std::size_t> chosen;
    const double middle = static_cast<double>(last_plateau + first_leak) / 2.0;
    for (std::size_t prefix = last_plateau + 1; prefix < first_leak; ++prefix) {
        if (verdicts.count(prefix) != 0) {
            continue;
        }
        if (problem.strategy == SearchStrategy::linear) {
            chosen = prefix;
            break;
        }
        const auto distance = [&](std::size_t p) { return std::abs(static_cast<double>(p) - middle); };
        if (!chosen || distance(prefix) < distance(*chosen)) {
            chosen = prefix;
        }
    }
    if (chosen) {
        return probe(problem, ProbeRole::step, *chosen);
    }

    Finding finding;
    finding.kind = FindingKind::inconclusive;
    finding.last_plateau = last_plateau;
    finding.first_leak = first_leak;
    finding.suspects.assign(problem.chunks.begin() + static_cast<std::ptrdiff_t>(last_plateau),
                            problem.chunks.begin() + static_cast<std::ptrdiff_t>(first_leak));
    finding.summary =
        fmt::format("the leak is in one of {} chunks ({} to {}), but undecided probes hide which",
                    finding.suspects.size(), finding.suspects.front(), finding.suspects.back());
    return finding;
}

} // namespace

SearchStep next_step(const SearchProblem& problem, const std::vector<Observation>& history) {
    assert(!problem.chunks.empty());
    const std::size_t n = problem.chunks.size();
    const VerdictByPrefix verdicts = latest_verdicts(history);

    // Baseline: every chunk off must plateau, or the leak is outside the chunks.
    const std::optional<Verdict> baseline = verdict_of(verdicts, 0);
    if (!baseline) {
        return probe(problem, ProbeRole::baseline, 0);
    }
    if (*baseline == Verdict::leak) {
        Finding finding;
        finding.kind = FindingKind::leak_outside_chunks;
        finding.summary =
            "memory grows with every chunk off: the leak is outside the chunks (framework, middleware, "
            "or code not wrapped in a chunk)";
        return finding;
    }
    if (*baseline != Verdict::plateau) {
        return undecided_end("baseline", *baseline,
                             *baseline == Verdict::skipped ? FindingKind::app_failed
                                                           : FindingKind::inconclusive);
    }

    // Every chunk on must leak, or there is nothing to find.
    const std::optional<Verdict> all_on = verdict_of(verdicts, n);
    if (!all_on) {
        return probe(problem, ProbeRole::all_on, n);
    }
    if (*all_on == Verdict::plateau) {
        Finding finding;
        finding.kind = FindingKind::no_leak;
        finding.summary = "memory plateaus with every chunk on: no leak under this load";
        return finding;
    }
    if (*all_on != Verdict::leak) {
        return undecided_end("all-on", *all_on);
    }

    return narrow(problem, verdicts);
}

std::size_t worst_case_probes(const SearchProblem& problem) {
    const std::size_t n = problem.chunks.size();
    if (problem.strategy == SearchStrategy::linear) {
        return n + 1; // baseline, all-on, and every prefix in between
    }
    std::size_t steps = 0;
    while ((std::size_t{1} << steps) < n) {
        ++steps;
    }
    return 2 + steps;
}

std::string to_string(ProbeRole role, SearchStrategy strategy) {
    switch (role) {
    case ProbeRole::baseline:
        return "baseline";
    case ProbeRole::all_on:
        return "all-on";
    case ProbeRole::step:
        return strategy == SearchStrategy::linear ? "linear" : "bisect";
    }
    return "step";
}

std::string to_string(FindingKind kind) {
    switch (kind) {
    case FindingKind::localized:
        return "localized";
    case FindingKind::leak_outside_chunks:
        return "leak-outside-chunks";
    case FindingKind::no_leak:
        return "no-leak";
    case FindingKind::inconclusive:
        return "inconclusive";
    case FindingKind::app_failed:
        return "app-failed";
    }
    return "inconclusive";
}

} // namespace leakbisect
