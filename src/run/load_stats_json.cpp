#include "load_stats_json.hpp"

#include <boost/json.hpp>

namespace leakbisect {

std::string load_stats_json(const LoadStats& stats) {
    namespace json = boost::json;
    json::object statuses;
    for (const auto& [status, count] : stats.status_counts) {
        statuses[std::to_string(status)] = count;
    }
    json::object failures;
    for (const auto& [reason, count] : stats.failure_reasons) {
        failures[reason] = count;
    }
    const json::object object{
        {"completed", stats.completed},
        {"succeeded", stats.succeeded},
        {"failed", stats.failed},
        {"error_rate", stats.error_rate()},
        {"elapsed_seconds", stats.elapsed_seconds},
        {"latency_ms",
         {{"p50", stats.latency_p50_ms},
          {"p90", stats.latency_p90_ms},
          {"p99", stats.latency_p99_ms},
          {"max", stats.latency_max_ms}}},
        {"status_counts", statuses},
        {"failure_reasons", failures},
        {"cancelled", stats.cancelled},
    };
    return json::serialize(object) + "\n";
}

} // namespace leakbisect
