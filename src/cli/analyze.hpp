// `leakbisect analyze TRACE.csv`: the verdict on a recorded trace (a probe's memory.csv or any
// `seconds,requests,bytes` file), replaying the looks a probe makes, with the verdict's knobs as
// options and an optional reference trace and JSON output.
#pragma once

#include <cstdint>
#include <string>

namespace CLI {
class App;
}

namespace leakbisect {

struct AnalyzeOptions {
    std::string trace_file;
    std::string reference_file; // "": judged alone
    std::string min_leak = "100B";
    double confidence = 0.99;
    double warmup = 300;
    std::uint64_t requests = 3000;      // the fixed load: where LEAK may first be called
    std::uint64_t max_requests = 50000; // the last look
    std::string axis = "requests";
    bool json = false;
};

void add_analyze_options(CLI::App& command, AnalyzeOptions& options);
int analyze_command(const AnalyzeOptions& options);

} // namespace leakbisect
