// Placeholder expansion for {port}, {recipe_dir}, {run_dir}, {probe_dir}.
// Unknown placeholders are left to the recipe validator to reject; expansion itself never fails.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leakbisect {

struct Placeholders {
    std::uint16_t port = 0;
    std::filesystem::path recipe_dir;
    std::filesystem::path run_dir;
    std::filesystem::path probe_dir;
};

// The names the recipe may use, without braces.
const std::vector<std::string>& known_placeholders();

// Replaces every known {name}; anything else is copied as written.
std::string expand_placeholders(std::string_view text, const Placeholders& values);

// Every argument, or every variable's value, expanded: a command line or an environment of the recipe.
std::vector<std::string> expand_placeholders(const std::vector<std::string>& argv,
                                             const Placeholders& values);
std::vector<std::pair<std::string, std::string>>
expand_placeholders(const std::vector<std::pair<std::string, std::string>>& environment,
                    const Placeholders& values);

// The first "{...}" in `text` that is not a known placeholder, or "" when all are known.
std::string unknown_placeholder(std::string_view text);

} // namespace leakbisect
