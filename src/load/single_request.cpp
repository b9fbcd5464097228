#include "leakbisect/load/single_request.hpp"

#include "exchange.hpp"
#include "wording.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <sstream>

namespace leakbisect {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

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
    std::ostringstream serialized;
    serialized << request;
    const std::string wire = serialized.str(); // the coroutine holds a reference: it must outlive it
    asio::co_spawn(context, load_detail::exchange(stream, target, wire, false, response),
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
