// docs/recipe.md is the recipe reference users write recipes from: every key the reader accepts
// (the same lists it checks unknown keys against) and every placeholder must be described there.
#include "leakbisect/core/files.hpp"
#include "leakbisect/recipe/keys.hpp"
#include "leakbisect/recipe/placeholders.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

using namespace leakbisect;

namespace {

std::string recipe_reference() {
    const auto text =
        read_text_file(std::filesystem::path(LEAKBISECT_SOURCE_DIR) / "docs" / "recipe.md", ErrorKind::io);
    REQUIRE(text);
    return *text;
}

// A key is described when the reference names it in code, by its full dotted path (`app.ready.timeout`),
// or as a table header ([app], [[chunk]]).
bool describes(const std::string& reference, const std::string& path) {
    return reference.find("`" + path + "`") != std::string::npos ||
           reference.find("[" + path + "]") != std::string::npos;
}

} // namespace

TEST_CASE("docs/recipe.md describes every key the recipe reader accepts") {
    const std::string reference = recipe_reference();
    for (const recipe_keys::Table& table : recipe_keys::kTables) {
        for (const std::string_view key : table.keys) {
            const std::string path =
                table.path.empty() ? std::string(key) : std::string(table.path) + "." + std::string(key);
            INFO("the key " << path);
            CHECK(describes(reference, path));
        }
    }
}

TEST_CASE("docs/recipe.md describes every placeholder") {
    const std::string reference = recipe_reference();
    for (const std::string& name : known_placeholders()) {
        INFO("the placeholder {" << name << "}");
        CHECK(reference.find("`{" + name + "}`") != std::string::npos);
    }
}
