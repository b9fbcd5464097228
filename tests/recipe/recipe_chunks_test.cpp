// [[chunk]] and [chunks]: names, sub-chunks, and the variable that switches each chunk.
#include "leakbisect/recipe/recipe.hpp"

#include "recipe_fixtures.hpp"

#include <catch2/catch.hpp>

using namespace leakbisect;
using namespace leakbisect::test;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

std::vector<std::string> variables(const Recipe& recipe) {
    std::vector<std::string> names;
    for (const ChunkSpec& chunk : recipe.chunks) {
        names.push_back(chunk.env);
    }
    return names;
}

} // namespace

TEST_CASE("At least one chunk is required") {
    SECTION("none at all") {
        const Error error = recipe_error(compose({kAppPart, kLoadPart}));
        CHECK(error.where == kRecipeFile);
        CHECK_THAT(error.message, StartsWith("at least one [[chunk]] is required"));
    }
    SECTION("an empty list") {
        const Error error = recipe_error(compose({"chunk = []", kAppPart, kLoadPart}));
        CHECK(error.where == at(1, 9));
        CHECK(error.message == "chunk must not be empty: add a [[chunk]] table");
    }
    SECTION("a single [chunk] table") {
        const Error error = recipe_error(complete("[chunk]\nname = \"a\""));
        CHECK(error.where == at(1, 1));
        CHECK(error.message == "chunk is a list: write each entry under [[chunk]] (two brackets)");
    }
}

