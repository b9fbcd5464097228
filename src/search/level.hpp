// Inside the search: the evidence on each configuration, and one level of the search — an ordered
// list of items switched on one after another over a base, the first plateauing and the last
// leaking, narrowed to the item whose enabling makes memory stop plateauing. Not a public header.
#pragma once

#include "chunk_tree.hpp"

#include <optional>
#include <variant>

namespace leakbisect::search_detail {

// What a level is searched for: the first item whose enabling makes memory stop plateauing, or the
// first whose enabling makes the app crash or never become ready (decide_crash's terms).
enum class Signal { leak, crash };

// The decisions the journal supports, and the probe that would add evidence where it is lacking.
class EvidenceView {
  public:
    EvidenceView(const SearchHistory::State& state, unsigned repeats) : state_(state), repeats_(repeats) {}

    const ChunkTree& tree() const { return state_.tree; }
    Decision look(const Bits& config, Signal signal = Signal::leak) const;
    std::string failure(const Bits& config) const; // the last failed run's reason, "" when none
    // A boundary configuration's search runs and re-check runs pooled, decided like any other
    // configuration: untried before its first re-check run, and a re-check that disagrees earns
    // more re-check runs until one verdict leads by `repeats` again.
    Decision recheck(const Bits& config) const;
    ConfigurationEvidence summary(const Bits& config) const;

  private:
    const SearchHistory::State& state_;
    unsigned repeats_;
};

// A decided verdict, or the probe to run first.
using Answer = std::variant<ProbeRequest, Verdict>;
Answer ask(const EvidenceView& evidence, const Bits& config, ProbeRole role);

// Configurations base + items[0..p) for p = 0..N: p = 0 is known to plateau and p = N to leak.
struct Level {
    Bits base;
    std::vector<Bits> items;         // disjoint, never empty
    std::vector<std::string> labels; // what each item is called in a finding
    std::vector<std::size_t> chunks; // the chunk each item stands for
    std::vector<bool> own_code;      // the item is its chunk's own code, without its sub-chunks
    ProbeRole role = ProbeRole::step;
};

struct LevelResult {
    bool found = false; // first_leak == last_plateau + 1: item first_leak - 1 is guilty
    std::size_t last_plateau = 0;
    std::size_t first_leak = 0;
    Bits plateau_config;
    Bits leak_config;
};

// Runs an untried configuration nearest the middle of (last plateau, first leak) for bisect, right
// after the last plateau for linear; a configuration with too little evidence is finished first,
// and undecided ones are stepped around, never guessed.
std::variant<ProbeRequest, LevelResult> search_level(const EvidenceView& evidence, const Level& level,
                                                     SearchStrategy strategy, Signal signal = Signal::leak);

// The top-level chunks in `universe` (every chunk but those left off), each with all its sub-chunks.
Level top_level(const ChunkTree& tree, const Bits& universe);

// Inside a guilty chunk: its own code first, then each direct sub-chunk in `universe` with its
// descendants there, over the configuration that plateaued just before it.
Level inside(const ChunkTree& tree, std::size_t chunk, const Bits& plateau_config, const Bits& universe);

// Everything else that was on when the culprit leaked (`leak_config` minus `culprit`), as removable
// units (a chunk and its enabled descendants), over the culprit alone (`base`).
Level partners(const ChunkTree& tree, const Bits& leak_config, const Bits& culprit, const Bits& base);

} // namespace leakbisect::search_detail
