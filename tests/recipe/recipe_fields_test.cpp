// Field by field: every class of mistake is reported at the offending key or value, saying what
// is wrong and what to write instead.
#include "leakbisect/recipe/recipe.hpp"

#include "recipe_fixtures.hpp"

#include <catch2/catch.hpp>
#include <csignal>

using namespace leakbisect;
using namespace leakbisect::test;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

TEST_CASE("Unknown keys are errors that name the key, its place and the closest known key") {
    SECTION("in a table") {
        const Error error = recipe_error(complete("[load]\nconcurency = 4\n[[load.request]]\npath = \"/\""));
        CHECK(error.where == at(2, 1));
        CHECK(error.message == "unknown key 'concurency' in [load]; did you mean 'concurrency'?");
    }
    SECTION("at the top level") {
        const Error error = recipe_error(complete("[lod]\nrequests = 1"));
        CHECK(error.where == at(1, 2));
        CHECK(error.message == "unknown key 'lod' at the top level; did you mean 'load'?");
    }
    SECTION("in an inline table") {
        const Error error = recipe_error(complete("[app]\ncommand = [\"x\"]\nready = { htp = \"/up\" }"));
        CHECK(error.where == at(3, 11));
        CHECK(error.message == "unknown key 'htp' in [app.ready]; did you mean 'http'?");
    }
    SECTION("in an array of tables") {
        const Error error = recipe_error(complete("[[load.request]]\npth = \"/\""));
        CHECK(error.where == at(2, 1));
        CHECK(error.message == "unknown key 'pth' in [[load.request]]; did you mean 'path'?");
        CHECK(recipe_error(complete("[[chunk]]\nname = \"a\"\nnot = \"x\"")).message ==
              "unknown key 'not' in [[chunk]]; did you mean 'note'?");
    }
    SECTION("with nothing close, the known keys are listed") {
        const Error error = recipe_error(complete("[search]\nfrobnicate = true"));
        CHECK(error.where == at(2, 1));
        CHECK(error.message == "unknown key 'frobnicate' in [search]; the known keys are strategy, repeats, "
                               "retries, confirm, narrow");
    }
    SECTION("the first one written is reported") {
        CHECK(recipe_error(complete("[memory]\nzzz_second = 1\naaa_first = 1")).where == at(2, 1));
    }
}

TEST_CASE("The app command is required and is an argv") {
    SECTION("no [app] at all") {
        const Error error = recipe_error(compose({kLoadPart, kChunkPart}));
        CHECK(error.where == kRecipeFile);
        CHECK_THAT(
            error.message,
            StartsWith(
                R"(app.command is required: the argv that starts your app, e.g. ["bin/rails", "server", "-p", "{port}"])"));
    }
    SECTION("an [app] without a command") {
        const Error error = recipe_error(complete("[app]\ninherit_env = true"));
        CHECK(error.where == at(1, 1));
        CHECK(
            error.message ==
            R"(app.command is required: the argv that starts your app, e.g. ["bin/rails", "server", "-p", "{port}"])");
    }
    SECTION("a command line instead of an argv") {
        const Error error = recipe_error(complete("[app]\ncommand = \"bin/rails server\""));
        CHECK(error.where == at(2, 11));
        CHECK_THAT(error.message, StartsWith("app.command must be an array of strings (argv, no shell)") &&
                                      Contains("got a string"));
    }
    SECTION("an empty argv") {
        CHECK_THAT(recipe_error(complete("[app]\ncommand = []")).message,
                   StartsWith("app.command must not be empty"));
    }
    SECTION("an argument that is not a string") {
        const Error error = recipe_error(complete("[app]\ncommand = [\"./s\", 8080]"));
        CHECK(error.where == at(2, 19));
        CHECK(error.message == "app.command[1] must be a string, got an integer");
    }
    SECTION("an empty program") {
        CHECK_THAT(recipe_error(complete("[app]\ncommand = [\"\", \"x\"]")).message,
                   StartsWith("app.command[0] must name the program to run"));
    }
    SECTION("a dotted key at the top level counts as [app]") {
        CHECK(parsed(complete("app.command = [\"x\"]")).app.command == std::vector<std::string>{"x"});
    }
}

