// Each request of the load's mix sent once, exactly as the load sends it, and its answer reduced to
// a fingerprint: the status, the body's length, and a digest of the body with the digits masked.
// `check --boot` rehearses the load with it, and every probe records its responses, so the
// baseline's can be compared with the all-on probe's (do the chunk variables reach the app?).
#pragma once

#include "leakbisect/core/units.hpp"
#include "leakbisect/load/driver.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace leakbisect {

struct SentOnce {
    std::string request;   // "GET /orders/42"
    int status = 0;        // 0: no response (see failure)
    bool expected = false; // the status is one the request expects
    std::uint64_t bytes = 0;
    std::string digest; // of the body with its digits masked, 16 hex digits
    double milliseconds = 0;
    std::string failure; // "connection refused", "timeout", ...
};

// Sends every entry of `mix` once, in order, on a connection of its own, each with `timeout`.
std::vector<SentOnce> send_each_once(const LoadTarget& target, const std::vector<LoadRequest>& mix,
                                     Milliseconds timeout);

// "200 5123 1f0c9a7e42b3d8c5" (status, body bytes, digest); "failed: timeout" without a response.
std::string fingerprint(const SentOnce& sent);

// Whether two fingerprints show the same page. Digits are masked before the digest (ids, times,
// counters, prices differ from request to request and from process to process), and a page whose
// content rotates still counts as the same when its length stays within kSamePageLength of the
// other: stubbing out every chunk of an action changes its page far more than that.
inline constexpr double kSamePageLength = 0.02;
bool same_response(std::string_view a, std::string_view b);

} // namespace leakbisect
