#include "leakbisect/load/single_request.hpp"

#include "wording.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace leakbisect {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

constexpr auto kWithErrorCode = asio::as_tuple(asio::use_awaitable);

// Resolve, connect, write and read, each ending the exchange on its first error.
asio::awaitable<beast::error_code> get(beast::tcp_stream& stream, const LoadTarget& target,
                                       const http::request<http::empty_body>& request,
                                       http::response<http::string_body>& response) {
    asio::ip::tcp::resolver resolver(stream.get_executor());
    const auto [resolve_error, endpoints] =
        co_await resolver.async_resolve(target.host, std::to_string(target.port), kWithErrorCode);
    if (resolve_error) {
        co_return resolve_error;
    }
    const auto [connect_error, endpoint] = co_await stream.async_connect(endpoints, kWithErrorCode);
    if (connect_error) {
        co_return connect_error;
    }
    const auto [write_error, written] = co_await http::async_write(stream, request, kWithErrorCode);
    if (write_error) {
        co_return write_error;
    }
    beast::flat_buffer buffer;
    const auto [read_error, read] = co_await http::async_read(stream, buffer, response, kWithErrorCode);
    co_return read_error;
}

} // namespace

std::variant<int, HttpFailure> http_get_status(const LoadTarget& target, const std::string& path,
                                               Milliseconds timeout) {
    http::request<http::empty_body> request{http::verb::get, target.path_prefix + path, 11};
    request.set(http::field::host, load_detail::host_header(target));
    request.set(http::field::user_agent, "leakbisect");
    request.set(http::field::connection, "close");

    asio::io_context context;
    beast::tcp_stream stream(context);
    http::response<http::string_body> response;
    // The stream's deadline covers connect, write and read; running the context for no longer
    // than the timeout covers the resolve as well.
    stream.expires_after(timeout);
    std::optional<beast::error_code> failure;
    asio::co_spawn(context, get(stream, target, request, response),
                   [&failure](const std::exception_ptr& error, beast::error_code result) {
                       failure = error ? beast::error_code(asio::error::operation_aborted) : result;
                   });
    context.run_for(timeout);
    if (!failure) {
        return HttpFailure{load_detail::failure_reason(beast::error::timeout)};
    }
    if (*failure) {
        return HttpFailure{load_detail::failure_reason(*failure)};
    }
    return static_cast<int>(response.result_int());
}

} // namespace leakbisect
