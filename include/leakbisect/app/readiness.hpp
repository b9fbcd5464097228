// Waiting for a freshly started app to accept work: a TCP connect, an HTTP 2xx/3xx on a path,
// or a line in its log matching a pattern, all before a timeout; and finding a free port.
#pragma once

#include "leakbisect/app/app_process.hpp"
#include "leakbisect/core/expected.hpp"
#include "leakbisect/load/driver.hpp"
#include "leakbisect/recipe/recipe.hpp"

#include <atomic>
#include <cstdint>
#include <filesystem>

namespace leakbisect {

// Fails with ErrorKind::app_failed when the app exits first or the timeout passes, with
// ErrorKind::interrupted when `cancel` becomes true.
Status wait_until_ready(AppProcess& app, const ReadyCheck& check, const LoadTarget& target,
                        const std::filesystem::path& log_file, const std::atomic<bool>& cancel);

// A loopback port nobody listens on right now (bound to port 0, then released).
Expected<std::uint16_t> find_free_port();

// True when something accepts TCP connections on the target.
bool accepts_connections(const LoadTarget& target);

} // namespace leakbisect
