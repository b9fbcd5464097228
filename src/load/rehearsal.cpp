#include "leakbisect/load/rehearsal.hpp"

#include "exchange.hpp"
#include "request_mix.hpp"
#include "wording.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <chrono>
#include <cmath>
#include <fmt/format.h>
#include <optional>

namespace leakbisect {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

// FNV-1a over the body with every run of digits read as one '#'.
std::string masked_digest(std::string_view body) {
    std::uint64_t hash = 14695981039346656037ULL;
    const auto add = [&hash](char c) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    };
    bool in_digits = false;
    for (const char c : body) {
        const bool digit = c >= '0' && c <= '9';
        if (!digit) {
            add(c);
        } else if (!in_digits) {
            add('#');
        }
        in_digits = digit;
    }
    return fmt::format("{:016x}", hash);
}

SentOnce send_once(const LoadTarget& target, const LoadRequest& entry,
                   const load_detail::PreparedRequest& prepared, Milliseconds timeout) {
    SentOnce sent;
    sent.request = entry.method + " " + entry.path;
    asio::io_context context;
    beast::tcp_stream stream(context);
    http::response<http::string_body> response;
    stream.expires_after(timeout);
    std::optional<beast::error_code> failure;
    const auto start = std::chrono::steady_clock::now();
    asio::co_spawn(context, load_detail::exchange(stream, target, prepared.wire, prepared.is_head, response),
                   [&failure](const std::exception_ptr& error, beast::error_code result) {
                       failure = error ? beast::error_code(asio::error::operation_aborted) : result;
                   });
    context.run_for(timeout);
    sent.milliseconds =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!failure || *failure) {
        sent.failure = load_detail::failure_reason(failure ? *failure : beast::error::timeout);
        return sent;
    }
    sent.status = static_cast<int>(response.result_int());
    sent.expected = prepared.expects(sent.status);
    sent.bytes = response.body().size();
    sent.digest = masked_digest(response.body());
    return sent;
}

} // namespace

std::vector<SentOnce> send_each_once(const LoadTarget& target, const std::vector<LoadRequest>& mix,
                                     Milliseconds timeout) {
    LoadPlan plan;
    plan.target = target;
    plan.mix = mix;
    const std::vector<load_detail::PreparedRequest> prepared = load_detail::prepare_requests(plan);
    std::vector<SentOnce> answers;
    for (std::size_t i = 0; i < mix.size(); ++i) {
        answers.push_back(send_once(target, mix[i], prepared[i], timeout));
    }
    return answers;
}

std::string fingerprint(const SentOnce& sent) {
    if (sent.status == 0) {
        return "failed: " + sent.failure;
    }
    return fmt::format("{} {} {}", sent.status, sent.bytes, sent.digest);
}

bool same_response(std::string_view a, std::string_view b) {
    if (a == b) {
        return true;
    }
    // "status bytes digest": the same status, and lengths within kSamePageLength of each other.
    const auto parse = [](std::string_view text, int& status, double& bytes) {
        const auto space = text.find(' ');
        const auto second = text.find(' ', space + 1);
        if (space == std::string_view::npos || second == std::string_view::npos) {
            return false;
        }
        std::uint64_t length = 0;
        const bool ok =
            std::from_chars(text.data(), text.data() + space, status).ec == std::errc{} &&
            std::from_chars(text.data() + space + 1, text.data() + second, length).ec == std::errc{};
        bytes = static_cast<double>(length);
        return ok;
    };
    int status_a = 0;
    int status_b = 0;
    double bytes_a = 0;
    double bytes_b = 0;
    if (!parse(a, status_a, bytes_a) || !parse(b, status_b, bytes_b) || status_a != status_b) {
        return false;
    }
    return std::abs(bytes_a - bytes_b) <= kSamePageLength * std::max(bytes_a, bytes_b);
}

} // namespace leakbisect
