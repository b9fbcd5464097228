// Placeholder expansion for {port}, {recipe_dir}, {run_dir}, {probe_dir}.
// Unknown placeholders are left to the recipe validator to reject; expansion itself never fails.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
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

// The first "{...}" in `text` that is not a known placeholder, or "" when all are known.
std::string unknown_placeholder(std::string_view text);

} // namespace leakbisect
