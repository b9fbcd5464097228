#include "usage.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace leakbisect {

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
