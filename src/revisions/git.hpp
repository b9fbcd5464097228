// Running git (private to the revisions module): argv through the app module's process, no shell,
// output read back from a scratch log; a deadline on every call.
#pragma once

#include "leakbisect/core/expected.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace leakbisect::revisions_detail {

struct GitResult {
    bool succeeded = false;
    std::string output;      // stdout and stderr as git wrote them
    std::string description; // "exited with status 128"
};

// `git -C dir args...`. Fails only when git cannot be run at all (not installed, no such folder).
Expected<GitResult> git(const std::filesystem::path& dir, const std::vector<std::string>& args);

// The output without its trailing newline(s).
std::string trimmed(std::string text);

} // namespace leakbisect::revisions_detail
