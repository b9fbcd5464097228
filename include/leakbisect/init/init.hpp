// `leakbisect init`'s knowledge: recognises the web app in a folder (Rails, Node, Flask, Django) from
// its files, keeping the evidence of every conclusion, and renders a starter recipe and the chunk
// helper for its language. It only reads the app's files; writing the recipe and printing are the
// caller's.
#pragma once

#include "leakbisect/core/expected.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leakbisect {

enum class Stack { rails, node, flask, django, unknown };
enum class Language { ruby, python, javascript, unknown };

// One thing a conclusion rests on: "config/puma.rb:3" and "workers ...: Puma in cluster mode".
struct Clue {
    std::string where; // a file, or file:line
    std::string what;
};

// A route found in the app's code, turned into a path a request can use.
struct FoundRoute {
    std::string path;    // "/orders/1": parameters replaced by 1
    std::string written; // as the app writes it: `resources :orders, only: :show`
    std::string where;   // "config/routes.rb:3"
};

// A chunk the app already switches with a chunk helper.
struct FoundChunk {
    std::string name;  // "warnings_panel.has_warnings"
    std::string where; // the first call: "app/controllers/orders_controller.rb:74"
};

enum class MemoryChoice { rss_single_process, pss_preforking };

struct AppProfile {
    Stack stack = Stack::unknown;
    std::string server;                  // "Puma in cluster mode", "gunicorn", "node", ...
    std::vector<Clue> clues;             // what the stack, server and memory choice rest on, in order found
    std::vector<std::string> looked_for; // Stack::unknown: what was looked for and not found
    std::vector<std::string> command;    // argv with {port}; empty for Stack::unknown
    std::string command_note;            // a comment for the recipe next to the command
    std::vector<std::pair<std::string, std::string>> env;
    std::string ready_timeout = "60s";
    MemoryChoice memory = MemoryChoice::rss_single_process;
    std::string memory_note;
    std::optional<FoundRoute> health;  // the ready check's path when one was found
    std::optional<FoundRoute> page;    // the load's path when one was found
    std::vector<FoundChunk> chunks;    // chunk helper calls in the app, parents before sub-chunks
    std::vector<std::string> warnings; // things that will spoil a run unless fixed (DEBUG = True)
};

// Looks at the files of `app_dir` (not below vendored or generated folders). An error only when the
// folder itself cannot be read; an app it does not recognise is Stack::unknown with `looked_for`.
Expected<AppProfile> inspect_app(const std::filesystem::path& app_dir);

// The starter recipe's TOML for the profile, to be written as `recipe_file`: every key a valid
// recipe key, `app.cwd` relative to the recipe's folder when the recipe is not in `app_dir`, each
// guess marked TODO with the evidence it came from.
std::string starter_recipe(const AppProfile& profile, const std::filesystem::path& app_dir,
                           const std::filesystem::path& recipe_file);

// "a Rails app", "a Flask app", ...
std::string describe(Stack stack);
Language language_of(Stack stack);

// The chunk helper of README.md's "Guard your chunks" for the language, with its usage line, and
// where in such an app it goes.
std::string_view chunk_helper(Language language);
std::string helper_home(Stack stack);

} // namespace leakbisect
