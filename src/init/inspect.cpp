// inspect_app: asks each stack's detector in turn (Rails before Node: a Rails app may carry a
// package.json for its assets), then looks for the chunks the app already switches.
#include "detectors.hpp"
#include "source_scan.hpp"

#include <fmt/format.h>
#include <system_error>

namespace leakbisect {

namespace init_detail {

void choose_routes(AppProfile& profile, const std::vector<FoundRoute>& routes) {
    for (const FoundRoute& route : routes) {
        if (is_health_path(route.path)) {
            if (!profile.health) {
                profile.health = route;
            }
        } else if (!profile.page || (profile.page->path == "/" && route.path != "/")) {
            profile.page = route;
        }
    }
}

} // namespace init_detail

std::string describe(Stack stack) {
    switch (stack) {
    case Stack::rails:
        return "a Rails app";
    case Stack::node:
        return "a Node app";
    case Stack::flask:
        return "a Flask app";
    case Stack::django:
        return "a Django app";
    case Stack::unknown:
        break;
    }
    return "an app of a kind init does not know";
}

Language language_of(Stack stack) {
    switch (stack) {
    case Stack::rails:
        return Language::ruby;
    case Stack::flask:
    case Stack::django:
        return Language::python;
    case Stack::node:
        return Language::javascript;
    case Stack::unknown:
        break;
    }
    return Language::unknown;
}

Expected<AppProfile> inspect_app(const std::filesystem::path& app_dir) {
    using namespace init_detail;
    std::error_code error;
    if (!std::filesystem::is_directory(app_dir, error)) {
        return Error{ErrorKind::bad_usage, app_dir.string(),
                     error ? error.message()
                           : "not a folder: give the folder of the app (default: the current one)"};
    }
    std::optional<AppProfile> profile;
    for (const auto detect : {detect_rails, detect_django, detect_flask, detect_node}) {
        profile = detect(app_dir);
        if (profile) {
            break;
        }
    }
    if (!profile) {
        AppProfile unknown;
        apply_procfile(app_dir, unknown);
        unknown.looked_for = {
            "Rails: a Gemfile naming rails, or bin/rails with config/application.rb",
            "Django: manage.py setting DJANGO_SETTINGS_MODULE",
            "Flask: a .py file importing flask with `app = Flask(...)` or `def create_app(`",
            "Node: package.json with a start script or main, or server.js/app.js/index.js starting a server",
        };
        return unknown;
    }
    apply_procfile(app_dir, *profile);
    switch (language_of(profile->stack)) {
    case Language::ruby:
        profile->chunks = chunk_calls(source_files(app_dir, {".rb", ".erb", ".haml", ".slim"}, 6));
        break;
    case Language::python:
        profile->chunks = chunk_calls(source_files(app_dir, {".py", ".html"}, 4));
        break;
    case Language::javascript:
        profile->chunks = chunk_calls(source_files(app_dir, {".js", ".mjs", ".cjs", ".ts"}, 4));
        break;
    case Language::unknown:
        break;
    }
    return std::move(*profile);
}

} // namespace leakbisect
