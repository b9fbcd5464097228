// The shop's entry point: read the command line and environment once, refuse to run outside production
// mode, bind, announce, serve until SIGTERM/SIGINT. Exit codes: 0 clean stop, 1 refused to start or cannot
// listen, 2 bad command line or environment.
#include "chunks.hpp"
#include "config.hpp"
#include "faults.hpp"
#include "server.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <span>
#include <variant>

namespace {

int fail(const shop::StartupError& error) {
    fmt::print(stderr, "shop: {}\n", error.message);
    return error.exit_code;
}

} // namespace

int main(int argc, char** argv) {
    // The command line: --port and --help only.
    auto command_line = shop::parse_command_line(std::span<char* const>(argv + 1, argv + argc));
    if (auto* error = std::get_if<shop::StartupError>(&command_line)) {
        return fail(*error);
    }
    if (std::get<shop::CommandLine>(command_line).help) {
        fmt::print("{}", shop::usage());
        return 0;
    }

    // The guard: profiling a development-mode app finds development-mode leaks.
    if (auto refused = shop::check_production_mode()) {
        return fail(*refused);
    }

    // Port, chunk switches and the planted leak, read once; nothing reads the environment later.
    auto read = shop::read_config(std::get<shop::CommandLine>(command_line));
    if (auto* error = std::get_if<shop::StartupError>(&read)) {
        return fail(*error);
    }
    const auto& config = std::get<shop::ShopConfig>(read);
    for (const auto& warning : config.warnings) {
        fmt::print(stderr, "shop: warning: {}\n", warning);
    }

    // SHOP_FAULT: misbehaviour on demand for leakbisect's fault-matrix tests (faults.hpp).
    auto faults = shop::read_fault_plan();
    if (auto* error = std::get_if<shop::StartupError>(&faults)) {
        return fail(*error);
    }
    shop::faults_before_listen(std::get<shop::FaultPlan>(faults));
    shop::crash_at_boot_if_planned(config.crash, config.chunks);

    // Bind before announcing, so the announcement means the port is taken by us.
    shop::Shop shop(config);
    shop::Server server(shop);
    if (auto reason = server.listen(config.port)) {
        return fail({shop::kExitRefused, *reason});
    }
    fmt::print("shop: listening on 127.0.0.1:{} (chunks on: {}; leak: {})\n", server.bound_port(),
               config.chunks.enabled_names(), config.leak.describe());
    std::fflush(stdout);
    shop::faults_after_listen(std::get<shop::FaultPlan>(faults));

    // Serve until told to stop.
    auto signal = server.serve_until_signal();
    shop::faults_at_stop();
    fmt::print("shop: {} received, stopping after {} order pages\n", signal, shop.orders_served());
    return 0;
}
