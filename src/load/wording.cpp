#include "wording.hpp"

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

namespace leakbisect::load_detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using error_code = boost::system::error_code;

std::string failure_reason(const error_code& error) {
    if (error == beast::error::timeout) {
        return "timeout";
    }
    if (error == asio::error::connection_refused) {
        return "connection refused";
    }
    if (error == http::error::end_of_stream || error == asio::error::eof) {
        return "connection closed";
    }
    if (error == http::error::partial_message) {
        return "connection closed mid-response";
    }
    return error.message();
}

std::string host_header(const LoadTarget& target) {
    const bool ipv6 = target.host.find(':') != std::string::npos;
    return (ipv6 ? "[" + target.host + "]" : target.host) + ":" + std::to_string(target.port);
}

} // namespace leakbisect::load_detail
