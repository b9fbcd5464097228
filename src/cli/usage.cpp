#include "usage.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace leakbisect {

std::size_t edit_distance(std::string_view from, std::string_view to) {
    // Optimal string alignment: Levenshtein plus the swap of two neighbouring letters ("rnu").
    std::vector<std::vector<std::size_t>> d(from.size() + 1, std::vector<std::size_t>(to.size() + 1));
    for (std::size_t i = 0; i <= from.size(); ++i) {
        d[i][0] = i;
    }
    for (std::size_t j = 0; j <= to.size(); ++j) {
        d[0][j] = j;
    }
    for (std::size_t i = 1; i <= from.size(); ++i) {
        for (std::size_t j = 1; j <= to.size(); ++j) {
            const std::size_t substitution = from[i - 1] == to[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + substitution});
            if (i > 1 && j > 1 && from[i - 1] == to[j - 2] && from[i - 2] == to[j - 1]) {
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[from.size()][to.size()];
}

std::optional<std::string> closest_command(std::string_view typed, const std::vector<std::string>& commands) {
    // A typo changes a few letters; beyond half the word (at least 2) it is another word.
    const std::size_t tolerance = std::max<std::size_t>(2, typed.size() / 2);
    std::optional<std::string> best;
    std::size_t best_distance = tolerance + 1;
    for (const std::string& command : commands) {
        const bool is_prefix = typed.size() >= 2 && command.starts_with(typed);
        const std::size_t distance = is_prefix ? 1 : edit_distance(typed, command);
        if (distance < best_distance) {
            best = command;
            best_distance = distance;
        }
    }
    return best;
}

std::string help_footer(std::initializer_list<std::string_view> example,
                        std::initializer_list<ExitMeaning> exit_codes) {
    std::string text = "Example:\n";
    for (const std::string_view line : example) {
        text += fmt::format("  {}\n", line);
    }
    text += "\nExit codes:\n";
    for (const auto& [code, meaning] : exit_codes) {
        text += fmt::format("  {:<4} {}\n", static_cast<int>(code), meaning);
    }
    text.pop_back(); // CLI11 ends the help with its own newline
    return text;
}

std::string usage_text(const std::vector<std::pair<std::string, std::string>>& commands) {
    std::size_t width = 0;
    for (const auto& [name, description] : commands) {
        width = std::max(width, name.size());
    }
    std::string text = "usage: leakbisect COMMAND [OPTIONS]   (leakbisect COMMAND --help for its options)\n\n"
                       "commands:\n";
    for (const auto& [name, description] : commands) {
        text += fmt::format("  {:<{}}  {}\n", name, width, description);
    }
    text += "\nleakbisect --help for everything, leakbisect --version for the version.\n";
    return text;
}

} // namespace leakbisect
