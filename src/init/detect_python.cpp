// Flask and Django: the app object or the settings module, whether gunicorn serves it (its
// configuration or a dependency list naming it), and the routes (@app.route, urls.py).
#include "detectors.hpp"
#include "source_scan.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace leakbisect::init_detail {
namespace {

// gunicorn.conf.py, or a dependency list naming gunicorn.
std::optional<Clue> gunicorn_clue(const std::filesystem::path& app_dir) {
    if (read_source(app_dir, "gunicorn.conf.py")) {
        return Clue{"gunicorn.conf.py", "gunicorn's configuration, read from the app's folder"};
    }
    static const std::regex kGunicorn(R"(\bgunicorn\b)");
    for (const char* list : {"requirements.txt", "requirements/production.txt", "requirements/base.txt",
                             "pyproject.toml", "Pipfile", "setup.cfg", "setup.py"}) {
        if (const auto file = read_source(app_dir, list)) {
            if (const auto line = first_matching_line(*file, kGunicorn)) {
                return Clue{where(*file, line->line), line->text};
            }
        }
    }
    return std::nullopt;
}

void serve_with_gunicorn(AppProfile& profile, const Clue& clue, const std::string& target) {
    profile.server = "gunicorn";
    profile.clues.push_back(clue);
    profile.clues.back().what += ": gunicorn, a preforking server";
    profile.command = {"gunicorn", "--bind", "127.0.0.1:{port}", target};
    profile.command_note =
        "gunicorn as production runs it (its configuration file, if any, still sets the workers)";
    profile.memory = MemoryChoice::pss_preforking;
    profile.memory_note = "gunicorn's arbiter and its workers; PSS counts the pages they share once";
}

std::string module_of(const std::filesystem::path& relative) {
    std::string module = relative.generic_string();
    module.resize(module.size() - 3); // ".py"
    std::ranges::replace(module, '/', '.');
    if (module.ends_with(".__init__")) {
        module.resize(module.size() - 9);
    }
    return module;
}

std::vector<FoundRoute> routes_of(const SourceFile& file, const std::regex& pattern,
                                  const std::string& prefix) {
    std::vector<FoundRoute> found;
    for (const LineMatch& line : matching_lines(file, pattern)) {
        const bool other_method =
            line.text.find("methods") != std::string::npos && line.text.find("GET") == std::string::npos;
        if (other_method || line.text.find("include(") != std::string::npos) {
            continue;
        }
        if (const auto path = concrete_path(prefix + line.groups[0])) {
            found.push_back({*path, line.text, where(file, line.line)});
        }
    }
    return found;
}

// The routes of ROOT_URLCONF and, one level down, of the urls modules it includes under a prefix.
std::vector<FoundRoute> django_routes(const std::filesystem::path& app_dir, const std::string& root_urlconf) {
    static const std::regex kPath(R"(\b(?:re_)?path\(\s*r?["']([^"']*)["'])");
    static const std::regex kInclude(R"(\bpath\(\s*["']([^"']*)["']\s*,\s*include\(\s*["']([\w.]+)["'])");
    const auto file_of = [](std::string module) {
        std::ranges::replace(module, '.', '/');
        return module + ".py";
    };
    const auto root = read_source(app_dir, file_of(root_urlconf));
    if (!root) {
        return {};
    }
    std::vector<FoundRoute> found = routes_of(*root, kPath, "");
    for (const LineMatch& include : matching_lines(*root, kInclude)) {
        if (include.groups[0].starts_with("admin")) {
            continue;
        }
        if (const auto included = read_source(app_dir, file_of(include.groups[1]))) {
            const auto more = routes_of(*included, kPath, include.groups[0]);
            found.insert(found.end(), more.begin(), more.end());
        }
    }
    std::erase_if(found, [](const FoundRoute& route) { return route.path.starts_with("/admin"); });
    return found;
}

} // namespace

