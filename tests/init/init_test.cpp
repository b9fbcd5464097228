// init on made-up app folders: what it recognises and why, the routes and chunks it finds, and a
// starter recipe that the recipe reader accepts as written for every stack.
#include "leakbisect/core/files.hpp"
#include "leakbisect/init/init.hpp"
#include "leakbisect/recipe/recipe.hpp"
#include "source_scan.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <unistd.h>

using namespace leakbisect;
using namespace leakbisect::init_detail;

namespace {

// A folder of the given files, removed at the end.
struct AppFolder {
    explicit AppFolder(std::initializer_list<std::pair<std::string, std::string>> files) {
        std::string pattern = (std::filesystem::temp_directory_path() / "leakbisect-init-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        dir = pattern;
        for (const auto& [name, text] : files) {
            std::filesystem::create_directories((dir / name).parent_path());
            std::ofstream(dir / name) << text;
        }
    }
    ~AppFolder() {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
    }
    AppFolder(const AppFolder&) = delete;
    AppFolder& operator=(const AppFolder&) = delete;
    std::filesystem::path dir;
};

AppProfile inspected(const AppFolder& app) {
    const auto profile = inspect_app(app.dir);
    REQUIRE(profile);
    return *profile;
}

// The starter recipe as `leakbisect check` reads it.
Expected<Recipe> starter_as_read(const AppProfile& profile, const AppFolder& app) {
    const auto file = app.dir / "leakbisect.toml";
    const std::string text = starter_recipe(profile, app.dir, file);
    INFO(text);
    return parse_recipe(text, file);
}

std::vector<std::string> names_of(const std::vector<FoundChunk>& chunks) {
    std::vector<std::string> names;
    for (const auto& chunk : chunks) {
        names.push_back(chunk.name);
    }
    return names;
}

} // namespace

TEST_CASE("a route template becomes a path a GET can use, or nothing") {
    CHECK(concrete_path("/invoices/<int:invoice_id>") == "/invoices/1");
    CHECK(concrete_path("orders/<pk>/") == "/orders/1/");
    CHECK(concrete_path("/products/:id/reviews") == "/products/1/reviews");
    CHECK(concrete_path("/items/{id}") == "/items/1");
    CHECK(concrete_path(R"(^\/products\/\d+$)") == "/products/1");
    CHECK(concrete_path(R"(^orders/[0-9]+/$)") == "/orders/1/");
    CHECK(concrete_path("up") == "/up");
    CHECK(concrete_path("") == "/");
    CHECK_FALSE(concrete_path("/files/*"));
    CHECK_FALSE(concrete_path(R"(^/(?P<slug>[-\w]+)/$)"));
    CHECK_FALSE(concrete_path("/a b"));
    CHECK(is_health_path("/up"));
    CHECK(is_health_path("/healthz/"));
    CHECK_FALSE(is_health_path("/update"));
}

TEST_CASE("chunk helper calls are found in every language's spelling, sub-chunks after their parent") {
    const std::vector<SourceFile> files{
        {"a.rb",
         "def chunk?(name) = ENV.fetch(name)\n@a = chunk?(:load_order)\nx if Chunks.on?(\"panel.count\")\n"},
        {"b.py", "def chunk(name):\n    pass\nif chunk('totals'): pass\nif chunk(\"load_order\"): pass\n"},
        {"c.js",
         "const v = chunk(`panel.badge.icon`) ? 1 : 0; chunkVariable(\"nope\");\n// chunk(\"commented\")\n"}};
    const auto chunks = chunk_calls(files);
    // panel was never called itself: declared before its sub-chunks; panel.badge likewise.
    CHECK(names_of(chunks) == std::vector<std::string>{"load_order", "panel", "panel.count", "panel.badge",
                                                       "panel.badge.icon", "totals"});
    CHECK(chunks.front().where == "a.rb:2");
}

TEST_CASE("a Rails app on Puma in cluster mode gets rails server in production and PSS") {
    const AppFolder app{
        {"Gemfile", "source \"https://rubygems.org\"\ngem \"rails\", \"~> 7.0\"\ngem 'puma'\n"},
        {"config.ru", "run Rails.application\n"},
        {"bin/rails", "#!/usr/bin/env ruby\n"},
        {"config/puma.rb", "# workers 4\nworkers ENV.fetch(\"WEB_CONCURRENCY\") { 2 }\n"},
        {"config/routes.rb", "Rails.application.routes.draw do\n  get \"up\" => \"rails/health#show\"\n"
                             "  root \"home#index\"\n  resources :orders, only: [:index, :show]\nend\n"},
        {"app/controllers/orders_controller.rb", "@o = chunk?(:load_order)\n"}};
    const AppProfile profile = inspected(app);
    CHECK(profile.stack == Stack::rails);
    CHECK(profile.server == "Puma in cluster mode");
    CHECK(profile.memory == MemoryChoice::pss_preforking);
    CHECK(profile.command == std::vector<std::string>{"bin/rails", "server", "-e", "production", "-b",
                                                      "127.0.0.1", "-p", "{port}"});
    REQUIRE(profile.health);
    CHECK(profile.health->path == "/up");
    REQUIRE(profile.page);
    CHECK(profile.page->path == "/orders/1"); // not the root, when a page was found
    CHECK(profile.page->where == "config/routes.rb:4");
    const auto recipe = starter_as_read(profile, app);
    REQUIRE(recipe);
    CHECK(recipe->memory.metric == MemoryMetric::pss);
    CHECK(recipe->memory.scope == MemoryScope::tree);
    CHECK(recipe->app.ready.kind == ReadyKind::http);
    CHECK(recipe->app.env == EnvList{{"RAILS_ENV", "production"},
                                     {"SECRET_KEY_BASE", "leakbisect-local-only-not-a-secret"},
                                     {"RAILS_LOG_TO_STDOUT", "1"}});
    CHECK(recipe->chunks.size() == 1);
}

TEST_CASE("Puma in single mode is one process: RSS") {
    const AppFolder app{{"Gemfile", "gem \"rails\"\ngem \"puma\"\n"},
                        {"config/puma.rb", "# workers 2\nthreads 5, 5\n"}};
    const AppProfile profile = inspected(app);
    CHECK(profile.server == "Puma in single mode");
    CHECK(profile.memory == MemoryChoice::rss_single_process);
    CHECK(profile.command.front() == "bundle"); // no bin/rails
}

TEST_CASE("a Flask app on gunicorn gets gunicorn on {port}, PSS and its routes") {
    const AppFolder app{
        {"requirements.txt", "flask==2.2\ngunicorn==20.1\n"},
        {"shop/__init__.py", "from flask import Flask\n\ndef create_app():\n    return Flask(__name__)\n"},
        {"shop/views.py", "@bp.route(\"/carts/<int:id>\", methods=[\"POST\"])\n"
                          "@bp.route(\"/carts/<int:id>\")\n@bp.get(\"/healthz\")\n"}};
    const AppProfile profile = inspected(app);
    CHECK(profile.stack == Stack::flask);
    CHECK(profile.command ==
          std::vector<std::string>{"gunicorn", "--bind", "127.0.0.1:{port}", "shop:create_app()"});
    CHECK(profile.memory == MemoryChoice::pss_preforking);
    REQUIRE(profile.page);
    CHECK(profile.page->where == "shop/views.py:2"); // the POST route is not a page to GET
    CHECK(profile.health->path == "/healthz");
    const auto recipe = starter_as_read(profile, app);
    // No chunk helper calls yet: the reader refuses it on the first chunk, the TODO init names.
    REQUIRE_FALSE(recipe);
    CHECK_THAT(recipe.error().message, Catch::Contains("at least one [[chunk]]"));
}

TEST_CASE("Flask without gunicorn runs flask run, debug off, one process") {
    const AppFolder app{{"app.py", "import flask\napp = flask.Flask(__name__)\nif chunk(\"a\"): pass\n"}};
    const AppProfile profile = inspected(app);
    CHECK(profile.command.at(2) == "flask");
    CHECK(profile.command.at(4) == "app:app");
    CHECK(profile.memory == MemoryChoice::rss_single_process);
    CHECK(profile.env == std::vector<std::pair<std::string, std::string>>{{"FLASK_DEBUG", "0"}});
    REQUIRE(starter_as_read(profile, app));
}

TEST_CASE("a Django app gets its settings module, gunicorn on its WSGI app, and warnings for DEBUG") {
    const AppFolder app{
        {"manage.py", "os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"mysite.settings\")\n"},
        {"mysite/settings.py", "DEBUG = True\nALLOWED_HOSTS = []\nROOT_URLCONF = \"mysite.urls\"\n"},
        {"mysite/wsgi.py", "application = get_wsgi_application()\n"},
        {"mysite/urls.py", "urlpatterns = [\n    path(\"admin/\", admin.site.urls),\n"
                           "    path(\"orders/\", include(\"orders.urls\")),\n]\n"},
        {"orders/urls.py", "urlpatterns = [path(\"<int:pk>/\", views.show)]\n"},
        {"orders/views.py", "if chunk(\"load_order\"): pass\n"},
        {"Pipfile", "[packages]\ndjango = \"*\"\ngunicorn = \"*\"\n"}};
    const AppProfile profile = inspected(app);
    CHECK(profile.stack == Stack::django);
    CHECK(profile.command ==
          std::vector<std::string>{"gunicorn", "--bind", "127.0.0.1:{port}", "mysite.wsgi:application"});
    CHECK(profile.env ==
          std::vector<std::pair<std::string, std::string>>{{"DJANGO_SETTINGS_MODULE", "mysite.settings"}});
    REQUIRE(profile.page);
    CHECK(profile.page->path == "/orders/1/"); // the include's prefix, not /admin
    REQUIRE(profile.warnings.size() == 2);
    CHECK_THAT(profile.warnings[0], Catch::StartsWith("mysite/settings.py:1: DEBUG = True"));
    CHECK_THAT(profile.warnings[1], Catch::Contains("ALLOWED_HOSTS"));
    REQUIRE(starter_as_read(profile, app));
}

TEST_CASE("a Node app: a plain start script as argv, npm for anything else, the cluster module as PSS") {
    SECTION("express with node in the start script") {
        const AppFolder app{
            {"package.json",
             R"({"scripts": {"start": "node src/main.js"}, "dependencies": {"express": "^4"}})"},
            {"src/main.js", "const app = express();\napp.get('/carts/:id', show);\n"
                            "app.listen(process.env.PORT);\n"}};
        const AppProfile profile = inspected(app);
        CHECK(profile.stack == Stack::node);
        CHECK(profile.command == std::vector<std::string>{"node", "src/main.js"});
        CHECK(profile.page->path == "/carts/1");
        CHECK(profile.env == std::vector<std::pair<std::string, std::string>>{{"NODE_ENV", "production"},
                                                                              {"PORT", "{port}"}});
        CHECK(profile.memory == MemoryChoice::rss_single_process);
    }
    SECTION("a start script a shell must run, and workers") {
        const AppFolder app{
            {"package.json", R"({"scripts": {"start": "NODE_OPTIONS=--x node server.js"}})"},
            {"server.js",
             "const cluster = require(\"node:cluster\");\nhttp.createServer(h).listen(3000);\n"}};
        const AppProfile profile = inspected(app);
        CHECK(profile.command == std::vector<std::string>{"npm", "start"});
        CHECK(profile.memory == MemoryChoice::pss_preforking);
        CHECK(profile.warnings.size() == 1); // no process.env.PORT
    }
}

TEST_CASE("an unknown folder says what init looked for, and its recipe is refused on the TODO app.command") {
    const AppFolder app{{"main.go", "package main\n"}};
    const AppProfile profile = inspected(app);
    CHECK(profile.stack == Stack::unknown);
    CHECK(profile.looked_for.size() == 4);
    const auto recipe = starter_as_read(profile, app);
    REQUIRE_FALSE(recipe);
    CHECK_THAT(recipe.error().message, Catch::Contains("app.command is required"));
}

TEST_CASE("a Procfile's web command is the command, as argv when no shell is needed") {
    SECTION("Rails on Puma with -p $PORT") {
        const AppFolder app{
            {"Gemfile", "gem \"rails\"\n"},
            {"Procfile", "release: rake db:migrate\nweb: bundle exec puma -C config/puma.rb -p $PORT\n"}};
        const AppProfile profile = inspected(app);
        CHECK(profile.stack == Stack::rails);
        CHECK(profile.command ==
              std::vector<std::string>{"bundle", "exec", "puma", "-C", "config/puma.rb", "-p", "{port}"});
        CHECK(profile.clues.back().where == "Procfile:2");
    }
    SECTION("gunicorn with workers: preforking") {
        const AppFolder app{{"app.py", "from flask import Flask\napp = Flask(__name__)\n"},
                            {"Procfile", "web: gunicorn app:app --workers 4 --bind 0.0.0.0:${PORT}\n"}};
        const AppProfile profile = inspected(app);
        CHECK(profile.command.back() == "0.0.0.0:{port}");
        CHECK(profile.memory == MemoryChoice::pss_preforking);
    }
    SECTION("a command only a shell can run, in an app init does not know") {
        const AppFolder app{{"Procfile", "web: cd server && ./serve --port=$PORT\n"}};
        const AppProfile profile = inspected(app);
        CHECK(profile.stack == Stack::unknown);
        CHECK(profile.command == std::vector<std::string>{"sh", "-c", "cd server && ./serve --port=$PORT"});
        CHECK(profile.env == std::vector<std::pair<std::string, std::string>>{{"PORT", "{port}"}});
        const auto recipe = starter_as_read(profile, app);
        REQUIRE_FALSE(recipe); // no chunks yet: that is the TODO left
        CHECK_THAT(recipe.error().message, Catch::Contains("[[chunk]]"));
    }
}

TEST_CASE("minified code is read past, not matched: no deep regex recursion on a megabyte line") {
    const std::string minified =
        "app.get(\"/" + std::string(900'000, 'a') + "\");chunk(\"" + std::string(90'000, 'b') + "\")\n";
    const AppFolder app{{"package.json", R"({"main": "server.js"})"},
                        {"server.js", "http.createServer(h).listen(process.env.PORT);\n"},
                        {"src/bundle.js", minified}};
    const AppProfile profile = inspected(app);
    CHECK(profile.stack == Stack::node);
    CHECK_FALSE(profile.page);
    CHECK(profile.chunks.empty());
}

TEST_CASE("a recipe written elsewhere names the app's folder as app.cwd") {
    const AppFolder app{{"app.py", "from flask import Flask\napp = Flask(__name__)\nchunk(\"a\")\n"}};
    const auto file = app.dir / "recipes" / "leakbisect.toml";
    const auto recipe = parse_recipe(starter_recipe(inspected(app), app.dir, file), file);
    REQUIRE(recipe);
    CHECK(recipe->app.cwd == app.dir);
}

TEST_CASE("README.md's \"Guard your chunks\" shows the helpers init prints") {
    const auto readme =
        read_text_file(std::filesystem::path(LEAKBISECT_SOURCE_DIR) / "README.md", ErrorKind::io);
    REQUIRE(readme);
    for (const Language language :
         {Language::ruby, Language::python, Language::javascript, Language::unknown}) {
        CHECK_THAT(*readme, Catch::Contains(std::string(chunk_helper(language))));
    }
}
