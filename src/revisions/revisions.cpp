#include "leakbisect/revisions/revisions.hpp"

#include "git.hpp"
#include "leakbisect/app/app_process.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <csignal>
#include <fmt/format.h>
#include <set>
#include <sstream>
#include <thread>

namespace leakbisect {

using namespace revisions_detail;
namespace json = boost::json;

namespace {

constexpr char kField = '\x1f';
constexpr std::string_view kCommitFormat = "--format=%H%x1f%s%x1f%an <%ae>%x1f%aI";

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::string part;
    std::istringstream stream(text);
    while (std::getline(stream, part, separator)) {
        parts.push_back(part);
    }
    return parts;
}

Expected<std::vector<Commit>> parse_commits(const std::string& output) {
    std::vector<Commit> commits;
    for (const std::string& line : split(output, '\n')) {
        if (line.empty()) {
            continue;
        }
        const std::vector<std::string> fields = split(line, kField);
        if (fields.size() < 4 || fields[0].size() < 40) {
            return make_error(ErrorKind::io, "git log", "unexpected output: " + line);
        }
        commits.push_back({fields[0], fields[1], fields[2], fields[3]});
    }
    return commits;
}

Expected<std::string> git_output(const std::filesystem::path& repo, const std::vector<std::string>& args,
                                 const std::string& where, const std::string& what_to_do) {
    auto result = git(repo, args);
    if (!result) {
        return result.error();
    }
    if (!result->succeeded) {
        return make_error(ErrorKind::bad_recipe, where,
                          fmt::format("git {} {}: {}{}", args.front(), result->description,
                                      trimmed(result->output), what_to_do));
    }
    return trimmed(result->output);
}

Expected<std::filesystem::path> find_repository(const Recipe& recipe) {
    const RevisionsSpec& spec = *recipe.revisions;
    const std::filesystem::path start = spec.repo.empty() ? recipe.app.cwd : spec.repo;
    const std::string key = spec.repo.empty() ? "app.cwd" : "revisions.repo";
    std::error_code ignored;
    if (!std::filesystem::is_directory(start, ignored)) {
        return make_error(ErrorKind::bad_recipe, recipe.file.string(),
                          fmt::format("{} {} is not a folder; [revisions] needs the git repository to search",
                                      key, start.string()));
    }
    auto top = git(start, {"rev-parse", "--show-toplevel"});
    if (!top) {
        return top.error();
    }
    if (!top->succeeded) {
        return make_error(ErrorKind::bad_recipe, recipe.file.string(),
                          fmt::format("{} {} is not inside a git repository; set revisions.repo to the "
                                      "repository whose commits to search",
                                      key, start.string()));
    }
    return std::filesystem::path(trimmed(top->output));
}

// good or bad as a full commit hash: git must know it.
Expected<Commit> resolve_commit(const std::filesystem::path& repo, const std::string& revision,
                                const std::string& key, const std::string& where) {
    auto verified =
        git(repo, {"rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"});
    if (!verified) {
        return verified.error();
    }
    if (!verified->succeeded) {
        return make_error(ErrorKind::bad_recipe, where,
                          fmt::format("revisions.{} = \"{}\" is not a commit git knows in {}; give a branch, "
                                      "tag or commit hash that `git log` shows there",
                                      key, revision, repo.string()));
    }
    auto shown =
        git_output(repo, {"show", "-s", std::string(kCommitFormat), trimmed(verified->output)}, where, "");
    if (!shown) {
        return shown.error();
    }
    auto commits = parse_commits(*shown);
    if (!commits || commits->size() != 1) {
        return make_error(ErrorKind::io, where, "git show gave no commit for " + revision);
    }
    return commits->front();
}

} // namespace

std::string short_hash(const std::string& hash) {
    return hash.substr(0, 10);
}

