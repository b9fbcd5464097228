// The CLI's manners: the usage a bare `leakbisect` prints and the footer of each command's --help
// (an example and the exit codes it can return).
#pragma once

#include "leakbisect/run/exit_code.hpp"

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leakbisect {

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
