// The load driver: `concurrency` keep-alive connections, one coroutine each, on one io_context
// on the caller's thread. They pull request numbers from a shared counter until the plan's
// total has been started; every request ends as a response or a failure reason, never as an
// exception. A watcher coroutine polls the cancel flag.
#include "leakbisect/load/driver.hpp"

#include "request_mix.hpp"
#include "response_parser.hpp"
#include "stats_recorder.hpp"
#include "wording.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>

#include <algorithm>
#include <cassert>
#include <chrono>
#include <exception>
#include <memory>
#include <optional>

namespace leakbisect {
namespace load_detail {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using error_code = boost::system::error_code;

constexpr auto kCancelPollInterval = std::chrono::milliseconds(25);
// After a failed connect: the app may be restarting a worker. Without a pause a dead app would
// burn the whole plan in a few milliseconds; with it, `requests` still bounds the run.
constexpr auto kConnectBackoff = std::chrono::milliseconds(10);
constexpr auto kWithErrorCode = asio::as_tuple(asio::use_awaitable);

enum class Stage { connect, send, receive };

// How one attempt at a request ended.
struct Exchange {
    error_code error;
    Stage stage = Stage::connect;
    bool got_response_bytes = false;
    int status = 0;
    bool keep_alive = false;
};

// A kept-alive connection the app closed while it sat idle (keep-alive timeout, request limit
// per connection): the request never reached the app, so it is sent again on a fresh one.
bool is_stale_connection_error(const error_code& error) {
    return error == http::error::end_of_stream || error == asio::error::eof ||
           error == asio::error::connection_reset || error == asio::error::broken_pipe;
}

bool is_interim_status(int status) {
    return status >= 100 && status < 200 && status != 101;
}

class LoadRun;

// One keep-alive connection, driven by one coroutine: connect when needed, send, read, repeat.
class Connection {
  public:
    Connection(LoadRun& run, asio::io_context& io) : run_(run), stream_(io), backoff_(io) {}

    asio::awaitable<void> drive();
    // Cancels whatever is pending (the coroutine sees operation_aborted) and forgets the socket.
    void close();

  private:
    asio::awaitable<Exchange> exchange_retrying_stale(const PreparedRequest& request);
    asio::awaitable<Exchange> exchange(const PreparedRequest& request);

    LoadRun& run_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_; // kept across requests: no allocation once it has grown
    asio::steady_timer backoff_;
    bool open_ = false;
    std::uint64_t served_ = 0; // responses read on the current socket
};

// The shared state of one run_load call. Everything runs on one thread: no locks.
class LoadRun {
  public:
    LoadRun(const LoadPlan& plan, const ProgressHook& progress, const std::atomic<bool>& cancel);

    LoadStats run();

    // For the connections.
    std::optional<std::size_t> next_request(); // the mix entry of the next request; none: stop
    const PreparedRequest& request(std::size_t index) const { return requests_[index]; }
    const std::vector<tcp::endpoint>& endpoints() const { return endpoints_; }
    const error_code& resolve_error() const { return resolve_error_; }
    Milliseconds timeout() const { return plan_.timeout; }
    bool stopping() const { return stopping_; }
    void record_response(const PreparedRequest& request, int status, Clock::time_point started);
    void record_failure(const std::string& reason);

  private:
    void resolve_target();
    asio::awaitable<void> watch_cancel();
    void request_ended();
    void stop_if_too_many_failures();
    void connection_finished(const std::exception_ptr& error);
    void stop();

