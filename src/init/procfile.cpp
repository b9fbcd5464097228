// A Procfile's `web:` line (Heroku, Dokku, foreman) is how the platform starts the app in
// production: when there is one, it is the command, whatever the stack's usual one would be.
#include "detectors.hpp"
#include "source_scan.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace leakbisect::init_detail {
namespace {

// The words of a command that needs no shell, $PORT as {port}; nullopt when a shell must run it.
std::optional<std::vector<std::string>> plain_words(const std::string& command) {
    static const std::regex kPlain(R"(^[\w./@:+,\-]+(?:\s+(?:[\w./@:+,=\-]|\$PORT|\$\{PORT\})+)*$)");
    if (!std::regex_match(command, kPlain)) {
        return std::nullopt;
    }
    static const std::regex kPort(R"(\$PORT|\$\{PORT\})");
    std::vector<std::string> words;
    static const std::regex kWord(R"(\S+)");
    for (auto word = std::sregex_iterator(command.begin(), command.end(), kWord);
         word != std::sregex_iterator(); ++word) {
        words.push_back(std::regex_replace(word->str(), kPort, "{port}"));
    }
    return words;
}

} // namespace

void apply_procfile(const std::filesystem::path& app_dir, AppProfile& profile) {
    const auto procfile = read_source(app_dir, "Procfile");
    const auto web =
        procfile ? first_matching_line(*procfile, std::regex(R"(^web:\s*(.*\S))")) : std::nullopt;
    if (!web) {
        return;
    }
    const std::string& command = web->groups[0];
    profile.clues.push_back({where(*procfile, web->line), web->text + ": the platform's web command"});
    if (auto words = plain_words(command)) {
        profile.command = std::move(*words);
        profile.command_note = "the Procfile's web command";
    } else {
        profile.command = {"sh", "-c", command};
        profile.command_note =
            "the Procfile's web command, run by a shell as the platform does (PORT is set)";
    }
    const bool mentions_port =
        command.find("$PORT") != std::string::npos || command.find("${PORT}") != std::string::npos;
    const bool port_in_env =
        std::ranges::any_of(profile.env, [](const auto& entry) { return entry.first == "PORT"; });
    if (mentions_port && profile.command.front() == "sh" && !port_in_env) {
        profile.env.emplace_back("PORT", "{port}");
    }
    static const std::regex kPreforking(R"(\b(gunicorn|unicorn|uwsgi)\b|\bpuma\b.*\s(-w|--workers)\s*[1-9])");
    if (std::smatch server; std::regex_search(command, server, kPreforking)) {
        profile.memory = MemoryChoice::pss_preforking;
        profile.server =
            fmt::format("{} from the Procfile", server[1].matched ? server[1].str() : "Puma in cluster mode");
        profile.memory_note = "a master and its workers; PSS counts the pages they share once";
    } else if (profile.stack == Stack::unknown) {
        profile.server = "the Procfile's web command";
    }
}

} // namespace leakbisect::init_detail
