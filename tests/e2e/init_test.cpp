// End-to-end: `leakbisect init` on copies of the example apps (never on examples/ itself), an empty
// folder and an app it does not know; the recipe it writes is checked by the real `leakbisect check`,
// and the Flask and Node ones are booted with `check --boot`.
#include "e2e_support.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

using namespace e2e;

namespace {

std::string file_text(const std::filesystem::path& file) {
    std::ifstream input(file);
    std::ostringstream text;
    text << input.rdbuf();
    return text.str();
}

// A copy of examples/NAME in the scratch folder: its folders and regular files, without what a run
// of the example left in tmp/ and log/ (pid files, sockets).
std::filesystem::path copy_example(const std::string& name, const Scratch& scratch) {
    const auto source = std::filesystem::path(LEAKBISECT_SOURCE_DIR) / "examples" / name;
    const auto copy = scratch.dir / name;
    std::filesystem::create_directories(copy);
    for (auto entry = std::filesystem::recursive_directory_iterator(source);
         entry != std::filesystem::recursive_directory_iterator(); ++entry) {
        const auto relative = entry->path().lexically_relative(source);
        if (entry->is_directory() && (relative == "tmp" || relative == "log")) {
            entry.disable_recursion_pending();
        } else if (entry->is_directory()) {
            std::filesystem::create_directories(copy / relative);
        } else if (entry->is_regular_file()) {
            std::filesystem::copy_file(entry->path(), copy / relative);
        }
    }
    return copy;
}

struct ExampleInit {
    std::string example;
    std::string stack;   // as init describes it
    std::string command; // the recipe's line
    std::string metric;
};

} // namespace

TEST_CASE(
    "init on each example app writes a recipe that check accepts, with the stack's command and metric") {
    const std::vector<ExampleInit> examples{
        {"flask-invoices", "a Flask app (gunicorn)",
         R"(command = ["gunicorn", "--bind", "127.0.0.1:{port}", "app:app"])", R"(metric = "pss")"},
        {"node-catalog", "a Node app (node)", R"(command = ["node", "server.js"])", R"(metric = "rss")"},
        {"rails-orders", "a Rails app (Puma in cluster mode)",
         R"(command = ["bin/rails", "server", "-e", "production", "-b", "127.0.0.1", "-p", "{port}"])",
         R"(metric = "pss")"},
    };
    for (const ExampleInit& expected : examples) {
        INFO(expected.example);
        const Scratch scratch;
        const auto app = copy_example(expected.example, scratch);
        const Result init = run_leakbisect({"init", app.string()}, scratch.dir / "init.out");
        INFO(init.output);
        REQUIRE(init.exit_code == 0);
        CHECK_THAT(init.output, Catch::Contains(expected.stack));
        CHECK_THAT(init.output,
                   Catch::Contains("leakbisect check --boot " + (app / "leakbisect.toml").string()));
        const std::string recipe = file_text(app / "leakbisect.toml");
        INFO(recipe);
        CHECK_THAT(recipe, Catch::Contains(expected.command));
        CHECK_THAT(recipe, Catch::Contains(expected.metric));
        CHECK_THAT(recipe, Catch::Contains(R"(scope = "tree")"));
        CHECK_THAT(recipe, Catch::Contains(R"(ready = { http = "/up")"));
        const Result check =
            run_leakbisect({"check", (app / "leakbisect.toml").string()}, scratch.dir / "check.out");
        INFO(check.output);
        CHECK(check.exit_code == 0);
        CHECK_THAT(check.output, Catch::Contains("is valid"));
    }
    CHECK_FALSE(std::filesystem::exists(std::filesystem::path(LEAKBISECT_SOURCE_DIR) / "examples" /
                                        "flask-invoices" / "leakbisect.toml"));
}

