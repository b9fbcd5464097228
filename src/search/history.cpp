#include "chunk_tree.hpp"

namespace leakbisect {

SearchHistory::SearchHistory(const SearchProblem& problem) : state_(std::make_unique<State>(problem)) {}

SearchHistory::SearchHistory(const SearchProblem& problem, const std::vector<Observation>& observations)
    : SearchHistory(problem) {
    for (const Observation& observation : observations) {
        add(observation);
    }
}

SearchHistory::~SearchHistory() = default;
SearchHistory::SearchHistory(SearchHistory&&) noexcept = default;
SearchHistory& SearchHistory::operator=(SearchHistory&&) noexcept = default;

void SearchHistory::add(const Observation& observation) {
    const search_detail::Bits config = state_->tree.bits_of(observation.enabled);
    auto& tallies = observation.role == ProbeRole::recheck ? state_->recheck : state_->search;
    search_detail::Tally& tally = tallies[config];
    tally.add(observation.verdict, observation.rate, observation.failure);
    if (observation.verdict == Verdict::inconclusive && observation.extent == LoadExtent::reached_cap) {
        ++tally.exhausted;
    }
    ++state_->count;
}

std::size_t SearchHistory::size() const {
    return state_->count;
}

} // namespace leakbisect