    asio::io_context io_{1}; // first member: destroyed after every socket and timer below
    const LoadPlan& plan_;
    const ProgressHook& progress_;
    const std::atomic<bool>& cancel_;
    std::vector<PreparedRequest> requests_;
    MixSampler sampler_;
    StatsRecorder recorder_;
    std::vector<tcp::endpoint> endpoints_;
    error_code resolve_error_;
    std::vector<std::unique_ptr<Connection>> connections_;
    asio::steady_timer poll_timer_;
    std::uint64_t started_ = 0;
    std::size_t active_connections_ = 0;
    bool stopping_ = false;
    bool cancelled_ = false;
    bool stopped_on_failures_ = false;
    std::exception_ptr escaped_error_; // from the progress callback: rethrown once the load is down
};

// ---- Connection -------------------------------------------------------------------------------

asio::awaitable<void> Connection::drive() {
    while (const auto index = run_.next_request()) {
        const PreparedRequest& request = run_.request(*index);
        const auto started = Clock::now();
        Exchange result;
        try {
            result = co_await exchange_retrying_stale(request);
        } catch (const std::exception& error) {
            // Library trouble is a failed request like any other, not the end of the run.
            close();
            if (!run_.stopping()) {
                run_.record_failure(std::string("internal error: ") + error.what());
            }
            continue;
        }
        if (run_.stopping()) {
            break; // cancelled: what was in flight counts neither way
        }
        if (result.error) {
            close();
            run_.record_failure(failure_reason(result.error));
            if (result.stage == Stage::connect) {
                backoff_.expires_after(kConnectBackoff);
                co_await backoff_.async_wait(kWithErrorCode);
            }
            continue;
        }
        ++served_;
        run_.record_response(request, result.status, started);
        if (!result.keep_alive) {
            close();
        }
    }
    close();
}

asio::awaitable<Exchange> Connection::exchange_retrying_stale(const PreparedRequest& request) {
    const bool reused = open_ && served_ > 0;
    stream_.expires_after(run_.timeout()); // one deadline for connect, send and receive
    Exchange result = co_await exchange(request);
    if (reused && result.stage != Stage::connect && !result.got_response_bytes &&
        is_stale_connection_error(result.error) && !run_.stopping()) {
        close();
        stream_.expires_after(run_.timeout());
        result = co_await exchange(request);
    }
    co_return result;
}

asio::awaitable<Exchange> Connection::exchange(const PreparedRequest& request) {
    if (!open_) {
        if (run_.endpoints().empty()) {
            co_return Exchange{run_.resolve_error(), Stage::connect};
        }
        const auto [connect_error, endpoint] =
            co_await stream_.async_connect(run_.endpoints(), kWithErrorCode);
        if (connect_error) {
            co_return Exchange{connect_error, Stage::connect};
        }
        error_code ignored; // without TCP_NODELAY a small request can wait for a delayed ACK
        stream_.socket().set_option(tcp::no_delay(true), ignored);
        open_ = true;
    }

    const auto [send_error, sent] =
        co_await asio::async_write(stream_, asio::buffer(request.wire), kWithErrorCode);
    if (send_error) {
        co_return Exchange{send_error, Stage::send};
    }

    bool got_interim = false;
    for (;;) {
        DiscardingResponseParser parser;
        parser.skip(request.is_head);
        const auto [receive_error, received] =
            co_await http::async_read(stream_, buffer_, parser, kWithErrorCode);
        if (receive_error) {
            co_return Exchange{receive_error, Stage::receive, got_interim || parser.got_some()};
        }
        if (is_interim_status(parser.status())) {
            got_interim = true; // 100 Continue and friends: the real response follows
            continue;
        }
        const bool keep_alive = parser.keep_alive() && parser.status() != 101;
        co_return Exchange{{}, Stage::receive, true, parser.status(), keep_alive};
    }
}

void Connection::close() {
    backoff_.cancel();
    stream_.close(); // also when !open_: a connect may be pending
    buffer_.clear();
    open_ = false;
    served_ = 0;
}

// ---- LoadRun ----------------------------------------------------------------------------------

LoadRun::LoadRun(const LoadPlan& plan, const ProgressHook& progress, const std::atomic<bool>& cancel)
    : plan_(plan), progress_(progress), cancel_(cancel), requests_(prepare_requests(plan)),
      sampler_(plan.mix, plan.seed), recorder_(plan.requests), poll_timer_(io_) {
    const unsigned concurrency = std::max(plan.concurrency, 1u);
    for (unsigned i = 0; i < concurrency; ++i) {
        connections_.push_back(std::make_unique<Connection>(*this, io_));
    }
}

LoadStats LoadRun::run() {
    const auto started = Clock::now();
    resolve_target();
    asio::co_spawn(io_, watch_cancel(), asio::detached);
    active_connections_ = connections_.size();
    for (auto& connection : connections_) {
        asio::co_spawn(io_, connection->drive(),
                       [this](const std::exception_ptr& error) { connection_finished(error); });
    }
    io_.run();
    const std::chrono::duration<double> elapsed = Clock::now() - started;
    if (escaped_error_) {
        std::rethrow_exception(escaped_error_);
    }
    LoadStats stats = recorder_.finish(elapsed.count(), cancelled_);
    stats.stopped_on_failures = stopped_on_failures_;
    return stats;
}

void LoadRun::resolve_target() {
    const auto& target = plan_.target;
    const auto address = asio::ip::make_address(target.host, resolve_error_);
    if (!resolve_error_) {
        endpoints_.emplace_back(address, target.port);
        return;
    }
    tcp::resolver resolver(io_);
    const auto results = resolver.resolve(target.host, std::to_string(target.port),
                                          tcp::resolver::numeric_service, resolve_error_);
    for (const auto& entry : results) {
        endpoints_.push_back(entry.endpoint());
    }
    if (!resolve_error_ && endpoints_.empty()) {
        resolve_error_ = asio::error::host_not_found;
    }
}

std::optional<std::size_t> LoadRun::next_request() {
    if (stopping_) {
        return std::nullopt;
    }
    if (cancel_.load(std::memory_order_relaxed)) {
        cancelled_ = true;
        stop();
        return std::nullopt;
    }
    if (started_ == plan_.requests) {
        return std::nullopt;
    }
    ++started_;
    return sampler_.next();
}

void LoadRun::record_response(const PreparedRequest& request, int status, Clock::time_point started) {
    const std::chrono::duration<double, std::milli> latency = Clock::now() - started;
    recorder_.record_response(status, request.expects(status), latency.count());
    request_ended();
    stop_if_too_many_failures();
}

void LoadRun::record_failure(const std::string& reason) {
    recorder_.record_failure(reason);
    request_ended();
    stop_if_too_many_failures();
}

void LoadRun::stop_if_too_many_failures() {
    if (!stopping_ && recorder_.failed() > plan_.max_failures) {
        stopped_on_failures_ = true;
        stop(); // requests in flight are abandoned, not waited for: the verdict is already INVALID
    }
}

void LoadRun::request_ended() {
    if (progress_.every == 0 || !progress_.callback) {
        return;
    }
    const std::uint64_t finished = recorder_.finished();
    if (finished % progress_.every != 0) {
        return;
    }
    try {
        progress_.callback(finished);
    } catch (...) {
        // The caller's own failure: stop cleanly here, let it surface from run_load.
        if (!escaped_error_) {
            escaped_error_ = std::current_exception();
        }
        stop();
    }
}

asio::awaitable<void> LoadRun::watch_cancel() {
    while (active_connections_ > 0 && !stopping_) {
        if (cancel_.load(std::memory_order_relaxed)) {
            cancelled_ = true;
            stop();
            break;
        }
        poll_timer_.expires_after(kCancelPollInterval);
        co_await poll_timer_.async_wait(kWithErrorCode);
    }
}

void LoadRun::connection_finished(const std::exception_ptr& error) {
    if (error && !escaped_error_) {
        escaped_error_ = error; // a bug, not network trouble: drive() turns those into failures
        stop();
    }
    if (--active_connections_ == 0) {
        poll_timer_.cancel(); // the watcher ends and io_.run() returns
    }
}

void LoadRun::stop() {
    stopping_ = true;
    for (auto& connection : connections_) {
        connection->close();
    }
    poll_timer_.cancel();
}

} // namespace
} // namespace load_detail

LoadStats run_load(const LoadPlan& plan, const ProgressHook& progress, const std::atomic<bool>& cancel) {
    assert(!plan.mix.empty());
    if (plan.mix.empty()) {
        LoadStats stats; // a recipe without [[load.request]] never gets here; do not divide by zero
        stats.failed = plan.requests;
        stats.failure_reasons["no [[load.request]] to send"] = plan.requests;
        return stats;
    }
    load_detail::LoadRun run(plan, progress, cancel);
    return run.run();
}

} // namespace leakbisect
