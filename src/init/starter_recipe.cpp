// The starter recipe's text: what init found as comments, every guess marked TODO, and only keys
// docs/recipe.md describes, so `leakbisect check` accepts it as written (or refuses it on the one
// TODO it could not fill: the command of an app it does not know, or the first chunk).
#include "leakbisect/init/init.hpp"

#include <fmt/format.h>
#include <system_error>

namespace leakbisect {
namespace {

std::string toml_string(std::string_view text) {
    std::string quoted = "\"";
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            quoted += '\\';
            quoted += c;
        } else if (byte < 0x20 || byte == 0x7f) {
            quoted += fmt::format("\\u{:04X}", byte);
        } else {
            quoted += c;
        }
    }
    return quoted + "\"";
}

// Text that goes after a `#`: one line, whatever the app's source held.
std::string one_line(std::string_view text) {
    std::string line;
    for (const char c : text) {
        line += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
    }
    return line;
}

std::string toml_argv(const std::vector<std::string>& argv) {
    std::string text = "[";
    for (const auto& argument : argv) {
        text += (text.size() > 1 ? ", " : "") + toml_string(argument);
    }
    return text + "]";
}

std::string toml_inline_table(const std::vector<std::pair<std::string, std::string>>& entries) {
    std::string text = "{ ";
    for (const auto& [key, value] : entries) {
        text += fmt::format("{}{} = {}", text.size() > 2 ? ", " : "", key, toml_string(value));
    }
    return text + " }";
}

void app_table(std::string& text, const AppProfile& profile, const std::filesystem::path& app_dir,
               const std::filesystem::path& recipe_file) {
    text += "\n[app]\n";
    if (profile.command.empty()) {
        text +=
            "# TODO: the argv that starts your app in production mode (no shell), listening on {port} or on\n"
            "# the PORT variable leakbisect sets, e.g.\n"
            "# command = [\"bin/server\", \"--port\", \"{port}\"]\n";
    } else {
        text += fmt::format("command = {}\n", toml_argv(profile.command));
        if (!profile.command_note.empty()) {
            text += fmt::format("# {}\n", one_line(profile.command_note));
        }
    }
    std::error_code error;
    const auto app = std::filesystem::weakly_canonical(app_dir, error);
    const auto recipe_dir = std::filesystem::weakly_canonical(recipe_file, error).parent_path();
    if (!error && app != recipe_dir) {
        const auto relative = app.lexically_relative(recipe_dir);
        text += fmt::format("cwd = {}   # the app's folder, from this recipe's\n",
                            toml_string((relative.empty() ? app : relative).generic_string()));
    }
    if (!profile.env.empty()) {
        text += fmt::format("env = {}\n", toml_inline_table(profile.env));
    }
    if (profile.stack == Stack::rails) {
        text += "# SECRET_KEY_BASE: any value for a local run, never your real one; RAILS_LOG_TO_STDOUT: the "
                "log\n"
                "# goes to each probe's app.log instead of growing log/production.log\n";
    }
    if (profile.health) {
        text += fmt::format("ready = {{ http = {}, timeout = {} }}   # {} {}\n",
                            toml_string(profile.health->path), toml_string(profile.ready_timeout),
                            profile.health->where, one_line(profile.health->written));
    } else {
        text += fmt::format("ready = {{ tcp = true, timeout = {} }}\n", toml_string(profile.ready_timeout));
        text += "# TODO: no health route found: ready once the port accepts connections. A route the app "
                "answers\n"
                "# once booted is more faithful: ready = { http = \"/up\" }\n";
    }
    text += "stop = { signal = \"TERM\", grace = \"10s\" }\n";
}

