// One plain HTTP GET with a deadline, for readiness checks: the status code or why there was none.
#pragma once

#include "leakbisect/core/units.hpp"
#include "leakbisect/load/driver.hpp"

#include <string>
#include <variant>

namespace leakbisect {

struct HttpFailure {
    std::string reason; // "connection refused", "timeout", ...
};

// The status of GET path_prefix + path on the target, or the reason it could not be had.
std::variant<int, HttpFailure> http_get_status(const LoadTarget& target, const std::string& path,
                                               Milliseconds timeout);

} // namespace leakbisect
