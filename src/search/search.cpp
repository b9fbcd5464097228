#include "leakbisect/search/search.hpp"

#include "chunk_tree.hpp"
#include "level.hpp"

#include <algorithm>
#include <cassert>
#include <fmt/format.h>

namespace leakbisect {

using namespace search_detail;

namespace {

std::string describe_undecided(Verdict verdict) {
    return verdict == Verdict::skipped   ? "could not be run"
           : verdict == Verdict::invalid ? "had too many failed requests"
                                         : "was inconclusive";
}

Finding ending(FindingKind kind, std::string summary) {
    Finding finding;
    finding.kind = kind;
    finding.summary = std::move(summary);
    return finding;
}

// Why a configuration stays undecided without its full share of runs: each of its runs had every
// extension verdict.max_requests allows.
std::string exhausted_note(const EvidenceView& evidence, const Bits& config) {
    const ConfigurationEvidence summary = evidence.summary(config);
    if (summary.exhausted_runs < kExhaustedRuns || summary.leaks + summary.plateaus > 0) {
        return "";
    }
    return fmt::format(
        " ({} runs each stayed INCONCLUSIVE up to verdict.max_requests, so the same load was not "
        "run again; a larger max_requests or load.requests could decide it)",
        summary.exhausted_runs);
}

Finding undecided_end(std::string_view stage, Verdict verdict, const std::string& note = "") {
    return ending(verdict == Verdict::skipped && stage == "baseline" ? FindingKind::app_failed
                                                                     : FindingKind::inconclusive,
                  fmt::format("the {} probe {}{}, so the search cannot go on", stage,
                              describe_undecided(verdict), note));
}

Finding hidden_by_undecided(const Level& level, const LevelResult& result, std::string_view what) {
    Finding finding;
    finding.kind = FindingKind::inconclusive;
    finding.suspects.assign(level.labels.begin() + static_cast<std::ptrdiff_t>(result.last_plateau),
                            level.labels.begin() + static_cast<std::ptrdiff_t>(result.first_leak));
    finding.summary = fmt::format("{} is one of {} ({}), but undecided probes hide which", what,
                                  finding.suspects.size(), fmt::join(finding.suspects, ", "));
    return finding;
}

// The chunk found guilty at the deepest level, and the two configurations that show it.
struct Culprit {
    std::size_t chunk = 0;
    Bits item; // the chunks whose enabling made memory stop plateauing
    bool own_code = false;
    Bits plateau_config;
    Bits leak_config;
    std::vector<std::string> path;
};

// The top level, then (with narrowing) the guilty chunk's own code and sub-chunks, level by level.
std::variant<ProbeRequest, Finding, Culprit> locate(const SearchProblem& problem,
                                                    const EvidenceView& evidence) {
    const ChunkTree& tree = evidence.tree();
    Level level = top_level(tree);
    Culprit culprit;
    while (true) {
        const auto searched = search_level(evidence, level, problem.strategy);
        if (const auto* request = std::get_if<ProbeRequest>(&searched)) {
            return *request;
        }
        const auto& result = std::get<LevelResult>(searched);
        if (!result.found) {
            return hidden_by_undecided(level, result,
                                       culprit.path.empty() ? "the leaky chunk"
                                                            : "the leaky part of " + culprit.path.back());
        }
        const std::size_t k = result.first_leak - 1;
        culprit.chunk = level.chunks[k];
        culprit.item = level.items[k];
        culprit.own_code = level.own_code[k];
        culprit.plateau_config = result.plateau_config;
        culprit.leak_config = result.leak_config;
        if (!culprit.own_code) {
            culprit.path.push_back(tree.name(culprit.chunk));
        }
        if (culprit.own_code || problem.narrow == Narrowing::skip || tree.children(culprit.chunk).empty()) {
            return culprit;
        }
        level = inside(tree, culprit.chunk, culprit.plateau_config);
    }
}

std::string quoted(const std::vector<std::string>& names) {
    std::vector<std::string> parts;
    for (const std::string& name : names) {
        parts.push_back("'" + name + "'");
    }
    return fmt::format("{}", fmt::join(parts, " + "));
}

// A localized leak found on top of a baseline that grows on its own: the finding says so.
Finding with_outside_growth(Finding finding, const EvidenceView& evidence) {
    if (finding.grows_outside_chunks) {
        const ConfigurationEvidence baseline = evidence.summary(empty_bits(evidence.tree().size()));
        const std::string rate = baseline.pooled_rate > 0
                                     ? fmt::format(" (about {}/request)", format_bytes(baseline.pooled_rate))
                                     : "";
        finding.summary += fmt::format("; memory also grows with every chunk off{}: something outside the "
                                       "chunks grows too, and every probe was judged against it",
                                       rate);
    }
    return finding;
}

Finding localized(const Culprit& culprit, const EvidenceView& evidence) {
    const ChunkTree& tree = evidence.tree();
    Finding finding;
    finding.kind = FindingKind::localized;
    finding.culprit = tree.name(culprit.chunk);
    finding.path = culprit.path;
    finding.culprit_own_code = culprit.own_code;
    finding.culprits = {finding.culprit};
    finding.last_plateau = evidence.summary(culprit.plateau_config);
    finding.first_leak = evidence.summary(culprit.leak_config);
    finding.summary = fmt::format("memory stops plateauing when '{}' is enabled", finding.culprit);
    if (culprit.own_code) {
        finding.summary += ", in its own code outside its sub-chunks";
    }
    if (finding.path.size() > 1) {
        finding.summary += fmt::format(" (path: {})", fmt::join(finding.path, " > "));
    }
    return finding;
}

// Confirmation: the culprit alone (with the parents it needs) on the baseline. If that plateaus,
// the chunks it leaks together with, found one at a time: the last one needed in recipe order by
// a search over the rest with the culprit on, then the same below it, until the set leaks.
std::variant<ProbeRequest, Finding> confirm(const SearchProblem& problem, const EvidenceView& evidence,
                                            const Culprit& culprit, Finding finding) {
    const ChunkTree& tree = evidence.tree();
    const Bits ancestors = tree.ancestors(culprit.chunk);
    Bits together = united(ancestors, culprit.item);
    const Answer alone = ask(evidence, together, ProbeRole::confirm);
    if (const auto* request = std::get_if<ProbeRequest>(&alone)) {
        return *request;
    }
    const Verdict verdict = std::get<Verdict>(alone);
    if (verdict == Verdict::leak) {
        finding.confirmation = ConfirmationResult::leaks_alone;
        finding.summary += "; it leaks alone";
        return finding;
    }
    if (verdict != Verdict::plateau) {
        finding.confirmation = ConfirmationResult::undecided;
        finding.summary +=
            fmt::format("; whether it leaks alone is unknown (that probe {})", describe_undecided(verdict));
        return finding;
    }

    Level rest = partners(tree, culprit.leak_config, united(ancestors, culprit.item), together);
    std::vector<std::string> members{finding.culprit};
    while (true) {
        const auto searched = search_level(evidence, rest, problem.strategy);
        if (const auto* request = std::get_if<ProbeRequest>(&searched)) {
            return *request;
        }
        const auto& result = std::get<LevelResult>(searched);
        if (!result.found) {
            Finding hidden = hidden_by_undecided(rest, result, "what it leaks together with");
            hidden.summary = finding.summary + "; it does not leak alone, and " + hidden.summary;
            return hidden;
        }
        const std::size_t u = result.first_leak - 1;
        members.push_back(rest.labels[u]);
        if (members.size() > 1 + kMostPartners) {
            // Noisy verdicts can pull chunk after chunk into the set; a leak that truly needs this
            // many chunks on at once is far less likely. Stop rather than search on for hundreds of probes.
            Finding hidden = ending(
                FindingKind::inconclusive,
                fmt::format(
                    "{}; it does not leak alone, and would leak only with more than {} other chunks on "
                    "({} so far): more likely noisy verdicts; raise search.repeats",
                    finding.summary, kMostPartners, quoted(members)));
            hidden.suspects = members;
            return hidden;
        }
        together = united(together, rest.items[u]);
        rest.base = together;
        rest.items.resize(u);
        rest.labels.resize(u);
        rest.chunks.resize(u);
        rest.own_code.resize(u);
        const Answer set = ask(evidence, together, ProbeRole::interact);
        if (const auto* request = std::get_if<ProbeRequest>(&set)) {
            return *request;
        }
        const Verdict set_verdict = std::get<Verdict>(set);
        if (set_verdict == Verdict::leak) {
            break;
        }
        if (set_verdict != Verdict::plateau || rest.items.empty()) {
            Finding hidden = ending(FindingKind::inconclusive,
                                    fmt::format("{}; it does not leak alone, and whether {} leak together "
                                                "is undecided",
                                                finding.summary, quoted(members)));
            hidden.suspects = members;
            return hidden;
        }
    }
    // The members in recipe order after the culprit.
    std::sort(members.begin() + 1, members.end(), [&tree](const std::string& a, const std::string& b) {
        return tree.position(a) < tree.position(b);
    });
    finding.confirmation = ConfirmationResult::leaks_with_others;
    finding.culprits = members;
    finding.summary +=
        fmt::format("; it does not leak alone: the smallest set that leaks together is {}", quoted(members));
    return finding;
}

// The boundary the culprit was found on, run once more: do both verdicts hold, pooled with the
// runs that decided them? One that disagrees earns more runs. One that ends up flipped (PLATEAU
// now LEAK, or back) makes the answer uncertain: the run ends inconclusive, naming the culprit as
// the suspect. One that ends up undecided only says so.
// `baseline`: the baseline's verdict, expected again when the boundary's plateau side is the
// baseline itself (a baseline that grows is judged alone, the other probes against it).
std::variant<ProbeRequest, Finding> recheck(const EvidenceView& evidence, const Culprit& culprit,
                                            Verdict baseline, Finding finding) {
    const bool from_baseline = culprit.plateau_config == empty_bits(evidence.tree().size());
    const std::pair<const Bits*, Verdict> boundary[] = {
        {&culprit.plateau_config, from_baseline ? baseline : Verdict::plateau},
        {&culprit.leak_config, Verdict::leak}};
    std::size_t held = 0;
    std::vector<std::string> flipped;
    for (const auto& [config, expected] : boundary) {
        const Decision decision = evidence.recheck(*config);
        if (decision.standing != Standing::decided) {
            return ProbeRequest{ProbeRole::recheck, evidence.tree().names_of(*config)};
        }
        const Verdict observed = decision.verdict;
        const std::vector<std::string> enabled = evidence.tree().names_of(*config);
        finding.rechecks.push_back({enabled, expected, observed});
        held += observed == expected ? 1 : 0;
        if ((expected == Verdict::plateau && observed == Verdict::leak) ||
            (expected == Verdict::leak && observed == Verdict::plateau)) {
            flipped.push_back(fmt::format("{} with {} on", to_string(observed),
                                          enabled.empty() ? std::string("no chunk") : quoted(enabled)));
        }
    }
    if (!flipped.empty()) {
        finding.kind = FindingKind::inconclusive;
        finding.suspects = finding.culprits;
        finding.summary +=
            fmt::format("; but re-checked, the boundary did not reproduce ({}): the culprit is "
                        "uncertain; raise search.repeats",
                        fmt::join(flipped, ", "));
        return finding;
    }
    finding.summary +=
        held == 2 ? "; re-checked: both boundary verdicts held"
                  : fmt::format("; re-checked: {} of the 2 boundary verdicts came out undecided", 2 - held);
    return finding;
}

} // namespace

SearchStep next_step(const SearchProblem& problem, const SearchHistory& history) {
    assert(!problem.chunks.empty());
    const EvidenceView evidence(history.state(), problem.repeats);
    const ChunkTree& tree = evidence.tree();

    // Baseline: every chunk off should plateau. If it grows, something outside the chunks leaks (or
    // the runtime creeps); every later probe is judged against the baseline's curve, so the
    // chunks can still be searched for a leak of their own on top of it.
    const Bits none = empty_bits(tree.size());
    const Answer baseline = ask(evidence, none, ProbeRole::baseline);
    if (const auto* request = std::get_if<ProbeRequest>(&baseline)) {
        return *request;
    }
    const Verdict baseline_verdict = std::get<Verdict>(baseline);
    if (baseline_verdict != Verdict::plateau && baseline_verdict != Verdict::leak) {
        return undecided_end("baseline", baseline_verdict, exhausted_note(evidence, none));
    }
    const bool grows_outside = baseline_verdict == Verdict::leak;
    const std::string outside_summary =
        "memory grows with every chunk off: the leak is outside the chunks (framework, middleware, or "
        "code not wrapped in a chunk)";
    if (grows_outside && problem.growing_baseline == GrowingBaseline::ends_search) {
        return ending(FindingKind::leak_outside_chunks, outside_summary);
    }

    // Every chunk on must leak (beyond the baseline's own growth), or there is nothing to find.
    const Answer all_on = ask(evidence, tree.all(), ProbeRole::all_on);
    if (const auto* request = std::get_if<ProbeRequest>(&all_on)) {
        return *request;
    }
    if (std::get<Verdict>(all_on) == Verdict::plateau) {
        return grows_outside ? ending(FindingKind::leak_outside_chunks,
                                      outside_summary + ", and the chunks add no growth of their own to it")
                             : ending(FindingKind::no_leak,
                                      "memory plateaus with every chunk on: no leak under this load");
    }
    if (std::get<Verdict>(all_on) != Verdict::leak) {
        return grows_outside
                   ? ending(FindingKind::leak_outside_chunks,
                            outside_summary + fmt::format("; whether the chunks add to it is unknown "
                                                          "(the all-on probe {})",
                                                          describe_undecided(std::get<Verdict>(all_on))))
                   : undecided_end("all-on", std::get<Verdict>(all_on), exhausted_note(evidence, tree.all()));
    }
    // On top of a baseline that grows, the chunks must at least double its growth to be searched:
    // a smaller excess is as likely the outside leak's own memory interacting with the chunks'
    // allocations (fragmentation, bigger objects kept alive) as a leak of their own.
    if (grows_outside) {
        const double outside = evidence.summary(none).pooled_rate;
        const double added = evidence.summary(tree.all()).pooled_rate;
        if (added < outside) {
            return ending(FindingKind::leak_outside_chunks,
                          outside_summary +
                              fmt::format(" (about {}/request); the chunks add about {}/request on top "
                                          "of it, less than that: not searched",
                                          format_bytes(outside), format_bytes(added)));
        }
    }

    // Search the chunk order, then narrow inside the guilty chunk.
    const auto located = locate(problem, evidence);
    if (const auto* request = std::get_if<ProbeRequest>(&located)) {
        return *request;
    }
    if (const auto* finding = std::get_if<Finding>(&located)) {
        return *finding;
    }
    const Culprit& culprit = std::get<Culprit>(located);
    Finding finding = localized(culprit, evidence);
    finding.grows_outside_chunks = grows_outside;
    if (problem.confirm == Confirmation::skip) {
        return with_outside_growth(std::move(finding), evidence);
    }

    if (problem.confirm == Confirmation::boundary_only) {
        auto rechecked = recheck(evidence, culprit, baseline_verdict, std::move(finding));
        if (auto* done = std::get_if<Finding>(&rechecked)) {
            return with_outside_growth(std::move(*done), evidence);
        }
        return std::get<ProbeRequest>(rechecked);
    }

    // Confirm: does it leak alone, and if not, with what?
    auto confirmed = confirm(problem, evidence, culprit, std::move(finding));
    if (!std::holds_alternative<Finding>(confirmed) ||
        std::get<Finding>(confirmed).kind != FindingKind::localized) {
        return std::visit([](auto&& step) -> SearchStep { return step; }, confirmed);
    }

    // Re-check the boundary once more.
    auto rechecked = recheck(evidence, culprit, baseline_verdict, std::get<Finding>(std::move(confirmed)));
    if (auto* done = std::get_if<Finding>(&rechecked)) {
        return with_outside_growth(std::move(*done), evidence);
    }
    return std::get<ProbeRequest>(rechecked);
}

SearchStep next_step(const SearchProblem& problem, const std::vector<Observation>& history) {
    return next_step(problem, SearchHistory(problem, history));
}

} // namespace leakbisect
