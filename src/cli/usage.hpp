// The CLI's manners: the usage a bare `leakbisect` prints, the "did you mean" for a mistyped
// command, and the footer of each command's --help (an example and the exit codes it can return).
#pragma once

#include "leakbisect/run/exit_code.hpp"

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leakbisect {

// Edits (insert, delete, substitute, swap two neighbours) that turn one word into the other.
std::size_t edit_distance(std::string_view from, std::string_view to);

// The command the user most likely meant by `typed`: the nearest by edit distance (the first
// declared on a tie), or one that `typed` begins; none when every command is too far to be a typo.
std::optional<std::string> closest_command(std::string_view typed, const std::vector<std::string>& commands);

struct ExitMeaning {
    ExitCode code;
    std::string_view meaning;
};

// A --help footer: "Example:" with the command lines, then "Exit codes:" one per line.
std::string help_footer(std::initializer_list<std::string_view> example,
                        std::initializer_list<ExitMeaning> exit_codes);

// "usage: leakbisect COMMAND ..." and each command with its description, one line each.
std::string usage_text(const std::vector<std::pair<std::string, std::string>>& commands);

} // namespace leakbisect
