#include "leakbisect/app/readiness.hpp"

#include "leakbisect/core/files.hpp"
#include "leakbisect/load/single_request.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <fmt/format.h>
#include <regex>
#include <thread>

namespace leakbisect {

namespace asio = boost::asio;

namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(50);
constexpr Milliseconds kAttemptTimeout{1000};

// One attempt of the check; the reason it is not ready yet goes to `why`.
bool check_once(const ReadyCheck& check, const LoadTarget& target, const std::filesystem::path& log_file,
                const std::regex& pattern, std::string& why) {
    switch (check.kind) {
    case ReadyKind::tcp:
        why = fmt::format("nothing accepts connections on {}:{}", target.host, target.port);
        return accepts_connections(target);
    case ReadyKind::http: {
        const auto result = http_get_status(target, check.http_path, kAttemptTimeout);
        if (const auto* failure = std::get_if<HttpFailure>(&result)) {
            why = fmt::format("GET {} failed: {}", check.http_path, failure->reason);
            return false;
        }
        const int status = std::get<int>(result);
        why = fmt::format("GET {} answered {}, not 2xx or 3xx", check.http_path, status);
        return status >= 200 && status < 400;
    }
    case ReadyKind::log:
        why = fmt::format("no line of the log matched /{}/", check.log_pattern);
        {
            const auto log = read_text_file(log_file, ErrorKind::io);
            return log && std::regex_search(*log, pattern);
        }
    }
    return false;
}

} // namespace

Status wait_until_ready(AppProcess& app, const ReadyCheck& check, const LoadTarget& target,
                        const std::filesystem::path& log_file, const std::atomic<bool>& cancel) {
    std::regex pattern;
    if (check.kind == ReadyKind::log) {
        pattern = std::regex(check.log_pattern, std::regex::ECMAScript); // validated with the recipe
    }
    const auto start = std::chrono::steady_clock::now();
    const auto deadline = start + check.timeout;
    std::string why = "it was never checked";
    while (true) {
        if (cancel.load()) {
            return make_error(ErrorKind::interrupted, app.command_line(),
                              "interrupted while waiting for the app");
        }
        if (const auto ended = app.exit_description()) {
            return make_error(
                ErrorKind::app_failed, app.command_line(),
                fmt::format("the app {} before it was ready; see {}", *ended, log_file.string()));
        }
        if (check_once(check, target, log_file, pattern, why)) {
            return Ok{};
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return make_error(ErrorKind::app_failed, app.command_line(),
                              fmt::format("not ready after {} ({}); raise app.ready.timeout or check {}",
                                          format_duration(check.timeout), why, log_file.string()));
        }
        std::this_thread::sleep_for(kPollInterval);
    }
}

Expected<std::uint16_t> find_free_port() {
    asio::io_context context;
    asio::ip::tcp::acceptor acceptor(context);
    const asio::ip::tcp::endpoint any_loopback_port(asio::ip::address_v4::loopback(), 0);
    boost::system::error_code failure;
    acceptor.open(any_loopback_port.protocol(), failure);
    if (failure) {
        return make_error(ErrorKind::io, "socket()", "cannot create a socket to find a free port");
    }
    acceptor.bind(any_loopback_port, failure);
    asio::ip::tcp::endpoint bound;
    if (!failure) {
        bound = acceptor.local_endpoint(failure);
    }
    if (failure) {
        return make_error(ErrorKind::io, "127.0.0.1", "cannot bind a loopback port to find a free one");
    }
    return bound.port();
}

bool accepts_connections(const LoadTarget& target) {
    boost::system::error_code failure;
    const auto address =
        asio::ip::make_address(target.host == "localhost" ? "127.0.0.1" : target.host, failure);
    if (failure) {
        return false;
    }
    asio::io_context context;
    asio::ip::tcp::socket socket(context);
    socket.connect({address, target.port}, failure);
    return !failure;
}

} // namespace leakbisect
