#include "leakbisect/app/readiness.hpp"

#include "leakbisect/load/single_request.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <fmt/format.h>
#include <fstream>
#include <re2/re2.h>
#include <thread>

namespace leakbisect {

namespace asio = boost::asio;

namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(50);
constexpr Milliseconds kAttemptTimeout{1000};
constexpr std::size_t kLogReadSize = std::size_t{64} * 1024;

// The app's log as it grows, matched line by line: each poll reads only what was appended, and
// the pattern (RE2: linear time, no recursion) sees one line at a time, at most kReadyLineLimit
// bytes long, so no amount of output before "ready" costs more than a pass over it.
class LogWatcher {
  public:
    LogWatcher(std::filesystem::path file, const std::string& pattern)
        : file_(std::move(file)), pattern_(pattern, options()) {}

    bool valid() const { return pattern_.ok(); }
    std::string problem() const { return pattern_.error(); }

    // Whether a line appended since the last call (or the unfinished last line) matches.
    bool matched() {
        std::ifstream input(file_, std::ios::binary);
        if (!input) {
            return false;
        }
        input.seekg(0, std::ios::end);
        const auto size = static_cast<std::uint64_t>(input.tellg());
        if (size < offset_) { // the log was cut or replaced: read it again from its start
            offset_ = 0;
            line_.clear();
        }
        input.seekg(static_cast<std::streamoff>(offset_));
        std::string block(kLogReadSize, '\0');
        while (offset_ < size) {
            input.read(block.data(),
                       static_cast<std::streamsize>(std::min<std::uint64_t>(kLogReadSize, size - offset_)));
            const auto got = static_cast<std::size_t>(input.gcount());
            if (got == 0) {
                break;
            }
            offset_ += got;
            for (std::size_t i = 0; i < got; ++i) {
                if (block[i] == '\n' || line_.size() == kReadyLineLimit) {
                    if (RE2::PartialMatch(line_, pattern_)) {
                        return true;
                    }
                    line_.clear();
                }
                if (block[i] != '\n') {
                    line_ += block[i];
                }
            }
        }
        return RE2::PartialMatch(line_, pattern_); // a prompt printed without its newline
    }

  private:
    static RE2::Options options() {
        RE2::Options options;
        options.set_log_errors(false);
        options.set_max_mem(kReadyPatternMemory);
        return options;
    }

    std::filesystem::path file_;
    RE2 pattern_;
    std::uint64_t offset_ = 0;
    std::string line_; // the line being read, without its newline
};

// One attempt of the check; the reason it is not ready yet goes to `why`.
bool check_once(const ReadyCheck& check, const LoadTarget& target, LogWatcher& log, std::string& why) {
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
        return log.matched();
    }
    return false;
}

} // namespace

Status wait_until_ready(AppProcess& app, const ReadyCheck& check, const LoadTarget& target,
                        const std::filesystem::path& log_file, const std::atomic<bool>& cancel) {
    LogWatcher log(log_file, check.kind == ReadyKind::log ? check.log_pattern
                                                          : std::string(".")); // checked with the recipe
    if (!log.valid()) {
        return make_error(ErrorKind::app_failed, "app.ready.log",
                          fmt::format("cannot match /{}/: {}", check.log_pattern, log.problem()));
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
        if (check_once(check, target, log, why)) {
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
