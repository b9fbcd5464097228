// The chunk helpers README.md's "Guard your chunks" shows, one per language, and where they go.
// tests/init checks that README.md still shows each of them verbatim.
#include "leakbisect/init/init.hpp"

namespace leakbisect {

std::string_view chunk_helper(Language language) {
    switch (language) {
    case Language::ruby:
        return "def chunk?(name) = ENV.fetch(\"CHUNK_#{name.to_s.upcase.tr(\".\", \"_\")}\", \"1\") == "
               "\"1\"\n"
               "@warnings = chunk?(:warnings_panel) ? order.has_warnings? : false\n";
    case Language::python:
        return "def chunk(name): return os.environ.get(\"CHUNK_\" + name.upper().replace(\".\", \"_\"), "
               "\"1\") == "
               "\"1\"\n"
               "warnings = order.has_warnings() if chunk(\"warnings_panel\") else False\n";
    case Language::javascript:
        return "const chunk = (name) => (process.env[`CHUNK_${name.toUpperCase().replaceAll(\".\", \"_\")}`] "
               "?? "
               "\"1\") === \"1\";\n"
               "const warnings = chunk(\"warnings_panel\") ? order.hasWarnings() : false;\n";
    case Language::unknown:
        break;
    }
    return "bool chunk(const char* var) { const char* v = std::getenv(var); return v == nullptr || "
           "std::string(v) "
           "== \"1\"; }\n"
           "auto warnings = chunk(\"CHUNK_WARNINGS_PANEL\") ? order.has_warnings() : Warnings{};\n";
}

std::string helper_home(Stack stack) {
    switch (stack) {
    case Stack::rails:
        return "lib/chunks.rb (a module, required from config/application.rb), or a concern your controller "
               "and helpers include; chunk?(...) then wraps each step of the action and its view";
    case Stack::django:
        return "a chunks.py beside your views (import os), imported by the view of the page that leaks";
    case Stack::flask:
        return "a chunks.py beside your app (import os), imported by the module of the route that leaks";
    case Stack::node:
        return "a chunks.js module (module.exports = { chunk }) required by the route's handler";
    case Stack::unknown:
        break;
    }
    return "wherever the action's code can call it; README.md's \"Guard your chunks\" shows it in Ruby, "
           "Python, "
           "JavaScript and C++ (this one is C++)";
}

} // namespace leakbisect