TEST_CASE("A load is required: request mix or command, not both") {
    SECTION("no [load] at all") {
        const Error error = recipe_error(compose({kAppPart, kChunkPart}));
        CHECK(error.where == kRecipeFile);
        CHECK_THAT(error.message, StartsWith("a load is required: add a [[load.request]] table with a path"));
    }
    SECTION("a [load] with neither") {
        const Error error = recipe_error(complete("[load]\nrequests = 100\nwarmup = 10"));
        CHECK(error.where == at(1, 1));
        CHECK_THAT(error.message, StartsWith("a load is required"));
    }
    SECTION("both") {
        const Error error =
            recipe_error(complete("[load]\ncommand = [\"hey\"]\n[[load.request]]\npath = \"/\""));
        CHECK(error.where == at(2, 11));
        CHECK_THAT(error.message, StartsWith("load.command and [[load.request]] exclude each other"));
    }
    SECTION("a request without a path") {
        const Error error = recipe_error(complete("[[load.request]]\nmethod = \"GET\""));
        CHECK(error.where == at(1, 1));
        CHECK(error.message == R"(load.request[0].path is required: the path to request, e.g. "/orders/42")");
    }
    SECTION("a path that does not start with a slash") {
        const Error error =
            recipe_error(complete("[[load.request]]\npath = \"/\"\n[[load.request]]\npath = \"orders\""));
        CHECK(error.where == at(4, 8));
        CHECK(error.message ==
              R"(load.request[1].path must start with "/", e.g. "/orders/42", got "orders")");
    }
    SECTION("a path with a space") {
        CHECK_THAT(recipe_error(complete("[[load.request]]\npath = \"/a b\"")).message, Contains("%20"));
    }
    SECTION("a single [load.request] table") {
        const Error error = recipe_error(complete("[load.request]\npath = \"/\""));
        CHECK(error.where == at(1, 1));
        CHECK(error.message ==
              "load.request is a list: write each entry under [[load.request]] (two brackets)");
    }
    SECTION("a request method that is not a word") {
        CHECK_THAT(recipe_error(complete("[[load.request]]\npath = \"/\"\nmethod = \"GE T\"")).message,
                   StartsWith(R"(load.request[0].method must be an HTTP method like "GET" or "POST")"));
    }
    SECTION("a header name that is not a token") {
        const Error error =
            recipe_error(complete("[[load.request]]\npath = \"/\"\nheaders = { \"X Bad\" = \"1\" }"));
        CHECK(error.where == at(3, 13));
        CHECK(error.message == "'X Bad' in load.request[0].headers is not a valid HTTP header name");
    }
}

