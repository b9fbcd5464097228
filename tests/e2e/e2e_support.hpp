// Helpers for end-to-end tests: a scratch folder, a recipe for the example shop app written
// into it, and the real leakbisect binary run on it with its exit code and report.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <sys/types.h>
#include <vector>

namespace e2e {

struct Scratch {
    Scratch();
    ~Scratch();
    std::filesystem::path dir;
};

struct ShopRecipe {
    std::string leak_chunk = "warnings_panel"; // SHOP_LEAK_CHUNK
    int leak_bytes = 2048;
    std::string strategy = "bisect";
    int requests = 2500;
    std::string extra;       // more TOML appended at the end
    std::string env;         // more entries of app.env: `, SHOP_CRASH_CHUNK = "totals"`
    bool sub_chunks = false; // also declare warnings_panel's sub-chunks
};

// Writes recipe.toml into `dir` and returns its path.
std::filesystem::path write_shop_recipe(const std::filesystem::path& dir, const ShopRecipe& recipe);

struct Result {
    int exit_code = -1;
    std::string output; // stdout and stderr
};

// Runs build/leakbisect with the arguments; output captured.
Result run_leakbisect(const std::vector<std::string>& arguments, const std::filesystem::path& output_file);

// Starts build/leakbisect with the arguments in the background, its output appended to
// `output_file`, and `environment_entry` ("NAME=value", if any) in its environment (its guardian and
// its apps inherit it).
pid_t spawn_leakbisect(const std::vector<std::string>& arguments, const std::filesystem::path& output_file,
                       const std::string& environment_entry = "");

// The only run folder below `runs`.
std::filesystem::path only_run_folder(const std::filesystem::path& runs);

// A journal's lines, as written (none when it does not exist).
std::vector<std::string> journal_lines(const std::filesystem::path& journal);

// Waits up to two minutes for the only run folder below `runs` to journal `count` lines; returns its
// journal.jsonl (empty when no run folder appeared).
std::filesystem::path wait_for_journal_lines(const std::filesystem::path& runs, std::size_t count);
boost::json::object read_report(const std::filesystem::path& run_folder);

// The shop's chunks in recipe order.
const std::vector<std::string>& shop_chunks();

// warnings_panel's sub-chunks in recipe order.
const std::vector<std::string>& shop_sub_chunks();

// What `leakbisect run` on a recipe ended with: its exit code, output, the report's finding and
// probe counts (empty when the run wrote no report).
struct RunFinding {
    int exit_code = -1;
    std::string kind;
    std::string culprit;
    std::size_t probes = 0;
    std::map<std::string, std::size_t> probes_by_role; // "baseline", "bisect", "confirm", "recheck", ...
    std::vector<std::string> culprits;
    std::vector<std::string> path;
    double wall_seconds = 0;
    std::filesystem::path run_folder;
    std::string output;
};

// Runs `leakbisect run RECIPE --out SCRATCH/runs` and reads the report of its only run folder.
RunFinding run_recipe(const std::filesystem::path& recipe, const Scratch& scratch);

// Writes the shop recipe into the scratch folder and runs it.
RunFinding run_shop(const ShopRecipe& shop, const Scratch& scratch);

std::size_t ceil_log2(std::size_t n);

// Whether a shell command exits 0 (its output discarded): "can this example's runtime run here?".
bool command_succeeds(const std::string& shell_command);

// A recipe checked into recipes/.
std::filesystem::path bundled_recipe(const std::string& file_name);

// Live (not zombie) processes whose environment holds `entry` ("NAME=value"), this test excepted.
std::vector<int> processes_with(const std::string& entry);

// Waits up to `patience` for every process with `entry` to be gone; returns those that are not.
std::vector<int> survivors(const std::string& entry, std::chrono::milliseconds patience);

// The cgroup folders a run folder's processes.txt names ("cgroup TAG PATH" lines).
std::vector<std::filesystem::path> recorded_cgroups(const std::filesystem::path& run_folder);

} // namespace e2e
