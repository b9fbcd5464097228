// Reading a recipe file: TOML syntax first (toml++), then the v1 format section by section.
#include "leakbisect/recipe/recipe.hpp"

#include "leakbisect/core/files.hpp"
#include "sections.hpp"

#include <fmt/format.h>

namespace leakbisect {
namespace recipe_detail {
namespace {

constexpr std::int64_t kFormatVersion = 1;

void read_version(const Section& top, int& version) {
    const toml::node* node = top.find("version");
    if (node == nullptr) {
        return;
    }
    if (!node->is_integer() || node->as_integer()->get() != kFormatVersion) {
        const std::string got =
            node->is_integer() ? std::to_string(node->as_integer()->get()) : describe_type(*node);
        top.fail(*node, fmt::format("version must be {0}: this leakbisect reads recipe version {0}, got {1}",
                                    kFormatVersion, got));
        return;
    }
    version = static_cast<int>(kFormatVersion);
}

void read_name(const Section& top, std::string& name) {
    std::string written;
    if (!top.read_string("name", written)) {
        return;
    }
    if (written.empty()) {
        top.fail(*top.find("name"), "name must not be empty; leave it out to use the recipe file's name");
        return;
    }
    name = std::move(written);
}

// Every default that depends on where the recipe lives.
Recipe recipe_located_at(const std::filesystem::path& file) {
    std::error_code ignored; // without a current directory, keep the path as given
    std::filesystem::path absolute = std::filesystem::absolute(file, ignored);
    if (absolute.empty()) {
        absolute = file;
    }
    Recipe recipe;
    recipe.file = absolute.lexically_normal();
    recipe.dir = recipe.file.parent_path();
    recipe.name = recipe.file.stem().string();
    recipe.app.cwd = recipe.dir;
    recipe.report.dir = recipe.dir / "leakbisect-runs";
    return recipe;
}

void read_document(const toml::table& document, Recipe& recipe, Diagnostics& diagnostics) {
    const Section top(document, "", "at the top level", diagnostics);
    top.allow_only(recipe_keys::kTopLevel);
    read_version(top, recipe.version);
    read_name(top, recipe.name);
    read_app(top, recipe);
    read_memory(top, recipe.memory);
    read_load(top, recipe.load);
    read_revisions(top, recipe);
    read_chunks(top, recipe);
    read_verdict(top, recipe.load, recipe.verdict);
    read_search(top, recipe.search);
    read_report(top, recipe.dir, recipe.report);
}

} // namespace

std::filesystem::path resolve_against(const std::filesystem::path& recipe_dir, std::string_view text) {
    std::filesystem::path path = (recipe_dir / std::filesystem::path(text)).lexically_normal();
    if (!path.has_filename() && path.has_relative_path()) {
        path = path.parent_path();
    }
    return path;
}

} // namespace recipe_detail

Expected<Recipe> load_recipe(const std::filesystem::path& file) {
    std::error_code ignored;
    if (std::filesystem::is_directory(file, ignored)) {
        return make_error(ErrorKind::bad_recipe, file.string(),
                          "is a folder; give the path of a recipe .toml file");
    }
    Expected<std::string> text = read_text_file(file, ErrorKind::bad_recipe);
    if (!text) {
        return text.error();
    }
    return parse_recipe(*text, file);
}

Expected<Recipe> parse_recipe(std::string_view text, const std::filesystem::path& file) {
    const std::string label = file.string();
    toml::table document;
    try {
        document = toml::parse(text, std::string_view(label));
    } catch (const toml::parse_error& error) {
        const toml::source_position& at = error.source().begin;
        return make_error(ErrorKind::bad_recipe, fmt::format("{}:{}:{}", label, at.line, at.column),
                          std::string(error.description()));
    }
    Recipe recipe = recipe_detail::recipe_located_at(file);
    recipe_detail::Diagnostics diagnostics(label);
    recipe_detail::read_document(document, recipe, diagnostics);
    if (diagnostics.failed()) {
        return diagnostics.first();
    }
    return recipe;
}

} // namespace leakbisect