TEST_CASE("Values of the wrong type say what was expected and what was found") {
    SECTION("a quoted number") {
        const Error error =
            recipe_error(complete("[load]\nrequests = \"3000\"\n[[load.request]]\npath = \"/\""));
        CHECK(error.where == at(2, 12));
        CHECK(error.message == "load.requests must be an integer from 1 to 1000000000, got a string; write "
                               "the number without quotes");
    }
    SECTION("a boolean for a number") {
        CHECK(recipe_error(complete("[load]\nrequests = true\n[[load.request]]\npath = \"/\"")).message ==
              "load.requests must be an integer from 1 to 1000000000, got a boolean");
    }
    SECTION("a float for an integer") {
        CHECK(recipe_error(complete("[search]\nrepeats = 2.0")).message ==
              "search.repeats must be an integer from 1 to 100, got a float");
    }
    SECTION("a string for a boolean") {
        CHECK(recipe_error(complete("[app]\ncommand = [\"x\"]\ninherit_env = \"yes\"")).message ==
              "app.inherit_env must be true or false, got a string");
    }
    SECTION("a number for an environment value") {
        const Error error = recipe_error(complete("[app]\ncommand = [\"x\"]\nenv = { WORKERS = 2 }"));
        CHECK(error.where == at(3, 19));
        CHECK(error.message ==
              "app.env.WORKERS must be a string, got an integer; environment values are text, so quote it");
    }
    SECTION("a number for a duration") {
        CHECK(recipe_error(complete("[memory]\ninterval = 100")).message ==
              R"(memory.interval must be a duration like "10s" or "250ms", got an integer)");
    }
    SECTION("a value for a table") {
        const Error error = recipe_error(complete("memory = \"rss\""));
        CHECK(error.where == at(1, 10));
        CHECK(error.message == "memory must be a table, got a string");
    }
    SECTION("a string for a list of statuses") {
        CHECK_THAT(recipe_error(complete("[[load.request]]\npath = \"/\"\nexpect = \"200\"")).message,
                   StartsWith("load.request[0].expect must hold HTTP statuses from 100 to 599") &&
                       Contains("got a string"));
    }
}

TEST_CASE("Numbers out of range are errors that give the range") {
    const auto load_error = [](std::string_view settings) {
        return recipe_error(complete(compose({"[load]", settings, "[[load.request]]\npath = \"/\""})));
    };
    SECTION("concurrency") {
        const Error error = load_error("concurrency = 0");
        CHECK(error.where == at(2, 15));
        CHECK(error.message == "load.concurrency must be an integer from 1 to 1024, got 0");
    }
    SECTION("requests") {
        CHECK(load_error("requests = -5").message ==
              "load.requests must be an integer from 1 to 1000000000, got -5");
    }
    SECTION("warmup must leave requests to judge") {
        const Error error = load_error("warmup = 3000");
        CHECK(error.where == at(2, 10));
        CHECK_THAT(error.message, StartsWith("load.warmup (3000) must be less than load.requests (3000)"));
    }
    SECTION("a small load under the default warmup is reported at requests") {
        const Error error = load_error("requests = 100");
        CHECK(error.where == at(2, 12));
        CHECK_THAT(error.message, StartsWith("load.warmup (300) must be less than load.requests (100)"));
    }
    SECTION("max_error_rate") {
        CHECK(load_error("max_error_rate = 1.5").message ==
              "load.max_error_rate must be a number from 0 to 1, got 1.5");
        CHECK(load_error("max_error_rate = -0.1").message ==
              "load.max_error_rate must be a number from 0 to 1, got -0.1");
        CHECK(parsed(complete("[load]\nmax_error_rate = 1\n[[load.request]]\npath = \"/\""))
                  .load.max_error_rate == 1.0);
    }
    SECTION("confidence excludes both ends") {
        CHECK(recipe_error(complete("[verdict]\nconfidence = 1")).message ==
              "verdict.confidence must be a number between 0 and 1 (exclusive), e.g. 0.99, got 1");
        CHECK_THAT(recipe_error(complete("[verdict]\nconfidence = 0.0")).message, Contains("got 0"));
        CHECK_THAT(recipe_error(complete("[verdict]\nconfidence = nan")).message, Contains("got nan"));
    }
    SECTION("max_requests must allow the fixed load") {
        const Error error = recipe_error(complete("[verdict]\nmax_requests = 1000"));
        CHECK(error.where == at(2, 16));
        CHECK_THAT(error.message,
                   StartsWith("verdict.max_requests (1000) must be at least load.requests (3000)"));
    }
    SECTION("counts too large to be a plan are refused before they overflow or never end") {
        CHECK(recipe_error(complete("[verdict]\nmax_requests = 9223372036854775807")).message ==
              "verdict.max_requests must be an integer from 1 to 1000000000, got 9223372036854775807");
        CHECK(
            recipe_error(complete("[load]\nrequests = 2000000000\n[[load.request]]\npath = \"/\"")).message ==
            "load.requests must be an integer from 1 to 1000000000, got 2000000000");
        CHECK(recipe_error(complete("[load]\nconcurrency = 5000\n[[load.request]]\npath = \"/\"")).message ==
              "load.concurrency must be an integer from 1 to 1024, got 5000");
        CHECK(recipe_error(complete("[search]\nretries = 4294967296")).message ==
              "search.retries must be an integer from 0 to 100, got 4294967296");
    }
    SECTION("repeats and retries") {
        CHECK(recipe_error(complete("[search]\nrepeats = 0")).message ==
              "search.repeats must be an integer from 1 to 100, got 0");
        CHECK(recipe_error(complete("[search]\nretries = -1")).message ==
              "search.retries must be an integer from 0 to 100, got -1");
    }
    SECTION("port") {
        CHECK(recipe_error(complete("[app]\ncommand = [\"x\"]\nport = 70000")).message ==
              "app.port must be an integer from 0 to 65535, got 70000");
        CHECK(parsed(complete("[app]\ncommand = [\"x\"]\nport = 65535")).app.port == 65535);
    }
    SECTION("weight") {
        CHECK(recipe_error(complete("[[load.request]]\npath = \"/\"\nweight = 0")).message ==
              "load.request[0].weight must be an integer from 1 to 1000000, got 0");
    }
    SECTION("expected statuses") {
        const Error error = recipe_error(complete("[[load.request]]\npath = \"/\"\nexpect = [200, 99]"));
        CHECK(error.where == at(3, 16));
        CHECK(error.message ==
              "load.request[0].expect must hold HTTP statuses from 100 to 599, e.g. [200, 304], got 99");
        CHECK_THAT(recipe_error(complete("[[load.request]]\npath = \"/\"\nexpect = 600")).message,
                   Contains("got 600"));
        CHECK_THAT(recipe_error(complete("[[load.request]]\npath = \"/\"\nexpect = []")).message,
                   StartsWith("load.request[0].expect must list at least one status"));
    }
}

