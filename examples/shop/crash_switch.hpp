// SHOP_CRASH_CHUNK and SHOP_CRASH_AT: make the shop crash when a given chunk is on, at boot or under
// load, so leakbisect's search for the chunk that crashes the app can be run against a real process.
// Read once at startup with the rest of the environment; the crash is an abort (SIGABRT), as a real
// assertion failure or a segfault in a native extension would end the process.
#pragma once

#include "chunk_table.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace shop {

struct StartupError;

struct CrashPlan {
    enum class When { boot, load };
    std::optional<Chunk> chunk; // none: the shop never crashes on purpose
    When when = When::load;
};

// SHOP_CRASH_CHUNK (a chunk or sub-chunk name) and SHOP_CRASH_AT (boot | load, default load).
std::variant<CrashPlan, StartupError> read_crash_plan();

// At boot, before listening: aborts when the plan says boot and its chunk is on.
void crash_at_boot_if_planned(const CrashPlan& plan, const ChunkSwitches& chunks);

// On every order page: aborts on the kCrashAfterOrders-th when the plan says load and its chunk is on
// (after the readiness check and the first requests, as a crash under load does).
inline constexpr std::uint64_t kCrashAfterOrders = 100;
void crash_under_load_if_planned(const CrashPlan& plan, const ChunkSwitches& chunks,
                                 std::uint64_t orders_served);

} // namespace shop
