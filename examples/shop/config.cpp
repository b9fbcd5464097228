// Reads and validates the shop's command line and environment (see config.hpp). Nothing else in the shop
// calls getenv: the chunks see only the ShopConfig built here.
#include "config.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <string_view>
#include <unistd.h>

namespace shop {
namespace {

constexpr std::size_t kMaxLeakBytes = 64 * 1024 * 1024;

template <class Number> std::optional<Number> parse_whole_number(std::string_view text, Number max) {
    Number value{};
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size() || value > max) {
        return std::nullopt;
    }
    return value;
}

std::optional<std::string_view> environment(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr) {
        return std::nullopt;
    }
    return std::string_view(value);
}

std::variant<std::uint16_t, StartupError> read_port(const CommandLine& command_line) {
    std::string_view source = "--port";
    std::optional<std::string_view> text = command_line.port;
    if (!text) {
        source = "PORT";
        text = environment("PORT");
    }
    if (!text) {
        return StartupError{kExitUsage, "no port: pass --port N or set PORT"};
    }
    auto port = parse_whole_number<std::uint16_t>(*text, 65535);
    if (!port) {
        return StartupError{kExitUsage,
                            fmt::format("{} must be a port number 0..65535, got \"{}\"", source, *text)};
    }
    return *port;
}

// A missing variable means on, so the shop behaves normally when leakbisect is not driving it.
std::optional<StartupError> read_chunk_switches(ChunkSwitches& switches) {
    for (const auto& info : kChunkTable) {
        std::string variable = chunk_env_variable(info.name);
        auto value = environment(variable.c_str());
        if (!value || *value == "1") {
            switches.set(info.chunk, true);
        } else if (*value == "0") {
            switches.set(info.chunk, false);
        } else {
            return StartupError{kExitUsage, fmt::format("{} must be \"1\" (run the chunk) or \"0\" (run its "
                                                        "stub), got \"{}\"",
                                                        variable, *value)};
        }
    }
    return std::nullopt;
}

std::string valid_leak_names() {
    std::string names = "none, outside, pair";
    for (const auto& info : kChunkTable) {
        names += ", ";
        names += info.name;
    }
    return names;
}

std::variant<LeakPlan, StartupError> read_leak_plan() {
    LeakPlan plan;
    if (auto name = environment("SHOP_LEAK_CHUNK")) {
        if (*name == "none") {
            plan.site = LeakPlan::Site::none;
        } else if (*name == "outside") {
            plan.site = LeakPlan::Site::outside;
        } else if (*name == "pair") {
            plan.site = LeakPlan::Site::pair;
        } else if (auto chunk = find_chunk(*name)) {
            plan.site = LeakPlan::Site::chunk;
            plan.chunk = *chunk;
        } else {
            return StartupError{kExitUsage, fmt::format("SHOP_LEAK_CHUNK=\"{}\" names no chunk; valid: {}",
                                                        *name, valid_leak_names())};
        }
    }
    if (auto text = environment("SHOP_LEAK_BYTES")) {
        auto bytes = parse_whole_number<std::size_t>(*text, kMaxLeakBytes);
        if (!bytes) {
            return StartupError{kExitUsage, fmt::format("SHOP_LEAK_BYTES must be a whole number of bytes "
                                                        "0..{}, got \"{}\"",
                                                        kMaxLeakBytes, *text)};
        }
        plan.bytes_per_request = *bytes;
    }
    return plan;
}

// A CHUNK_ variable the shop does not know is most likely a typo in a recipe: that chunk would never switch.
std::vector<std::string> unknown_chunk_variables() {
    std::vector<std::string> warnings;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        std::string_view assignment(*entry);
        std::string_view name = assignment.substr(0, assignment.find('='));
        if (!name.starts_with("CHUNK_")) {
            continue;
        }
        bool known = false;
        for (const auto& info : kChunkTable) {
            known = known || chunk_env_variable(info.name) == name;
        }
        if (!known) {
            warnings.push_back(fmt::format("{} switches no chunk of this app; ignored", name));
        }
    }
    return warnings;
}

} // namespace

std::string LeakPlan::describe() const {
    switch (site) {
    case Site::none:
        return "none";
    case Site::outside:
        return fmt::format("outside {} B/request", bytes_per_request);
    case Site::chunk:
        return fmt::format("{} {} B/request", chunk_name(chunk), bytes_per_request);
    case Site::pair:
        return fmt::format("pair (warnings_panel.live_updates + audit_log) {} B/request", bytes_per_request);
    }
    return "none";
}

std::string usage() {
    return "usage: shop [--port N]\n"
           "  A demo shop whose orders#show page is split into leakbisect chunks.\n"
           "  --port N           listen on 127.0.0.1:N (else the PORT environment variable)\n"
           "environment:\n"
           "  SHOP_ENV=production  required: the shop refuses to start otherwise\n"
           "  CHUNK_<NAME>=1|0     run a chunk's real code (1, or unset) or its stub (0)\n"
           "  SHOP_LEAK_CHUNK      the chunk that leaks: a chunk name, \"outside\", \"pair\" or \"none\""
           " (default warnings_panel.has_warnings)\n"
           "  SHOP_LEAK_BYTES      bytes leaked per /orders request (default 2048)\n"
           "  SHOP_CRASH_CHUNK     abort when this chunk is on (none by default)\n"
           "  SHOP_CRASH_AT        boot | load (default load: after 100 order pages)\n";
}

std::variant<CommandLine, StartupError> parse_command_line(std::span<char* const> arguments) {
    CommandLine command_line;
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        std::string_view argument = arguments[i];
        if (argument == "--help" || argument == "-h") {
            command_line.help = true;
        } else if (argument == "--port" && i + 1 < arguments.size()) {
            command_line.port = arguments[++i];
        } else if (argument.starts_with("--port=")) {
            command_line.port = std::string(argument.substr(7));
        } else if (argument == "--port") {
            return StartupError{kExitUsage, "--port needs a value"};
        } else {
            return StartupError{kExitUsage, fmt::format("unknown argument \"{}\"\n{}", argument, usage())};
        }
    }
    return command_line;
}

std::optional<StartupError> check_production_mode() {
    if (environment("SHOP_ENV") == "production") {
        return std::nullopt;
    }
    return StartupError{kExitRefused,
                        "refusing to start: set SHOP_ENV=production (chunks only run in production mode)"};
}

std::variant<ShopConfig, StartupError> read_config(const CommandLine& command_line) {
    ShopConfig config;

    auto port = read_port(command_line);
    if (auto* error = std::get_if<StartupError>(&port)) {
        return *error;
    }
    config.port = std::get<std::uint16_t>(port);

    if (auto error = read_chunk_switches(config.chunks)) {
        return *error;
    }

    auto leak = read_leak_plan();
    if (auto* error = std::get_if<StartupError>(&leak)) {
        return *error;
    }
    config.leak = std::get<LeakPlan>(leak);

    auto crash = read_crash_plan();
    if (auto* error = std::get_if<StartupError>(&crash)) {
        return *error;
    }
    config.crash = std::get<CrashPlan>(crash);

    config.warnings = unknown_chunk_variables();
    return config;
}

} // namespace shop