TEST_CASE("Durations and sizes are parsed with their units") {
    SECTION("a duration with an unknown unit") {
        const Error error =
            recipe_error(complete("[load]\ntimeout = \"10x\"\n[[load.request]]\npath = \"/\""));
        CHECK(error.where == at(2, 11));
        CHECK(error.message == "load.timeout: '10x' has an unknown time unit 'x'; use ms, s, m or h");
    }
    SECTION("a duration without a unit") {
        CHECK_THAT(recipe_error(complete("[memory]\ninterval = \"100\"")).message,
                   StartsWith("memory.interval: '100' is not a duration"));
    }
    SECTION("a zero interval") {
        CHECK(recipe_error(complete("[memory]\ninterval = \"0ms\"")).message ==
              R"(memory.interval must be longer than 0ms, got "0ms")");
    }
    SECTION("a zero grace is allowed: stop hard at once") {
        CHECK(parsed(complete("[app]\ncommand = [\"x\"]\nstop = { grace = \"0s\" }")).app.stop.grace == 0ms);
    }
    SECTION("every duration key") {
        const Recipe recipe = parsed(complete(R"([app]
command = ["x"]
ready = { tcp = true, timeout = "1h" }
stop = { grace = "5m" }
[memory]
interval = "1s"
[load]
timeout = "250ms"
[[load.request]]
path = "/")"));
        CHECK(recipe.app.ready.timeout == 1h);
        CHECK(recipe.app.stop.grace == 5min);
        CHECK(recipe.memory.interval == 1s);
        CHECK(recipe.load.timeout == 250ms);
    }
    SECTION("sizes as strings or integers") {
        CHECK(parsed(complete("[verdict]\nmin_leak = \"64KiB\"")).verdict.min_leak == Bytes{64 * 1024});
        CHECK(parsed(complete("[verdict]\nmin_leak = \"5KB\"")).verdict.min_leak == Bytes{5000});
        CHECK(parsed(complete("[verdict]\nmin_leak = 2048")).verdict.min_leak == Bytes{2048});
    }
    SECTION("a size with an unknown unit") {
        const Error error = recipe_error(complete("[verdict]\nmin_leak = \"12 parsecs\""));
        CHECK(error.where == at(2, 12));
        CHECK_THAT(error.message,
                   StartsWith("verdict.min_leak: '12 parsecs' has an unknown size unit 'parsecs'"));
    }
    SECTION("a size that is not positive") {
        CHECK(recipe_error(complete("[verdict]\nmin_leak = 0")).message ==
              "verdict.min_leak must be more than 0 bytes, got 0");
        CHECK_THAT(recipe_error(complete("[verdict]\nmin_leak = true")).message,
                   StartsWith(R"(verdict.min_leak must be a size like "100B")"));
    }
}

TEST_CASE("Enumerations accept only their spellings and suggest the closest") {
    SECTION("metric") {
        const Error error = recipe_error(complete("[memory]\nmetric = \"rs\""));
        CHECK(error.where == at(2, 10));
        CHECK(error.message ==
              R"(memory.metric must be one of "rss", "pss", "uss", "cgroup", got "rs"; did you mean "rss"?)");
        CHECK(parsed(complete("[memory]\nmetric = \"uss\"")).memory.metric == MemoryMetric::uss);
        CHECK(parsed(complete("[memory]\nmetric = \"cgroup\"")).memory.metric == MemoryMetric::cgroup);
    }
    SECTION("the cgroup metric measures the whole tree, so scope = \"main\" with it is refused") {
        const Error error = recipe_error(complete("[memory]\nmetric = \"cgroup\"\nscope = \"main\""));
        CHECK(error.where == at(3, 9));
        CHECK_THAT(error.message,
                   StartsWith(R"(memory.scope = "main" cannot go with metric = "cgroup": the cgroup holds)"));
        CHECK(parsed(complete("[memory]\nmetric = \"cgroup\"\nscope = \"tree\"")).memory.scope ==
              MemoryScope::tree);
    }
    SECTION("scope") {
        CHECK_THAT(recipe_error(complete("[memory]\nscope = \"all\"")).message,
                   StartsWith(R"(memory.scope must be one of "tree", "main", got "all")"));
        CHECK(parsed(complete("[memory]\nscope = \"main\"")).memory.scope == MemoryScope::main);
    }
    SECTION("strategy") {
        CHECK(
            recipe_error(complete("[search]\nstrategy = \"bisection\"")).message ==
            R"(search.strategy must be one of "linear", "bisect", got "bisection"; did you mean "bisect"?)");
        CHECK(recipe_error(complete("[search]\nstrategy = 1")).message ==
              R"(search.strategy must be one of "linear", "bisect", got an integer)");
    }
    SECTION("report formats") {
        const Error error = recipe_error(complete("[report]\nformats = [\"html\", \"jsonl\"]"));
        CHECK(error.where == at(2, 20));
        CHECK(
            error.message ==
            R"(report.formats[1] must be one of html, markdown, json, junit, got "jsonl"; did you mean "json"?)");
        CHECK(recipe_error(complete("[report]\nformats = [\"json\", \"json\"]")).message ==
              R"(report.formats lists "json" twice)");
        CHECK(parsed(complete("[report]\nformats = []")).report.formats.empty());
    }
}

TEST_CASE("The stop signal is a name, with or without SIG, or a number") {
    const auto signal_of = [](std::string_view value) {
        return parsed(complete(compose(
                          {"[app]\ncommand = [\"x\"]", "stop = { signal = " + std::string(value) + " }"})))
            .app.stop.signal;
    };
    CHECK(signal_of("\"TERM\"") == SIGTERM);
    CHECK(signal_of("\"INT\"") == SIGINT);
    CHECK(signal_of("\"SIGQUIT\"") == SIGQUIT);
    CHECK(signal_of("\"HUP\"") == SIGHUP);
    CHECK(signal_of("\"KILL\"") == SIGKILL);
    CHECK(signal_of("\"SIGUSR1\"") == SIGUSR1);
    CHECK(signal_of("\"usr2\"") == SIGUSR2);
    CHECK(signal_of("9") == 9);

    const auto signal_error = [](std::string_view value) {
        return recipe_error(complete(
            compose({"[app]\ncommand = [\"x\"]", "stop = { signal = " + std::string(value) + " }"})));
    };
    const Error error = signal_error("\"STOP\"");
    CHECK(error.where == at(3, 19));
    CHECK(error.message ==
          "app.stop.signal must be one of TERM, INT, QUIT, HUP, KILL, USR1, USR2 (with or without "
          "\"SIG\") or a signal number, got \"STOP\"");
    CHECK_THAT(signal_error("0").message, Contains("got 0"));
    CHECK_THAT(signal_error("true").message, Contains("got a boolean"));
}

TEST_CASE("The ready check is exactly one of http, tcp or log, with an optional timeout") {
    const auto app_with = [](std::string_view ready) {
        return complete(compose({"[app]\ncommand = [\"x\"]", "ready = " + std::string(ready)}));
    };
    SECTION("http") {
        const ReadyCheck ready = parsed(app_with(R"({ http = "/up" })")).app.ready;
        CHECK(ready.kind == ReadyKind::http);
        CHECK(ready.http_path == "/up");
        CHECK(ready.timeout == 60s);
    }
    SECTION("tcp with a timeout") {
        const ReadyCheck ready = parsed(app_with(R"({ tcp = true, timeout = "2m" })")).app.ready;
        CHECK(ready.kind == ReadyKind::tcp);
        CHECK(ready.timeout == 2min);
    }
    SECTION("log") {
        const ReadyCheck ready = parsed(app_with(R"({ log = "Listening on .*:\\d+" })")).app.ready;
        CHECK(ready.kind == ReadyKind::log);
        CHECK(ready.log_pattern == R"(Listening on .*:\d+)");
    }
    SECTION("as its own table") {
        CHECK(parsed(complete("[app]\ncommand = [\"x\"]\n[app.ready]\nhttp = \"/health\""))
                  .app.ready.http_path == "/health");
    }
    SECTION("only a timeout") {
        const Error error = recipe_error(app_with(R"({ timeout = "5s" })"));
        CHECK(error.where == at(3, 9));
        CHECK_THAT(error.message, StartsWith("app.ready needs one of http, tcp or log"));
    }
    SECTION("two kinds") {
        const Error error = recipe_error(app_with(R"({ http = "/up", log = "ready" })"));
        CHECK(error.where == at(3, 31));
        CHECK_THAT(error.message,
                   StartsWith("app.ready takes only one of http, tcp or log, got http and log"));
    }
    SECTION("a regex that does not compile") {
        const Error error = recipe_error(app_with(R"({ log = "([unclosed" })"));
        CHECK(error.where == at(3, 17));
        CHECK_THAT(error.message,
                   StartsWith("app.ready.log is not a regular expression leakbisect can match ("));
    }
    SECTION("a regex nested 100,000 deep is read without a crash (std::regex overflowed its stack)") {
        const std::string nested = std::string(100000, '(') + "a" + std::string(100000, ')');
        CHECK(parsed(app_with("{ log = \"" + nested + "\" }")).app.ready.log_pattern == nested);
    }
    SECTION("a regex too big for the matcher's memory is refused") {
        const Error error = recipe_error(app_with(R"x({ log = "(((a{100}){100}){100})" })x"));
        CHECK_THAT(error.message,
                   StartsWith("app.ready.log is not a regular expression leakbisect can match ("));
    }
    SECTION("backreferences, which a linear-time matcher cannot take, are refused") {
        CHECK_THAT(recipe_error(app_with(R"({ log = "(a)\\1" })")).message, Contains("RE2 syntax"));
    }
    SECTION("an empty regex") {
        CHECK_THAT(recipe_error(app_with(R"({ log = "" })")).message,
                   StartsWith("app.ready.log must not be empty"));
    }
    SECTION("tcp = false") {
        CHECK_THAT(recipe_error(app_with("{ tcp = false }")).message,
                   StartsWith("app.ready.tcp can only be true"));
    }
    SECTION("an http path without a slash") {
        CHECK(recipe_error(app_with(R"({ http = "up" })")).message ==
              R"(app.ready.http must be a path starting with "/", e.g. "/up", got "up")");
    }
    SECTION("not a table") {
        const Error error = recipe_error(app_with(R"("tcp")"));
        CHECK(error.where == at(3, 9));
        CHECK_THAT(error.message, StartsWith("app.ready must be a table: one of { http = \"/up\" }") &&
                                      Contains("got a string"));
    }
}

TEST_CASE("Unknown placeholders are errors naming the placeholder and the known ones") {
    SECTION("in app.command") {
        const Error error = recipe_error(complete("[app]\ncommand = [\"rails\", \"-p\", \"{prot}\"]"));
        CHECK(error.where == at(2, 27));
        CHECK(error.message ==
              "unknown placeholder {prot} in app.command[2] (did you mean {port}?); the known "
              "placeholders are {port}, {recipe_dir}, {run_dir}, {probe_dir}");
    }
    SECTION("in an app.env value") {
        const Error error =
            recipe_error(complete("[app]\ncommand = [\"x\"]\nenv = { LOG = \"{log_file}\" }"));
        CHECK(error.where == at(3, 15));
        CHECK_THAT(error.message, StartsWith("unknown placeholder {log_file} in app.env.LOG"));
    }
    SECTION("in load.command") {
        CHECK_THAT(recipe_error(complete("[load]\ncommand = [\"k6\", \"{script}\"]")).message,
                   StartsWith("unknown placeholder {script} in load.command[1]"));
    }
    SECTION("in load.base_url") {
        const Error error = recipe_error(
            complete("[load]\nbase_url = \"http://127.0.0.1:{porrt}\"\n[[load.request]]\npath = \"/\""));
        CHECK(error.where == at(2, 12));
        CHECK_THAT(error.message,
                   StartsWith("unknown placeholder {porrt} in load.base_url (did you mean {port}?)"));
    }
    SECTION("known placeholders and braces that are not placeholders are accepted") {
        const Recipe recipe = parsed(complete(R"([app]
command = ["{recipe_dir}/bin/server", "--port={port}", "--log={run_dir}/{probe_dir}"]
env = { JSON = '{"a": {"b": 1}}', PATTERN = '\d{3}' }
[load]
base_url = "http://127.0.0.1:{port}/app"
[[load.request]]
path = "/{id}")"));
        CHECK(recipe.app.env == EnvList{{"JSON", R"({"a": {"b": 1}})"}, {"PATTERN", R"(\d{3})"}});
        CHECK(recipe.load.mix[0].path == "/{id}");
    }
}

TEST_CASE("Tables of strings keep the order they were written in") {
    const Recipe recipe = parsed(complete(R"([app]
command = ["x"]
env = { ZED = "1", ALPHA = "2", MIDDLE = "3" }
[[load.request]]
path = "/"
[load.request.headers]
X-Zed = "1"
Accept = "2")"));
    CHECK(recipe.app.env == EnvList{{"ZED", "1"}, {"ALPHA", "2"}, {"MIDDLE", "3"}});
    CHECK(recipe.load.mix[0].headers == EnvList{{"X-Zed", "1"}, {"Accept", "2"}});
}

TEST_CASE("Environment variable names must be usable") {
    const Error error = recipe_error(complete("[app]\ncommand = [\"x\"]\nenv = { \"A=B\" = \"1\" }"));
    CHECK(error.where == at(3, 9));
    CHECK(error.message == "'A=B' in app.env is not a valid environment variable name");
}
