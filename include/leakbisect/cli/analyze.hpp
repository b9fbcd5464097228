// `leakbisect analyze TRACE.csv`: the verdict on a recorded trace, with the verdict's knobs as
// options and an optional JSON output.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace leakbisect {

struct AnalyzeOptions {
    std::string trace_file;
    std::string min_leak = "100B";
    double confidence = 0.99;
    double warmup = 300;
    std::string axis = "requests";
    bool json = false;
};

void add_analyze_options(CLI::App& command, AnalyzeOptions& options);
int analyze_command(const AnalyzeOptions& options);

} // namespace leakbisect
