// One detector per stack init knows. Each returns a profile only when the folder's files say the
// stack is there, with the clues that said so; inspect_app asks them in turn.
#pragma once

#include "leakbisect/init/init.hpp"

#include <filesystem>
#include <optional>
#include <vector>

namespace leakbisect::init_detail {

std::optional<AppProfile> detect_rails(const std::filesystem::path& app_dir);
std::optional<AppProfile> detect_django(const std::filesystem::path& app_dir);
std::optional<AppProfile> detect_flask(const std::filesystem::path& app_dir);
std::optional<AppProfile> detect_node(const std::filesystem::path& app_dir);

// A Procfile's `web:` command replaces the stack's usual one (and may say the server preforks).
void apply_procfile(const std::filesystem::path& app_dir, AppProfile& profile);

// The ready check's path is the first health route among the routes found, the load's the first
// other one (the site's root only when nothing else was found).
void choose_routes(AppProfile& profile, const std::vector<FoundRoute>& routes);

} // namespace leakbisect::init_detail
