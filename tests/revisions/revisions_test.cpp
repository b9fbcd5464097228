// The git side of commit-range mode against a real throwaway repository made here with git itself:
// the range, each check a [revisions] recipe gets before anything runs, and the checkouts.
#include "leakbisect/core/files.hpp"
#include "leakbisect/recipe/recipe.hpp"
#include "leakbisect/revisions/revisions.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fmt/format.h>
#include <string>
#include <unistd.h>

using namespace leakbisect;
using Catch::Matchers::Contains;

namespace {

void shell(const std::string& command) {
    INFO(command);
    REQUIRE(std::system(command.c_str()) == 0); // NOLINT(cert-env33-c): test set-up only
}

// main: c1 (app/a.txt), c2, c3, c4 (only docs.txt), a merge of a side branch made from c3, c6.
struct Repository {
    std::filesystem::path root;
    Repository() {
        root = std::filesystem::temp_directory_path() / fmt::format("leakbisect-revisions-{}", ::getpid());
        std::filesystem::remove_all(root);
        std::filesystem::create_directories(root / "app");
        const std::string git = "git -C " + root.string() + " -c user.name=T -c user.email=t@x ";
        shell(git + "init -q -b main");
        for (int i = 1; i <= 6; ++i) {
            if (i == 5) {
                shell(git + "checkout -q -b side HEAD~1");
                REQUIRE(write_text_file(root / "app" / "side.txt", "side\n"));
                shell(git + "add -A && " + git + "commit -q -m side");
                shell(git + "checkout -q main");
                shell(git + "merge -q --no-ff -m merge-side side");
                continue;
            }
            const auto file = i == 4 ? root / "docs.txt" : root / "app" / "a.txt";
            REQUIRE(write_text_file(file, fmt::format("{}\n", i)));
            shell(git + "add -A && " + git + fmt::format("commit -q -m c{}", i));
            shell(git + fmt::format("tag t{}", i));
        }
    }
    ~Repository() { std::filesystem::remove_all(root); }

    Recipe recipe(const std::string& good, const std::string& bad) const {
        Recipe recipe;
        recipe.file = root / "app" / "recipe.toml";
        recipe.dir = root / "app";
        recipe.app.cwd = root / "app";
        recipe.revisions = RevisionsSpec{};
        recipe.revisions->good = good;
        recipe.revisions->bad = bad;
        recipe.revisions->where_good = "recipe.toml:3";
        recipe.revisions->where_bad = "recipe.toml:4";
        return recipe;
    }
};

} // namespace

TEST_CASE("The range is the first-parent commits after good up to bad, oldest first") {
    const Repository repository;
    const auto range = resolve_range(repository.recipe("t1", "main"));
    REQUIRE(range);
    CHECK(range->app_subdir == "app");
    REQUIRE(range->commits.size() == 5); // c2, c3, c4, the merge, c6; not the side commit
    CHECK(range->commits[0].subject == "c2");
    CHECK(range->commits[2].subject == "c4");
    CHECK(range->commits[3].subject == "merge-side");
    CHECK(range->commits.back().hash == range->bad.hash);
    CHECK(range->first_parent_commits == 5);
    CHECK(range->good.subject == "c1");
    CHECK_THAT(range->good.author, Contains("T <t@x>"));

    const auto again = range_from_json(range_to_json(*range), "revisions.json");
    REQUIRE(again);
    CHECK(again->commits.size() == 5);
    CHECK(again->bad.hash == range->bad.hash);
    CHECK(again->repo == range->repo);
}

TEST_CASE("revisions.paths leaves out the commits that do not touch them") {
    const Repository repository;
    Recipe recipe = repository.recipe("t1", "t4");
    recipe.revisions->paths = {"app/"};
    const auto range = resolve_range(recipe);
    REQUIRE(range);
    CHECK(range->first_parent_commits == 3);
    REQUIRE(range->commits.size() == 3); // c2, c3, and bad (c4) which stays the last probe
    CHECK(range->commits[1].subject == "c3");
    recipe.revisions->bad = "main";
    const auto merged = resolve_range(recipe);
    REQUIRE(merged);
    CHECK(merged->commits.size() == 4); // c2, c3, the merge (its side branch touched app/), c6
}

