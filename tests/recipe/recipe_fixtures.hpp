// Small recipes for the recipe tests. The text under test goes first, so the line numbers in
// it are the ones errors report; the parts every recipe needs follow it.
#pragma once

#include "leakbisect/recipe/recipe.hpp"

#include <catch2/catch.hpp>
#include <initializer_list>
#include <string>
#include <string_view>

namespace leakbisect::test {

inline constexpr std::string_view kRecipeFile = "/srv/shop/recipe.toml";
inline constexpr std::string_view kAppPart = "[app]\ncommand = [\"./server\", \"{port}\"]\n";
inline constexpr std::string_view kLoadPart = "[[load.request]]\npath = \"/\"\n";
inline constexpr std::string_view kChunkPart = "[[chunk]]\nname = \"a\"\n";

inline std::string compose(std::initializer_list<std::string_view> parts) {
    std::string text;
    for (const std::string_view part : parts) {
        text += part;
        if (!text.empty() && text.back() != '\n') {
            text += '\n';
        }
    }
    return text;
}

// `head` followed by whichever of app, load and chunk it does not declare itself.
inline std::string complete(std::string_view head) {
    const auto declares = [&](std::string_view header) {
        return head.find(header) != std::string_view::npos;
    };
    std::string text = compose({head});
    if (!declares("[app]") && !declares("app.command")) {
        text += kAppPart;
    }
    if (!declares("[load") && !declares("load.command")) {
        text += kLoadPart;
    }
    if (!declares("[[chunk]]") && !declares("[chunk]")) {
        text += kChunkPart;
    }
    return text;
}

inline Recipe parsed(const std::string& text) {
    Expected<Recipe> recipe = parse_recipe(text, kRecipeFile);
    if (!recipe) {
        FAIL(to_string(recipe.error()) << "\nin:\n" << text);
    }
    return std::move(recipe).value();
}

inline Error recipe_error(const std::string& text) {
    const Expected<Recipe> recipe = parse_recipe(text, kRecipeFile);
    if (recipe) {
        FAIL("the recipe was accepted:\n" << text);
    }
    CHECK(recipe.error().kind == ErrorKind::bad_recipe);
    return recipe.error();
}

inline std::string at(int line, int column) {
    return std::string(kRecipeFile) + ":" + std::to_string(line) + ":" + std::to_string(column);
}

} // namespace leakbisect::test
