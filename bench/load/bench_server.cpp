// The fastest honest HTTP/1.1 server we can write in a page: one thread, keep-alive, a fixed
// 200 response to every request. It only finds the end of each request's header (no body
// support), so the load client, not the server, is what a comparison measures.
// Usage: bench_server PORT   (0: pick one; the port is printed on stdout)
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kWithErrorCode = asio::as_tuple(asio::use_awaitable);
constexpr std::string_view kResponse = "HTTP/1.1 200 OK\r\n"
                                       "Content-Type: text/plain\r\n"
                                       "Content-Length: 13\r\n"
                                       "\r\n"
                                       "Hello, world!";

asio::awaitable<void> session(tcp::socket socket) {
    socket.set_option(tcp::no_delay(true));
    std::array<char, 16 * 1024> buffer{};
    std::string pending;   // the tail of the last read that may hold half a "\r\n\r\n"
    std::string responses; // one response per request completed by this read
    for (;;) {
        auto [error, read] = co_await socket.async_read_some(asio::buffer(buffer), kWithErrorCode);
        if (error) {
            co_return;
        }
        pending.append(buffer.data(), read);
        responses.clear();
        for (auto end = pending.find("\r\n\r\n"); end != std::string::npos; end = pending.find("\r\n\r\n")) {
            pending.erase(0, end + 4);
            responses.append(kResponse);
        }
        if (!responses.empty()) {
            auto [write_error, written] =
                co_await asio::async_write(socket, asio::buffer(responses), kWithErrorCode);
            if (write_error) {
                co_return;
            }
        }
    }
}

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor) {
    for (;;) {
        auto [error, socket] = co_await acceptor.async_accept(kWithErrorCode);
        if (!error) {
            asio::co_spawn(acceptor.get_executor(), session(std::move(socket)), asio::detached);
        }
    }
}

} // namespace

int main(int argc, char** argv) {
    const auto port = static_cast<unsigned short>(argc > 1 ? std::atoi(argv[1]) : 0);
    asio::io_context io{1};
    tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), port});
    std::cout << acceptor.local_endpoint().port() << std::endl;
    asio::co_spawn(io, accept_loop(acceptor), asio::detached);
    io.run();
}