TEST_CASE("Chunks keep recipe order, their notes and their lines") {
    const Recipe recipe = parsed(complete(R"([[chunk]]
name = "load_order"
[[chunk]]
name = "warnings_panel"
note = "renders the warnings box"
[[chunk]]
name = "footer")"));
    REQUIRE(recipe.chunks.size() == 3);
    CHECK(recipe.chunks[0].name == "load_order");
    CHECK(recipe.chunks[0].line == 1);
    CHECK(recipe.chunks[1].name == "warnings_panel");
    CHECK(recipe.chunks[1].note == "renders the warnings box");
    CHECK(recipe.chunks[1].line == 3);
    CHECK(recipe.chunks[2].name == "footer");
    CHECK(recipe.chunks[2].line == 6);
}

TEST_CASE("A chunk needs a name of dotted segments of letters, digits, '_' and '-'") {
    SECTION("accepted names") {
        const Recipe recipe = parsed(complete(R"([[chunk]]
name = "Panel-2"
[[chunk]]
name = "Panel-2.has_warnings"
)"));
        (void)recipe;
    }
    SECTION("a missing name") {
        const Error error = recipe_error(complete("[[chunk]]\nname = \"a\"\n[[chunk]]\nnote = \"x\""));
        CHECK(error.where == at(3, 1));
        CHECK(error.message ==
              R"(chunk[1].name is required: a name for this chunk, e.g. name = "load_order")");
    }
    for (const std::string name : {"", "has warnings", ".a", "a.", "a..b", "a/b", "has_warnings?"}) {
        DYNAMIC_SECTION("the name '" << name << "'") {
            const Error error = recipe_error(complete("[[chunk]]\nname = \"" + name + "\""));
            CHECK(error.where == at(2, 8));
            CHECK_THAT(error.message, StartsWith("chunk name \"" + name +
                                                 "\" is not valid: use letters, digits, "
                                                 "'_' and '-'"));
        }
    }
    SECTION("a name that is not a string") {
        CHECK(recipe_error(complete("[[chunk]]\nname = 3")).message ==
              "chunk[0].name must be a string, got an integer");
    }
}

TEST_CASE("Chunk names are unique") {
    const Error error = recipe_error(complete("[[chunk]]\nname = \"a\"\n[[chunk]]\nname = \"a\""));
    CHECK(error.where == at(4, 8));
    CHECK(error.message == R"(chunk "a" is already declared on line 1; give each chunk its own name)");
}

TEST_CASE("A sub-chunk's parent is declared before it") {
    SECTION("parent first") {
        const Recipe recipe = parsed(complete(R"([[chunk]]
name = "panel"
[[chunk]]
name = "panel.rows"
[[chunk]]
name = "panel.rows.count")"));
        CHECK(recipe.chunks.size() == 3);
    }
    SECTION("parent after") {
        const Error error =
            recipe_error(complete("[[chunk]]\nname = \"panel.rows\"\n[[chunk]]\nname = \"panel\""));
        CHECK(error.where == at(2, 8));
        CHECK(error.message ==
              R"(sub-chunk "panel.rows" needs its parent chunk "panel" declared before it: add a )"
              R"([[chunk]] with name = "panel" above this one)");
    }
    SECTION("the direct parent is missing") {
        const Error error =
            recipe_error(complete("[[chunk]]\nname = \"panel\"\n[[chunk]]\nname = \"panel.rows.count\""));
        CHECK(error.where == at(4, 8));
        CHECK_THAT(error.message, Contains(R"(needs its parent chunk "panel.rows")"));
    }
}

TEST_CASE("Each chunk's variable comes from its env or the [chunks] pattern") {
    SECTION("the default pattern uses upper snake case, dots included") {
        const Recipe recipe = parsed(complete(R"([[chunk]]
name = "warnings_panel"
[[chunk]]
name = "warnings_panel.has-warnings")"));
        CHECK(variables(recipe) ==
              std::vector<std::string>{"CHUNK_WARNINGS_PANEL", "CHUNK_WARNINGS_PANEL_HAS_WARNINGS"});
    }
    SECTION("{name} keeps the name as written") {
        const Recipe recipe = parsed(complete(R"([chunks]
env = "FLAG_{name}_{NAME}"
[[chunk]]
name = "load_order")"));
        CHECK(variables(recipe) == std::vector<std::string>{"FLAG_load_order_LOAD_ORDER"});
    }
    SECTION("an explicit env wins over the pattern") {
        const Recipe recipe = parsed(complete(R"([[chunk]]
name = "a"
[[chunk]]
name = "a.count"
env = "LEGACY_COUNT")"));
        CHECK(variables(recipe) == std::vector<std::string>{"CHUNK_A", "LEGACY_COUNT"});
    }
    SECTION("a pattern without a placeholder") {
        const Error error = recipe_error(complete("[chunks]\nenv = \"CHUNK\""));
        CHECK(error.where == at(2, 7));
        CHECK_THAT(error.message, StartsWith("chunks.env must contain {NAME} or {name}"));
    }
    SECTION("a pattern with an unknown placeholder") {
        CHECK(
            recipe_error(complete("[chunks]\nenv = \"CHUNK_{Name}\"")).message ==
            "unknown placeholder {Name} in chunks.env; use {NAME} (the chunk's name in upper snake case) or "
            "{name} (as written)");
    }
    SECTION("an explicit env that is not a variable name") {
        const Error error = recipe_error(complete("[[chunk]]\nname = \"a\"\nenv = \"MY FLAG\""));
        CHECK(error.where == at(3, 7));
        CHECK(error.message ==
              R"(chunk[0].env must be a variable name like "LEGACY_WARNING_COUNT", got "MY FLAG")");
    }
}

TEST_CASE("Two chunks may not share a variable") {
    SECTION("two names that make the same upper snake case") {
        const Error error = recipe_error(complete("[[chunk]]\nname = \"a-b\"\n[[chunk]]\nname = \"a_b\""));
        CHECK(error.where == at(4, 8));
        CHECK(
            error.message ==
            R"(chunks "a-b" and "a_b" would both be switched by CHUNK_A_B; give one of them an explicit env = "...")");
    }
    SECTION("an explicit env that another chunk's pattern already makes") {
        const Error error = recipe_error(
            complete("[[chunk]]\nname = \"cart\"\n[[chunk]]\nname = \"tax\"\nenv = \"CHUNK_CART\""));
        CHECK(error.where == at(5, 7));
        CHECK_THAT(error.message,
                   StartsWith(R"(chunks "cart" and "tax" would both be switched by CHUNK_CART)"));
    }
    SECTION("the list variable") {
        const Error error = recipe_error(complete("[[chunk]]\nname = \"a\"\nenv = \"LEAKBISECT_CHUNKS\""));
        CHECK(error.where == at(3, 7));
        CHECK_THAT(error.message, Contains("which chunks.list_env already uses"));
    }
}

TEST_CASE("The list variable can be renamed or turned off") {
    CHECK(parsed(complete("[chunks]\nlist_env = \"ENABLED\"")).chunk_settings.list_env == "ENABLED");
    CHECK(parsed(complete("[chunks]\nlist_env = \"\"")).chunk_settings.list_env.empty());
    CHECK_THAT(recipe_error(complete("[chunks]\nlist_env = \"A=B\"")).message,
               StartsWith("chunks.list_env must be a variable name"));
}

TEST_CASE("app.env may not set a variable leakbisect sets per probe") {
    SECTION("a chunk's variable") {
        const Error error =
            recipe_error(complete("[app]\ncommand = [\"x\"]\nenv = { PORT_X = \"1\", CHUNK_A = \"1\" }"));
        CHECK(error.where == at(3, 23));
        CHECK(error.message ==
              R"(app.env sets CHUNK_A, the variable of chunk "a" that leakbisect sets for each )"
              R"(probe; remove it from app.env)");
    }
    SECTION("the list variable") {
        CHECK_THAT(
            recipe_error(complete("[app]\ncommand = [\"x\"]\nenv = { LEAKBISECT_CHUNKS = \"a\" }")).message,
            StartsWith("app.env sets LEAKBISECT_CHUNKS"));
    }
}
