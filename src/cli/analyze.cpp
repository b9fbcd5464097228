#include "leakbisect/cli/analyze.hpp"

#include "leakbisect/run/orchestrator.hpp"
#include "leakbisect/verdict/verdict.hpp"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <fmt/format.h>

namespace leakbisect {

void add_analyze_options(CLI::App& command, AnalyzeOptions& options) {
    command.add_option("trace", options.trace_file, "CSV: seconds,requests,bytes per line, header optional")
        ->required()
        ->check(CLI::ExistingFile);
    command.add_option("--min-leak", options.min_leak, "growth per request below this is a plateau")
        ->capture_default_str();
    command.add_option("--confidence", options.confidence, "confidence of the slope interval")
        ->check(CLI::Range(0.5, 0.9999))
        ->capture_default_str();
    command.add_option("--warmup", options.warmup, "leading requests (or seconds) never judged")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    command.add_option("--axis", options.axis, "judge growth per request or per second")
        ->check(CLI::IsMember({"requests", "seconds"}))
        ->capture_default_str();
    command.add_flag("--json", options.json, "print the judgement as JSON");
}

int analyze_command(const AnalyzeOptions& options) {
    const ParsedBytes min_leak = parse_bytes(options.min_leak);
    if (!min_leak.bytes) {
        std::fprintf(stderr, "leakbisect: --min-leak: %s\n", min_leak.problem.c_str());
        return kExitBadUsage;
    }
    const auto trace = read_trace_csv(options.trace_file);
    if (!trace) {
        std::fprintf(stderr, "leakbisect: %s\n", to_string(trace.error()).c_str());
        return kExitBadUsage;
    }
    VerdictOptions verdict_options;
    verdict_options.min_leak = *min_leak.bytes;
    verdict_options.confidence = options.confidence;
    verdict_options.warmup = options.warmup;
    verdict_options.axis = options.axis == "seconds" ? Axis::seconds : Axis::requests;
    const Judgement judgement = judge_trace(*trace, verdict_options);
    const std::string unit = options.axis == "seconds" ? "second" : "request";

    if (options.json) {
        const auto finite = [](double value) {
            return std::isfinite(value) ? boost::json::value(value) : boost::json::value(nullptr);
        };
        const boost::json::object object{
            {"verdict", to_string(judgement.verdict)},
            {"bytes_per_" + unit, finite(judgement.rate)},
            {"interval", boost::json::array{finite(judgement.rate_low), finite(judgement.rate_high)}},
            {"confidence", judgement.confidence},
            {"samples", trace->size()},
            {"blocks", judgement.blocks},
            {"reason", judgement.reason},
        };
        std::puts(boost::json::serialize(object).c_str());
    } else {
        std::puts(fmt::format("{}: {} {}/{} [{}, {}] at {:.0f}% confidence, {} samples\n{}",
                              options.trace_file, to_string(judgement.verdict), format_bytes(judgement.rate),
                              unit, format_bytes(judgement.rate_low), format_bytes(judgement.rate_high),
                              100 * judgement.confidence, trace->size(), judgement.reason)
                      .c_str());
    }
    switch (judgement.verdict) {
    case Verdict::plateau:
        return kExitNoLeak;
    case Verdict::leak:
        return kExitLocalized;
    default:
        return kExitInconclusive;
    }
}

} // namespace leakbisect
