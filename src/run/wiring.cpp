#include "wiring.hpp"

#include "leakbisect/load/rehearsal.hpp"

namespace leakbisect {

Wiring compare_responses(const std::vector<ProbeRecord>& records) {
    const ProbeRecord* baseline = nullptr;
    const ProbeRecord* all_on = nullptr;
    for (const ProbeRecord& record : records) {
        if (record.responses.empty()) {
            continue;
        }
        if (record.role == RecordRole::baseline && baseline == nullptr) {
            baseline = &record;
        }
        if (record.role == RecordRole::all_on) {
            all_on = &record; // the last: after the chunks that crash the app were left off
        }
    }
    if (baseline == nullptr || all_on == nullptr || baseline->responses.size() != all_on->responses.size()) {
        return Wiring::not_checked;
    }
    for (std::size_t i = 0; i < baseline->responses.size(); ++i) {
        if (!same_response(baseline->responses[i], all_on->responses[i])) {
            return Wiring::ok;
        }
    }
    return Wiring::no_effect;
}

} // namespace leakbisect