std::optional<AppProfile> detect_django(const std::filesystem::path& app_dir) {
    const auto manage = read_source(app_dir, "manage.py");
    static const std::regex kSettings(R"(DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["'])");
    const auto settings_line = manage ? first_matching_line(*manage, kSettings) : std::nullopt;
    if (!settings_line) {
        return std::nullopt;
    }
    AppProfile profile;
    profile.stack = Stack::django;
    const std::string settings_module = settings_line->groups[0];
    profile.clues.push_back({where(*manage, settings_line->line), settings_line->text});
    const std::string package = settings_module.substr(0, settings_module.rfind('.'));
    std::string wsgi_file = package;
    std::ranges::replace(wsgi_file, '.', '/');
    wsgi_file += "/wsgi.py";
    if (read_source(app_dir, wsgi_file)) {
        profile.clues.push_back({wsgi_file, "the WSGI application"});
    }
    profile.env = {{"DJANGO_SETTINGS_MODULE", settings_module}};
    if (const auto gunicorn = gunicorn_clue(app_dir)) {
        serve_with_gunicorn(profile, *gunicorn, package + ".wsgi:application");
    } else {
        profile.server = "Django's runserver";
        profile.command = {"python3", "manage.py", "runserver", "--noreload", "127.0.0.1:{port}"};
        profile.command_note =
            "TODO: Django's development server (no gunicorn found); use the server production runs";
        profile.memory_note = "runserver is one process (--noreload: no reloader parent)";
    }

    std::string settings_file = settings_module;
    std::ranges::replace(settings_file, '.', '/');
    settings_file += ".py";
    std::string root_urlconf = package + ".urls";
    if (const auto settings = read_source(app_dir, settings_file)) {
        if (const auto debug = first_matching_line(*settings, std::regex(R"(^DEBUG\s*=\s*True\b)"))) {
            profile.warnings.push_back(fmt::format(
                "{}: DEBUG = True: Django then keeps every SQL query in memory (connection.queries), which "
                "reads as a leak; make DEBUG False for the hunt (e.g. DEBUG = "
                "os.environ.get(\"DJANGO_DEBUG\") == \"1\")",
                where(*settings, debug->line)));
        }
        if (const auto hosts =
                first_matching_line(*settings, std::regex(R"(^ALLOWED_HOSTS\s*=\s*\[\s*\])"))) {
            profile.warnings.push_back(fmt::format("{}: ALLOWED_HOSTS is empty: with DEBUG off Django "
                                                   "answers 400 to every request; add \"127.0.0.1\"",
                                                   where(*settings, hosts->line)));
        }
        if (const auto urlconf =
                first_matching_line(*settings, std::regex(R"(^ROOT_URLCONF\s*=\s*["']([\w.]+)["'])"))) {
            root_urlconf = urlconf->groups[0];
        }
    }
    choose_routes(profile, django_routes(app_dir, root_urlconf));
    return profile;
}

std::optional<AppProfile> detect_flask(const std::filesystem::path& app_dir) {
    static const std::regex kImport(R"(^\s*(?:from\s+flask\s+import\b|import\s+flask\b))");
    static const std::regex kApp(R"(^(\w+)\s*=\s*(?:flask\.)?Flask\()");
    static const std::regex kFactory(R"(^def\s+(create_app|make_app)\s*\()");
    const auto files = source_files(app_dir, {".py"}, 2);
    AppProfile profile;
    std::string target;
    for (const SourceFile& file : files) {
        const auto import = first_matching_line(file, kImport);
        if (!import) {
            continue;
        }
        if (const auto app = first_matching_line(file, kApp)) {
            target = module_of(file.relative) + ":" + app->groups[0];
            profile.clues.push_back({where(file, import->line), import->text});
            profile.clues.push_back({where(file, app->line), app->text});
            break;
        }
        if (const auto factory = first_matching_line(file, kFactory)) {
            target = module_of(file.relative) + ":" + factory->groups[0] + "()";
            profile.clues.push_back({where(file, import->line), import->text});
            profile.clues.push_back({where(file, factory->line), factory->text + " (an app factory)"});
            break;
        }
    }
    if (target.empty()) {
        return std::nullopt;
    }
    profile.stack = Stack::flask;
    profile.env = {{"FLASK_DEBUG", "0"}};
    if (const auto gunicorn = gunicorn_clue(app_dir)) {
        serve_with_gunicorn(profile, *gunicorn, target);
    } else {
        profile.server = "flask run";
        profile.command = {"python3", "-m",        "flask",  "--app",  target,       "run",
                           "--host",  "127.0.0.1", "--port", "{port}", "--no-reload"};
        profile.command_note =
            "TODO: Flask's development server (no gunicorn found); use the server production runs";
        profile.memory_note = "flask run is one process (--no-reload: no reloader parent)";
    }
    static const std::regex kRoute(R"(@\w+\.(?:route|get)\(\s*["']([^"']+)["'])");
    std::vector<FoundRoute> routes;
    for (const SourceFile& file : files) {
        const auto more = routes_of(file, kRoute, "");
        routes.insert(routes.end(), more.begin(), more.end());
    }
    choose_routes(profile, routes);
    return profile;
}

} // namespace leakbisect::init_detail
