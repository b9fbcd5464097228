#include "chunk_tree.hpp"

#include <cassert>

namespace leakbisect::search_detail {

Bits empty_bits(std::size_t chunk_count) {
    return Bits((chunk_count + 63) / 64, 0);
}

void set_bit(Bits& bits, std::size_t index) {
    bits[index / 64] |= std::uint64_t{1} << (index % 64);
}

bool has_bit(const Bits& bits, std::size_t index) {
    return (bits[index / 64] >> (index % 64) & 1U) != 0;
}

Bits united(const Bits& a, const Bits& b) {
    Bits result = a;
    for (std::size_t i = 0; i < result.size(); ++i) {
        result[i] |= b[i];
    }
    return result;
}

Bits without(const Bits& a, const Bits& b) {
    Bits result = a;
    for (std::size_t i = 0; i < result.size(); ++i) {
        result[i] &= ~b[i];
    }
    return result;
}

Bits intersected(const Bits& a, const Bits& b) {
    Bits result = a;
    for (std::size_t i = 0; i < result.size(); ++i) {
        result[i] &= b[i];
    }
    return result;
}

bool is_empty(const Bits& bits) {
    for (const std::uint64_t word : bits) {
        if (word != 0) {
            return false;
        }
    }
    return true;
}

ChunkTree::ChunkTree(const std::vector<std::string>& chunks)
    : names_(chunks), parents_(chunks.size(), kNoParent), children_(chunks.size()) {
    for (std::size_t i = 0; i < names_.size(); ++i) {
        positions_.emplace(names_[i], i);
        const std::size_t dot = names_[i].rfind('.');
        const auto parent =
            dot == std::string::npos ? positions_.end() : positions_.find(names_[i].substr(0, dot));
        if (parent == positions_.end()) {
            top_level_.push_back(i); // an undotted name, or one whose parent the recipe lacks
        } else {
            parents_[i] = parent->second;
            children_[parent->second].push_back(i);
        }
    }
    subtrees_.assign(names_.size(), empty_bits(names_.size()));
    // Parents come before their children, so walking backwards settles every child first.
    for (std::size_t i = names_.size(); i-- > 0;) {
        set_bit(subtrees_[i], i);
        if (parents_[i] != kNoParent) {
            subtrees_[parents_[i]] = united(subtrees_[parents_[i]], subtrees_[i]);
        }
    }
}

Bits ChunkTree::ancestors(std::size_t index) const {
    Bits bits = empty_bits(size());
    for (std::size_t at = parents_[index]; at != kNoParent; at = parents_[at]) {
        set_bit(bits, at);
    }
    return bits;
}

Bits ChunkTree::all() const {
    Bits bits = empty_bits(size());
    for (std::size_t i = 0; i < size(); ++i) {
        set_bit(bits, i);
    }
    return bits;
}

std::size_t ChunkTree::position(const std::string& name) const {
    const auto found = positions_.find(name);
    return found == positions_.end() ? size() : found->second;
}

Bits ChunkTree::bits_of(const std::vector<std::string>& names) const {
    Bits bits = empty_bits(size());
    for (const std::string& name : names) {
        if (const auto found = positions_.find(name); found != positions_.end()) {
            set_bit(bits, found->second);
        }
    }
    return bits;
}

std::vector<std::string> ChunkTree::names_of(const Bits& bits) const {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < size(); ++i) {
        if (has_bit(bits, i)) {
            names.push_back(names_[i]);
        }
    }
    return names;
}

void Tally::add(Verdict verdict, double rate, const std::string& reason) {
    switch (verdict) {
    case Verdict::leak:
        ++leaks;
        break;
    case Verdict::plateau:
        ++plateaus;
        break;
    case Verdict::inconclusive:
        ++inconclusive;
        break;
    case Verdict::invalid:
    case Verdict::skipped:
        ++failed;
        skipped += verdict == Verdict::skipped ? 1 : 0;
        last_failure = verdict;
        failure = reason;
        return; // no rate: nothing was judged
    }
    rate_sum += rate;
    ++rated;
}

void Tally::add(const Tally& other) {
    leaks += other.leaks;
    plateaus += other.plateaus;
    inconclusive += other.inconclusive;
    failed += other.failed;
    skipped += other.skipped;
    exhausted += other.exhausted;
    rate_sum += other.rate_sum;
    rated += other.rated;
}

Decision decide(const Tally& tally, unsigned repeats) {
    assert(repeats >= 1);
    if (tally.runs() == 0) {
        return {Standing::untried, Verdict::inconclusive};
    }
    if (tally.leaks >= tally.plateaus + repeats) {
        return {Standing::decided, Verdict::leak};
    }
    if (tally.plateaus >= tally.leaks + repeats) {
        return {Standing::decided, Verdict::plateau};
    }
    const bool only_failures = tally.failed == tally.runs();
    if (only_failures) {
        return {Standing::decided, tally.last_failure};
    }
    if (tally.runs() >= kMaxRunsPerRepeat * repeats) {
        return {Standing::decided, Verdict::inconclusive};
    }
    if (tally.leaks == 0 && tally.plateaus == 0 && tally.exhausted >= kExhaustedRuns) {
        return {Standing::decided, Verdict::inconclusive};
    }
    return {Standing::needs_more_runs, Verdict::inconclusive};
}

Decision decide_crash(const Tally& tally) {
    if (tally.runs() == 0) {
        return {Standing::untried, Verdict::inconclusive};
    }
    return {Standing::decided, tally.skipped == tally.runs() ? Verdict::leak : Verdict::plateau};
}

} // namespace leakbisect::search_detail