TEST_CASE("An unknown revision is an error at its recipe line") {
    const Repository repository;
    const auto range = resolve_range(repository.recipe("v9.9", "main"));
    REQUIRE_FALSE(range);
    CHECK(range.error().kind == ErrorKind::bad_recipe);
    CHECK(range.error().where == "recipe.toml:3");
    CHECK_THAT(range.error().message, Contains("revisions.good = \"v9.9\" is not a commit git knows"));
    const auto bad = resolve_range(repository.recipe("t1", "nope"));
    REQUIRE_FALSE(bad);
    CHECK(bad.error().where == "recipe.toml:4");
}

TEST_CASE("A good that is not an ancestor of bad is an error that says what to do") {
    const Repository repository;
    const auto range = resolve_range(repository.recipe("t3", "t2"));
    REQUIRE_FALSE(range);
    CHECK(range.error().where == "recipe.toml:3");
    CHECK_THAT(range.error().message, Contains("is not an ancestor of revisions.bad") && Contains("swap"));
    const auto side = resolve_range(repository.recipe("side", "t3"));
    REQUIRE_FALSE(side);
    CHECK_THAT(side.error().message, Contains("is not an ancestor"));
}

TEST_CASE("good and bad the same commit is an empty range") {
    const Repository repository;
    const auto range = resolve_range(repository.recipe("t2", "t2"));
    REQUIRE_FALSE(range);
    CHECK_THAT(range.error().message, Contains("the same commit"));
}

TEST_CASE("app.cwd outside the repository, or no repository, is an error") {
    const Repository repository;
    Recipe outside = repository.recipe("t1", "main");
    outside.revisions->repo = repository.root;
    outside.app.cwd = std::filesystem::temp_directory_path();
    const auto range = resolve_range(outside);
    REQUIRE_FALSE(range);
    CHECK_THAT(range.error().message, Contains("is outside the repository"));

    Recipe no_repo = repository.recipe("t1", "main");
    no_repo.app.cwd = "/";
    const auto none = resolve_range(no_repo);
    REQUIRE_FALSE(none);
    CHECK_THAT(none.error().message, Contains("is not inside a git repository"));
}

TEST_CASE("Each commit gets one checkout, reused, and none is left afterwards") {
    const Repository repository;
    const auto range = resolve_range(repository.recipe("t1", "main"));
    REQUIRE(range);
    const std::filesystem::path folder = repository.root / "runs" / "worktrees";
    {
        Worktrees worktrees(*range, folder, Worktrees::AtEnd::remove);
        const auto first = worktrees.checkout(range->commits[0].hash);
        REQUIRE(first);
        CHECK(read_text_file(worktrees.app_cwd(*first) / "a.txt", ErrorKind::io).value() == "2\n");
        CHECK(worktrees.checkout(range->commits[0].hash).value() == *first);
        const auto merge = worktrees.checkout(range->commits[3].hash);
        REQUIRE(merge);
        CHECK(std::filesystem::exists(worktrees.app_cwd(*merge) / "side.txt"));
        const auto stat = diffstat(*range, range->commits[3].hash);
        REQUIRE(stat);
        CHECK_THAT(*stat, Contains("app/side.txt") && Contains("1 file changed"));
    }
    CHECK_FALSE(std::filesystem::exists(folder));
    // The user's own work tree and branch are as they were.
    CHECK(read_text_file(repository.root / "app" / "a.txt", ErrorKind::io).value() == "6\n");
    shell("test \"$(git -C " + repository.root.string() + " worktree list | wc -l)\" = 1");
}

TEST_CASE("A failing or slow setup is an error that points at its log") {
    const Repository repository;
    const std::atomic<bool> cancel{false};
    const auto log = repository.root / "setup.log";
    CHECK(run_setup({"true"}, repository.root, log, Milliseconds{5000}, cancel));
    const Status failed =
        run_setup({"sh", "-c", "echo broken; exit 3"}, repository.root, log, Milliseconds{5000}, cancel);
    REQUIRE_FALSE(failed);
    CHECK_THAT(failed.error().message, Contains("exited with status 3") && Contains("setup.log"));
    CHECK_THAT(read_text_file(log, ErrorKind::io).value(), Contains("broken"));
    const Status slow = run_setup({"sleep", "5"}, repository.root, log, Milliseconds{200}, cancel);
    REQUIRE_FALSE(slow);
    CHECK_THAT(slow.error().message, Contains("did not finish within"));
}