Expected<RevisionRange> resolve_range(const Recipe& recipe) {
    const RevisionsSpec& spec = *recipe.revisions;
    auto repo = find_repository(recipe);
    if (!repo) {
        return repo.error();
    }
    RevisionRange range;
    range.repo = *repo;
    std::error_code ignored;
    const std::filesystem::path cwd = std::filesystem::weakly_canonical(recipe.app.cwd, ignored);
    const std::filesystem::path subdir =
        cwd.lexically_relative(std::filesystem::weakly_canonical(range.repo, ignored));
    if (subdir.empty() || subdir.string().starts_with("..")) {
        return make_error(ErrorKind::bad_recipe, recipe.file.string(),
                          fmt::format("app.cwd {} is outside the repository {}: each probe boots the app "
                                      "inside a checkout of that repository, so app.cwd must lie in it",
                                      recipe.app.cwd.string(), range.repo.string()));
    }
    range.app_subdir = subdir;

    auto good = resolve_commit(range.repo, spec.good, "good", spec.where_good);
    if (!good) {
        return good.error();
    }
    auto bad = resolve_commit(range.repo, spec.bad, "bad", spec.where_bad);
    if (!bad) {
        return bad.error();
    }
    range.good = *good;
    range.bad = *bad;
    if (range.good.hash == range.bad.hash) {
        return make_error(ErrorKind::bad_recipe, spec.where_bad,
                          fmt::format("revisions.good and revisions.bad are the same commit {}: there is no "
                                      "commit between them to search",
                                      short_hash(range.good.hash)));
    }
    auto ancestor = git(range.repo, {"merge-base", "--is-ancestor", range.good.hash, range.bad.hash});
    if (!ancestor) {
        return ancestor.error();
    }
    if (!ancestor->succeeded) {
        return make_error(
            ErrorKind::bad_recipe, spec.where_good,
            fmt::format("revisions.good = \"{}\" ({}) is not an ancestor of revisions.bad = \"{}\" ({}): the "
                        "search walks the history from good to bad; swap them or pick an older good "
                        "(`git merge-base {} {}` is one)",
                        spec.good, short_hash(range.good.hash), spec.bad, short_hash(range.bad.hash),
                        spec.good, spec.bad));
    }

    const std::string span = range.good.hash + ".." + range.bad.hash;
    auto listed =
        git_output(range.repo, {"log", "--first-parent", "--reverse", std::string(kCommitFormat), span},
                   spec.where_bad, "");
    if (!listed) {
        return listed.error();
    }
    auto commits = parse_commits(*listed);
    if (!commits) {
        return commits.error();
    }
    range.first_parent_commits = commits->size();
    if (!spec.paths.empty()) {
        std::vector<std::string> args{"rev-list", "--first-parent", span, "--"};
        args.insert(args.end(), spec.paths.begin(), spec.paths.end());
        auto touching = git_output(range.repo, args, recipe.file.string(), "; check revisions.paths");
        if (!touching) {
            return touching.error();
        }
        const std::vector<std::string> hashes = split(*touching, '\n');
        const std::set<std::string> kept(hashes.begin(), hashes.end());
        std::erase_if(*commits, [&kept](const Commit& commit) { return kept.count(commit.hash) == 0; });
        // bad is where the leak is seen: it stays the last probe even when it does not touch the paths.
        if (commits->empty() || commits->back().hash != range.bad.hash) {
            commits->push_back(range.bad);
        }
    }
    range.commits = std::move(commits.value());
    return range;
}

std::string range_to_json(const RevisionRange& range) {
    const auto commit_json = [](const Commit& commit) {
        return json::object{{"hash", commit.hash},
                            {"subject", commit.subject},
                            {"author", commit.author},
                            {"date", commit.date}};
    };
    json::array commits;
    for (const Commit& commit : range.commits) {
        commits.push_back(commit_json(commit));
    }
    const json::object document{{"repo", range.repo.string()},
                                {"app_subdir", range.app_subdir.string()},
                                {"good", commit_json(range.good)},
                                {"bad", commit_json(range.bad)},
                                {"first_parent_commits", range.first_parent_commits},
                                {"commits", commits}};
    return json::serialize(document) + "\n";
}

