// Node: package.json (its start script, main, and a server framework among the dependencies), or
// a script that starts a server itself; the cluster module; routes of Express-like routers and of
// a plain node:http handler (`pathname === "/up"`, `/^\/products\/\d+$/.test(...)`).
#include "detectors.hpp"
#include "source_scan.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <fmt/format.h>

namespace leakbisect::init_detail {
namespace {

std::string text_of(const boost::json::object& object, std::string_view key) {
    const auto* value = object.if_contains(key);
    return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

// "node server.js" or "node --max-old-space-size=512 dist/main.js" as argv; nullopt for anything a
// shell would have to run (variables, &&, quotes) or another program.
std::optional<std::vector<std::string>> plain_node_command(const std::string& script) {
    static const std::regex kPlain(R"(^node(\s+[\w./=@:+\-]+)+$)");
    if (script.size() > 500 || !std::regex_match(script, kPlain)) { // std::regex recurses per character
        return std::nullopt;
    }
    std::vector<std::string> argv;
    std::string word;
    for (const char c : script + " ") {
        if (c == ' ' || c == '\t') {
            if (!word.empty()) {
                argv.push_back(std::move(word));
                word.clear();
            }
        } else {
            word += c;
        }
    }
    return argv;
}

bool starts_server(const SourceFile& file) {
    static const std::regex kServer(R"(\bcreateServer\(|\.listen\(|\bexpress\(\)|\bfastify\(|new Koa\()");
    return first_matching_line(file, kServer).has_value();
}

} // namespace

std::optional<AppProfile> detect_node(const std::filesystem::path& app_dir) {
    AppProfile profile;
    profile.stack = Stack::node;
    profile.server = "node";
    std::string start_script;
    std::string entry;
    if (const auto package = read_source(app_dir, "package.json")) {
        boost::system::error_code error;
        const boost::json::value json = boost::json::parse(package->text, error);
        if (!error && json.is_object()) {
            const auto& object = json.as_object();
            profile.clues.push_back({"package.json", "a Node package"});
            for (const char* list : {"dependencies", "devDependencies"}) {
                const auto* dependencies = object.if_contains(list);
                if (dependencies == nullptr || !dependencies->is_object()) {
                    continue;
                }
                for (const char* framework :
                     {"express", "fastify", "koa", "@hapi/hapi", "@nestjs/core", "next"}) {
                    if (dependencies->as_object().contains(framework)) {
                        profile.clues.push_back(
                            {"package.json", fmt::format("{} names {}", list, framework)});
                    }
                }
            }
            if (const auto* scripts = object.if_contains("scripts");
                scripts != nullptr && scripts->is_object()) {
                start_script = text_of(scripts->as_object(), "start");
            }
            entry = text_of(object, "main");
        }
    }
    const auto sources = source_files(app_dir, {".js", ".mjs", ".cjs", ".ts"}, 3);
    if (!start_script.empty()) {
        profile.clues.push_back({"package.json", fmt::format("scripts.start: {}", start_script)});
        if (auto argv = plain_node_command(start_script)) {
            profile.command = std::move(*argv);
        } else {
            profile.command = {"npm", "start"};
            profile.command_note =
                "npm runs the start script through a shell: memory.scope = \"tree\" counts the "
                "server below them";
        }
    } else {
        if (entry.empty() || !read_source(app_dir, entry)) {
            entry.clear();
            for (const char* candidate :
                 {"server.js", "app.js", "index.js", "main.js", "src/server.js", "src/index.js", "src/app.js",
                  "bin/www", "server.mjs", "index.mjs"}) {
                if (const auto file = read_source(app_dir, candidate); file && starts_server(*file)) {
                    entry = candidate;
                    break;
                }
            }
        }
        if (entry.empty()) {
            return std::nullopt;
        }
        profile.clues.push_back({entry, "starts the server (createServer, listen, express(), ...)"});
        profile.command = {"node", entry};
    }

    static const std::regex kCluster(
        R"(require\(\s*["'](?:node:)?cluster["']\s*\)|from\s+["'](?:node:)?cluster["'])");
    static const std::regex kPort(R"(process\.env\.PORT\b|process\.env\[["']PORT["']\])");
    bool reads_port = false;
    for (const SourceFile& file : sources) {
        if (const auto cluster = first_matching_line(file, kCluster);
            cluster && profile.memory != MemoryChoice::pss_preforking) {
            profile.memory = MemoryChoice::pss_preforking;
            profile.server = "node with the cluster module";
            profile.clues.push_back({where(file, cluster->line), cluster->text + ": forks workers"});
        }
        if (const auto port = first_matching_line(file, kPort); port && !reads_port) {
            reads_port = true;
            profile.clues.push_back({where(file, port->line), "reads process.env.PORT"});
        }
    }
    profile.memory_note = profile.memory == MemoryChoice::pss_preforking
                              ? "the primary and its workers; PSS counts the pages they share once"
                              : "one process: its RSS is its memory";
    profile.env = {{"NODE_ENV", "production"}};
    if (reads_port) {
        profile.env.emplace_back("PORT", "{port}");
    } else {
        profile.warnings.emplace_back(
            "no process.env.PORT found in the sources: the server must listen on the port "
            "leakbisect gives it in PORT (or add it to app.command as {port})");
    }

    // app.get("/products/:id"), router.get(...), fastify.get(...); a node:http handler's comparisons and
    // tests.
    static const std::regex kRouter(
        R"(\b(?:app|router|server|fastify|api|routes)\.(?:get|route)\(\s*["'`]([^"'`]+)["'`])");
    static const std::regex kCompare(R"(\b(?:pathname|url)\s*===?\s*["'`]([^"'`]+)["'`])");
    static const std::regex kTest(R"(/(\^(?:\\.|[^/\\])+)/[a-z]*\.test\()");
    std::vector<FoundRoute> routes;
    for (const SourceFile& file : sources) {
        std::vector<std::pair<int, FoundRoute>> in_file; // in line order, whichever pattern found it
        for (const auto* pattern : {&kRouter, &kCompare, &kTest}) {
            for (const LineMatch& line : matching_lines(file, *pattern)) {
                if (const auto path = concrete_path(line.groups[0])) {
                    in_file.emplace_back(line.line, FoundRoute{*path, line.text, where(file, line.line)});
                }
            }
        }
        std::ranges::stable_sort(in_file, {}, &std::pair<int, FoundRoute>::first);
        for (auto& [line, route] : in_file) {
            routes.push_back(std::move(route));
        }
    }
    choose_routes(profile, routes);
    return profile;
}

} // namespace leakbisect::init_detail
