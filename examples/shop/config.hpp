// What the shop reads from its command line and environment, once, at startup: the port, which chunks run
// their real code, and where the planted leak sits. Every mistake is a StartupError value for main to print.
#pragma once

#include "chunk_table.hpp"
#include "crash_switch.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace shop {

inline constexpr int kExitRefused = 1; // not in production mode, or the port cannot be bound
inline constexpr int kExitUsage = 2;   // bad command line or environment

struct StartupError {
    int exit_code = kExitUsage;
    std::string message; // one line, without the "shop: " prefix
};

struct CommandLine {
    std::optional<std::string> port; // --port N, before PORT is consulted
    bool help = false;
};

// Where SHOP_LEAK_CHUNK puts the leak, and how much it keeps per request (SHOP_LEAK_BYTES). `pair`: the
// listener warnings_panel.live_updates registers keeps every event audit_log fires at it, so it leaks
// only when both run.
struct LeakPlan {
    enum class Site { none, outside, chunk, pair };
    Site site = Site::chunk;
    Chunk chunk = Chunk::warnings_panel_has_warnings; // meaningful only when site == Site::chunk
    std::size_t bytes_per_request = 2048;

    bool leaks_in(Chunk candidate) const { return site == Site::chunk && chunk == candidate; }
    bool leaks_outside() const { return site == Site::outside; }
    bool leaks_in_pair() const { return site == Site::pair; }
    std::string describe() const; // "warnings_panel 2048 B/request", "none"
};

struct ShopConfig {
    std::uint16_t port = 0; // 0: any free port
    ChunkSwitches chunks;
    LeakPlan leak;
    CrashPlan crash;                   // SHOP_CRASH_CHUNK, SHOP_CRASH_AT
    std::vector<std::string> warnings; // harmless oddities worth a line on stderr
};

std::variant<CommandLine, StartupError> parse_command_line(std::span<char* const> arguments);

std::string usage();

// The guard: chunks only run in production mode, so SHOP_ENV must say so.
std::optional<StartupError> check_production_mode();

// PORT (unless --port), CHUNK_*, SHOP_LEAK_CHUNK and SHOP_LEAK_BYTES.
std::variant<ShopConfig, StartupError> read_config(const CommandLine& command_line);

} // namespace shop
