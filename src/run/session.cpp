#include "session.hpp"

#include "leakbisect/app/cgroup.hpp"

#include "leakbisect/core/files.hpp"
#include "leakbisect/journal/json_error.hpp"
#include "leakbisect/load/url.hpp"
#include "leakbisect/recipe/placeholders.hpp"
#include "leakbisect/recipe/plan.hpp"
#include "run_folder.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cassert>
#include <fmt/format.h>
#include <utility>

namespace leakbisect {

namespace json = boost::json;

namespace {

constexpr std::string_view kRunInfoName = "run.json";

// The search's role of each journal role of a search probe: both strategies' steps are its step.
constexpr std::pair<RecordRole, ProbeRole> kSearchRoles[] = {
    {RecordRole::baseline, ProbeRole::baseline}, {RecordRole::all_on, ProbeRole::all_on},
    {RecordRole::bisect, ProbeRole::step},       {RecordRole::linear, ProbeRole::step},
    {RecordRole::narrow, ProbeRole::narrow},     {RecordRole::confirm, ProbeRole::confirm},
    {RecordRole::interact, ProbeRole::interact}, {RecordRole::recheck, ProbeRole::recheck},
    {RecordRole::crash, ProbeRole::crash},
};

std::string run_info_json(const Recipe& recipe) {
    const json::object info{{"recipe", recipe.file.string()},
                            {"strategy", to_string(recipe.search.strategy)}};
    return json::serialize(info) + "\n";
}

} // namespace

Status check_load_target(const Recipe& recipe) {
    if (!recipe.load.command.empty()) {
        return Ok{};
    }
    const Placeholders sample{recipe.app.port == 0 ? std::uint16_t{8080} : recipe.app.port, recipe.dir,
                              recipe.dir, recipe.dir};
    const auto target =
        parse_base_url(expand_placeholders(recipe.load.base_url, sample), recipe.load.allow_remote);
    if (!target) {
        Error error = target.error();
        error.where = recipe.file.string() + " [load] base_url";
        return error;
    }
    return Ok{};
}

Status check_memory_backing(const Recipe& recipe) {
    if (recipe.memory.metric != MemoryMetric::cgroup) {
        return Ok{};
    }
    const Expected<CgroupSite>& site = machine_cgroup_site();
    if (site) {
        return Ok{};
    }
    return make_error(
        ErrorKind::bad_recipe, recipe.file.string() + " [memory] metric",
        fmt::format("metric = \"cgroup\" measures each probe's own memory cgroup, and this machine has "
                    "none leakbisect may make ({}); run leakbisect as root or inside a delegated cgroup v2 "
                    "subtree with the memory controller, or use metric = \"pss\" (preforking servers) or "
                    "\"rss\"",
                    site.error().message));
}

std::string process_tracking() {
    const Expected<CgroupSite>& site = machine_cgroup_site();
    return site ? fmt::format("processes: each probe's app in a cgroup of its own ({}), also tracked by "
                              "owner tag",
                              describe(*site))
                : fmt::format("processes: tracked by owner tag, pid and start time (no cgroup: {})",
                              site.error().message);
}

Expected<RunSession> start_session(const RunOptions& options) {
    auto recipe = load_recipe(options.recipe_file);
    if (!recipe) {
        return recipe.error();
    }
    if (options.strategy) {
        recipe->search.strategy = *options.strategy;
    }
    if (Status target = check_load_target(*recipe); !target) {
        return target.error();
    }
    if (Status backing = check_memory_backing(*recipe); !backing) {
        return backing.error();
    }
    const std::filesystem::path parent =
        options.out_dir ? std::filesystem::absolute(*options.out_dir) : recipe->report.dir;
    auto run_dir = create_run_folder(parent, recipe->file);
    if (!run_dir) {
        return run_dir.error();
    }
    if (Status written = write_text_file(*run_dir / kRunInfoName, run_info_json(*recipe)); !written) {
        return written.error();
    }
    return RunSession{std::move(recipe.value()), std::move(run_dir.value()), {}, {}, WorktreesAtEnd::remove};
}

Expected<std::filesystem::path> find_run_folder(const std::filesystem::path& dir) {
    if (std::filesystem::exists(dir / kRunInfoName) || !std::filesystem::is_directory(dir)) {
        return dir; // reopen_session says what is wrong with anything else
    }
    std::vector<std::filesystem::path> runs;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
        if (entry.is_directory() && std::filesystem::exists(entry.path() / kRunInfoName)) {
            runs.push_back(entry.path());
        }
    }
    std::sort(runs.begin(), runs.end()); // named by start time: oldest first
    if (runs.size() == 1) {
        return runs.front();
    }
    if (runs.empty()) {
        return dir; // reopen_session explains
    }
    std::string listing;
    for (const auto& run : runs) {
        listing += "\n  " + run.string();
    }
    return make_error(ErrorKind::bad_usage, dir.string(),
                      fmt::format("holds {} run folders; give one of them:{}", runs.size(), listing));
}

