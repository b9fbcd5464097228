#include "git.hpp"

#include "leakbisect/app/app_process.hpp"
#include "leakbisect/core/files.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <fmt/format.h>
#include <thread>
#include <unistd.h>

namespace leakbisect::revisions_detail {
namespace {

constexpr auto kGitDeadline = std::chrono::minutes(5); // a worktree of a large repository takes a while
constexpr auto kPoll = std::chrono::milliseconds(5);

std::filesystem::path scratch_log() {
    static std::atomic<unsigned> counter{0};
    return std::filesystem::temp_directory_path() /
           fmt::format("leakbisect-git-{}-{}.log", ::getpid(), counter.fetch_add(1));
}

} // namespace

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.pop_back();
    }
    return text;
}

Expected<GitResult> git(const std::filesystem::path& dir, const std::vector<std::string>& args) {
    std::error_code ignored;
    if (!std::filesystem::is_directory(dir, ignored)) {
        return make_error(ErrorKind::bad_recipe, dir.string(), "no such folder");
    }
    std::vector<std::string> argv{"git", "-C", dir.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    const std::filesystem::path log = scratch_log();
    // A fixed language for the messages we pass on, and never a prompt for credentials.
    const EnvList environment =
        build_environment(true, {}, {{"LC_ALL", "C"}, {"GIT_TERMINAL_PROMPT", "0"}, {"GIT_PAGER", "cat"}});
    auto process = AppProcess::start({argv, dir, environment, log});
    if (!process) {
        std::filesystem::remove(log, ignored);
        return make_error(ErrorKind::bad_usage, "git",
                          "git could not be run (" + process.error().message +
                              "); commit-range mode needs git installed");
    }
    const auto deadline = std::chrono::steady_clock::now() + kGitDeadline;
    while ((*process)->running() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(kPoll);
    }
    const auto status = (*process)->exit_status();
    (*process)->stop(SIGTERM, Milliseconds{2000});
    GitResult result;
    result.succeeded = status && status->succeeded();
    result.description = status ? status->description() : "did not finish within 5 minutes";
    if (auto text = read_text_file(log, ErrorKind::io)) {
        result.output = std::move(text.value());
    }
    std::filesystem::remove(log, ignored);
    return result;
}

} // namespace leakbisect::revisions_detail
