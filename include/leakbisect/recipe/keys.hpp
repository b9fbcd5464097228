// The keys each table of a recipe accepts. The reader rejects any other key, suggesting the
// closest of these; docs/recipe.md is tested to describe every one, so the two cannot drift.
// Free-form tables (app.env, load.request.headers) take any key and are not listed.
#pragma once

#include <array>
#include <span>
#include <string_view>

namespace leakbisect::recipe_keys {

inline constexpr auto kTopLevel =
    std::to_array<std::string_view>({"version", "name", "app", "memory", "load", "chunks", "chunk",
                                     "revisions", "verdict", "search", "report"});
inline constexpr auto kApp =
    std::to_array<std::string_view>({"command", "cwd", "env", "inherit_env", "port", "ready", "stop"});
inline constexpr auto kAppReady = std::to_array<std::string_view>({"http", "tcp", "log", "timeout"});
inline constexpr auto kAppStop = std::to_array<std::string_view>({"signal", "grace"});
inline constexpr auto kMemory = std::to_array<std::string_view>({"scope", "metric", "interval"});
inline constexpr auto kLoad =
    std::to_array<std::string_view>({"requests", "concurrency", "warmup", "timeout", "max_error_rate",
                                     "base_url", "allow_remote", "request", "command"});
inline constexpr auto kLoadRequest =
    std::to_array<std::string_view>({"method", "path", "headers", "body", "weight", "expect"});
inline constexpr auto kChunks = std::to_array<std::string_view>({"env", "list_env"});
inline constexpr auto kChunk = std::to_array<std::string_view>({"name", "note", "env"});
inline constexpr auto kRevisions =
    std::to_array<std::string_view>({"repo", "good", "bad", "setup", "setup_timeout", "paths"});
inline constexpr auto kVerdict = std::to_array<std::string_view>({"min_leak", "confidence", "max_requests"});
inline constexpr auto kSearch =
    std::to_array<std::string_view>({"strategy", "repeats", "retries", "confirm", "narrow"});
inline constexpr auto kReport = std::to_array<std::string_view>({"dir", "formats"});

// A table by its dotted path ("" for the top level, "load.request" for [[load.request]]).
struct Table {
    std::string_view path;
    std::span<const std::string_view> keys;
};

inline constexpr std::array kTables{
    Table{"", kTopLevel},
    Table{"app", kApp},
    Table{"app.ready", kAppReady},
    Table{"app.stop", kAppStop},
    Table{"memory", kMemory},
    Table{"load", kLoad},
    Table{"load.request", kLoadRequest},
    Table{"chunks", kChunks},
    Table{"chunk", kChunk},
    Table{"revisions", kRevisions},
    Table{"verdict", kVerdict},
    Table{"search", kSearch},
    Table{"report", kReport},
};

} // namespace leakbisect::recipe_keys
