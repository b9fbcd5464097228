#include "e2e_support.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace e2e {

namespace {

std::string read_file(const std::filesystem::path& file) {
    std::ifstream input(file);
    std::ostringstream content;
    content << input.rdbuf();
    return content.str();
}

std::string shell_quote(const std::string& text) {
    std::string quoted = "'";
    for (const char c : text) {
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return quoted + "'";
}

} // namespace

Scratch::Scratch() {
    std::string pattern = (std::filesystem::temp_directory_path() / "leakbisect-e2e-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    dir = pattern;
}

Scratch::~Scratch() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
}

const std::vector<std::string>& shop_chunks() {
    static const std::vector<std::string> chunks{"parse_params", "load_order", "line_items",
                                                 "price_cache",  "totals",     "format_currency",
                                                 "render_page",  "audit_log",  "warnings_panel"};
    return chunks;
}

const std::vector<std::string>& shop_sub_chunks() {
    static const std::vector<std::string> chunks{"warnings_panel.has_warnings",
                                                 "warnings_panel.warning_count", "warnings_panel.render_box",
                                                 "warnings_panel.live_updates"};
    return chunks;
}

std::filesystem::path write_shop_recipe(const std::filesystem::path& dir, const ShopRecipe& recipe) {
    std::string text = fmt::format(R"(name = "shop e2e"
[app]
command = ["{}", "--port", "{{port}}"]
env = {{ SHOP_ENV = "production", SHOP_LEAK_CHUNK = "{}", SHOP_LEAK_BYTES = "{}"{} }}
ready = {{ http = "/up", timeout = "20s" }}
stop = {{ signal = "TERM", grace = "5s" }}

[load]
requests = {}
concurrency = 4
warmup = 500

[[load.request]]
path = "/orders/42"
weight = 3

[[load.request]]
path = "/orders/7"

[search]
strategy = "{}"
)",
                                   LEAKBISECT_SHOP_BINARY, recipe.leak_chunk, recipe.leak_bytes, recipe.env,
                                   recipe.requests, recipe.strategy);
    for (const std::string& chunk : shop_chunks()) {
        text += fmt::format("\n[[chunk]]\nname = \"{}\"\n", chunk);
    }
    if (recipe.sub_chunks) {
        for (const std::string& chunk : shop_sub_chunks()) {
            text += fmt::format("\n[[chunk]]\nname = \"{}\"\n", chunk);
        }
    }
    text += recipe.extra;
    const std::filesystem::path file = dir / "recipe.toml";
    std::ofstream(file) << text;
    return file;
}

Result run_leakbisect(const std::vector<std::string>& arguments, const std::filesystem::path& output_file) {
    std::string command = shell_quote(LEAKBISECT_BINARY);
    for (const std::string& argument : arguments) {
        // Two appends, not `" " + shell_quote(...)`: GCC 12 at -O3 reports a false -Werror=restrict
        // on that operator+ (GCC bug 105329).
        command += ' ';
        command += shell_quote(argument);
    }
    command += " > " + shell_quote(output_file.string()) + " 2>&1 < /dev/null";
    const int status = std::system(command.c_str());
    Result result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.output = read_file(output_file);
    return result;
}

pid_t spawn_leakbisect(const std::vector<std::string>& arguments, const std::filesystem::path& output_file,
                       const std::string& environment_entry) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        const int fd = ::open(output_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        ::dup2(fd, STDOUT_FILENO);
        ::dup2(fd, STDERR_FILENO);
        if (!environment_entry.empty()) {
            ::putenv(const_cast<char*>(environment_entry.c_str()));
        }
        std::vector<char*> argv{const_cast<char*>(LEAKBISECT_BINARY)};
        for (const std::string& argument : arguments) {
            argv.push_back(const_cast<char*>(argument.c_str()));
        }
        argv.push_back(nullptr);
        ::execv(LEAKBISECT_BINARY, argv.data());
        ::_exit(127);
    }
    return pid;
}

std::vector<std::string> journal_lines(const std::filesystem::path& journal) {
    std::vector<std::string> lines;
    std::ifstream input(journal);
    for (std::string line; std::getline(input, line);) {
        lines.push_back(line);
    }
    return lines;
}

