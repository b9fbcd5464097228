// Rails: the Gemfile, config.ru, bin/rails; the app server (Puma single or cluster, Unicorn) from
// the Gemfile and its configuration; routes from config/routes.rb.
#include "detectors.hpp"
#include "source_scan.hpp"

#include <fmt/format.h>

namespace leakbisect::init_detail {
namespace {

std::optional<LineMatch> gem_line(const std::optional<SourceFile>& gemfile, const std::string& gem) {
    if (!gemfile) {
        return std::nullopt;
    }
    return first_matching_line(*gemfile, std::regex(R"(^\s*gem\s+["'])" + gem + R"(["'])"));
}

// `get "/up"`, `get "up" => "rails/health#show"`, `resources :orders, only: :show`, `root "home#index"`.
std::vector<FoundRoute> rails_routes(const SourceFile& routes) {
    static const std::regex kRoute(R"(^\s*(get\s+["']([^"']+)["']|resources?\s+:(\w+)(.*)|root\b))");
    std::vector<FoundRoute> found;
    for (const LineMatch& line : matching_lines(routes, kRoute)) {
        const std::string& literal = line.groups[1];
        const std::string& resource = line.groups[2];
        const std::string& options = line.groups[3];
        std::optional<std::string> path;
        if (!literal.empty()) {
            path = concrete_path(literal);
        } else if (!resource.empty()) {
            const bool singular = line.text.starts_with("resource ");
            const bool only = options.find("only") != std::string::npos;
            const bool shows = !only || options.find(":show") != std::string::npos;
            const bool lists = !only || options.find(":index") != std::string::npos;
            if (singular || (!shows && lists)) {
                path = "/" + resource;
            } else if (shows) {
                path = "/" + resource + "/1";
            }
        } else {
            path = "/";
        }
        if (path) {
            found.push_back({*path, line.text, where(routes, line.line)});
        }
    }
    return found;
}

} // namespace

std::optional<AppProfile> detect_rails(const std::filesystem::path& app_dir) {
    const auto gemfile = read_source(app_dir, "Gemfile");
    const auto rails_gem = gem_line(gemfile, "rails");
    const auto bin_rails = read_source(app_dir, "bin/rails");
    const auto application = read_source(app_dir, "config/application.rb");
    if (!rails_gem && !(bin_rails && application)) {
        return std::nullopt;
    }
    AppProfile profile;
    profile.stack = Stack::rails;
    if (rails_gem) {
        profile.clues.push_back({where(*gemfile, rails_gem->line), rails_gem->text});
    }
    if (read_source(app_dir, "config.ru")) {
        profile.clues.push_back({"config.ru", "a Rack app"});
    }
    if (bin_rails) {
        profile.clues.push_back({"bin/rails", "the Rails command"});
    }

    profile.command = {
        bin_rails ? "bin/rails" : "bundle", "server", "-e", "production", "-b", "127.0.0.1", "-p", "{port}"};
    if (!bin_rails) {
        profile.command.insert(profile.command.begin() + 1, {"exec", "rails"});
    }
    profile.server = "rails server";
    profile.memory_note = "a single process: its RSS is its memory";
    const auto puma_config = read_source(app_dir, "config/puma.rb");
    const auto unicorn_gem = gem_line(gemfile, "unicorn");
    if (const auto puma_gem = gem_line(gemfile, "puma"); puma_gem || puma_config) {
        profile.server = "Puma in single mode";
        if (puma_gem) {
            profile.clues.push_back({where(*gemfile, puma_gem->line), puma_gem->text});
        }
        const auto workers =
            puma_config ? first_matching_line(*puma_config, std::regex(R"(^\s*workers\b)")) : std::nullopt;
        if (workers) {
            profile.server = "Puma in cluster mode";
            profile.memory = MemoryChoice::pss_preforking;
            profile.memory_note = "Puma's master and its workers; PSS counts the pages they share once";
            profile.clues.push_back(
                {where(*puma_config, workers->line), workers->text + ": cluster mode, a preforking server"});
        } else if (puma_config) {
            profile.clues.push_back({"config/puma.rb", "no `workers` line: single mode, one process"});
        }
        profile.command_note = "rails server runs Puma with config/puma.rb; -p and -b override its bind";
    } else if (unicorn_gem) {
        profile.server = "Unicorn";
        profile.memory = MemoryChoice::pss_preforking;
        profile.memory_note = "Unicorn's master and its workers; PSS counts the pages they share once";
        profile.clues.push_back(
            {where(*gemfile, unicorn_gem->line), unicorn_gem->text + ": a preforking server"});
        profile.command = {"bundle", "exec", "unicorn", "-E", "production", "-l", "127.0.0.1:{port}"};
        if (read_source(app_dir, "config/unicorn.rb")) {
            profile.command.insert(profile.command.end(), {"-c", "config/unicorn.rb"});
        }
    }
    profile.env = {{"RAILS_ENV", "production"},
                   {"SECRET_KEY_BASE", "leakbisect-local-only-not-a-secret"},
                   {"RAILS_LOG_TO_STDOUT", "1"}};
    profile.ready_timeout = "120s";

    if (const auto routes = read_source(app_dir, "config/routes.rb")) {
        choose_routes(profile, rails_routes(*routes));
    }
    return profile;
}

} // namespace leakbisect::init_detail
