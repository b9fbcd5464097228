#include "request_mix.hpp"

#include "wording.hpp"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <cassert>
#include <cctype>
#include <sstream>

namespace leakbisect::load_detail {
namespace {

namespace http = boost::beast::http;

std::string upper_case(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return text;
}

std::string request_target(const std::string& prefix, const std::string& path) {
    if (path.empty()) {
        return prefix.empty() ? "/" : prefix;
    }
    if (path.front() == '/' || path.front() == '?') {
        return prefix + path;
    }
    return prefix + "/" + path;
}

PreparedRequest prepare(const LoadRequest& entry, const LoadTarget& target) {
    http::request<http::string_body> request;
    request.version(11);
    request.method_string(upper_case(entry.method));
    request.target(request_target(target.path_prefix, entry.path));
    for (const auto& [name, value] : entry.headers) {
        request.insert(name, value);
    }
    if (request.find(http::field::host) == request.end()) {
        request.set(http::field::host, host_header(target));
    }
    if (request.find(http::field::user_agent) == request.end()) {
        request.set(http::field::user_agent, "leakbisect");
    }
    request.body() = entry.body;
    request.prepare_payload();

    std::ostringstream wire;
    wire << request;
    return PreparedRequest{wire.str(), request.method() == http::verb::head, entry.expect};
}

} // namespace

bool PreparedRequest::expects(int status) const {
    if (expect.empty()) {
        return status >= 200 && status < 400;
    }
    return std::find(expect.begin(), expect.end(), status) != expect.end();
}

std::vector<PreparedRequest> prepare_requests(const LoadPlan& plan) {
    std::vector<PreparedRequest> prepared;
    prepared.reserve(plan.mix.size());
    for (const auto& entry : plan.mix) {
        prepared.push_back(prepare(entry, plan.target));
    }
    return prepared;
}

MixSampler::MixSampler(const std::vector<LoadRequest>& mix, std::uint64_t seed)
    : generator_(seed), entries_(mix.size()) {
    assert(!mix.empty());
    std::uint64_t total = 0;
    for (const auto& entry : mix) {
        total += entry.weight;
        cumulative_weights_.push_back(total);
    }
    if (total == 0) {
        cumulative_weights_.clear();
    }
}

std::size_t MixSampler::next() {
    // A plain modulo rather than a std:: distribution: mt19937_64 is specified exactly, the
    // distributions are not, and the sequence must not change with the standard library.
    // The bias of a 64-bit modulo is far below anything a weight can express.
    const std::uint64_t draw = generator_();
    if (cumulative_weights_.empty()) {
        return static_cast<std::size_t>(draw % entries_);
    }
    const std::uint64_t point = draw % cumulative_weights_.back();
    const auto chosen = std::upper_bound(cumulative_weights_.begin(), cumulative_weights_.end(), point);
    return static_cast<std::size_t>(chosen - cumulative_weights_.begin());
}

} // namespace leakbisect::load_detail
