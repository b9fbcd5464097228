#include "leakbisect/recipe/plan.hpp"

#include <catch2/catch.hpp>

using namespace leakbisect;

namespace {

// Chunks as the spec's example declares them, plus a nested one and a last top-level one.
Recipe example_recipe() {
    Recipe recipe;
    int line = 1;
    for (const std::string name :
         {"load_order", "warnings_panel", "warnings_panel.has_warnings", "warnings_panel.warning_count",
          "warnings_panel.warning_count.cached", "footer"}) {
        ChunkSpec chunk;
        chunk.name = name;
        chunk.env = "CHUNK_" + std::to_string(line);
        chunk.line = line++;
        recipe.chunks.push_back(chunk);
    }
    return recipe;
}

} // namespace

TEST_CASE("The parent of a chunk is its name up to the last dot") {
    CHECK(parent_of("warnings_panel.has_warnings") == "warnings_panel");
    CHECK(parent_of("a.b.c") == "a.b");
    CHECK(parent_of("load_order").empty());
}

TEST_CASE("Top-level chunks are the undotted ones in recipe order") {
    CHECK(top_level_chunks(example_recipe()) ==
          std::vector<std::string>{"load_order", "warnings_panel", "footer"});
}

TEST_CASE("The chunk environment sets every chunk's variable, then lists the enabled ones") {
    Recipe recipe = example_recipe();
    SECTION("some chunks on") {
        CHECK(chunk_environment(recipe,
                                {"footer", "load_order", "warnings_panel.has_warnings", "warnings_panel"}) ==
              EnvList{{"CHUNK_1", "1"},
                      {"CHUNK_2", "1"},
                      {"CHUNK_3", "1"},
                      {"CHUNK_4", "0"},
                      {"CHUNK_5", "0"},
                      {"CHUNK_6", "1"},
                      {"LEAKBISECT_CHUNKS", "load_order,warnings_panel,warnings_panel.has_warnings,footer"}});
    }
    SECTION("the baseline: every chunk off") {
        CHECK(chunk_environment(recipe, {}) == EnvList{{"CHUNK_1", "0"},
                                                       {"CHUNK_2", "0"},
                                                       {"CHUNK_3", "0"},
                                                       {"CHUNK_4", "0"},
                                                       {"CHUNK_5", "0"},
                                                       {"CHUNK_6", "0"},
                                                       {"LEAKBISECT_CHUNKS", ""}});
    }
    SECTION("a renamed list variable") {
        recipe.chunk_settings.list_env = "ENABLED";
        CHECK(chunk_environment(recipe, {"footer"}).back() ==
              std::pair<std::string, std::string>{"ENABLED", "footer"});
    }
    SECTION("the list variable turned off") {
        recipe.chunk_settings.list_env.clear();
        const EnvList environment = chunk_environment(recipe, {"footer"});
        CHECK(environment.size() == 6);
        CHECK(environment.back() == std::pair<std::string, std::string>{"CHUNK_6", "1"});
    }
}

TEST_CASE("Sub-chunks follow their parent") {
    const Recipe recipe = example_recipe();
    SECTION("an enabled parent brings every descendant") {
        CHECK(with_sub_chunks(recipe, {"warnings_panel"}) ==
              ChunkSet{"warnings_panel", "warnings_panel.has_warnings", "warnings_panel.warning_count",
                       "warnings_panel.warning_count.cached"});
    }
    SECTION("a sub-chunk whose parent is off is removed") {
        CHECK(with_sub_chunks(recipe, {"load_order", "warnings_panel.has_warnings"}) ==
              ChunkSet{"load_order"});
        CHECK(with_sub_chunks(recipe, {"warnings_panel.warning_count.cached"}).empty());
    }
    SECTION("top-level chunks stay as given") {
        CHECK(with_sub_chunks(recipe, {"load_order", "footer"}) == ChunkSet{"load_order", "footer"});
        CHECK(with_sub_chunks(recipe, {}).empty());
    }
    SECTION("names the recipe does not declare are dropped") {
        CHECK(with_sub_chunks(recipe, {"nope", "footer"}) == ChunkSet{"footer"});
    }
}