Expected<RunSession> reopen_session(const std::filesystem::path& run_dir) {
    const auto info_text = read_text_file(run_dir / kRunInfoName, ErrorKind::bad_usage);
    if (!info_text) {
        return make_error(
            ErrorKind::bad_usage, run_dir.string(),
            "not a leakbisect run folder (no run.json); give the folder `leakbisect run` created");
    }
    std::filesystem::path original;
    std::string strategy;
    try {
        const json::object info = json::parse(*info_text).as_object();
        original = std::string(info.at("recipe").as_string());
        strategy = std::string(info.at("strategy").as_string());
    } catch (const std::exception& error) {
        return make_error(ErrorKind::bad_input, (run_dir / kRunInfoName).string(),
                          fmt::format("unreadable: {}", json_failure_text(error)));
    }
    const auto recipe_text = read_text_file(run_dir / kRecipeCopyName, ErrorKind::bad_input);
    if (!recipe_text) {
        return recipe_text.error();
    }
    // The copy is parsed as if it stood where the original did, so relative paths mean the same.
    auto recipe = parse_recipe(*recipe_text, original);
    if (!recipe) {
        return recipe.error();
    }
    recipe->search.strategy = strategy_from_string(strategy).value_or(Strategy::bisect);
    std::vector<ProbeRecord> records;
    if (std::filesystem::exists(run_dir / kJournalName)) {
        auto journal = read_journal(run_dir / kJournalName);
        if (!journal) {
            return journal.error();
        }
        records = std::move(journal.value());
    }
    return RunSession{std::move(recipe.value()),
                      std::filesystem::absolute(run_dir),
                      std::move(records),
                      {},
                      WorktreesAtEnd::remove};
}

SearchProblem search_problem(const Recipe& recipe) {
    const SearchSpec& search = recipe.search;
    SearchProblem problem;
    problem.chunks = all_chunks(recipe);
    problem.strategy = search.strategy == Strategy::linear ? SearchStrategy::linear : SearchStrategy::bisect;
    problem.repeats = std::max(1U, search.repeats);
    problem.confirm = search.confirm ? Confirmation::run : Confirmation::skip;
    problem.narrow = search.narrow ? Narrowing::run : Narrowing::skip;
    if (recipe.revisions) {
        // A commit cannot be switched on alone, narrowed into or left off. A good that grows (a
        // runtime still settling, or a leak older than the range) is the curve the commits are
        // judged against, as a growing baseline is for chunks.
        problem.confirm = Confirmation::boundary_only;
        problem.narrow = Narrowing::skip;
        problem.crashes = Crashes::step_around;
    }
    return problem;
}

RunReport make_report(const RunSession& session, const Finding& finding, ExitCode exit_code) {
    const Recipe& recipe = session.recipe;
    RunReport report;
    report.name = recipe.name;
    report.recipe_file = recipe.file;
    report.run_dir = session.run_dir;
    report.strategy = to_string(recipe.search.strategy);
    report.metric = to_string(recipe.memory.metric);
    report.scope = to_string(recipe.memory.scope);
    report.min_leak = static_cast<double>(recipe.verdict.min_leak.value);
    report.requests_per_probe = recipe.load.requests;
    for (const ChunkSpec& chunk : recipe.chunks) {
        report.chunks.push_back({chunk.name, chunk.note, chunk.env});
    }
    report.probes = session.records;
    report.finding = finding;
    report.exit_code = exit_code;
    return report;
}

bool has_chunk(const Recipe& recipe, const std::string& name) {
    for (const ChunkSpec& chunk : recipe.chunks) {
        if (chunk.name == name) {
            return true;
        }
    }
    return false;
}

RecordRole record_role(ProbeRole role, SearchStrategy strategy) {
    if (role == ProbeRole::step) {
        return strategy == SearchStrategy::linear ? RecordRole::linear : RecordRole::bisect;
    }
    for (const auto& [record, search] : kSearchRoles) {
        if (search == role) {
            return record;
        }
    }
    assert(false && "every search role has a journal role");
    return RecordRole::bisect;
}

std::optional<ProbeRole> search_role(RecordRole role) {
    for (const auto& [record, search] : kSearchRoles) {
        if (record == role) {
            return search;
        }
    }
    return std::nullopt; // measure, survey
}

} // namespace leakbisect
