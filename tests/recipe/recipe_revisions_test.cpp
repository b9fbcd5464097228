// [revisions]: commit-range mode. Each mistake the text alone shows is reported at its key; the
// repository's own checks (unknown revision, good not an ancestor of bad) are tests/revisions'.
#include "leakbisect/recipe/recipe.hpp"

#include "recipe_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace leakbisect;
using namespace leakbisect::test;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;

namespace {

// A commit-range recipe: app and load, [revisions] instead of [[chunk]].
std::string with_revisions(std::string_view revisions) {
    return compose({revisions, kAppPart, kLoadPart});
}

} // namespace

TEST_CASE("A [revisions] table replaces [[chunk]] and is fully defaulted") {
    const Recipe recipe = parsed(with_revisions("[revisions]\ngood = \"v1.4.0\"\nbad = \"main\""));
    REQUIRE(recipe.revisions);
    CHECK(recipe.chunks.empty());
    CHECK(recipe.revisions->good == "v1.4.0");
    CHECK(recipe.revisions->bad == "main");
    CHECK(recipe.revisions->repo.empty());
    CHECK(recipe.revisions->setup.empty());
    CHECK(recipe.revisions->setup_timeout == 600s);
    CHECK(recipe.revisions->paths.empty());
    CHECK(recipe.revisions->where_good == std::string(kRecipeFile) + ":2");
    CHECK(recipe.revisions->where_bad == std::string(kRecipeFile) + ":3");
}

TEST_CASE("Every [revisions] key is read, paths against the recipe's folder") {
    const Recipe recipe = parsed(with_revisions(
        "[revisions]\nrepo = \"..\"\ngood = \"abc123\"\nbad = \"HEAD\"\nsetup = [\"make\", \"-j2\"]\n"
        "setup_timeout = \"90s\"\npaths = [\"src/\", \"lib\"]"));
    REQUIRE(recipe.revisions);
    CHECK(recipe.revisions->repo == "/srv");
    CHECK(recipe.revisions->setup == std::vector<std::string>{"make", "-j2"});
    CHECK(recipe.revisions->setup_timeout == 90s);
    CHECK(recipe.revisions->paths == std::vector<std::string>{"src/", "lib"});
}

TEST_CASE("A missing good or bad names the key and gives an example") {
    CHECK_THAT(recipe_error(with_revisions("[revisions]\nbad = \"main\"")).message,
               Contains("revisions.good is required") && Contains("plateaus"));
    CHECK_THAT(recipe_error(with_revisions("[revisions]\ngood = \"v1\"")).message,
               Contains("revisions.bad is required") && Contains("leaks"));
}

TEST_CASE("A revision git would read as an option, or an empty one, is refused") {
    const Error option = recipe_error(with_revisions("[revisions]\ngood = \"--all\"\nbad = \"main\""));
    CHECK(option.where == at(2, 8));
    CHECK_THAT(option.message,
               Contains("revisions.good must be a revision git accepts") && Contains("--all"));
    CHECK_THAT(recipe_error(with_revisions("[revisions]\ngood = \"v1\"\nbad = \"\"")).message,
               Contains("revisions.bad must be a revision git accepts"));
    CHECK_THAT(recipe_error(with_revisions("[revisions]\ngood = \"v 1\"\nbad = \"main\"")).message,
               Contains("revisions.good must be a revision git accepts"));
}

TEST_CASE("revisions.setup is an argv") {
    const Error error =
        recipe_error(with_revisions("[revisions]\ngood = \"a\"\nbad = \"b\"\nsetup = \"make\""));
    CHECK(error.where == at(4, 9));
    CHECK_THAT(error.message, Contains("revisions.setup must be an array of strings"));
    CHECK_THAT(recipe_error(with_revisions("[revisions]\ngood = \"a\"\nbad = \"b\"\nsetup = []")).message,
               Contains("revisions.setup must not be empty"));
}

TEST_CASE("revisions.setup_timeout is a positive duration") {
    CHECK_THAT(recipe_error(with_revisions("[revisions]\ngood = \"a\"\nbad = \"b\"\nsetup_timeout = \"0s\""))
                   .message,
               Contains("revisions.setup_timeout"));
}

TEST_CASE("revisions.paths is a non-empty array of non-empty strings") {
    CHECK_THAT(recipe_error(with_revisions("[revisions]\ngood = \"a\"\nbad = \"b\"\npaths = []")).message,
               Contains("revisions.paths must be a non-empty array") && Contains("an empty array"));
    CHECK_THAT(
        recipe_error(with_revisions("[revisions]\ngood = \"a\"\nbad = \"b\"\npaths = \"src\"")).message,
        Contains("revisions.paths must be a non-empty array"));
    const Error element =
        recipe_error(with_revisions("[revisions]\ngood = \"a\"\nbad = \"b\"\npaths = [\"\"]"));
    CHECK(element.where == at(4, 10));
    CHECK_THAT(element.message, Contains("revisions.paths[0] must be a non-empty string"));
}

TEST_CASE("revisions.repo must not be empty") {
    CHECK_THAT(recipe_error(with_revisions("[revisions]\nrepo = \"\"\ngood = \"a\"\nbad = \"b\"")).message,
               Contains("revisions.repo must not be empty"));
}

TEST_CASE("An unknown key in [revisions] suggests the closest") {
    CHECK(
        recipe_error(with_revisions("[revisions]\ngood = \"a\"\nbad = \"b\"\nsetpu = [\"make\"]")).message ==
        "unknown key 'setpu' in [revisions]; did you mean 'setup'?");
}

TEST_CASE("[[chunk]] may come with [revisions]: the chunks searched at the guilty commit (--then-chunks)") {
    const Recipe recipe =
        parsed(compose({"[revisions]\ngood = \"a\"\nbad = \"b\"", kAppPart, kLoadPart, kChunkPart}));
    CHECK(recipe.revisions);
    REQUIRE(recipe.chunks.size() == 1);
    CHECK(recipe.chunks.front().name == "a");
}
