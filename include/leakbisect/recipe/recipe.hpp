// Recipe: the validated, fully-defaulted form of a recipe TOML file (spec v1).
// It owns plain values only; nothing here runs anything. Paths are already absolute
// (resolved against the recipe's folder); placeholders are expanded later, per probe.
#pragma once

#include "leakbisect/core/expected.hpp"
#include "leakbisect/core/units.hpp"

#include <csignal>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leakbisect {

using EnvList = std::vector<std::pair<std::string, std::string>>; // ordered as written

enum class ReadyKind { tcp, http, log };

struct ReadyCheck {
    ReadyKind kind = ReadyKind::tcp;
    std::string http_path;   // kind == http: GET this path, 2xx/3xx means ready
    std::string log_pattern; // kind == log: RE2 regex searched in each line of stdout+stderr
    Milliseconds timeout{60'000};
};

// The largest load a probe may have (load.requests, load.warmup, verdict.max_requests, and
// analyze's --requests and --max-requests): a day of load at 10,000 requests a second, and far
// from where counts overflow, so every loop over requests ends.
inline constexpr std::uint64_t kMostRequests = 1'000'000'000;

// The memory RE2 may use for the readiness pattern (the recipe's check and the app's match agree):
// a pattern that needs more is refused when the recipe is read.
inline constexpr std::int64_t kReadyPatternMemory = std::int64_t{8} << 20;
// The longest log line the readiness pattern sees; a longer line is matched in pieces this long.
inline constexpr std::size_t kReadyLineLimit = std::size_t{64} * 1024;

struct StopPolicy {
    int signal = SIGTERM;       // sent to the app's process group first
    Milliseconds grace{10'000}; // then SIGKILL to every process the app started
};

struct AppSpec {
    std::vector<std::string> command; // argv, no shell; may hold placeholders
    std::filesystem::path cwd;        // absolute
    EnvList env;                      // over the inherited environment; values may hold placeholders
    bool inherit_env = true;
    std::uint16_t port = 0; // 0: a free loopback port per probe
    ReadyCheck ready;
    StopPolicy stop;
};

enum class MemoryScope { tree, main };
// cgroup: the probe's own cgroup less inactive file cache (what Docker shows); it covers every
// process of the app, so it goes with MemoryScope::tree only.
enum class MemoryMetric { rss, pss, uss, cgroup };

struct MemorySpec {
    MemoryScope scope = MemoryScope::tree;
    MemoryMetric metric = MemoryMetric::rss;
    Milliseconds interval{100};
};

struct LoadRequest {
    std::string method = "GET";
    std::string path;
    EnvList headers;
    std::string body;
    unsigned weight = 1;
    std::vector<int> expect; // empty: any 2xx or 3xx
};

struct LoadSpec {
    std::uint64_t requests = 3000;
    unsigned concurrency = 4;
    std::uint64_t warmup = 300;
    Milliseconds timeout{10'000};
    double max_error_rate = 0.01;
    std::string base_url = "http://127.0.0.1:{port}";
    bool allow_remote = false;
    std::vector<LoadRequest> mix;     // [[load.request]]
    std::vector<std::string> command; // load.command instead of mix; may hold placeholders
};

struct ChunkSpec {
    std::string name; // dotted for a sub-chunk: "warnings_panel.has_warnings"
    std::string note;
    std::string env; // the resolved variable name
    int line = 0;    // where it stands in the recipe, for messages
};

struct ChunksSettings {
    std::string env_pattern = "CHUNK_{NAME}";
    std::string list_env = "LEAKBISECT_CHUNKS"; // "" turns it off
};

struct VerdictSpec {
    Bytes min_leak{100};
    double confidence = 0.99;
    std::uint64_t max_requests = 50'000;
};

enum class Strategy { linear, bisect };

struct SearchSpec {
    Strategy strategy = Strategy::bisect;
    unsigned repeats = 1;
    unsigned retries = 2;
    bool confirm = true;
    bool narrow = true;
};

// Every report format, as report.formats and `report --format` spell them.
inline const std::vector<std::string> kReportFormats{"html", "markdown", "json", "junit"};

struct ReportSpec {
    std::filesystem::path dir; // absolute; default <recipe dir>/leakbisect-runs
    std::vector<std::string> formats = kReportFormats;
};

// [revisions]: commit-range mode. The first-parent commits from `good` (exclusive) to `bad` are
// searched like chunks in order; each probe boots the app in that commit's own checkout.
struct RevisionsSpec {
    std::filesystem::path repo;     // absolute; empty: the git repository holding app.cwd
    std::string good;               // any revision git accepts; memory plateaus here
    std::string bad;                // and leaks here; good must be its ancestor
    std::vector<std::string> setup; // argv run in each checkout before it boots; empty: none
    Milliseconds setup_timeout{600'000};
    std::vector<std::string> paths; // only commits touching these (git pathspecs); empty: all
    std::string where_good;         // "file:line" of good and bad, for git's errors
    std::string where_bad;
};

struct Recipe {
    std::filesystem::path file; // absolute path of the recipe
    std::filesystem::path dir;  // its folder: {recipe_dir}
    int version = 1;
    std::string name;
    AppSpec app;
    MemorySpec memory;
    LoadSpec load;
    ChunksSettings chunk_settings;
    std::vector<ChunkSpec> chunks; // recipe order = enabling order
    std::optional<RevisionsSpec> revisions;
    VerdictSpec verdict;
    SearchSpec search;
    ReportSpec report;
};

// Reads and validates a recipe file. Every error names file:line:column and what to do.
Expected<Recipe> load_recipe(const std::filesystem::path& file);

// The same on text already in memory; `file` is used for messages and to resolve paths.
Expected<Recipe> parse_recipe(std::string_view text, const std::filesystem::path& file);

std::string to_string(Strategy strategy);
std::optional<Strategy> strategy_from_string(std::string_view text); // "linear", "bisect"
const std::vector<std::string>& strategy_names();
std::string to_string(MemoryMetric metric);
std::string to_string(MemoryScope scope);

} // namespace leakbisect
