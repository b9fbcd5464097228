// [chunks] and [[chunk]]: the feature-flagged pieces of the action, in enabling order, and the
// environment variable that switches each one.
#include "sections.hpp"

#include "leakbisect/core/text.hpp"
#include "leakbisect/recipe/plan.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <map>

namespace leakbisect::recipe_detail {
namespace {

constexpr std::string_view kUpperName = "{NAME}";
constexpr std::string_view kNameAsWritten = "{name}";

// Segments of letters, digits, '_' and '-', joined by dots: "warnings_panel.has-warnings".
bool is_valid_chunk_name(std::string_view name) {
    std::size_t segment_length = 0;
    for (const char c : name) {
        if (c == '.') {
            if (segment_length == 0) {
                return false;
            }
            segment_length = 0;
        } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') {
            ++segment_length;
        } else {
            return false;
        }
    }
    return segment_length > 0;
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
}

std::string variable_for(std::string_view pattern, const std::string& chunk_name) {
    std::string variable(pattern);
    replace_all(variable, kUpperName, upper_snake_case(chunk_name));
    replace_all(variable, kNameAsWritten, chunk_name);
    return variable;
}

void check_env_pattern(const Section& chunks_table, std::string_view pattern) {
    const toml::node& node = *chunks_table.find("env");
    std::string rest(pattern);
    replace_all(rest, kUpperName, "");
    replace_all(rest, kNameAsWritten, "");
    const std::size_t open = rest.find('{');
    if (open != std::string::npos) {
        const std::size_t close = rest.find('}', open);
        chunks_table.fail(
            node, fmt::format("unknown placeholder {} in chunks.env; use {} (the chunk's name in upper "
                              "snake case) or {} (as written)",
                              rest.substr(open, close == std::string::npos ? close : close - open + 1),
                              kUpperName, kNameAsWritten));
    } else if (rest.size() == pattern.size()) {
        chunks_table.fail(node,
                          fmt::format("chunks.env must contain {} or {} so that each chunk gets its own "
                                      "variable, e.g. \"CHUNK_{}\"",
                                      kUpperName, kNameAsWritten, kUpperName));
    } else if (!is_valid_variable_name(variable_for(pattern, "x"))) {
        chunks_table.fail(node,
                          fmt::format("chunks.env \"{}\" does not make a valid variable name", pattern));
    }
}

void read_settings(const Section& top, ChunksSettings& settings) {
    const std::optional<Section> table = top.read_table("chunks");
    if (!table) {
        return;
    }
    table->allow_only(recipe_keys::kChunks);
    if (table->read_string("env", settings.env_pattern)) {
        check_env_pattern(*table, settings.env_pattern);
    }
    if (table->read_string("list_env", settings.list_env) && !settings.list_env.empty() &&
        !is_valid_variable_name(settings.list_env)) {
        table->fail(
            *table->find("list_env"),
            fmt::format("chunks.list_env must be a variable name like \"LEAKBISECT_CHUNKS\", or \"\" to turn "
                        "it off, got \"{}\"",
                        settings.list_env));
    }
}

// What the chunks read so far claim, to catch duplicates and collisions.
struct Claims {
    std::map<std::string, int> line_of_name;
    std::map<std::string, std::string> chunk_of_variable;
};

// Returns false when the chunk is wrong (and reported).
bool read_chunk(const Section& chunk, const Recipe& recipe, Claims& claims, ChunkSpec& spec) {
    chunk.allow_only(recipe_keys::kChunk);
    const toml::node* name_node = chunk.find("name");
    if (name_node == nullptr) {
        chunk.fail_missing(fmt::format("{} is required: a name for this chunk, e.g. name = \"load_order\"",
                                       chunk.key_path("name")));
        return false;
    }
    if (!chunk.read_string("name", spec.name)) {
        return false;
    }
    if (!is_valid_chunk_name(spec.name)) {
        chunk.fail(*name_node,
                   fmt::format("chunk name \"{}\" is not valid: use letters, digits, '_' and '-', with "
                               "'.' only between a chunk and its sub-chunk, e.g. "
                               "\"warnings_panel.has_warnings\"",
                               spec.name));
        return false;
    }
    if (const auto first = claims.line_of_name.find(spec.name); first != claims.line_of_name.end()) {
        chunk.fail(*name_node,
                   fmt::format("chunk \"{}\" is already declared on line {}; give each chunk its own name",
                               spec.name, first->second));
        return false;
    }
    if (const std::string parent = parent_of(spec.name);
        !parent.empty() && claims.line_of_name.count(parent) == 0) {
        chunk.fail(*name_node,
                   fmt::format("sub-chunk \"{}\" needs its parent chunk \"{}\" declared before it: add "
                               "a [[chunk]] with name = \"{}\" above this one",
                               spec.name, parent, parent));
        return false;
    }
    chunk.read_string("note", spec.note);

    const toml::node* env_node = chunk.find("env");
    if (env_node != nullptr) {
        if (!chunk.read_string("env", spec.env)) {
            return false;
        }
        if (!is_valid_variable_name(spec.env)) {
            chunk.fail(*env_node,
                       fmt::format("{} must be a variable name like \"LEGACY_WARNING_COUNT\", got \"{}\"",
                                   chunk.key_path("env"), spec.env));
            return false;
        }
    } else {
        spec.env = variable_for(recipe.chunk_settings.env_pattern, spec.name);
    }
    const toml::node& variable_node = env_node != nullptr ? *env_node : *name_node;
    if (spec.env == recipe.chunk_settings.list_env) {
        chunk.fail(variable_node,
                   fmt::format("chunk \"{}\" would be switched by {}, which chunks.list_env already "
                               "uses; give the chunk an explicit env = \"...\"",
                               spec.name, spec.env));
        return false;
    }
    if (const auto other = claims.chunk_of_variable.find(spec.env); other != claims.chunk_of_variable.end()) {
        chunk.fail(variable_node,
                   fmt::format("chunks \"{}\" and \"{}\" would both be switched by {}; give one of "
                               "them an explicit env = \"...\"",
                               other->second, spec.name, spec.env));
        return false;
    }
    spec.line = static_cast<int>(chunk.table().source().begin.line);
    claims.line_of_name.emplace(spec.name, spec.line);
    claims.chunk_of_variable.emplace(spec.env, spec.name);
    return true;
}

// A chunk variable set in app.env would fight the value leakbisect sets per probe.
void check_app_env_leaves_chunks_alone(const Section& top, const Recipe& recipe) {
    const toml::table* env = top.table()["app"]["env"].as_table();
    if (env == nullptr) {
        return;
    }
    const Section env_table(*env, "app.env", "in [app.env]", top.diagnostics());
    for (const auto& [key, node] : env_table.entries_in_order()) {
        const std::string name(key->str());
        const auto chunk = std::find_if(recipe.chunks.begin(), recipe.chunks.end(),
                                        [&](const ChunkSpec& spec) { return spec.env == name; });
        if (chunk != recipe.chunks.end()) {
            env_table.fail(
                *key, fmt::format("app.env sets {}, the variable of chunk \"{}\" that leakbisect sets for "
                                  "each probe; remove it from app.env",
                                  name, chunk->name));
            return;
        }
        if (name == recipe.chunk_settings.list_env) {
            env_table.fail(*key,
                           fmt::format("app.env sets {}, which leakbisect sets for each probe to the enabled "
                                       "chunks (chunks.list_env); remove it from app.env",
                                       name));
            return;
        }
    }
}

} // namespace

void read_chunks(const Section& top, Recipe& recipe) {
    read_settings(top, recipe.chunk_settings);
    if (top.find("chunk") == nullptr) {
        if (recipe.revisions) {
            return; // commit-range mode: the commits are the chunks
        }
        top.diagnostics().report_missing_in_file(
            "at least one [[chunk]] is required: add a [[chunk]] table with the name of "
            "each feature-flagged chunk, e.g. name = \"load_order\", in enabling order");
        return;
    }
    const toml::array* array = read_table_array(top, "chunk", "[[chunk]]");
    if (array == nullptr) {
        return;
    }
    Claims claims;
    for (std::size_t i = 0; i < array->size(); ++i) {
        const Section chunk(*array->get(i)->as_table(), fmt::format("chunk[{}]", i), "in [[chunk]]",
                            top.diagnostics());
        ChunkSpec spec;
        if (!read_chunk(chunk, recipe, claims, spec)) {
            return;
        }
        recipe.chunks.push_back(std::move(spec));
    }
    check_app_env_leaves_chunks_alone(top, recipe);
}

} // namespace leakbisect::recipe_detail