TEST_CASE("init on a folder it does not recognise says what it looked for; check then names the TODO") {
    const Scratch scratch;
    for (const std::filesystem::path& app : {copy_example("shop", scratch), scratch.dir / "empty"}) {
        std::filesystem::create_directories(app);
        const Result init = run_leakbisect({"init", app.string()}, scratch.dir / "init.out");
        INFO(init.output);
        REQUIRE(init.exit_code == 0);
        CHECK_THAT(init.output, Catch::Contains("no app init recognises"));
        CHECK_THAT(init.output, Catch::Contains("Gemfile naming rails"));
        CHECK_THAT(init.output, Catch::Contains("package.json"));
        CHECK_THAT(init.output, Catch::Contains("app.command is required"));
        const Result check =
            run_leakbisect({"check", (app / "leakbisect.toml").string()}, scratch.dir / "check.out");
        CHECK(check.exit_code == 2);
        CHECK_THAT(check.output, Catch::Contains("leakbisect.toml:"));
        CHECK_THAT(check.output, Catch::Contains("app.command is required"));
    }
}

TEST_CASE("init refuses to overwrite a recipe unless --force") {
    const Scratch scratch;
    const auto app = copy_example("node-catalog", scratch);
    const auto recipe = app / "leakbisect.toml";
    std::ofstream(recipe) << "# my own recipe\n";
    const Result refused = run_leakbisect({"init", app.string()}, scratch.dir / "init.out");
    CHECK(refused.exit_code == 2);
    CHECK_THAT(refused.output, Catch::Contains(recipe.string() + ": exists"));
    CHECK_THAT(refused.output, Catch::Contains("--force"));
    CHECK(file_text(recipe) == "# my own recipe\n");

    const Result forced = run_leakbisect({"init", app.string(), "--force"}, scratch.dir / "init.out");
    CHECK(forced.exit_code == 0);
    CHECK_THAT(file_text(recipe), Catch::Contains(R"(command = ["node", "server.js"])"));
}

TEST_CASE("init --out writes the recipe elsewhere with the app's folder as app.cwd") {
    const Scratch scratch;
    const auto app = copy_example("flask-invoices", scratch);
    std::filesystem::create_directories(scratch.dir / "recipes");
    const auto recipe = scratch.dir / "recipes" / "invoices.toml";
    const Result init =
        run_leakbisect({"init", app.string(), "--out", recipe.string()}, scratch.dir / "init.out");
    REQUIRE(init.exit_code == 0);
    CHECK_THAT(file_text(recipe), Catch::Contains(R"(cwd = "../flask-invoices")"));
    const Result check = run_leakbisect({"check", recipe.string()}, scratch.dir / "check.out");
    CHECK(check.exit_code == 0);
    CHECK_THAT(check.output, Catch::Contains("(in " + app.string() + ")"));

    const Result no_folder =
        run_leakbisect({"init", app.string(), "--out", (scratch.dir / "nowhere" / "x.toml").string()},
                       scratch.dir / "init.out");
    CHECK(no_folder.exit_code == 2);
    CHECK_THAT(no_folder.output, Catch::Contains("no such folder"));
    const Result no_app =
        run_leakbisect({"init", (scratch.dir / "missing").string()}, scratch.dir / "init.out");
    CHECK(no_app.exit_code == 2);
}

TEST_CASE("the recipe init writes for the Flask and Node examples boots with check --boot") {
    struct Runtime {
        std::string example;
        std::string probe; // the shell command that says the runtime is here
    };
    for (const Runtime& runtime :
         {Runtime{"flask-invoices", "gunicorn --version && python3 -c 'import flask'"},
          Runtime{"node-catalog", "node --version"}}) {
        INFO(runtime.example);
        if (!command_succeeds(runtime.probe)) {
            WARN("the runtime of " + runtime.example +
                 " is not installed (scripts/install-example-runtimes.sh): "
                 "skipping its init --boot test");
            continue;
        }
        const Scratch scratch;
        const auto app = copy_example(runtime.example, scratch);
        REQUIRE(run_leakbisect({"init", app.string()}, scratch.dir / "init.out").exit_code == 0);
        const Result boot = run_leakbisect({"check", "--boot", (app / "leakbisect.toml").string()},
                                           scratch.dir / "check.out");
        INFO(boot.output);
        CHECK(boot.exit_code == 0);
        CHECK_THAT(boot.output, Catch::Contains("boot: baseline ready"));
        CHECK_THAT(boot.output, Catch::Contains("wiring: ok"));
    }
}
