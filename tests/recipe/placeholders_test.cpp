#include "leakbisect/recipe/placeholders.hpp"

#include <catch2/catch.hpp>

using namespace leakbisect;

namespace {

Placeholders example_values() {
    Placeholders values;
    values.port = 41234;
    values.recipe_dir = "/srv/shop";
    values.run_dir = "/srv/shop/leakbisect-runs/2026-11-25T04-52-29";
    values.probe_dir = "/srv/shop/leakbisect-runs/2026-11-25T04-52-29/probes/003-bisect";
    return values;
}

} // namespace

TEST_CASE("The known placeholders are port, recipe_dir, run_dir and probe_dir") {
    CHECK(known_placeholders() == std::vector<std::string>{"port", "recipe_dir", "run_dir", "probe_dir"});
}

TEST_CASE("Expansion replaces every known placeholder") {
    const Placeholders values = example_values();
    SECTION("each one") {
        CHECK(expand_placeholders("{port}", values) == "41234");
        CHECK(expand_placeholders("{recipe_dir}", values) == "/srv/shop");
        CHECK(expand_placeholders("{run_dir}", values) == "/srv/shop/leakbisect-runs/2026-11-25T04-52-29");
        CHECK(expand_placeholders("{probe_dir}/app.log", values) ==
              "/srv/shop/leakbisect-runs/2026-11-25T04-52-29/probes/003-bisect/app.log");
    }
    SECTION("several, and the same one twice, inside other text") {
        CHECK(expand_placeholders("http://127.0.0.1:{port}/?back={port}&dir={recipe_dir}", values) ==
              "http://127.0.0.1:41234/?back=41234&dir=/srv/shop");
    }
    SECTION("port 0 expands as written") {
        CHECK(expand_placeholders("-p{port}", Placeholders{}) == "-p0");
    }
    SECTION("text without placeholders is unchanged") {
        CHECK(expand_placeholders("", values).empty());
        CHECK(expand_placeholders("bin/rails server", values) == "bin/rails server");
    }
    SECTION("unknown placeholders and other braces are copied as written") {
        CHECK(expand_placeholders("{prot}:{port}", values) == "{prot}:41234");
        CHECK(expand_placeholders(R"({"port": {port}})", values) == R"({"port": 41234})");
        CHECK(expand_placeholders(R"(\d{3}-{port})", values) == R"(\d{3}-41234)");
        CHECK(expand_placeholders("{port", values) == "{port");
        CHECK(expand_placeholders("{{port}}", values) == "{41234}");
        CHECK(expand_placeholders("{ port }", values) == "{ port }");
    }
    SECTION("a replaced value is not expanded again") {
        Placeholders tricky = values;
        tricky.recipe_dir = "/odd/{port}";
        CHECK(expand_placeholders("{recipe_dir}", tricky) == "/odd/{port}");
    }
}

TEST_CASE("The first unknown placeholder is found with its braces") {
    CHECK(unknown_placeholder("{port} {recipe_dir} {run_dir} {probe_dir}").empty());
    CHECK(unknown_placeholder("").empty());
    CHECK(unknown_placeholder("-p {prot}") == "{prot}");
    CHECK(unknown_placeholder("{port} {a} {b}") == "{a}");
    CHECK(unknown_placeholder("{PORT}") == "{PORT}");
    SECTION("braces around something other than a name are not placeholders") {
        CHECK(unknown_placeholder(R"({"a": 1})").empty());
        CHECK(unknown_placeholder(R"(\d{3,4})").empty());
        CHECK(unknown_placeholder("{}").empty());
        CHECK(unknown_placeholder("{ port }").empty());
        CHECK(unknown_placeholder("{port").empty());
        CHECK(unknown_placeholder("{{x}}") == "{x}");
    }
}
