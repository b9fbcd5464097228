// Beast/Asio serving for the shop (see server.hpp): one io_context, an accept coroutine, one coroutine per
// connection with a deadline on every read and write, and the router. Errors on a connection close it.
#include "server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <csignal>
#include <exception>
#include <utility>

namespace shop {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// Errors come back as values: a closed or timed-out connection is ordinary, not exceptional.
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr std::chrono::seconds kIdleTimeout{60};
constexpr std::chrono::seconds kWriteTimeout{10};

Response make_response(const Request& request, http::status status, std::string_view content_type,
                       std::string body) {
    Response response{status, request.version()};
    response.set(http::field::server, "shop");
    response.set(http::field::content_type, content_type);
    response.keep_alive(request.keep_alive());
    response.body() = std::move(body);
    response.prepare_payload();
    return response;
}

// "/orders/42" -> 42; anything but 1..kMaxOrderId in plain digits is not an order page.
std::optional<int> order_id_in(std::string_view path) {
    constexpr std::string_view kPrefix = "/orders/";
    if (!path.starts_with(kPrefix)) {
        return std::nullopt;
    }
    std::string_view digits = path.substr(kPrefix.size());
    int id = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
    if (digits.empty() || digits.front() == '-' || error != std::errc{} ||
        end != digits.data() + digits.size() || id < 1 || id > kMaxOrderId) {
        return std::nullopt;
    }
    return id;
}

Response route(const Request& request, Shop& shop) {
    std::string_view target(request.target().data(), request.target().size());
    auto question_mark = target.find('?');
    std::string_view path = target.substr(0, question_mark);
    std::string_view query = question_mark == std::string_view::npos ? "" : target.substr(question_mark + 1);

    if (request.method() != http::verb::get) {
        Response response =
            make_response(request, http::status::method_not_allowed, "text/plain", "GET only\n");
        response.set(http::field::allow, "GET");
        return response;
    }
    if (path == "/up") {
        return make_response(request, http::status::ok, "text/plain", "ok");
    }
    if (auto order_id = order_id_in(path)) {
        try {
            return make_response(request, http::status::ok, "text/html; charset=utf-8",
                                 shop.show_order(OrderRequest{*order_id, query}));
        } catch (const std::exception& error) {
            fmt::print(stderr, "shop: GET {} failed: {}\n", target, error.what());
            return make_response(request, http::status::internal_server_error, "text/plain",
                                 "internal error\n");
        }
    }
    return make_response(request, http::status::not_found, "text/plain", "not found\n");
}

asio::awaitable<void> serve_connection(beast::tcp_stream stream, Shop& shop) {
    beast::flat_buffer buffer;
    for (;;) {
        Request request;
        stream.expires_after(kIdleTimeout);
        auto [read_error, read_bytes] = co_await http::async_read(stream, buffer, request, kNoThrow);
        if (read_error) {
            break; // the client closed, went idle too long, or sent something that is not HTTP
        }
        Response response = route(request, shop);
        stream.expires_after(kWriteTimeout);
        auto [write_error, written_bytes] = co_await http::async_write(stream, response, kNoThrow);
        if (write_error || !response.keep_alive()) {
            break;
        }
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> accept_connections(tcp::acceptor& acceptor, Shop& shop) {
    for (;;) {
        auto [error, socket] = co_await acceptor.async_accept(kNoThrow);
        if (error == asio::error::operation_aborted || !acceptor.is_open()) {
            co_return;
        }
        if (error) {
            fmt::print(stderr, "shop: accept failed: {}\n", error.message());
            continue;
        }
        asio::co_spawn(acceptor.get_executor(), serve_connection(beast::tcp_stream(std::move(socket)), shop),
                       asio::detached);
    }
}

} // namespace

struct Server::Impl {
    explicit Impl(Shop& shop) : shop(shop) {}

    Shop& shop;
    asio::io_context io_context{1};
    // Installed first, so a SIGTERM that arrives while binding is still a clean stop.
    asio::signal_set signals{io_context, SIGTERM, SIGINT};
    tcp::acceptor acceptor{io_context};
};

Server::Server(Shop& shop) : impl_(std::make_unique<Impl>(shop)) {}

Server::~Server() = default;

std::optional<std::string> Server::listen(std::uint16_t port) {
    tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), port);
    beast::error_code error;
    impl_->acceptor.open(endpoint.protocol(), error);
    if (!error) {
        impl_->acceptor.set_option(asio::socket_base::reuse_address(true), error);
    }
    if (!error) {
        impl_->acceptor.bind(endpoint, error);
    }
    if (!error) {
        impl_->acceptor.listen(asio::socket_base::max_listen_connections, error);
    }
    if (error) {
        return fmt::format("cannot listen on 127.0.0.1:{}: {}", port, error.message());
    }
    return std::nullopt;
}

std::uint16_t Server::bound_port() const {
    beast::error_code error;
    return impl_->acceptor.local_endpoint(error).port();
}

std::string_view Server::serve_until_signal() {
    std::string_view received = "signal";
    impl_->signals.async_wait([this, &received](const beast::error_code& error, int signal) {
        if (!error) {
            received = signal == SIGTERM ? "SIGTERM" : "SIGINT";
        }
        beast::error_code ignored;
        impl_->acceptor.close(ignored);
        impl_->io_context.stop(); // connections still open are destroyed with their coroutines
    });
    asio::co_spawn(impl_->io_context, accept_connections(impl_->acceptor, impl_->shop), asio::detached);
    impl_->io_context.run();
    return received;
}

} // namespace shop
