// A fake oracle for the search tests: verdicts made up from which chunks are on, and a loop that
// drives the pure search with it to a finding, checking every request on the way. Header-only:
// every *_test.cpp of the module links into one program.
#pragma once

#include "leakbisect/search/search.hpp"

#include <catch2/catch.hpp>
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace search_test {

using ChunkSet = std::set<std::string>;
using Oracle = std::function<leakbisect::Verdict(const ChunkSet& enabled)>;

// "chunk1" .. "chunkN".
std::vector<std::string> chunk_names(std::size_t count);

// LEAK exactly when every one of `needed` is on.
Oracle leaks_with(std::vector<std::string> needed);

struct Outcome {
    leakbisect::Finding finding;
    std::vector<leakbisect::Observation> history;
    std::size_t probes_in(std::initializer_list<leakbisect::ProbeRole> roles) const;
};

// Drives next_step with the oracle until a finding; fails the test if a request turns a sub-chunk
// on without its parent or the search does not end.
Outcome run_search(const leakbisect::SearchProblem& problem, const Oracle& oracle);

std::size_t ceil_log2(std::size_t n);

using namespace leakbisect;

inline std::vector<std::string> chunk_names(std::size_t count) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < count; ++i) {
        names.push_back("chunk" + std::to_string(i + 1));
    }
    return names;
}

inline Oracle leaks_with(std::vector<std::string> needed) {
    return [needed = std::move(needed)](const ChunkSet& enabled) {
        for (const std::string& name : needed) {
            if (enabled.count(name) == 0) {
                return Verdict::plateau;
            }
        }
        return Verdict::leak;
    };
}

inline std::size_t Outcome::probes_in(std::initializer_list<ProbeRole> roles) const {
    std::size_t count = 0;
    for (const Observation& observation : history) {
        for (const ProbeRole role : roles) {
            count += observation.role == role ? 1 : 0;
        }
    }
    return count;
}

inline Outcome run_search(const SearchProblem& problem, const Oracle& oracle) {
    Outcome outcome;
    SearchHistory history(problem);
    for (int guard = 0; guard < 2000; ++guard) {
        const SearchStep step = next_step(problem, history);
        if (const auto* finding = std::get_if<Finding>(&step)) {
            outcome.finding = *finding;
            // The replay of the whole history from scratch (a resume) reaches the same finding.
            const SearchStep replayed = next_step(problem, outcome.history);
            REQUIRE(std::get<Finding>(replayed).summary == finding->summary);
            return outcome;
        }
        const auto& request = std::get<ProbeRequest>(step);
        const ChunkSet enabled(request.enabled.begin(), request.enabled.end());
        for (const std::string& name : enabled) {
            const auto dot = name.rfind('.');
            if (dot != std::string::npos) {
                INFO(name << " is on without its parent");
                REQUIRE(enabled.count(name.substr(0, dot)) == 1);
            }
        }
        const Observation observation{request.enabled, oracle(enabled), 0, request.role};
        outcome.history.push_back(observation);
        history.add(observation);
    }
    FAIL("the search never ended");
    return outcome;
}

inline std::size_t ceil_log2(std::size_t n) {
    std::size_t steps = 0;
    while ((std::size_t{1} << steps) < n) {
        ++steps;
    }
    return steps;
}

} // namespace search_test
