#include "chunk_tree.hpp"

#include <algorithm>

namespace leakbisect {

using namespace search_detail;

namespace {

std::size_t ceil_log2(std::size_t n) {
    std::size_t steps = 0;
    while ((std::size_t{1} << steps) < n) {
        ++steps;
    }
    return steps;
}

// Probes to find one of `items` when the configurations before the first and after the last are known.
std::size_t level_probes(std::size_t items, SearchStrategy strategy) {
    return strategy == SearchStrategy::linear ? items - 1 : ceil_log2(items);
}

std::size_t narrowing_probes(const ChunkTree& tree, std::size_t chunk, SearchStrategy strategy) {
    const auto& children = tree.children(chunk);
    if (children.empty()) {
        return 0;
    }
    std::size_t deepest = 0;
    for (const std::size_t child : children) {
        deepest = std::max(deepest, narrowing_probes(tree, child, strategy));
    }
    return level_probes(children.size() + 1, strategy) + deepest;
}

} // namespace

ProbeBudget probe_budget(const SearchProblem& problem) {
    const ChunkTree tree(problem.chunks);
    ProbeBudget budget;
    budget.search = 2 + level_probes(tree.top_level().size(), problem.strategy);
    std::size_t deepest = 0;
    if (problem.narrow == Narrowing::run) {
        for (const std::size_t chunk : tree.top_level()) {
            deepest = std::max(deepest, narrowing_probes(tree, chunk, problem.strategy));
        }
        budget.search += deepest;
    }
    if (problem.confirm == Confirmation::run) {
        budget.confirmation = 3;
        budget.per_partner = 1 + level_probes(std::max<std::size_t>(1, tree.size() - 1), problem.strategy);
        if (deepest > 0) {
            budget.per_partner += 1 + deepest; // the set without it, then narrowing inside it
        }
    } else if (problem.confirm == Confirmation::boundary_only) {
        budget.confirmation = 2;
    }
    budget.min_runs_per_configuration = problem.repeats;
    budget.max_runs_per_configuration = kMaxRunsPerRepeat * problem.repeats;
    return budget;
}

std::size_t worst_case_probes(const SearchProblem& problem) {
    const ProbeBudget budget = probe_budget(problem);
    return (budget.search + budget.confirmation) * budget.min_runs_per_configuration;
}

std::string to_string(ProbeRole role, SearchStrategy strategy) {
    switch (role) {
    case ProbeRole::baseline:
        return "baseline";
    case ProbeRole::all_on:
        return "all-on";
    case ProbeRole::step:
        return strategy == SearchStrategy::linear ? "linear" : "bisect";
    case ProbeRole::narrow:
        return "narrow";
    case ProbeRole::confirm:
        return "confirm";
    case ProbeRole::interact:
        return "interact";
    case ProbeRole::recheck:
        return "recheck";
    case ProbeRole::crash:
        return "crash";
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

std::string to_string(ConfirmationResult result) {
    switch (result) {
    case ConfirmationResult::not_run:
        return "not-run";
    case ConfirmationResult::leaks_alone:
        return "leaks-alone";
    case ConfirmationResult::leaks_with_others:
        return "leaks-with-others";
    case ConfirmationResult::undecided:
        return "undecided";
    }
    return "undecided";
}

std::string to_string(Wiring wiring) {
    switch (wiring) {
    case Wiring::ok:
        return "ok";
    case Wiring::no_effect:
        return "no-effect";
    case Wiring::not_checked:
        return "not-checked";
    }
    return "not-checked";
}

} // namespace leakbisect
