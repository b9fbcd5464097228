// How the load module names a network failure and writes a Host header, shared by the load
// driver and the single readiness request so both say the same thing. Internal to the module.
#pragma once

#include "leakbisect/load/driver.hpp"

#include <boost/system/error_code.hpp>
#include <string>

namespace leakbisect::load_detail {

// "timeout", "connection refused", "connection closed", ... or the error's own message.
std::string failure_reason(const boost::system::error_code& error);

// "127.0.0.1:8080", "[::1]:8080".
std::string host_header(const LoadTarget& target);

} // namespace leakbisect::load_detail
