// The request side of the load, prepared once per run: each [[load.request]] serialized to the bytes
// sent on the wire, and the seeded draw that decides which one every request uses.
// Internal to the load module; nothing here touches a socket.
#pragma once

#include "leakbisect/load/driver.hpp"

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace leakbisect::load_detail {

struct PreparedRequest {
    std::string wire;        // request line, headers and body, sent as-is on every use
    bool is_head = false;    // a response to HEAD announces a body it does not send
    std::vector<int> expect; // empty: any 2xx or 3xx

    bool expects(int status) const;
};

// One PreparedRequest per mix entry, in mix order. Sets Host (host:port) and User-Agent
// ("leakbisect") unless the recipe gives them, and Content-Length when there is a body.
std::vector<PreparedRequest> prepare_requests(const LoadPlan& plan);

// Draws mix indices in proportion to the weights from a generator seeded with the plan's seed,
// so the n-th request started uses the same entry in every probe.
class MixSampler {
  public:
    MixSampler(const std::vector<LoadRequest>& mix, std::uint64_t seed);
    std::size_t next();

  private:
    std::mt19937_64 generator_;
    std::vector<std::uint64_t> cumulative_weights_; // empty when every weight is 0: uniform draw
    std::size_t entries_ = 0;
};

} // namespace leakbisect::load_detail