Expected<RevisionRange> range_from_json(std::string_view text, const std::filesystem::path& file) {
    try {
        const json::object document = json::parse(text).as_object();
        const auto commit_of = [](const json::value& value) {
            const json::object& object = value.as_object();
            return Commit{
                std::string(object.at("hash").as_string()), std::string(object.at("subject").as_string()),
                std::string(object.at("author").as_string()), std::string(object.at("date").as_string())};
        };
        RevisionRange range;
        range.repo = std::string(document.at("repo").as_string());
        range.app_subdir = std::string(document.at("app_subdir").as_string());
        range.good = commit_of(document.at("good"));
        range.bad = commit_of(document.at("bad"));
        range.first_parent_commits = json::value_to<std::size_t>(document.at("first_parent_commits"));
        for (const json::value& commit : document.at("commits").as_array()) {
            range.commits.push_back(commit_of(commit));
        }
        if (range.commits.empty()) {
            return make_error(ErrorKind::bad_input, file.string(), "holds no commits");
        }
        return range;
    } catch (const std::exception& error) {
        return make_error(ErrorKind::bad_input, file.string(), fmt::format("unreadable: {}", error.what()));
    }
}

Expected<std::string> diffstat(const RevisionRange& range, const std::string& hash) {
    return git_output(range.repo, {"show", "--stat", "--format=", "--diff-merges=first-parent", hash},
                      range.repo.string(), "");
}

Status run_setup(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                 const std::filesystem::path& log_file, Milliseconds timeout,
                 const std::atomic<bool>& cancel) {
    auto process = AppProcess::start({argv, cwd, build_environment(true, {}, {}), log_file});
    if (!process) {
        return make_error(ErrorKind::app_failed, "revisions.setup",
                          "could not start: " + process.error().message);
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while ((*process)->running() && !cancel.load() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const auto status = (*process)->exit_status();
    (*process)->stop(SIGTERM, Milliseconds{5000});
    if (!status && cancel.load()) {
        return make_error(ErrorKind::interrupted, "revisions.setup", "interrupted");
    }
    if (!status) {
        return make_error(
            ErrorKind::app_failed, (*process)->command_line(),
            fmt::format("revisions.setup did not finish within {} (revisions.setup_timeout); see {}",
                        format_duration(timeout), log_file.string()));
    }
    if (!status->succeeded()) {
        return make_error(
            ErrorKind::app_failed, (*process)->command_line(),
            fmt::format("revisions.setup {}; see {}", status->description(), log_file.string()));
    }
    return Ok{};
}

Worktrees::Worktrees(RevisionRange range, std::filesystem::path folder, AtEnd at_end)
    : range_(std::move(range)), folder_(std::move(folder)), at_end_(at_end) {}

Worktrees::~Worktrees() {
    if (at_end_ == AtEnd::remove) {
        remove_all();
    }
}

Expected<std::filesystem::path> Worktrees::checkout(const std::string& hash) {
    if (const auto made = made_.find(hash); made != made_.end()) {
        return made->second;
    }
    const std::filesystem::path path = folder_ / short_hash(hash);
    std::error_code ignored;
    if (std::filesystem::exists(path, ignored)) {
        // Left by a run that was killed before it could clean up.
        (void)git(range_.repo, {"worktree", "remove", "--force", path.string()});
        std::filesystem::remove_all(path, ignored);
        (void)git(range_.repo, {"worktree", "prune"});
    }
    std::filesystem::create_directories(folder_, ignored);
    auto added = git_output(range_.repo, {"worktree", "add", "--detach", path.string(), hash},
                            range_.repo.string(), "");
    if (!added) {
        Error failed = added.error();
        failed.kind = ErrorKind::app_failed; // this commit is skipped, the run goes on
        return failed;
    }
    made_[hash] = path;
    return path;
}

std::filesystem::path Worktrees::app_cwd(const std::filesystem::path& checkout) const {
    return (checkout / range_.app_subdir).lexically_normal();
}

void Worktrees::remove_all() {
    std::error_code ignored;
    for (const auto& [hash, path] : made_) {
        (void)git(range_.repo, {"worktree", "remove", "--force", path.string()});
        std::filesystem::remove_all(path, ignored);
    }
    if (!made_.empty()) {
        (void)git(range_.repo, {"worktree", "prune"});
    }
    made_.clear();
    if (std::filesystem::is_empty(folder_, ignored)) {
        std::filesystem::remove(folder_, ignored);
    }
}

} // namespace leakbisect
