#include "level.hpp"

#include <cassert>
#include <cmath>

namespace leakbisect::search_detail {

Decision EvidenceView::look(const Bits& config, Signal signal) const {
    const auto found = state_.search.find(config);
    if (found == state_.search.end()) {
        return Decision{};
    }
    return signal == Signal::crash ? decide_crash(found->second) : decide(found->second, repeats_);
}

std::string EvidenceView::failure(const Bits& config) const {
    const auto found = state_.search.find(config);
    return found == state_.search.end() ? std::string() : found->second.failure;
}

Decision EvidenceView::recheck(const Bits& config) const {
    const auto rechecked = state_.recheck.find(config);
    if (rechecked == state_.recheck.end()) {
        return Decision{};
    }
    Tally pooled = rechecked->second;
    if (const auto searched = state_.search.find(config); searched != state_.search.end()) {
        pooled.add(searched->second);
    }
    return decide(pooled, repeats_);
}

ConfigurationEvidence EvidenceView::summary(const Bits& config) const {
    ConfigurationEvidence evidence;
    evidence.enabled = tree().names_of(config);
    const auto found = state_.search.find(config);
    if (found == state_.search.end()) {
        return evidence;
    }
    const Tally& tally = found->second;
    evidence.verdict = decide(tally, repeats_).verdict;
    evidence.leaks = tally.leaks;
    evidence.plateaus = tally.plateaus;
    evidence.undecided_runs = tally.inconclusive + tally.failed;
    evidence.exhausted_runs = tally.exhausted;
    evidence.pooled_rate = tally.rated == 0 ? 0 : tally.rate_sum / tally.rated;
    return evidence;
}

Answer ask(const EvidenceView& evidence, const Bits& config, ProbeRole role) {
    const Decision decision = evidence.look(config);
    if (decision.standing == Standing::decided) {
        return decision.verdict;
    }
    return ProbeRequest{role, evidence.tree().names_of(config)};
}

std::variant<ProbeRequest, LevelResult> search_level(const EvidenceView& evidence, const Level& level,
                                                     SearchStrategy strategy, Signal signal) {
    const std::size_t n = level.items.size();
    assert(n >= 1);
    std::vector<Bits> configs{level.base};
    for (const Bits& item : level.items) {
        configs.push_back(united(configs.back(), item));
    }
    std::vector<Decision> decisions(n + 1);
    for (std::size_t p = 1; p < n; ++p) {
        decisions[p] = evidence.look(configs[p], signal);
        if (decisions[p].standing == Standing::needs_more_runs) {
            return ProbeRequest{level.role, evidence.tree().names_of(configs[p])};
        }
    }
    const auto decided_as = [&](std::size_t p, Verdict verdict) {
        return decisions[p].standing == Standing::decided && decisions[p].verdict == verdict;
    };
    std::size_t first_leak = n;
    for (std::size_t p = 1; p < n; ++p) {
        if (decided_as(p, Verdict::leak)) {
            first_leak = p;
            break;
        }
    }
    std::size_t last_plateau = 0;
    for (std::size_t p = 1; p < first_leak; ++p) {
        if (decided_as(p, Verdict::plateau)) {
            last_plateau = p;
        }
    }
    LevelResult result{first_leak - last_plateau == 1, last_plateau, first_leak, configs[last_plateau],
                       configs[first_leak]};
    if (result.found) {
        return result;
    }
    std::optional<std::size_t> chosen;
    const double middle = static_cast<double>(last_plateau + first_leak) / 2.0;
    const auto distance = [middle](std::size_t p) { return std::abs(static_cast<double>(p) - middle); };
    for (std::size_t p = last_plateau + 1; p < first_leak; ++p) {
        if (decisions[p].standing != Standing::untried) {
            continue;
        }
        if (strategy == SearchStrategy::linear) {
            chosen = p;
            break;
        }
        if (!chosen || distance(p) < distance(*chosen)) {
            chosen = p;
        }
    }
    if (chosen) {
        return ProbeRequest{level.role, evidence.tree().names_of(configs[*chosen])};
    }
    return result;
}

Level top_level(const ChunkTree& tree, const Bits& universe) {
    Level level;
    level.base = empty_bits(tree.size());
    level.role = ProbeRole::step;
    for (const std::size_t chunk : tree.top_level()) {
        if (!has_bit(universe, chunk)) {
            continue; // left off: enabling it crashes the app
        }
        level.items.push_back(intersected(tree.subtree(chunk), universe));
        level.labels.push_back(tree.name(chunk));
        level.chunks.push_back(chunk);
        level.own_code.push_back(false);
    }
    return level;
}

Level inside(const ChunkTree& tree, std::size_t chunk, const Bits& plateau_config, const Bits& universe) {
    Level level;
    level.base = plateau_config;
    level.role = ProbeRole::narrow;
    Bits own = empty_bits(tree.size());
    set_bit(own, chunk);
    level.items.push_back(own);
    level.labels.push_back(tree.name(chunk) + " (own code)");
    level.chunks.push_back(chunk);
    level.own_code.push_back(true);
    for (const std::size_t child : tree.children(chunk)) {
        if (!has_bit(universe, child)) {
            continue; // left off: enabling it crashes the app
        }
        level.items.push_back(intersected(tree.subtree(child), universe));
        level.labels.push_back(tree.name(child));
        level.chunks.push_back(child);
        level.own_code.push_back(false);
    }
    return level;
}

Level partners(const ChunkTree& tree, const Bits& leak_config, const Bits& culprit, const Bits& base) {
    Level level;
    level.base = base;
    level.role = ProbeRole::interact;
    const Bits rest = without(leak_config, culprit);
    for (std::size_t i = 0; i < tree.size(); ++i) {
        const std::size_t parent = tree.parent(i);
        const bool root = has_bit(rest, i) && (parent == kNoParent || !has_bit(rest, parent));
        if (root) {
            level.items.push_back(intersected(tree.subtree(i), rest));
            level.labels.push_back(tree.name(i));
            level.chunks.push_back(i);
            level.own_code.push_back(false);
        }
    }
    return level;
}

} // namespace leakbisect::search_detail
