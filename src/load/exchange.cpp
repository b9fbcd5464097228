#include "exchange.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace leakbisect::load_detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

constexpr auto kWithErrorCode = asio::as_tuple(asio::use_awaitable);

} // namespace

asio::awaitable<beast::error_code> exchange(beast::tcp_stream& stream, const LoadTarget& target,
                                            const std::string& wire, bool is_head,
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
    const auto [write_error, written] =
        co_await asio::async_write(stream, asio::buffer(wire), kWithErrorCode);
    if (write_error) {
        co_return write_error;
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.skip(is_head);
    parser.body_limit(kMostBodyBytes);
    const auto [read_error, read] = co_await http::async_read(stream, buffer, parser, kWithErrorCode);
    response = parser.release();
    co_return read_error;
}

} // namespace leakbisect::load_detail
