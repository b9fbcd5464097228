// The search: given every chunk (sub-chunks included) and the verdicts observed so far on explicit
// sets of enabled chunks, the next probe to run or the finding. Pure: no I/O, no clock. Resuming a
// run is replaying its journal through next_step(); a fake oracle drives it in tests and benchmarks.
#pragma once

#include "leakbisect/verdict/verdict.hpp"

#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace leakbisect {

enum class SearchStrategy { linear, bisect };
enum class Confirmation {
    skip,
    run,           // re-run the culprit alone, then re-check the boundary
    boundary_only, // only re-check the boundary: commits cannot be switched on alone
};
enum class Narrowing { skip, run }; // search inside a guilty chunk's sub-chunks
// When every chunk on makes the app crash: find the chunk whose enabling does it and leave it off
// (chunks), or only step around the probes that crash (commits: a set without one of them is no
// commit at all).
enum class Crashes { leave_off, step_around };

struct SearchProblem {
    // Every chunk in recipe (enabling) order. "a.b" is a sub-chunk of "a", which comes before it.
    std::vector<std::string> chunks;
    SearchStrategy strategy = SearchStrategy::bisect;
    unsigned repeats = 1; // a configuration is decided when one verdict leads the other by this many
    Confirmation confirm = Confirmation::run;
    Narrowing narrow = Narrowing::run;
    Crashes crashes = Crashes::leave_off;
};

// Which stage of the search asked for a probe; it names the probe's folder. `crash`: the search for
// the chunk whose enabling makes the app crash or never become ready.
enum class ProbeRole { baseline, all_on, step, narrow, confirm, interact, recheck, crash };

struct ProbeRequest {
    ProbeRole role = ProbeRole::step;
    std::vector<std::string> enabled; // every chunk on, in recipe order; a sub-chunk only with its parent
};

// Whether a probe's load ran all the way to verdict.max_requests: an INCONCLUSIVE run that did had
// every extension it could get, and another run of the same load is unlikely to decide more.
enum class LoadExtent { short_of_cap, reached_cap };

struct Observation {
    std::vector<std::string> enabled;
    Verdict verdict = Verdict::inconclusive;
    double rate = 0;                  // bytes per request, when judged
    ProbeRole role = ProbeRole::step; // re-checks are kept apart: they never change a decision
    LoadExtent extent = LoadExtent::short_of_cap;
    std::string failure{}; // SKIPPED or INVALID: why ("after 3 attempts: the app exited with status 134 ...")
};

enum class FindingKind {
    localized,           // one chunk, or a set of chunks together, makes memory stop plateauing
    leak_outside_chunks, // memory grows with every chunk off
    no_leak,             // memory plateaus with every chunk on
    inconclusive,        // undecided or skipped probes hide the answer
    app_failed,          // the baseline could not be measured at all: the app does not run
};

enum class ConfirmationResult { not_run, leaks_alone, leaks_with_others, undecided };

// The combined evidence of every run of one configuration.
struct ConfigurationEvidence {
    std::vector<std::string> enabled;
    Verdict verdict = Verdict::inconclusive; // the decision: PLATEAU or LEAK, or why it is undecided
    unsigned leaks = 0;
    unsigned plateaus = 0;
    unsigned undecided_runs = 0; // INCONCLUSIVE, INVALID or SKIPPED runs
    unsigned exhausted_runs = 0; // of them, INCONCLUSIVE after the load reached verdict.max_requests
    double pooled_rate = 0;      // mean growth per request over the judged runs
};

// A boundary configuration run once more at the end: did its verdict hold?
struct Recheck {
    std::vector<std::string> enabled;
    Verdict expected = Verdict::inconclusive;
    Verdict observed = Verdict::inconclusive;
};

// Whether the chunk switches were seen to reach the app: `ok` when enabling every chunk changed the
// responses or memory, `no_effect` when it changed neither, `not_checked` when the responses of the
// baseline and the all-on probe could not be compared (a load command, a probe that did not run).
enum class Wiring { ok, no_effect, not_checked };

