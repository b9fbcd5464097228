#include "analyze.hpp"

#include "leakbisect/recipe/recipe.hpp"
#include "leakbisect/report/json_text.hpp"
#include "leakbisect/run/exit_code.hpp"
#include "leakbisect/verdict/sequential.hpp"
#include "leakbisect/verdict/verdict.hpp"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <fmt/format.h>
#include <optional>

namespace leakbisect {
namespace {

void print_problem(const std::string& text) {
    std::fprintf(stderr, "leakbisect: %s\n", text.c_str());
}

std::size_t judged_samples(const Trace& trace, const VerdictOptions& options) {
    std::size_t count = 0;
    for (const MemorySample& sample : trace) {
        const double x =
            options.axis == Axis::requests ? static_cast<double>(sample.requests) : sample.seconds;
        count += x >= options.warmup ? 1 : 0;
    }
    return count;
}

} // namespace

void add_analyze_options(CLI::App& command, AnalyzeOptions& options) {
    command.add_option("trace", options.trace_file, "CSV: seconds,requests,bytes per line, header optional")
        ->required()
        ->check(CLI::ExistingFile);
    command
        .add_option("--reference", options.reference_file,
                    "a known-good trace under the same load (the baseline's memory.csv): judge growth "
                    "relative to it")
        ->check(CLI::ExistingFile);
    command.add_option("--min-leak", options.min_leak, "growth per request below this is a plateau")
        ->capture_default_str();
    command.add_option("--confidence", options.confidence, "confidence of the verdict, split across looks")
        ->check(CLI::Range(0.5, 0.9999))
        ->capture_default_str();
    const auto most = static_cast<double>(kMostRequests);
    command.add_option("--warmup", options.warmup, "leading requests (or seconds) never judged")
        ->check(CLI::Range(0.0, most))
        ->capture_default_str();
    // Bounded: a count near 2^64 once made the look schedule double forever (and ignore Ctrl-C).
    command.add_option("--requests", options.requests, "the fixed load (load.requests): LEAK waits for it")
        ->check(CLI::Range(std::uint64_t{1}, kMostRequests))
        ->capture_default_str();
    command.add_option("--max-requests", options.max_requests, "the last look (verdict.max_requests)")
        ->check(CLI::Range(std::uint64_t{1}, kMostRequests))
        ->capture_default_str();
    command.add_option("--axis", options.axis, "judge growth per request, or per second in one look")
        ->check(CLI::IsMember({"requests", "seconds"}))
        ->capture_default_str();
    command.add_flag("--json", options.json, "print the judgement as JSON");
}

int analyze_command(const AnalyzeOptions& options) {
    const ParsedBytes min_leak = parse_bytes(options.min_leak);
    if (!min_leak.bytes || min_leak.bytes->value <= 0) {
        print_problem("--min-leak: " + (min_leak.bytes ? "must be positive" : min_leak.problem));
        return kExitBadUsage;
    }
    const auto trace = read_trace_csv(options.trace_file);
    if (!trace) {
        print_problem(to_string(trace.error()));
        return kExitBadUsage;
    }
    std::optional<Trace> reference;
    if (!options.reference_file.empty()) {
        auto read = read_trace_csv(options.reference_file);
        if (!read) {
            print_problem(to_string(read.error()));
            return kExitBadUsage;
        }
        reference = std::move(*read);
    }
    VerdictOptions verdict_options;
    verdict_options.min_leak = *min_leak.bytes;
    verdict_options.confidence = options.confidence;
    verdict_options.warmup = options.warmup;
    verdict_options.axis = options.axis == "seconds" ? Axis::seconds : Axis::requests;
    const std::string unit = options.axis == "seconds" ? "second" : "request";
    if (const std::size_t judged = judged_samples(*trace, verdict_options); judged < kMinJudgedSamples) {
        print_problem(
            fmt::format("{}: too few samples to judge: {} after the warm-up of {:g} {}s, at least {} "
                        "are needed",
                        options.trace_file, judged, options.warmup, unit, kMinJudgedSamples));
        return kExitBadUsage;
    }

    const Trace* reference_trace = reference ? &*reference : nullptr;
    ReplayResult result;
    if (verdict_options.axis == Axis::requests) {
        const LoadBudget budget{options.requests, static_cast<std::uint64_t>(options.warmup),
                                options.max_requests};
        result = replay_looks(*trace, verdict_options, budget, reference_trace);
    } else {
        result.judgement = judge_trace(*trace, verdict_options, reference_trace);
        result.looks = 1;
    }
    const Judgement& judgement = result.judgement;

    if (options.json) {
        // journal's finite_or_null is out of reach: cli may not depend on journal (ARCHITECTURE.md).
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
            {"looks", result.looks},
            {"requests_judged_to", result.requests},
            {"against_reference", judgement.against_reference},
            {"reason", judgement.reason},
        };
        std::fputs(to_json_text(object).c_str(), stdout); // plain decimals: 100, not 1E2
    } else {
        std::puts(fmt::format("{}: {} {}/{} [{}, {}] at {:.2f}% confidence, {} samples, {} look{}{}\n{}",
                              options.trace_file, to_string(judgement.verdict), format_bytes(judgement.rate),
                              unit, format_bytes(judgement.rate_low), format_bytes(judgement.rate_high),
                              100 * judgement.confidence, trace->size(), result.looks,
                              result.looks == 1 ? "" : "s",
                              verdict_options.axis == Axis::requests
                                  ? fmt::format(" (to {} requests)", result.requests)
                                  : "",
                              judgement.reason)
                      .c_str());
    }
    return exit_code_of(judgement.verdict);
}

} // namespace leakbisect
