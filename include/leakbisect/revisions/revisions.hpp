// Commit-range mode's git side: the range of first-parent commits a [revisions] recipe names, each
// commit's details and diffstat, one detached checkout (`git worktree`) per commit and its setup.
// Git is driven through its own command line (argv, no shell); the user's work tree is never touched.
#pragma once

#include "leakbisect/core/expected.hpp"
#include "leakbisect/recipe/recipe.hpp"

#include <atomic>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace leakbisect {

struct Commit {
    std::string hash; // full
    std::string subject;
    std::string author; // "Name <email>"
    std::string date;   // author date, ISO 8601
};

std::string short_hash(const std::string& hash); // the first 10 characters

struct RevisionRange {
    std::filesystem::path repo;       // the repository's top level
    std::filesystem::path app_subdir; // app.cwd relative to it ("." at the top)
    Commit good;
    Commit bad;
    std::vector<Commit> commits;          // searched, oldest first, good excluded; the last is bad
    std::size_t first_parent_commits = 0; // good..bad on the first-parent line, before revisions.paths
};

// Resolves and checks a [revisions] recipe against its repository: the repository exists and holds
// app.cwd, good and bad are commits git knows, good is an ancestor of bad, and the range (after
// revisions.paths) is not empty. Every error names the recipe line and what to do.
Expected<RevisionRange> resolve_range(const Recipe& recipe);

// The range as the run folder keeps it (revisions.json), so a resumed run searches the same commits
// even when a branch has moved since.
std::string range_to_json(const RevisionRange& range);
Expected<RevisionRange> range_from_json(std::string_view text, const std::filesystem::path& file);

// `git show --stat` of one commit (a merge against its first parent), without the header.
Expected<std::string> diffstat(const RevisionRange& range, const std::string& hash);

// How a setup command ended; an interrupted setup is ErrorKind::interrupted.
Status run_setup(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                 const std::filesystem::path& log_file, Milliseconds timeout,
                 const std::atomic<bool>& cancel);

// One detached checkout per commit under `folder`, made on first use and kept until remove_all()
// (or destruction, unless kept): `git worktree add --detach`, `git worktree remove --force`, prune.
class Worktrees {
  public:
    enum class AtEnd { remove, keep };
    Worktrees(RevisionRange range, std::filesystem::path folder, AtEnd at_end);
    ~Worktrees();
    Worktrees(const Worktrees&) = delete;
    Worktrees& operator=(const Worktrees&) = delete;

    // The checkout of `hash` (made now if it is not there yet); a stale one a killed run left is
    // replaced.
    Expected<std::filesystem::path> checkout(const std::string& hash);
    // Where app.cwd is inside that checkout.
    std::filesystem::path app_cwd(const std::filesystem::path& checkout) const;
    void remove_all();
    const std::filesystem::path& folder() const { return folder_; }

  private:
    RevisionRange range_;
    std::filesystem::path folder_;
    AtEnd at_end_;
    std::map<std::string, std::filesystem::path> made_;
};

} // namespace leakbisect
