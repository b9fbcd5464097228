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
                                                    const EvidenceView& evidence, const Bits& universe) {
    const ChunkTree& tree = evidence.tree();
    Level level = top_level(tree, universe);
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
        level = inside(tree, culprit.chunk, culprit.plateau_config, universe);
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
        finding.outside_rate = evidence.summary(empty_bits(evidence.tree().size())).pooled_rate;
        const std::string rate = finding.outside_rate > 0
                                     ? fmt::format(" (about {}/request)", format_bytes(finding.outside_rate))
                                     : "";
        finding.summary += fmt::format("{}{}: something outside the chunks grows too, and every probe was "
                                       "judged against it",
                                       kOutsideGrowthNote, rate);
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

// A chunk the culprit leaks together with, narrowed as the culprit was: with the rest of the set on
// (which must plateau), its own code, then its sub-chunks one after another, level by level. Its
// name stays when it has no sub-chunks, was only partly on, or the evidence does not decide.
std::variant<ProbeRequest, std::string> narrow_partner(const SearchProblem& problem,
                                                       const EvidenceView& evidence, const Bits& together,
                                                       std::size_t chunk, const Bits& item) {
    const ChunkTree& tree = evidence.tree();
    if (tree.children(chunk).empty() || item != tree.subtree(chunk)) {
        return tree.name(chunk);
    }
    const Bits without_partner = without(together, item);
    const Answer rest = ask(evidence, without_partner, ProbeRole::interact);
    if (const auto* request = std::get_if<ProbeRequest>(&rest)) {
        return *request;
    }
    if (std::get<Verdict>(rest) != Verdict::plateau) {
        return tree.name(chunk);
    }
    Bits base = without_partner;
    while (!tree.children(chunk).empty()) {
        Level level = inside(tree, chunk, base, item); // the whole partner was on (checked above)
        level.role = ProbeRole::interact;
        const auto searched = search_level(evidence, level, problem.strategy);
        if (const auto* request = std::get_if<ProbeRequest>(&searched)) {
            return *request;
        }
        const auto& result = std::get<LevelResult>(searched);
        const std::size_t k = result.first_leak - 1;
        if (!result.found || level.own_code[k]) {
            break;
        }
        chunk = level.chunks[k];
        base = result.plateau_config;
    }
    return tree.name(chunk);
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
    std::vector<std::size_t> partner_chunks;
    std::vector<Bits> partner_items;
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
        partner_chunks.push_back(rest.chunks[u]);
        partner_items.push_back(rest.items[u]);
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
    // Each partner narrowed like the culprit, when narrowing is on.
    if (problem.narrow == Narrowing::run) {
        for (std::size_t m = 0; m < partner_chunks.size(); ++m) {
            const auto narrowed =
                narrow_partner(problem, evidence, together, partner_chunks[m], partner_items[m]);
            if (const auto* request = std::get_if<ProbeRequest>(&narrowed)) {
                return *request;
            }
            members[m + 1] = std::get<std::string>(narrowed);
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

// The chunks the leak is searched among: every chunk but those left off because they crash the app.
struct Universe {
    Bits chunks;
    std::vector<LeftOff> left_off;
};

// While every chunk still in play on makes the app crash or never become ready (its probe SKIPPED
// after the runner's retries), the top-level order is searched the same way for the chunk whose
// enabling does so, with "crashes" as the signal: every cumulative prefix past a crashing chunk
// crashes too, so stepping around a SKIPPED probe would not get past it. Inside that chunk the same
// search goes on among its own code and its sub-chunks, down to the sub-chunk that crashes it. That
// one is left off with its sub-chunks and the all-on probe runs again without it, until one runs.
std::variant<ProbeRequest, Universe> leave_off_crashes(const SearchProblem& problem,
                                                       const EvidenceView& evidence) {
    const ChunkTree& tree = evidence.tree();
    Universe universe{tree.all(), {}};
    while (problem.crashes == Crashes::leave_off) {
        const Decision all_on = evidence.look(universe.chunks, Signal::crash);
        if (all_on.standing != Standing::decided) {
            return ProbeRequest{ProbeRole::all_on, tree.names_of(universe.chunks)};
        }
        if (all_on.verdict != Verdict::leak || is_empty(universe.chunks)) {
            return universe; // it runs (the baseline, which ran, is the least it can shrink to)
        }
        Level level = top_level(tree, universe.chunks);
        level.role = ProbeRole::crash;
        const auto searched = search_level(evidence, level, problem.strategy, Signal::crash);
        if (const auto* request = std::get_if<ProbeRequest>(&searched)) {
            return *request;
        }
        // Every configuration is decided by its first run (it crashed or it ran), so the level
        // always ends on a boundary.
        auto result = std::get<LevelResult>(searched);
        assert(result.found);
        std::size_t k = result.first_leak - 1;
        // Then inside that chunk, level by level, down to the sub-chunk whose enabling crashes it:
        // only that is left off. A chunk whose own code crashes goes with all of its sub-chunks.
        while (!level.own_code[k] && !tree.children(level.chunks[k]).empty()) {
            Level deeper = inside(tree, level.chunks[k], result.plateau_config, universe.chunks);
            deeper.role = ProbeRole::crash;
            const auto narrowed = search_level(evidence, deeper, problem.strategy, Signal::crash);
            if (const auto* request = std::get_if<ProbeRequest>(&narrowed)) {
                return *request;
            }
            const auto& inner = std::get<LevelResult>(narrowed);
            assert(inner.found);
            if (deeper.own_code[inner.first_leak - 1]) {
                break;
            }
            level = std::move(deeper);
            result = inner;
            k = result.first_leak - 1;
        }
        universe.left_off.push_back({tree.name(level.chunks[k]), tree.names_of(result.leak_config),
                                     tree.names_of(result.plateau_config),
                                     evidence.failure(result.leak_config)});
        universe.chunks = without(universe.chunks, level.items[k]);
    }
    return universe;
}

// The finding says which chunks were left off and why. With none of the others leaking, a leak
// could still hide in one left off: the run is then inconclusive, naming them as the suspects.
Finding with_left_off(Finding finding, const std::vector<LeftOff>& left_off) {
    if (left_off.empty()) {
        return finding;
    }
    std::vector<std::string> names;
    for (const LeftOff& chunk : left_off) {
        names.push_back(chunk.chunk);
    }
    finding.left_off = left_off;
    const LeftOff& first = left_off.front();
    const std::string why =
        fmt::format("{} {} left off: enabling {} makes the app crash or never become ready ({})",
                    quoted(names), names.size() == 1 ? "was" : "were", names.size() == 1 ? "it" : "each",
                    first.failure.empty() ? "its probe was SKIPPED" : first.failure);
    if (finding.kind == FindingKind::no_leak) {
        finding.kind = FindingKind::inconclusive;
        finding.suspects = names;
        finding.summary = fmt::format("memory plateaus with every chunk on but {}; {}, so a leak in {} "
                                      "could not be seen: fix the crash and run again",
                                      quoted(names), why, names.size() == 1 ? "it" : "them");
        return finding;
    }
    finding.summary += fmt::format(
        "; {}{}", why,
        finding.kind == FindingKind::localized ? ", so a second leak there could not be seen" : "");
    return finding;
}

// Every chunk on but those left off, searched for the leak: the all-on check, the chunk order,
// narrowing, confirmation and the re-check.
SearchStep search_chunks(const SearchProblem& problem, const EvidenceView& evidence, Verdict baseline_verdict,
                         const Bits& universe) {
    const ChunkTree& tree = evidence.tree();
    const Bits none = empty_bits(tree.size());
    const bool grows_outside = baseline_verdict == Verdict::leak;
    const std::string outside_summary =
        "memory grows with every chunk off: the leak is outside the chunks (framework, middleware, or "
        "code not wrapped in a chunk)";
    if (is_empty(universe)) { // every chunk crashes the app: only the baseline is left
        return grows_outside ? ending(FindingKind::leak_outside_chunks, outside_summary)
                             : ending(FindingKind::no_leak, "memory plateaus with every chunk off");
    }

    // Every chunk on must leak (beyond the baseline's own growth), or there is nothing to find.
    const Answer all_on = ask(evidence, universe, ProbeRole::all_on);
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
                   : undecided_end("all-on", std::get<Verdict>(all_on), exhausted_note(evidence, universe));
    }
    // On top of a baseline that grows, the chunks must at least double its growth to be searched:
    // a smaller excess is as likely the outside leak's own memory interacting with the chunks'
    // allocations (fragmentation, bigger objects kept alive) as a leak of their own.
    if (grows_outside) {
        const double outside = evidence.summary(none).pooled_rate;
        const double added = evidence.summary(universe).pooled_rate;
        if (added < outside) {
            return ending(FindingKind::leak_outside_chunks,
                          outside_summary +
                              fmt::format(" (about {}/request); the chunks add about {}/request on top "
                                          "of it, less than that: not searched",
                                          format_bytes(outside), format_bytes(added)));
        }
    }

    // Search the chunk order, then narrow inside the guilty chunk.
    const auto located = locate(problem, evidence, universe);
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

} // namespace

SearchStep next_step(const SearchProblem& problem, const SearchHistory& history) {
    assert(!problem.chunks.empty());
    const EvidenceView evidence(history.state(), problem.repeats);

    // Baseline: every chunk off should plateau. If it grows, something outside the chunks leaks (or
    // the runtime creeps); every later probe is judged against the baseline's curve, so the
    // chunks can still be searched for a leak of their own on top of it.
    const Bits none = empty_bits(evidence.tree().size());
    const Answer baseline = ask(evidence, none, ProbeRole::baseline);
    if (const auto* request = std::get_if<ProbeRequest>(&baseline)) {
        return *request;
    }
    const Verdict baseline_verdict = std::get<Verdict>(baseline);
    if (baseline_verdict != Verdict::plateau && baseline_verdict != Verdict::leak) {
        return undecided_end("baseline", baseline_verdict, exhausted_note(evidence, none));
    }

    // Crashes: a chunk whose enabling makes the app crash or never become ready is found and left
    // off, so the night still ends with an answer about the others.
    const auto crashes = leave_off_crashes(problem, evidence);
    if (const auto* request = std::get_if<ProbeRequest>(&crashes)) {
        return *request;
    }
    const auto& universe = std::get<Universe>(crashes);

    // The leak, among the chunks that run.
    SearchStep step = search_chunks(problem, evidence, baseline_verdict, universe.chunks);
    if (auto* finding = std::get_if<Finding>(&step)) {
        return with_left_off(std::move(*finding), universe.left_off);
    }
    return step;
}

Finding with_wiring(Finding finding, Wiring responses) {
    const bool memory_moved = finding.kind == FindingKind::localized;
    const bool memory_still =
        finding.kind == FindingKind::no_leak || finding.kind == FindingKind::leak_outside_chunks;
    finding.wiring = responses == Wiring::ok || memory_moved ? Wiring::ok : responses;
    if (responses == Wiring::no_effect && memory_still) {
        finding.wiring = Wiring::no_effect;
        finding.kind = FindingKind::inconclusive;
        finding.summary = fmt::format(
            "the chunk variables do not seem to reach the app: enabling every chunk changed neither "
            "its responses nor its memory (a missing variable means on, so every probe may have run "
            "every chunk); check [chunks] env and each chunk's variable against what the app reads "
            "(`leakbisect check` lists them). Taken at face value: {}",
            finding.summary);
    }
    return finding;
}

SearchStep next_step(const SearchProblem& problem, const std::vector<Observation>& history) {
    return next_step(problem, SearchHistory(problem, history));
}

} // namespace leakbisect
