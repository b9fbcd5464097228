// A memory trace: samples of one probe's memory against the requests completed so far.
// This is the only input the verdict needs; it is written to and read from memory.csv.
#pragma once

#include "leakbisect/core/expected.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace leakbisect {

struct MemorySample {
    double seconds = 0;         // since the load started
    std::uint64_t requests = 0; // requests finished when the sample was taken
    std::int64_t bytes = 0;     // the metric (RSS/PSS/USS) summed over the sampled processes
    unsigned processes = 0;     // how many processes were summed; 0 when unknown
};

using Trace = std::vector<MemorySample>;

// "seconds,requests,bytes[,processes]" with a header line.
std::string trace_to_csv(const Trace& trace);

// Reads a trace file: `seconds,requests,bytes` per line, header optional, extra columns ignored.
// Errors name file:line: empty file, non-numeric fields, time or requests going backwards.
Expected<Trace> read_trace_csv(const std::filesystem::path& file);
Expected<Trace> parse_trace_csv(std::string_view text, const std::string& source_name);

} // namespace leakbisect
