#include "leakbisect/core/text.hpp"

#include <algorithm>
#include <cctype>
#include <numeric>

namespace leakbisect {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> previous(b.size() + 1);
    std::vector<std::size_t> current(b.size() + 1);
    std::iota(previous.begin(), previous.end(), std::size_t{0});
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
        }
        std::swap(previous, current);
    }
    return previous[b.size()];
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_distance = std::max<std::size_t>(3, word.size() / 2) + 1;
    for (const std::string& candidate : candidates) {
        const std::size_t distance = edit_distance(word, candidate);
        if (distance < best_distance) {
            best_distance = distance;
            best = candidate;
        }
    }
    return best;
}

std::string upper_snake_case(std::string_view name) {
    std::string result;
    result.reserve(name.size());
    for (const char c : name) {
        const auto u = static_cast<unsigned char>(c);
        result.push_back(std::isalnum(u) ? static_cast<char>(std::toupper(u)) : '_');
    }
    return result;
}

} // namespace leakbisect
