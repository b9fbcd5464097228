// [app]: how to start the app, when it is ready, how to stop it.
#include "sections.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <csignal>
#include <fmt/format.h>
#include <re2/re2.h>

namespace leakbisect::recipe_detail {
namespace {

constexpr std::string_view kCommandExample = R"(["bin/rails", "server", "-p", "{port}"])";
constexpr std::string_view kReadyForms = R"({ http = "/up" }, { tcp = true } or { log = "Listening on" })";

struct NamedSignal {
    std::string_view name;
    int number;
};

constexpr std::array kStopSignals{
    NamedSignal{"TERM", SIGTERM}, NamedSignal{"INT", SIGINT},   NamedSignal{"QUIT", SIGQUIT},
    NamedSignal{"HUP", SIGHUP},   NamedSignal{"KILL", SIGKILL}, NamedSignal{"USR1", SIGUSR1},
    NamedSignal{"USR2", SIGUSR2},
};

// "TERM", "SIGTERM", "sigterm" -> SIGTERM.
std::optional<int> signal_named(std::string_view text) {
    std::string name;
    for (const char c : text) {
        name.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    if (name.starts_with("SIG")) {
        name.erase(0, 3);
    }
    for (const NamedSignal& signal : kStopSignals) {
        if (signal.name == name) {
            return signal.number;
        }
    }
    return std::nullopt;
}

std::string command_required() {
    return fmt::format("app.command is required: the argv that starts your app, e.g. {}", kCommandExample);
}

void read_command(const Section& app, AppSpec& spec) {
    if (app.find("command") == nullptr) {
        app.fail_missing(command_required());
        return;
    }
    read_argv(app, "command", spec.command, kCommandExample);
}

void read_env(const Section& app, EnvList& env) {
    const std::optional<Section> table =
        app.read_table("env", R"(a table of strings, e.g. { RAILS_ENV = "production" })");
    if (!table) {
        return;
    }
    for (const auto& [key, node] : table->entries_in_order()) {
        const std::string name(key->str());
        const std::string path = table->key_path(name);
        if (!is_valid_variable_name(name)) {
            table->fail(*key, fmt::format("'{}' in app.env is not a valid environment variable name", name));
            return;
        }
        if (!node->is_string()) {
            table->fail(*node,
                        fmt::format("{} must be a string, got {}; environment values are text, so quote it",
                                    path, describe_type(*node)));
            return;
        }
        const std::string& value = node->as_string()->get();
        check_placeholders(*table, *node, path, value);
        env.emplace_back(name, value);
    }
}

void read_log_pattern(const Section& ready_table, ReadyCheck& ready) {
    const toml::node& node = *ready_table.find("log");
    if (ready.log_pattern.empty()) {
        ready_table.fail(node,
                         "app.ready.log must not be empty: give a regex that the app prints once ready, "
                         "e.g. \"Listening on\"");
        return;
    }
    // RE2, as the readiness check matches it: linear in the input, no recursion, bounded memory.
    RE2::Options options;
    options.set_log_errors(false);
    options.set_max_mem(kReadyPatternMemory);
    const RE2 compiled(ready.log_pattern, options);
    if (!compiled.ok()) {
        ready_table.fail(node,
                         fmt::format("app.ready.log is not a regular expression leakbisect can match ({}): "
                                     "use RE2 syntax (no backreferences or lookaround) and keep it short",
                                     compiled.error()));
    }
}

void read_ready(const Section& app, ReadyCheck& ready) {
    const std::optional<Section> table =
        app.read_table("ready", fmt::format("a table: one of {}", kReadyForms));
    if (!table) {
        return;
    }
    table->allow_only(recipe_keys::kAppReady);
    std::vector<std::string> kinds;
    for (const std::string_view kind : {"http", "tcp", "log"}) {
        if (table->find(kind) != nullptr) {
            kinds.emplace_back(kind);
        }
    }
    if (kinds.empty()) {
        table->fail_missing(fmt::format("app.ready needs one of http, tcp or log: {}", kReadyForms));
        return;
    }
    if (kinds.size() > 1) {
        table->fail(*table->find(kinds[1]),
                    fmt::format("app.ready takes only one of http, tcp or log, got {}; "
                                "keep the one that tells your app is ready",
                                fmt::join(kinds, " and ")));
        return;
    }
    table->read_duration("timeout", ready.timeout, DurationFloor::positive);
    if (table->read_string("http", ready.http_path)) {
        ready.kind = ReadyKind::http;
        if (!ready.http_path.starts_with('/')) {
            table->fail(
                *table->find("http"),
                fmt::format("app.ready.http must be a path starting with \"/\", e.g. \"/up\", got \"{}\"",
                            ready.http_path));
        }
    }
    bool tcp = true;
    if (table->read_bool("tcp", tcp)) {
        ready.kind = ReadyKind::tcp;
        if (!tcp) {
            table->fail(*table->find("tcp"), "app.ready.tcp can only be true (ready once the port accepts "
                                             "connections); to wait for something else use http or log");
        }
    }
    if (table->read_string("log", ready.log_pattern)) {
        ready.kind = ReadyKind::log;
        read_log_pattern(*table, ready);
    }
}

void read_signal(const Section& stop_table, int& signal) {
    const toml::node* node = stop_table.find("signal");
    if (node == nullptr) {
        return;
    }
    std::optional<int> number;
    if (node->is_integer() && node->as_integer()->get() > 0 && node->as_integer()->get() < NSIG) {
        number = static_cast<int>(node->as_integer()->get());
    } else if (node->is_string()) {
        number = signal_named(node->as_string()->get());
    }
    if (!number) {
        stop_table.fail(*node,
                        fmt::format("app.stop.signal must be one of TERM, INT, QUIT, HUP, KILL, USR1, USR2 "
                                    "(with or without \"SIG\") or a signal number, got {}",
                                    describe_value(*node)));
        return;
    }
    signal = *number;
}

void read_stop(const Section& app, StopPolicy& stop) {
    const std::optional<Section> table =
        app.read_table("stop", R"(a table, e.g. { signal = "TERM", grace = "10s" })");
    if (!table) {
        return;
    }
    table->allow_only(recipe_keys::kAppStop);
    read_signal(*table, stop.signal);
    table->read_duration("grace", stop.grace, DurationFloor::zero_allowed);
}

} // namespace

void read_app(const Section& top, Recipe& recipe) {
    const std::optional<Section> app = top.read_table("app");
    if (!app) {
        if (top.find("app") == nullptr) {
            top.diagnostics().report_missing_in_file(command_required() + "; add it under [app]");
        }
        return;
    }
    app->allow_only(recipe_keys::kApp);
    AppSpec& spec = recipe.app;
    read_command(*app, spec);
    std::string cwd;
    if (app->read_string("cwd", cwd)) {
        if (cwd.empty()) {
            app->fail(*app->find("cwd"),
                      "app.cwd must not be empty; leave it out to run the app in the recipe's folder");
        } else {
            spec.cwd = resolve_against(recipe.dir, cwd);
        }
    }
    read_env(*app, spec.env);
    app->read_bool("inherit_env", spec.inherit_env);
    app->read_integer("port", spec.port, {0, 65535, "an integer from 0 to 65535"});
    read_ready(*app, spec.ready);
    read_stop(*app, spec.stop);
}

} // namespace leakbisect::recipe_detail