void memory_and_load(std::string& text, const AppProfile& profile) {
    const bool pss = profile.memory == MemoryChoice::pss_preforking;
    text += "\n[memory]\n";
    text += "scope = \"tree\"                         # the app and every process it starts\n";
    text += fmt::format("metric = {}                         # {}\n", toml_string(pss ? "pss" : "rss"),
                        profile.stack == Stack::unknown
                            ? "TODO: \"pss\" if the server forks workers (docs/recipe.md)"
                            : one_line(profile.memory_note));
    text += "\n[load]\n"
            "requests = 3000                        # per probe, the same each time\n"
            "concurrency = 4\n"
            "warmup = 300                           # TODO: more if caches fill for longer (docs/recipe.md)\n"
            "\n[[load.request]]\n";
    if (profile.page) {
        text += fmt::format(
            "path = {}\n# TODO: the page that leaks. Found: {} {} (parameters as 1: use a record "
            "that exists)\n",
            toml_string(profile.page->path), profile.page->where, one_line(profile.page->written));
    } else {
        text += "path = \"/\"\n# TODO: the page that leaks (no route found in the app's code)\n";
    }
}

void chunk_tables(std::string& text, const AppProfile& profile) {
    text +=
        "\n# Chunks, in enabling order: the order the action runs them. Each is switched by CHUNK_<NAME>\n"
        "# (\"1\" its real code, \"0\" a stub), which the chunk helper reads.\n";
    if (profile.chunks.empty()) {
        text +=
            "# TODO: no chunk helper calls found. Wrap each step of the suspect action in the chunk helper\n"
            "# (`leakbisect init` printed it; README.md, \"Guard your chunks\") and name each step here;\n"
            "# `leakbisect check` refuses the recipe until there is one:\n"
            "# [[chunk]]\n"
            "# name = \"load_order\"\n"
            "# note = \"what this step of the action does\"\n";
        return;
    }
    text +=
        "# Found in the app's chunk helper calls, in the order first seen (sub-chunks after their parent).\n"
        "# TODO: put them in the order the action runs them.\n";
    for (const FoundChunk& chunk : profile.chunks) {
        text += fmt::format("[[chunk]]\nname = {}   # {}\n", toml_string(chunk.name), chunk.where);
    }
    const std::string& first = profile.chunks.front().name;
    text += fmt::format(
        "\n# A sub-chunk is on only with its parent, and searched once its parent is found guilty:\n"
        "# [[chunk]]\n"
        "# name = {}\n"
        "# note = \"what this part of {} does\"\n",
        toml_string(first + ".part"), one_line(first));
}

} // namespace

std::string starter_recipe(const AppProfile& profile, const std::filesystem::path& app_dir,
                           const std::filesystem::path& recipe_file) {
    std::error_code error;
    const auto app = std::filesystem::weakly_canonical(app_dir, error);
    std::string name = app.filename().string();
    if (name.empty()) {
        name = "app";
    }
    std::string text =
        fmt::format("# leakbisect recipe written by `leakbisect init` for {}{}.\n", describe(profile.stack),
                    profile.server.empty() ? "" : " (" + profile.server + ")");
    if (!profile.clues.empty()) {
        text += "# What init found:\n";
        for (const Clue& clue : profile.clues) {
            text += fmt::format("#   {}: {}\n", clue.where, one_line(clue.what));
        }
    }
    for (const std::string& looked_for : profile.looked_for) {
        text += fmt::format("# Looked for {}: not found.\n", one_line(looked_for));
    }
    for (const std::string& warning : profile.warnings) {
        text += fmt::format("# WARNING: {}\n", one_line(warning));
    }
    const std::string file_name = recipe_file.filename().string();
    text += fmt::format("# Every TODO is a guess to check; every key is described in docs/recipe.md.\n"
                        "# Then: leakbisect check --boot {0} (boots the app with every chunk off, then on),\n"
                        "# and leakbisect run {0}.\n"
                        "version = 1\n",
                        one_line(file_name));
    text += fmt::format("name = {}\n", toml_string(name));
    app_table(text, profile, app_dir, recipe_file);
    memory_and_load(text, profile);
    chunk_tables(text, profile);
    return text;
}

} // namespace leakbisect