// A chunk the search left off because enabling it (with the top-level chunks before it, which ran)
// makes the app crash or never become ready; the leak was searched for among the other chunks.
struct LeftOff {
    std::string chunk;                      // a top-level chunk, left off with its sub-chunks
    std::vector<std::string> crashed_with;  // the first configuration that crashed (every chunk on)
    std::vector<std::string> last_ran_with; // the configuration just before it, which ran
    std::string failure;                    // why that probe was SKIPPED
};

struct Finding {
    FindingKind kind = FindingKind::inconclusive;
    std::string culprit;           // localized: the deepest guilty chunk
    std::vector<std::string> path; // localized: from its top-level chunk down to the culprit
    bool culprit_own_code = false; // the culprit's own code, outside its sub-chunks, is guilty
    ConfirmationResult confirmation = ConfirmationResult::not_run;
    std::vector<std::string> culprits;  // the smallest set that leaks together, culprit first
    std::vector<std::string> suspects;  // inconclusive: the chunks the leak may be in
    ConfigurationEvidence last_plateau; // the boundary the culprit was found on
    ConfigurationEvidence first_leak;
    std::vector<Recheck> rechecks;
    // localized: the baseline (every chunk off) grew too, by about outside_rate bytes per request,
    // and the chunks were searched for a leak of their own on top of that growth (the summary ends
    // with kOutsideGrowthNote and what follows it).
    bool grows_outside_chunks = false;
    double outside_rate = 0;
    std::vector<LeftOff> left_off; // chunks left off because they crash the app, in recipe order
    Wiring wiring = Wiring::not_checked;
    std::string summary; // one sentence for the terminal and the reports
};

constexpr std::string_view kOutsideGrowthNote = "; memory also grows with every chunk off";

using SearchStep = std::variant<ProbeRequest, Finding>;

// The observations so far, indexed for the search. Built once and appended to, so a long
// simulation does not re-index its whole history on every step.
class SearchHistory {
  public:
    explicit SearchHistory(const SearchProblem& problem);
    SearchHistory(const SearchProblem& problem, const std::vector<Observation>& observations);
    ~SearchHistory();
    SearchHistory(SearchHistory&&) noexcept;
    SearchHistory& operator=(SearchHistory&&) noexcept;

    void add(const Observation& observation);
    std::size_t size() const;

    struct State;
    const State& state() const { return *state_; }

  private:
    std::unique_ptr<State> state_;
};

SearchStep next_step(const SearchProblem& problem, const SearchHistory& history);
SearchStep next_step(const SearchProblem& problem, const std::vector<Observation>& history);

// The wiring check, once the search has ended. `responses`: whether the baseline's and the all-on
// probe's responses differ (ok), are the same (no_effect), or were not compared. Memory that moved
// with the chunks (a leak localized to them) shows them wired too. When enabling every chunk changed
// neither the responses nor memory, "no leak" or "the leak is outside the chunks" is not to be
// trusted (a missing variable means on: every probe may have run every chunk): the run ends
// inconclusive, saying that the chunk variables do not seem to reach the app.
Finding with_wiring(Finding finding, Wiring responses);

// The most chunks the confirmation adds to the culprit as partners it leaks together with; needing
// more ends the run inconclusive.
constexpr std::size_t kMostPartners = 3;

// The most probes the search can need when every verdict is decisive and repeats = 1.
struct ProbeBudget {
    std::size_t search = 0;                  // baseline, all-on, the top-level search and the narrowing
    std::size_t confirmation = 0;            // the culprit alone and the two re-checks
    std::size_t per_partner = 0;             // each chunk found to leak together with the culprit
    unsigned min_runs_per_configuration = 1; // repeats
    unsigned max_runs_per_configuration = 5; // disagreeing or inconclusive runs earn more, up to 5 x repeats
};
ProbeBudget probe_budget(const SearchProblem& problem);

// (search + confirmation) x repeats: the most probes for a culprit that leaks alone when every
// verdict is decisive. `check` prints it as the plan's "at most" and `run` as each probe's.
std::size_t worst_case_probes(const SearchProblem& problem);

std::string to_string(ProbeRole role, SearchStrategy strategy); // "baseline", "all-on", "bisect", ...
std::string to_string(FindingKind kind);
std::string to_string(ConfirmationResult result);
std::string to_string(Wiring wiring); // "ok", "no-effect", "not-checked"

} // namespace leakbisect
