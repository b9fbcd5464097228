// The search: given the chunks in enabling order and the verdicts observed so far, the next
// probe to run or the finding. Pure: no I/O, no clock. Resuming a run is replaying its journal
// through next_step(); a fake oracle drives it in tests.
#pragma once

#include "leakbisect/verdict/verdict.hpp"

#include <string>
#include <variant>
#include <vector>

namespace leakbisect {

enum class SearchStrategy { linear, bisect };

struct SearchProblem {
    std::vector<std::string> chunks; // top-level chunk names in recipe (enabling) order; at least one
    SearchStrategy strategy = SearchStrategy::bisect;
};

// Which stage of the search asked for a probe; it names the probe's folder.
enum class ProbeRole { baseline, all_on, step };

struct ProbeRequest {
    ProbeRole role = ProbeRole::step;
    std::size_t prefix = 0;           // the first `prefix` chunks are on, the rest off
    std::vector<std::string> enabled; // those chunks' names
};

struct Observation {
    std::size_t prefix = 0;
    Verdict verdict = Verdict::inconclusive;
};

enum class FindingKind {
    localized,           // one chunk makes memory stop plateauing
    leak_outside_chunks, // memory grows with every chunk off
    no_leak,             // memory plateaus with every chunk on
    inconclusive,        // undecided or skipped probes hide the answer
    app_failed,          // the baseline could not be measured at all: the app does not run
};

struct Finding {
    FindingKind kind = FindingKind::inconclusive;
    std::string culprit;               // kind == localized: the guilty chunk
    std::vector<std::string> suspects; // kind == inconclusive: the chunks the leak may be in
    std::size_t last_plateau = 0;      // the longest prefix seen to plateau below the culprit
    std::size_t first_leak = 0;        // the shortest prefix seen to leak
    std::string summary;               // one sentence for the terminal and the reports
};

using SearchStep = std::variant<ProbeRequest, Finding>;

SearchStep next_step(const SearchProblem& problem, const std::vector<Observation>& history);

// The most probes the strategy can need for this problem when every verdict is decisive.
std::size_t worst_case_probes(const SearchProblem& problem);

std::string to_string(ProbeRole role, SearchStrategy strategy); // "baseline", "all-on", "bisect", "linear"
std::string to_string(FindingKind kind);

} // namespace leakbisect
