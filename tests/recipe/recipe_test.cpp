// Whole recipes: the spec's example, the defaults, files and paths, TOML syntax, version.
#include "leakbisect/recipe/recipe.hpp"

#include "recipe_fixtures.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>
#include <unistd.h>

using namespace leakbisect;
using namespace leakbisect::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

const fs::path kSourceDir = fs::path(LEAKBISECT_SOURCE_DIR).lexically_normal();

// A fresh folder under the system's temporary folder, removed at the end of the test.
class TemporaryFolder {
  public:
    TemporaryFolder()
        : path_(fs::temp_directory_path() / ("leakbisect-recipe-test-" + std::to_string(::getpid()))) {
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~TemporaryFolder() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

} // namespace

TEST_CASE("The spec's example recipe parses with every value as written") {
    const fs::path file = kSourceDir / "tests/recipe/data/spec_example.toml";
    const Expected<Recipe> loaded = load_recipe(file);
    if (!loaded) {
        FAIL(to_string(loaded.error()));
    }
    const Recipe& recipe = *loaded;
    const fs::path dir = kSourceDir / "tests/recipe/data";

    CHECK(recipe.file == file);
    CHECK(recipe.dir == dir);
    CHECK(recipe.version == 1);
    CHECK(recipe.name == "orders#show");

    CHECK(recipe.app.command == std::vector<std::string>{"bin/rails", "server", "-e", "production", "-b",
                                                         "127.0.0.1", "-p", "{port}"});
    CHECK(recipe.app.cwd == kSourceDir / "tests/recipe/examples/rails-orders");
    CHECK(recipe.app.env == EnvList{{"RAILS_ENV", "production"}, {"SECRET_KEY_BASE", "dev-only"}});
    CHECK(recipe.app.inherit_env);
    CHECK(recipe.app.port == 0);
    CHECK(recipe.app.ready.kind == ReadyKind::http);
    CHECK(recipe.app.ready.http_path == "/up");
    CHECK(recipe.app.ready.timeout == 60s);
    CHECK(recipe.app.stop.signal == SIGTERM);
    CHECK(recipe.app.stop.grace == 10s);

    CHECK(recipe.memory.scope == MemoryScope::tree);
    CHECK(recipe.memory.metric == MemoryMetric::rss);
    CHECK(recipe.memory.interval == 100ms);

    CHECK(recipe.load.requests == 3000);
    CHECK(recipe.load.concurrency == 4);
    CHECK(recipe.load.warmup == 300);
    CHECK(recipe.load.timeout == 10s);
    CHECK(recipe.load.max_error_rate == 0.01);
    CHECK(recipe.load.base_url == "http://127.0.0.1:{port}");
    CHECK_FALSE(recipe.load.allow_remote);
    CHECK(recipe.load.command.empty());
    REQUIRE(recipe.load.mix.size() == 1);
    const LoadRequest& request = recipe.load.mix[0];
    CHECK(request.method == "GET");
    CHECK(request.path == "/orders/42");
    CHECK(request.headers == EnvList{{"Accept", "text/html"}});
    CHECK(request.body.empty());
    CHECK(request.weight == 1);
    CHECK(request.expect == std::vector<int>{200});

    CHECK(recipe.chunk_settings.env_pattern == "CHUNK_{NAME}");
    CHECK(recipe.chunk_settings.list_env == "LEAKBISECT_CHUNKS");
    REQUIRE(recipe.chunks.size() == 4);
    CHECK(recipe.chunks[0].name == "load_order");
    CHECK(recipe.chunks[0].env == "CHUNK_LOAD_ORDER");
    CHECK(recipe.chunks[0].note.empty());
    CHECK(recipe.chunks[0].line == 41);
    CHECK(recipe.chunks[1].name == "warnings_panel");
    CHECK(recipe.chunks[1].env == "CHUNK_WARNINGS_PANEL");
    CHECK(recipe.chunks[1].note == "renders the warnings box");
    CHECK(recipe.chunks[1].line == 43);
    CHECK(recipe.chunks[2].name == "warnings_panel.has_warnings");
    CHECK(recipe.chunks[2].env == "CHUNK_WARNINGS_PANEL_HAS_WARNINGS");
    CHECK(recipe.chunks[2].line == 46);
    CHECK(recipe.chunks[3].name == "warnings_panel.warning_count");
    CHECK(recipe.chunks[3].env == "LEGACY_WARNING_COUNT");
    CHECK(recipe.chunks[3].line == 48);

    CHECK(recipe.verdict.min_leak == Bytes{100});
    CHECK(recipe.verdict.confidence == 0.99);
    CHECK(recipe.verdict.max_requests == 50'000);

    CHECK(recipe.search.strategy == Strategy::bisect);
    CHECK(recipe.search.repeats == 1);
    CHECK(recipe.search.retries == 2);
    CHECK(recipe.search.confirm);
    CHECK(recipe.search.narrow);

    CHECK(recipe.report.dir == dir / "leakbisect-runs");
    CHECK(recipe.report.formats == std::vector<std::string>{"html", "markdown", "json", "junit"});
}

TEST_CASE("A recipe that sets every key away from its default is read key by key") {
    const Recipe recipe = parsed(R"(version = 1
name = "checkout"
[app]
command = ["node", "server.js", "--port={port}"]
cwd = "/opt/shop"
env = { NODE_ENV = "production", DATA = "{recipe_dir}/data" }
inherit_env = false
port = 8080
ready = { log = "listening on \\d+", timeout = "2m" }
stop = { signal = "SIGINT", grace = "0s" }
[memory]
scope = "main"
metric = "pss"
interval = "250ms"
[load]
requests = 20000
concurrency = 16
warmup = 0
timeout = "1500ms"
max_error_rate = 0
base_url = "http://localhost:{port}/shop"
allow_remote = true
[[load.request]]
method = "post"
path = "/cart"
headers = { Content-Type = "application/json", Accept = "application/json" }
body = '{"sku": 42}'
weight = 3
expect = [201, 303]
[[load.request]]
path = "/cart/1"
expect = 200
[chunks]
env = "FLAG_{name}"
list_env = ""
[[chunk]]
name = "cart"
[verdict]
min_leak = "1KiB"
confidence = 0.95
max_requests = 100000
[search]
strategy = "linear"
repeats = 3
retries = 0
confirm = false
narrow = false
[report]
dir = "/var/tmp/runs/"
formats = ["json", "junit"]
)");
    CHECK(recipe.name == "checkout");
    CHECK(recipe.app.command == std::vector<std::string>{"node", "server.js", "--port={port}"});
    CHECK(recipe.app.cwd == "/opt/shop");
    CHECK(recipe.app.env == EnvList{{"NODE_ENV", "production"}, {"DATA", "{recipe_dir}/data"}});
    CHECK_FALSE(recipe.app.inherit_env);
    CHECK(recipe.app.port == 8080);
    CHECK(recipe.app.ready.kind == ReadyKind::log);
    CHECK(recipe.app.ready.log_pattern == "listening on \\d+");
    CHECK(recipe.app.ready.timeout == 2min);
    CHECK(recipe.app.stop.signal == SIGINT);
    CHECK(recipe.app.stop.grace == 0ms);

    CHECK(recipe.memory.scope == MemoryScope::main);
    CHECK(recipe.memory.metric == MemoryMetric::pss);
    CHECK(recipe.memory.interval == 250ms);

    CHECK(recipe.load.requests == 20000);
    CHECK(recipe.load.concurrency == 16);
    CHECK(recipe.load.warmup == 0);
    CHECK(recipe.load.timeout == 1500ms);
    CHECK(recipe.load.max_error_rate == 0.0);
    CHECK(recipe.load.base_url == "http://localhost:{port}/shop");
    CHECK(recipe.load.allow_remote);
    REQUIRE(recipe.load.mix.size() == 2);
    CHECK(recipe.load.mix[0].method == "POST");
    CHECK(recipe.load.mix[0].path == "/cart");
    CHECK(recipe.load.mix[0].headers ==
          EnvList{{"Content-Type", "application/json"}, {"Accept", "application/json"}});
    CHECK(recipe.load.mix[0].body == R"({"sku": 42})");
    CHECK(recipe.load.mix[0].weight == 3);
    CHECK(recipe.load.mix[0].expect == std::vector<int>{201, 303});
    CHECK(recipe.load.mix[1].method == "GET");
    CHECK(recipe.load.mix[1].expect == std::vector<int>{200});

    CHECK(recipe.chunk_settings.env_pattern == "FLAG_{name}");
    CHECK(recipe.chunk_settings.list_env.empty());
    REQUIRE(recipe.chunks.size() == 1);
    CHECK(recipe.chunks[0].env == "FLAG_cart");

    CHECK(recipe.verdict.min_leak == Bytes{1024});
    CHECK(recipe.verdict.confidence == 0.95);
    CHECK(recipe.verdict.max_requests == 100'000);

    CHECK(recipe.search.strategy == Strategy::linear);
    CHECK(recipe.search.repeats == 3);
    CHECK(recipe.search.retries == 0);
    CHECK_FALSE(recipe.search.confirm);
    CHECK_FALSE(recipe.search.narrow);

    CHECK(recipe.report.dir == "/var/tmp/runs");
    CHECK(recipe.report.formats == std::vector<std::string>{"json", "junit"});
}

TEST_CASE("A minimal recipe gets every default") {
    const Recipe recipe = parsed(compose({kAppPart, kLoadPart, kChunkPart}));
    const Recipe defaults;

    CHECK(recipe.file == "/srv/shop/recipe.toml");
    CHECK(recipe.dir == "/srv/shop");
    CHECK(recipe.version == 1);
    CHECK(recipe.name == "recipe");

    CHECK(recipe.app.command == std::vector<std::string>{"./server", "{port}"});
    CHECK(recipe.app.cwd == "/srv/shop");
    CHECK(recipe.app.env.empty());
    CHECK(recipe.app.inherit_env);
    CHECK(recipe.app.port == 0);
    CHECK(recipe.app.ready.kind == ReadyKind::tcp);
    CHECK(recipe.app.ready.timeout == 60s);
    CHECK(recipe.app.stop.signal == SIGTERM);
    CHECK(recipe.app.stop.grace == 10s);

    CHECK(recipe.memory.scope == MemoryScope::tree);
    CHECK(recipe.memory.metric == MemoryMetric::rss);
    CHECK(recipe.memory.interval == 100ms);

    CHECK(recipe.load.requests == 3000);
    CHECK(recipe.load.concurrency == 4);
    CHECK(recipe.load.warmup == 300);
    CHECK(recipe.load.timeout == 10s);
    CHECK(recipe.load.max_error_rate == 0.01);
    CHECK(recipe.load.base_url == "http://127.0.0.1:{port}");
    CHECK_FALSE(recipe.load.allow_remote);
    CHECK(recipe.load.command.empty());
    REQUIRE(recipe.load.mix.size() == 1);
    CHECK(recipe.load.mix[0].method == "GET");
    CHECK(recipe.load.mix[0].path == "/");
    CHECK(recipe.load.mix[0].headers.empty());
    CHECK(recipe.load.mix[0].body.empty());
    CHECK(recipe.load.mix[0].weight == 1);
    CHECK(recipe.load.mix[0].expect.empty());

    CHECK(recipe.chunk_settings.env_pattern == "CHUNK_{NAME}");
    CHECK(recipe.chunk_settings.list_env == "LEAKBISECT_CHUNKS");
    REQUIRE(recipe.chunks.size() == 1);
    CHECK(recipe.chunks[0].name == "a");
    CHECK(recipe.chunks[0].env == "CHUNK_A");
    CHECK(recipe.chunks[0].line == 5);

    CHECK(recipe.verdict.min_leak == defaults.verdict.min_leak);
    CHECK(recipe.verdict.confidence == defaults.verdict.confidence);
    CHECK(recipe.verdict.max_requests == defaults.verdict.max_requests);
    CHECK(recipe.search.strategy == Strategy::bisect);
    CHECK(recipe.search.repeats == 1);
    CHECK(recipe.search.retries == 2);
    CHECK(recipe.search.confirm);
    CHECK(recipe.search.narrow);
    CHECK(recipe.report.dir == "/srv/shop/leakbisect-runs");
    CHECK(recipe.report.formats == defaults.report.formats);
}

TEST_CASE("A load command replaces the request mix") {
    const Recipe recipe =
        parsed(complete("[load]\ncommand = [\"jmeter\", \"-n\", \"-t\", \"plan.jmx\", \"-Jport={port}\"]"));
    CHECK(recipe.load.command == std::vector<std::string>{"jmeter", "-n", "-t", "plan.jmx", "-Jport={port}"});
    CHECK(recipe.load.mix.empty());
}

TEST_CASE("A larger fixed load raises the default cap on adaptive extension") {
    CHECK(parsed(complete("[load]\nrequests = 80000\n[[load.request]]\npath = \"/\"")).verdict.max_requests ==
          80'000);
}

TEST_CASE("Paths are resolved against the recipe's folder") {
    SECTION("relative paths become absolute and lexically normal") {
        const Recipe recipe = parsed(
            complete("[app]\ncommand = [\"x\"]\ncwd = \"../shop/./app/\"\n[report]\ndir = \"out/runs\""));
        CHECK(recipe.app.cwd == "/srv/shop/app");
        CHECK(recipe.report.dir == "/srv/shop/out/runs");
    }
    SECTION("absolute paths stay as written") {
        const Recipe recipe =
            parsed(complete("[app]\ncommand = [\"x\"]\ncwd = \"/opt/app\"\n[report]\ndir = \"/tmp\""));
        CHECK(recipe.app.cwd == "/opt/app");
        CHECK(recipe.report.dir == "/tmp");
    }
    SECTION("a relative recipe file is made absolute against the working directory") {
        const Expected<Recipe> recipe =
            parse_recipe(compose({kAppPart, kLoadPart, kChunkPart}), "recipes/../recipes/orders.toml");
        REQUIRE(recipe.has_value());
        CHECK(recipe->file == fs::current_path() / "recipes/orders.toml");
        CHECK(recipe->dir == fs::current_path() / "recipes");
        CHECK(recipe->app.cwd == fs::current_path() / "recipes");
        CHECK(recipe->name == "orders");
    }
    SECTION("an empty path is an error") {
        const Error error = recipe_error(complete("[app]\ncommand = [\"x\"]\ncwd = \"\""));
        CHECK(error.where == at(3, 7));
        CHECK_THAT(error.message, StartsWith("app.cwd must not be empty"));
        CHECK_THAT(recipe_error(complete("[report]\ndir = \"\"")).message,
                   StartsWith("report.dir must not be empty"));
    }
}

TEST_CASE("A recipe is read from its file and errors name the file as given") {
    const TemporaryFolder folder;
    SECTION("a readable file") {
        const fs::path file = folder.path() / "shop.toml";
        std::ofstream(file) << compose({kAppPart, kLoadPart, kChunkPart, "[report]\ndir = \"runs\""});
        const Expected<Recipe> recipe = load_recipe(file);
        REQUIRE(recipe.has_value());
        CHECK(recipe->name == "shop");
        CHECK(recipe->dir == folder.path());
        CHECK(recipe->report.dir == folder.path() / "runs");
    }
    SECTION("an error in the file") {
        const fs::path file = folder.path() / "shop.toml";
        std::ofstream(file) << complete("version = 2");
        const Expected<Recipe> recipe = load_recipe(file);
        REQUIRE_FALSE(recipe.has_value());
        CHECK(recipe.error().where == file.string() + ":1:11");
    }
    SECTION("a missing file") {
        const fs::path file = folder.path() / "missing.toml";
        const Expected<Recipe> recipe = load_recipe(file);
        REQUIRE_FALSE(recipe.has_value());
        CHECK(recipe.error().kind == ErrorKind::bad_recipe);
        CHECK(recipe.error().where == file.string());
        CHECK_THAT(recipe.error().message, Contains("cannot open"));
    }
    SECTION("a folder instead of a file") {
        const Expected<Recipe> recipe = load_recipe(folder.path());
        REQUIRE_FALSE(recipe.has_value());
        CHECK(recipe.error().kind == ErrorKind::bad_recipe);
        CHECK(recipe.error().where == folder.path().string());
    }
}

TEST_CASE("TOML syntax errors name file, line and column with toml++'s description") {
    SECTION("an unterminated string") {
        const Error error = recipe_error("version = 1\nname = \"orders\n");
        CHECK_THAT(error.where, StartsWith(std::string(kRecipeFile) + ":2:"));
        CHECK_THAT(error.message, Contains("string"));
    }
    SECTION("a key defined twice") {
        const Error error = recipe_error(complete("[memory]\nmetric = \"rss\"\nmetric = \"pss\""));
        CHECK(error.where == at(3, 10));
        CHECK(error.message ==
              "Error while parsing key-value pair: cannot redefine existing string 'metric'");
    }
}

TEST_CASE("The version must be 1") {
    CHECK(parsed(complete("version = 1")).version == 1);
    SECTION("another number") {
        const Error error = recipe_error(complete("version = 2"));
        CHECK(error.where == at(1, 11));
        CHECK(error.message == "version must be 1: this leakbisect reads recipe version 1, got 2");
    }
    SECTION("a string") {
        CHECK(recipe_error(complete("version = \"1\"")).message ==
              "version must be 1: this leakbisect reads recipe version 1, got a string");
    }
}

TEST_CASE("The name labels reports and defaults to the file's stem") {
    CHECK(parsed(complete("name = \"orders#show\"")).name == "orders#show");
    CHECK(parsed(complete("")).name == "recipe");
    CHECK(recipe_error(complete("name = 5")).message == "name must be a string, got an integer");
    CHECK_THAT(recipe_error(complete("name = \"\"")).message, StartsWith("name must not be empty"));
}

TEST_CASE("Enumerations print as the recipe spells them") {
    CHECK(to_string(Strategy::linear) == "linear");
    CHECK(to_string(Strategy::bisect) == "bisect");
    CHECK(to_string(MemoryMetric::rss) == "rss");
    CHECK(to_string(MemoryMetric::pss) == "pss");
    CHECK(to_string(MemoryMetric::uss) == "uss");
    CHECK(to_string(MemoryMetric::cgroup) == "cgroup");
    CHECK(to_string(MemoryScope::tree) == "tree");
    CHECK(to_string(MemoryScope::main) == "main");
}

TEST_CASE("Of several mistakes, the earliest in the file is reported") {
    SECTION("whatever order the sections are read in") {
        const Error error = recipe_error(complete("[search]\nrepeats = 0\n[app]\ncommand = []"));
        CHECK(error.where == at(2, 11));
    }
    SECTION("a misspelt key rather than the required key it leaves missing") {
        const Error error = recipe_error(complete("[app]\ncomand = [\"x\"]"));
        CHECK(error.where == at(2, 1));
        CHECK(error.message == "unknown key 'comand' in [app]; did you mean 'command'?");
    }
    SECTION("a mistake written anywhere rather than something missing") {
        const Error error = recipe_error(complete("[app]\ninherit_env = true\n[search]\nrepeats = 0"));
        CHECK(error.where == at(4, 11));
    }
    SECTION("a mistake rather than something missing from the whole file") {
        const Error error = recipe_error(compose({"[memory]\nmetric = \"md\"", kLoadPart, kChunkPart}));
        CHECK(error.where == at(2, 10));
    }
}
