#include "crash_switch.hpp"

#include "config.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace shop {
namespace {

std::optional<std::string_view> environment(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::nullopt : std::optional<std::string_view>(value);
}

[[noreturn]] void crash(const CrashPlan& plan, std::string_view when) {
    fmt::print(stderr, "shop: crashing {}: SHOP_CRASH_CHUNK={} is on\n", when, chunk_name(*plan.chunk));
    std::fflush(stderr);
    std::abort();
}

} // namespace

std::variant<CrashPlan, StartupError> read_crash_plan() {
    CrashPlan plan;
    if (auto name = environment("SHOP_CRASH_CHUNK"); name && !name->empty()) {
        plan.chunk = find_chunk(*name);
        if (!plan.chunk) {
            return StartupError{kExitUsage, fmt::format("SHOP_CRASH_CHUNK=\"{}\" names no chunk", *name)};
        }
    }
    if (auto when = environment("SHOP_CRASH_AT")) {
        if (*when == "boot") {
            plan.when = CrashPlan::When::boot;
        } else if (*when == "load") {
            plan.when = CrashPlan::When::load;
        } else {
            return StartupError{kExitUsage,
                                fmt::format("SHOP_CRASH_AT must be boot or load, got \"{}\"", *when)};
        }
    }
    return plan;
}

void crash_at_boot_if_planned(const CrashPlan& plan, const ChunkSwitches& chunks) {
    if (plan.chunk && plan.when == CrashPlan::When::boot && chunks.is_on(*plan.chunk)) {
        crash(plan, "at boot");
    }
}

void crash_under_load_if_planned(const CrashPlan& plan, const ChunkSwitches& chunks,
                                 std::uint64_t orders_served) {
    if (plan.chunk && plan.when == CrashPlan::When::load && chunks.is_on(*plan.chunk) &&
        orders_served >= kCrashAfterOrders) {
        crash(plan, fmt::format("under load after {} order pages", orders_served));
    }
}

} // namespace shop
