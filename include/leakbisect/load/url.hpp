// Parses load.base_url after placeholder expansion and enforces the loopback-only rule.
#pragma once

#include "leakbisect/core/expected.hpp"
#include "leakbisect/load/driver.hpp"

#include <string_view>

namespace leakbisect {

// "http://127.0.0.1:8080/prefix" -> {127.0.0.1, 8080, "/prefix"}. Only http is supported.
// A host that is not loopback (127.0.0.0/8, ::1, localhost) is refused unless allow_remote.
Expected<LoadTarget> parse_base_url(std::string_view url, bool allow_remote);

} // namespace leakbisect
