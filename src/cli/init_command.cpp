#include "init_command.hpp"

#include "leakbisect/core/files.hpp"
#include "leakbisect/init/init.hpp"
#include "leakbisect/recipe/recipe.hpp"
#include "leakbisect/run/exit_code.hpp"

#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <system_error>

namespace leakbisect {
namespace {

void print_problem(const std::string& text) {
    std::fprintf(stderr, "leakbisect: %s\n", text.c_str());
}

std::string indented(std::string_view text) {
    std::string lines;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = text.find('\n', start);
        lines += "    " + std::string(text.substr(start, end - start)) + "\n";
        start = end == std::string_view::npos ? text.size() : end + 1;
    }
    return lines;
}

void print_findings(const AppProfile& profile, const std::string& app_dir) {
    if (profile.stack == Stack::unknown) {
        fmt::print("leakbisect init: no app init recognises in {}. It looked for:\n", app_dir);
        for (const std::string& looked_for : profile.looked_for) {
            fmt::print("  {}\n", looked_for);
        }
        for (const Clue& clue : profile.clues) {
            fmt::print("It found {}: {}\n", clue.where, clue.what);
        }
        return;
    }
    fmt::print("leakbisect init: {} ({}) in {}\n", describe(profile.stack), profile.server, app_dir);
    for (const Clue& clue : profile.clues) {
        fmt::print("  {}: {}\n", clue.where, clue.what);
    }
    fmt::print("  command: {}\n", fmt::join(profile.command, " "));
    fmt::print("  memory: {} of the whole process tree ({})\n",
               profile.memory == MemoryChoice::pss_preforking ? "PSS" : "RSS", profile.memory_note);
    fmt::print("  ready check: {}\n",
               profile.health ? fmt::format("GET {} ({})", profile.health->path, profile.health->where)
                              : std::string("the port accepts connections (no health route found)"));
    fmt::print("  load: {}\n", profile.page ? fmt::format("GET {} ({}: {})", profile.page->path,
                                                          profile.page->where, profile.page->written)
                                            : std::string("GET / (no route found)"));
    if (profile.chunks.empty()) {
        fmt::print("  chunks: none found (no chunk helper calls yet)\n");
    } else {
        std::vector<std::string> names;
        for (const FoundChunk& chunk : profile.chunks) {
            names.push_back(chunk.name);
        }
        fmt::print("  chunks: {} found in chunk helper calls: {}\n", names.size(), fmt::join(names, ", "));
    }
    for (const std::string& warning : profile.warnings) {
        fmt::print("warning: {}\n", warning);
    }
}

void print_helper(const AppProfile& profile) {
    if (profile.stack == Stack::unknown) {
        fmt::print(
            "\nGuard each chunk with a helper that reads CHUNK_<NAME> (a missing variable means on), e.g.\n");
        for (const auto& [language, name] :
             {std::pair{Language::ruby, "Ruby"}, std::pair{Language::python, "Python"},
              std::pair{Language::javascript, "JavaScript"}, std::pair{Language::unknown, "C++"}}) {
            fmt::print("  {}:\n{}", name, indented(chunk_helper(language)));
        }
        return;
    }
    fmt::print(
        "\nGuard each chunk of the suspect action with this helper (a missing variable means on, so the\n"
        "app runs as usual without leakbisect); put it in {}:\n\n{}",
        helper_home(profile.stack), indented(chunk_helper(language_of(profile.stack))));
    fmt::print("A dotted name is a sub-chunk: chunk \"warnings_panel.has_warnings\" reads "
               "CHUNK_WARNINGS_PANEL_HAS_WARNINGS.\n");
}

} // namespace

int init_command(const InitOptions& options) {
    const Expected<AppProfile> profile = inspect_app(options.app_dir);
    if (!profile) {
        print_problem(to_string(profile.error()));
        return kExitBadUsage;
    }
    const std::filesystem::path recipe_file =
        options.out.empty() ? (std::filesystem::path(options.app_dir) / "leakbisect.toml").lexically_normal()
                            : std::filesystem::path(options.out);
    std::error_code error;
    if (std::filesystem::is_directory(recipe_file, error)) {
        print_problem(
            fmt::format("{}: is a folder: --out names the recipe file to write", recipe_file.string()));
        return kExitBadUsage;
    }
    if (std::filesystem::exists(recipe_file, error) && !options.force) {
        print_problem(
            fmt::format("{}: exists, and init does not overwrite a recipe: `leakbisect init --force` "
                        "replaces it, `--out FILE` writes another",
                        recipe_file.string()));
        return kExitBadUsage;
    }
    const auto recipe_dir = std::filesystem::absolute(recipe_file, error).parent_path();
    if (!std::filesystem::is_directory(recipe_dir, error)) {
        print_problem(fmt::format("{}: no such folder for the recipe: create it, or choose another --out",
                                  recipe_dir.string()));
        return kExitBadUsage;
    }

    const std::string text = starter_recipe(*profile, options.app_dir, recipe_file);
    // What `leakbisect check` will say of it as written: nothing, or the one TODO it could not fill.
    const Expected<Recipe> as_written = parse_recipe(text, std::filesystem::absolute(recipe_file, error));
    if (const Status written = write_text_file(recipe_file, text); !written) {
        print_problem(to_string(written.error()));
        return kExitInternal;
    }

    print_findings(*profile, options.app_dir);
    fmt::print("wrote {}{}\n", recipe_file.string(),
               profile->stack != Stack::unknown ? ": every TODO in it is a guess to check"
               : profile->command.empty()       ? ": a generic recipe; fill in its TODOs, app.command first"
                                                : ": a generic recipe; fill in its TODOs");
    print_helper(*profile);
    const std::string recipe = recipe_file.string();
    fmt::print("\nNext steps:\n  1. {}check the TODOs in {}\n",
               profile->chunks.empty()
                   ? "wrap each step of the suspect action in the helper, name the chunks and "
                   : "",
               recipe);
    if (!as_written) {
        fmt::print("     (leakbisect check refuses it until then: {})\n", as_written.error().message);
    }
    fmt::print("  2. leakbisect check --boot {}   (boots the app with every chunk off, then on)\n"
               "  3. leakbisect run {}\n",
               recipe, recipe);
    return kExitNoLeak;
}

} // namespace leakbisect
