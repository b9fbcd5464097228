#include "leakbisect/recipe/plan.hpp"

#include <fmt/format.h>

namespace leakbisect {

EnvList chunk_environment(const Recipe& recipe, const ChunkSet& enabled) {
    EnvList environment;
    std::vector<std::string> enabled_in_order;
    for (const ChunkSpec& chunk : recipe.chunks) {
        const bool on = enabled.count(chunk.name) > 0;
        environment.emplace_back(chunk.env, on ? "1" : "0");
        if (on) {
            enabled_in_order.push_back(chunk.name);
        }
    }
    if (!recipe.chunk_settings.list_env.empty()) {
        environment.emplace_back(recipe.chunk_settings.list_env,
                                 fmt::format("{}", fmt::join(enabled_in_order, ",")));
    }
    return environment;
}

ChunkSet with_sub_chunks(const Recipe& recipe, const ChunkSet& top_level) {
    // The recipe declares every parent before its sub-chunks, so one pass in recipe order
    // settles each parent before its children look at it.
    ChunkSet closure;
    for (const ChunkSpec& chunk : recipe.chunks) {
        const std::string parent = parent_of(chunk.name);
        const bool on = parent.empty() ? top_level.count(chunk.name) > 0 : closure.count(parent) > 0;
        if (on) {
            closure.insert(chunk.name);
        }
    }
    return closure;
}

ChunkSet with_parents_and_sub_chunks(const Recipe& recipe, const ChunkSet& named) {
    ChunkSet closure;
    for (const ChunkSpec& chunk : recipe.chunks) {
        // On when it or any ancestor is named (a descendant), or any descendant is named (a parent).
        bool on = false;
        for (std::string at = chunk.name; !at.empty() && !on; at = parent_of(at)) {
            on = named.count(at) > 0;
        }
        for (const std::string& name : named) {
            on = on || name.starts_with(chunk.name + ".");
        }
        if (on) {
            closure.insert(chunk.name);
        }
    }
    return closure;
}

bool respects_hierarchy(const ChunkSet& enabled) {
    for (const std::string& name : enabled) {
        const std::string parent = parent_of(name);
        if (!parent.empty() && enabled.count(parent) == 0) {
            return false;
        }
    }
    return true;
}

std::vector<std::string> all_chunks(const Recipe& recipe) {
    std::vector<std::string> names;
    for (const ChunkSpec& chunk : recipe.chunks) {
        names.push_back(chunk.name);
    }
    return names;
}

std::vector<std::string> top_level_chunks(const Recipe& recipe) {
    std::vector<std::string> names;
    for (const ChunkSpec& chunk : recipe.chunks) {
        if (parent_of(chunk.name).empty()) {
            names.push_back(chunk.name);
        }
    }
    return names;
}

std::string parent_of(const std::string& chunk_name) {
    const std::size_t dot = chunk_name.rfind('.');
    return dot == std::string::npos ? std::string() : chunk_name.substr(0, dot);
}

} // namespace leakbisect
