// A tiny HTTP/1.1 server for the load driver's tests: listens on 127.0.0.1 port 0, runs on its own
// thread, records every request it reads, and misbehaves on request (closes, stalls, answers 500).
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace leakbisect::testing {

enum class ServerBehaviour {
    keep_alive,        // answer and keep the connection open
    close_with_header, // answer with "Connection: close", then close
    close_silently,    // answer as if keeping alive, then close anyway
    never_answer,      // read the request and say nothing
};

struct ServerOptions {
    ServerBehaviour behaviour = ServerBehaviour::keep_alive;
    int status = 200;
    std::string body = "hello from the test server";
    std::chrono::milliseconds delay{0}; // before each response
};

struct RecordedRequest {
    std::string method;
    std::string target;
    std::string host;
    std::string user_agent;
    std::string content_length;
    std::string accept;
    std::string body;
};

class TestServer {
  public:
    explicit TestServer(ServerOptions options = {})
        : options_(std::move(options)), acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
        port_ = acceptor_.local_endpoint().port();
        boost::asio::co_spawn(io_, accept_loop(), boost::asio::detached);
        thread_ = std::thread([this] { io_.run(); });
    }

    ~TestServer() {
        io_.stop();
        thread_.join();
    }

    TestServer(const TestServer&) = delete;
    TestServer& operator=(const TestServer&) = delete;

    std::uint16_t port() const { return port_; }
    std::uint64_t connections() const { return connections_.load(); }

    std::vector<RecordedRequest> requests() const {
        std::lock_guard lock(mutex_);
        return requests_;
    }

    std::map<std::string, std::uint64_t> requests_by_target() const {
        std::map<std::string, std::uint64_t> counts;
        for (const auto& request : requests()) {
            ++counts[request.target];
        }
        return counts;
    }

  private:
    using tcp = boost::asio::ip::tcp;
    static constexpr auto kWithErrorCode = boost::asio::as_tuple(boost::asio::use_awaitable);

    boost::asio::awaitable<void> accept_loop() {
        for (;;) {
            auto [error, socket] = co_await acceptor_.async_accept(kWithErrorCode);
            if (error) {
                co_return;
            }
            ++connections_;
            boost::asio::co_spawn(io_, session(std::move(socket)), boost::asio::detached);
        }
    }

    boost::asio::awaitable<void> session(tcp::socket socket) {
        namespace http = boost::beast::http;
        boost::beast::flat_buffer buffer;
        boost::asio::steady_timer timer(io_);
        for (;;) {
            http::request<http::string_body> request;
            auto [read_error, read] = co_await http::async_read(socket, buffer, request, kWithErrorCode);
            if (read_error) {
                co_return;
            }
            record(request);
            if (options_.behaviour == ServerBehaviour::never_answer) {
                continue; // the next read waits until the client gives up and closes
            }
            if (options_.delay.count() > 0) {
                timer.expires_after(options_.delay);
                co_await timer.async_wait(kWithErrorCode);
            }
            http::response<http::string_body> response{static_cast<http::status>(options_.status), 11};
            response.set(http::field::content_type, "text/plain");
            response.body() = options_.body;
            response.keep_alive(options_.behaviour != ServerBehaviour::close_with_header);
            response.prepare_payload();
            auto [write_error, written] = co_await http::async_write(socket, response, kWithErrorCode);
            if (write_error || options_.behaviour != ServerBehaviour::keep_alive) {
                co_return; // the socket closes with the coroutine
            }
        }
    }

    template <typename Request> void record(const Request& request) {
        namespace http = boost::beast::http;
        auto field = [&](http::field name) { return std::string(request[name]); };
        std::lock_guard lock(mutex_);
        requests_.push_back(
            RecordedRequest{std::string(request.method_string()), std::string(request.target()),
                            field(http::field::host), field(http::field::user_agent),
                            field(http::field::content_length), field(http::field::accept), request.body()});
    }

    ServerOptions options_;
    boost::asio::io_context io_; // before the acceptor: destroyed after it
    tcp::acceptor acceptor_;
    std::uint16_t port_ = 0;
    std::thread thread_;
    std::atomic<std::uint64_t> connections_{0};
    mutable std::mutex mutex_;
    std::vector<RecordedRequest> requests_;
};

// A loopback port with nothing listening on it (bound, then released).
inline std::uint16_t unused_port() {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return acceptor.local_endpoint().port();
}

} // namespace leakbisect::testing
