// [revisions]: commit-range mode. Only what the text alone can tell is checked here; whether git
// knows the revisions and whether good is an ancestor of bad is checked against the repository
// (the revisions module) before anything runs.
#include "sections.hpp"

#include <fmt/format.h>

namespace leakbisect::recipe_detail {
namespace {

constexpr std::string_view kSetupExample = R"(["bundle", "install", "--local"])";

std::string where(const Section& table, std::string_view key) {
    const toml::node* node = table.find(key);
    return fmt::format("{}:{}", table.diagnostics().file_label(), node->source().begin.line);
}

// good and bad: a revision git accepts; never something git would read as an option.
void read_revision(const Section& table, std::string_view key, std::string& out, std::string& location,
                   std::string_view meaning) {
    const toml::node* node = table.find(key);
    if (node == nullptr) {
        table.fail_missing(fmt::format("{} is required: the revision where memory {}, e.g. {} = \"{}\"",
                                       table.key_path(key), meaning, key, key == "good" ? "v1.4.0" : "main"));
        return;
    }
    if (!table.read_string(key, out)) {
        return;
    }
    if (out.empty() || out.starts_with('-') || has_blank_or_control(out)) {
        table.fail(*node, fmt::format("{} must be a revision git accepts (a branch, tag or commit hash), "
                                      "got \"{}\"",
                                      table.key_path(key), out));
        out.clear();
        return;
    }
    location = where(table, key);
}

void read_paths(const Section& table, std::vector<std::string>& paths) {
    const toml::node* node = table.find("paths");
    if (node == nullptr) {
        return;
    }
    const toml::array* array = node->as_array();
    if (array == nullptr || array->empty()) {
        table.fail(*node, fmt::format("revisions.paths must be a non-empty array of paths inside the "
                                      "repository, e.g. [\"app/\", \"lib/\"]; leave it out for every commit, "
                                      "got {}",
                                      array == nullptr ? describe_type(*node) : "an empty array"));
        return;
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
        const toml::node& element = *array->get(i);
        if (!element.is_string() || element.as_string()->get().empty()) {
            table.fail(element, fmt::format("revisions.paths[{}] must be a non-empty string, got {}", i,
                                            describe_value(element)));
            return;
        }
        paths.push_back(element.as_string()->get());
    }
}

} // namespace

void read_revisions(const Section& top, Recipe& recipe) {
    const std::optional<Section> table = top.read_table("revisions");
    if (!table) {
        return;
    }
    table->allow_only(recipe_keys::kRevisions);
    RevisionsSpec spec;
    std::string repo;
    if (table->read_string("repo", repo)) {
        if (repo.empty()) {
            table->fail(*table->find("repo"), "revisions.repo must not be empty; leave it out for the git "
                                              "repository holding app.cwd");
        } else {
            spec.repo = resolve_against(recipe.dir, repo);
        }
    }
    read_revision(*table, "good", spec.good, spec.where_good, "plateaus");
    read_revision(*table, "bad", spec.bad, spec.where_bad, "leaks");
    read_argv(*table, "setup", spec.setup, kSetupExample);
    table->read_duration("setup_timeout", spec.setup_timeout, DurationFloor::positive);
    read_paths(*table, spec.paths);
    recipe.revisions = std::move(spec);
}

} // namespace leakbisect::recipe_detail
