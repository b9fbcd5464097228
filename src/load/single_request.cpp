#include "leakbisect/load/single_request.hpp"

#include "wording.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace leakbisect {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

std::variant<int, HttpFailure> http_get_status(const LoadTarget& target, const std::string& path,
                                               Milliseconds timeout) {
    asio::io_context context;
    beast::tcp_stream stream(context);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    beast::error_code failure;

    asio::ip::tcp::resolver resolver(context);
    const auto endpoints = resolver.resolve(target.host, std::to_string(target.port), failure);
    if (failure) {
        return HttpFailure{failure.message()};
    }
    http::request<http::empty_body> request{http::verb::get, target.path_prefix + path, 11};
    request.set(http::field::host, load_detail::host_header(target));
    request.set(http::field::user_agent, "leakbisect");
    request.set(http::field::connection, "close");

    // Asynchronous operations so the deadline covers connect, write and read alike.
    stream.expires_after(timeout);
    stream.async_connect(endpoints, [&](beast::error_code error, const auto&) {
        if (error) {
            failure = error;
            return;
        }
        http::async_write(stream, request, [&](beast::error_code write_error, std::size_t) {
            if (write_error) {
                failure = write_error;
                return;
            }
            http::async_read(stream, buffer, response,
                             [&](beast::error_code read_error, std::size_t) { failure = read_error; });
        });
    });
    context.run();
    if (failure) {
        return HttpFailure{load_detail::failure_reason(failure)};
    }
    return static_cast<int>(response.result_int());
}

} // namespace leakbisect
