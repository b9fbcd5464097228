// One HTTP exchange on a fresh connection, shared by the readiness GET and the rehearsal's
// requests sent once: resolve, connect, write the request's bytes, read the answer. Internal to
// the module.
#pragma once

#include "leakbisect/load/driver.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <string>

namespace leakbisect::load_detail {

// A page, not a download: a body beyond this ends the read with an error.
constexpr std::uint64_t kMostBodyBytes = std::uint64_t{64} << 20;

// Ends on the first error, which it returns; `is_head` reads a HEAD answer (no body). The
// stream's deadline, set by the caller, covers connect, write and read.
boost::asio::awaitable<boost::beast::error_code>
exchange(boost::beast::tcp_stream& stream, const LoadTarget& target, const std::string& wire, bool is_head,
         boost::beast::http::response<boost::beast::http::string_body>& response);

} // namespace leakbisect::load_detail
