// Inside the search: chunk sets as bit sets over the recipe order, the parent/child tree the dotted
// names describe, and the tally of every run of a configuration. Not a public header.
#pragma once

#include "leakbisect/search/search.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace leakbisect::search_detail {

// A set of enabled chunks: bit i is the i-th chunk of the recipe order.
using Bits = std::vector<std::uint64_t>;

Bits empty_bits(std::size_t chunk_count);
void set_bit(Bits& bits, std::size_t index);
bool has_bit(const Bits& bits, std::size_t index);
Bits united(const Bits& a, const Bits& b);
Bits without(const Bits& a, const Bits& b);
bool is_empty(const Bits& bits);
Bits intersected(const Bits& a, const Bits& b);

constexpr std::size_t kNoParent = static_cast<std::size_t>(-1);

class ChunkTree {
  public:
    explicit ChunkTree(const std::vector<std::string>& chunks);

    std::size_t size() const { return names_.size(); }
    const std::string& name(std::size_t index) const { return names_[index]; }
    std::size_t parent(std::size_t index) const { return parents_[index]; }
    const std::vector<std::size_t>& children(std::size_t index) const { return children_[index]; }
    const std::vector<std::size_t>& top_level() const { return top_level_; }
    const Bits& subtree(std::size_t index) const { return subtrees_[index]; } // itself and every descendant
    Bits ancestors(std::size_t index) const;
    Bits all() const;

    std::size_t position(const std::string& name) const;       // size() for an unknown name
    Bits bits_of(const std::vector<std::string>& names) const; // unknown names are ignored
    std::vector<std::string> names_of(const Bits& bits) const; // in recipe order

  private:
    std::vector<std::string> names_;
    std::vector<std::size_t> parents_;
    std::vector<std::vector<std::size_t>> children_;
    std::vector<std::size_t> top_level_;
    std::vector<Bits> subtrees_;
    std::unordered_map<std::string, std::size_t> positions_;
};

// Every run of one configuration, counted.
struct Tally {
    unsigned leaks = 0;
    unsigned plateaus = 0;
    unsigned inconclusive = 0;
    unsigned failed = 0;    // INVALID or SKIPPED: the app or the load failed, the runner already retried
    unsigned skipped = 0;   // of them, SKIPPED: the app crashed or never became ready
    unsigned exhausted = 0; // INCONCLUSIVE runs whose load reached verdict.max_requests
    Verdict last_failure = Verdict::skipped;
    std::string failure; // the last failed run's reason
    double rate_sum = 0;
    unsigned rated = 0;

    unsigned runs() const { return leaks + plateaus + inconclusive + failed; }
    void add(Verdict verdict, double rate, const std::string& reason = "");
    void add(const Tally& other); // pools another tally's runs into this one
};

// Where the evidence on a configuration stands.
enum class Standing { untried, needs_more_runs, decided };

struct Decision {
    Standing standing = Standing::untried;
    Verdict verdict = Verdict::inconclusive; // decided: PLATEAU, LEAK, or the reason it stays undecided
};

// Decided once one verdict leads the other by `repeats` runs. INCONCLUSIVE runs earn more runs, up
// to kMaxRunsPerRepeat x repeats, unless kExhaustedRuns of them ran to verdict.max_requests with no
// decisive run at all: the same load again would stay undecided the same way. A configuration whose
// every run failed to boot or load is not run again.
Decision decide(const Tally& tally, unsigned repeats);

// Whether the app runs with a configuration on, for the search of the chunk that crashes it: untried,
// or decided as LEAK when every run was SKIPPED (it crashed or never became ready: the signal searched
// for, in the slot a leak takes in the leak search) and PLATEAU when any run booted and served.
Decision decide_crash(const Tally& tally);

// With 5% wrong verdicts and repeats = 3, 9 runs leave about 1 in 7,000 configurations undecided;
// 15 runs make that negligible next to a wrong lead of 3.
constexpr unsigned kMaxRunsPerRepeat = 5;
constexpr unsigned kExhaustedRuns = 2;

} // namespace leakbisect::search_detail

namespace leakbisect {

struct SearchHistory::State {
    explicit State(const SearchProblem& problem) : tree(problem.chunks) {}
    search_detail::ChunkTree tree;
    std::map<search_detail::Bits, search_detail::Tally> search; // every stage but the re-checks
    std::map<search_detail::Bits, search_detail::Tally> recheck;
    std::size_t count = 0;
};

} // namespace leakbisect