std::filesystem::path wait_for_journal_lines(const std::filesystem::path& runs, std::size_t count) {
    std::filesystem::path journal;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < deadline) {
        if (std::filesystem::exists(runs) && !std::filesystem::is_empty(runs)) {
            journal = only_run_folder(runs) / "journal.jsonl";
            if (journal_lines(journal).size() >= count) {
                break;
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return journal;
}

std::filesystem::path only_run_folder(const std::filesystem::path& runs) {
    std::vector<std::filesystem::path> folders;
    for (const auto& entry : std::filesystem::directory_iterator(runs)) {
        folders.push_back(entry.path());
    }
    REQUIRE(folders.size() == 1);
    return folders.front();
}

boost::json::object read_report(const std::filesystem::path& run_folder) {
    return boost::json::parse(read_file(run_folder / "report.json")).as_object();
}

std::size_t ceil_log2(std::size_t n) {
    std::size_t steps = 0;
    while ((std::size_t{1} << steps) < n) {
        ++steps;
    }
    return steps;
}

bool command_succeeds(const std::string& shell_command) {
    const std::string command = "(" + shell_command + ") > /dev/null 2>&1 < /dev/null";
    const int status = std::system(command.c_str());
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

RunFinding run_shop(const ShopRecipe& shop, const Scratch& scratch) {
    return run_recipe(write_shop_recipe(scratch.dir, shop), scratch);
}

RunFinding run_recipe(const std::filesystem::path& recipe, const Scratch& scratch) {
    const auto runs = scratch.dir / "runs";
    const Result result =
        run_leakbisect({"run", recipe.string(), "--out", runs.string()}, scratch.dir / "out.txt");
    RunFinding finding;
    finding.exit_code = result.exit_code;
    finding.output = result.output;
    if (!std::filesystem::exists(runs)) {
        return finding;
    }
    finding.run_folder = only_run_folder(runs);
    if (!std::filesystem::exists(finding.run_folder / "report.json")) {
        return finding;
    }
    const auto report = read_report(finding.run_folder);
    const auto& found = report.at("finding").as_object();
    finding.kind = std::string(found.at("kind").as_string());
    if (found.at("culprit").is_string()) {
        finding.culprit = std::string(found.at("culprit").as_string());
    }
    finding.probes = report.at("probes").as_array().size();
    finding.wall_seconds = report.at("probe_wall_seconds").to_number<double>();
    for (const auto& probe : report.at("probes").as_array()) {
        ++finding.probes_by_role[std::string(probe.as_object().at("role").as_string())];
    }
    for (const auto& name : found.at("culprits").as_array()) {
        finding.culprits.emplace_back(name.as_string());
    }
    for (const auto& name : found.at("path").as_array()) {
        finding.path.emplace_back(name.as_string());
    }
    return finding;
}

std::filesystem::path bundled_recipe(const std::string& file_name) {
    return std::filesystem::path(LEAKBISECT_SOURCE_DIR) / "recipes" / file_name;
}

std::vector<int> processes_with(const std::string& entry) {
    std::vector<int> found;
    DIR* proc = ::opendir("/proc");
    REQUIRE(proc != nullptr);
    while (const dirent* item = ::readdir(proc)) {
        const pid_t pid = static_cast<pid_t>(std::atoi(item->d_name));
        if (pid <= 0 || pid == ::getpid()) {
            continue;
        }
        const std::string stat = read_file(fmt::format("/proc/{}/stat", pid));
        const std::size_t close = stat.rfind(')');
        if (close == std::string::npos || close + 2 >= stat.size() || stat[close + 2] == 'Z') {
            continue;
        }
        const std::string environment = read_file(fmt::format("/proc/{}/environ", pid));
        std::size_t at = 0;
        while (at < environment.size()) {
            const std::size_t end = environment.find('\0', at);
            if (environment.compare(at, (end == std::string::npos ? environment.size() : end) - at, entry) ==
                0) {
                found.push_back(pid);
                break;
            }
            at = end == std::string::npos ? environment.size() : end + 1;
        }
    }
    ::closedir(proc);
    return found;
}

std::vector<int> survivors(const std::string& entry, std::chrono::milliseconds patience) {
    const auto deadline = std::chrono::steady_clock::now() + patience;
    std::vector<int> left = processes_with(entry);
    while (!left.empty() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        left = processes_with(entry);
    }
    return left;
}

std::vector<std::filesystem::path> recorded_cgroups(const std::filesystem::path& run_folder) {
    std::vector<std::filesystem::path> paths;
    std::ifstream record(run_folder / "processes.txt");
    for (std::string line; std::getline(record, line);) {
        std::istringstream fields(line);
        std::string marker;
        std::string tag;
        std::string path;
        if (fields >> marker >> tag >> path && marker == "cgroup") {
            paths.emplace_back(path);
        }
    }
    return paths;
}

} // namespace e2e
