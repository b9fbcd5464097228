// The verdict benchmark: a labelled corpus (synthetic classes at several noise levels, and traces
// recorded from examples/shop) replayed through the adaptive looks a probe makes. Prints tables of
// false LEAK / false PLATEAU / INCONCLUSIVE rates, requests to verdict, and the smallest leak
// detected with 90% power per noise level. Usage: verdict_bench [--first-seed N] [--seeds K] [--real DIR]
// (DIR holds one folder of recorded traces per example app: shop, node).
#include "synthetic_traces.hpp"

#include "leakbisect/verdict/sequential.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

using namespace leakbisect;
using namespace leakbisect::synthetic;

namespace {

constexpr LoadBudget kBudget{3000, 300, 50000};
constexpr std::uint64_t kTraceRequests = 50000;
// Recorded traces, one folder per example app, replayed under its recipe's load: the shop's run
// 24,000 requests (record_shop_traces.sh), Node's 50,000 (record_node_traces.sh).
struct RecordedApp {
    const char* folder;
    LoadBudget budget;
};
constexpr RecordedApp kRecordedApps[] = {{"shop", {3000, 500, 24000}}, {"node", {12000, 2000, 50000}}};

struct Tally {
    Truth truth = Truth::plateau;
    std::size_t count = 0;
    std::size_t leak = 0;
    std::size_t plateau = 0;
    std::size_t inconclusive = 0;
    std::vector<double> requests; // to a clear verdict (LEAK or PLATEAU)

    void add(const ReplayResult& result) {
        ++count;
        switch (result.judgement.verdict) {
        case Verdict::leak:
            ++leak;
            break;
        case Verdict::plateau:
            ++plateau;
            break;
        default:
            ++inconclusive;
            return;
        }
        requests.push_back(static_cast<double>(result.requests));
    }
};

double percentile(std::vector<double> values, double q) {
    if (values.empty()) {
        return 0;
    }
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1,
                           static_cast<std::size_t>(q * static_cast<double>(values.size())))];
}

std::string percent(std::size_t part, std::size_t whole) {
    return whole == 0
               ? "-"
               : fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

const char* truth_name(Truth truth) {
    return truth == Truth::plateau ? "plateau" : truth == Truth::leak ? "leak" : "gray";
}

void print_tally_row(const std::string& name, const Tally& tally) {
    const std::string false_leak = tally.truth == Truth::plateau ? percent(tally.leak, tally.count) : "";
    const std::string false_plateau = tally.truth == Truth::leak ? percent(tally.plateau, tally.count) : "";
    const std::string right = tally.truth == Truth::leak      ? percent(tally.leak, tally.count)
                              : tally.truth == Truth::plateau ? percent(tally.plateau, tally.count)
                                                              : "";
    const auto requests = [&tally](double q) {
        return tally.requests.empty() ? std::string("-")
                                      : fmt::format("{:.0f}", percentile(tally.requests, q));
    };
    std::printf("| %-46s | %-7s | %5zu | %8s | %11s | %13s | %12s | %8s | %8s |\n", name.c_str(),
                truth_name(tally.truth), tally.count, right.c_str(), false_leak.c_str(),
                false_plateau.c_str(), percent(tally.inconclusive, tally.count).c_str(),
                requests(0.5).c_str(), requests(0.9).c_str());
}

void print_tally_header() {
    std::printf("| %-46s | %-7s | %5s | %8s | %11s | %13s | %12s | %8s | %8s |\n", "class", "truth", "n",
                "correct", "false LEAK", "false PLATEAU", "INCONCLUSIVE", "req p50", "req p90");
    std::printf("|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n", std::string(48, '-').c_str(), std::string(9, '-').c_str(),
                std::string(7, '-').c_str(), std::string(10, '-').c_str(), std::string(13, '-').c_str(),
                std::string(15, '-').c_str(), std::string(14, '-').c_str(), std::string(10, '-').c_str(),
                std::string(10, '-').c_str());
}

VerdictOptions bench_options() {
    VerdictOptions options;
    options.min_leak = Bytes{100};
    options.confidence = 0.99;
    options.warmup = static_cast<double>(kBudget.warmup);
    return options;
}

void synthetic_classes(std::uint64_t first_seed, std::uint64_t seeds) {
    std::vector<std::string> order;
    std::map<std::string, Tally> tallies;
    Tally all_plateaus;
    all_plateaus.truth = Truth::plateau;
    Tally all_leaks;
    all_leaks.truth = Truth::leak;
    for (std::uint64_t seed = first_seed; seed < first_seed + seeds; ++seed) {
        const std::vector<Shape> drawn = shapes(seed);
        for (std::size_t level = 0; level < noise_levels().size(); ++level) {
            const double sd = noise_levels()[level].sd_bytes;
            for (std::size_t index = 0; index < drawn.size(); ++index) {
                const Shape& shape = drawn[index];
                const std::uint64_t trace_seed = seed * 1000 + level * 100 + index;
                const Trace trace = sample_trace(shape.curve, sd, kTraceRequests, trace_seed);
                const auto record = [&](const std::string& name, Truth truth, const ReplayResult& result) {
                    if (tallies.find(name) == tallies.end()) {
                        order.push_back(name);
                        tallies[name].truth = truth;
                    }
                    tallies[name].add(result);
                    const bool wrong =
                        (truth == Truth::plateau && result.judgement.verdict == Verdict::leak) ||
                        (truth == Truth::leak && result.judgement.verdict == Verdict::plateau);
                    if (wrong && std::getenv("VERDICT_BENCH_EXPLAIN") != nullptr) {
                        std::fprintf(stderr, "%s seed %llu noise %s at %llu: %s [%.0f, %.0f]: %s\n",
                                     name.c_str(), static_cast<unsigned long long>(seed),
                                     noise_levels()[level].name.c_str(),
                                     static_cast<unsigned long long>(result.requests),
                                     to_string(result.judgement.verdict).c_str(), result.judgement.rate_low,
                                     result.judgement.rate_high, result.judgement.reason.c_str());
                    }
                    if (truth == Truth::plateau) {
                        all_plateaus.add(result);
                    } else if (truth == Truth::leak) {
                        all_leaks.add(result);
                    }
                };
                if (shape.reference) {
                    const Trace reference =
                        sample_trace(shape.reference, sd, shape.reference_requests, trace_seed + 7777);
                    record(shape.name + ", against baseline", shape.truth,
                           replay_looks(trace, bench_options(), kBudget, &reference));
                    if (shape.truth == Truth::plateau) { // how far the creep alone gets without a baseline
                        record(shape.name + ", alone", Truth::gray,
                               replay_looks(trace, bench_options(), kBudget));
                    }
                } else {
                    record(shape.name, shape.truth, replay_looks(trace, bench_options(), kBudget));
                }
            }
        }
    }
    std::printf("\nSynthetic classes: seeds %llu..%llu, noise sd %s, min_leak 100 B, confidence 0.99,\n"
                "looks at %s requests (warm-up 300, max 50,000). Requests: to a LEAK or PLATEAU.\n\n",
                static_cast<unsigned long long>(first_seed),
                static_cast<unsigned long long>(first_seed + seeds - 1), "4 KiB / 64 KiB / 512 KiB / 2 MiB",
                "1500, 3000, 6000, ..., 48000, 50000");
    print_tally_header();
    for (const std::string& name : order) {
        print_tally_row(name, tallies[name]);
    }
    print_tally_row("ALL plateau traces", all_plateaus);
    print_tally_row("ALL leaks >= 2 x min_leak", all_leaks);
}

void power_table(std::uint64_t first_seed, std::uint64_t seeds) {
    const std::vector<double> rates{100, 125,  150,  200,  250,  300,  400,  500,
                                    700, 1000, 1500, 2000, 3000, 5000, 10000};
    std::printf("\nSmallest leak detected (LEAK) in at least 90%% of %llu traces, per noise level, with the\n"
                "median requests to that verdict:\n\n| noise sd | min leak at 90%% power | req p50 "
                "|\n|---|---|---|\n",
                static_cast<unsigned long long>(seeds));
    for (std::size_t level = 0; level < noise_levels().size(); ++level) {
        std::string found = "none up to 10 KB/request";
        double median_requests = 0;
        for (const double rate : rates) {
            Tally tally;
            for (std::uint64_t seed = first_seed; seed < first_seed + seeds; ++seed) {
                const Trace trace =
                    sample_trace([rate](double r) { return rate * r; }, noise_levels()[level].sd_bytes,
                                 kTraceRequests, seed * 977 + level);
                tally.add(replay_looks(trace, bench_options(), kBudget));
            }
            if (10 * tally.leak >= 9 * tally.count) {
                found = fmt::format("{:.0f} B/request", rate);
                median_requests = percentile(tally.requests, 0.5);
                break;
            }
        }
        std::printf("| %s | %s | %.0f |\n", noise_levels()[level].name.c_str(), found.c_str(),
                    median_requests);
    }
}

// Recorded traces: files named <label>-<anything>.csv, where label is "plateau" or "leak<bytes>".
void real_traces(const std::filesystem::path& folder, const LoadBudget& budget) {
    std::map<std::string, Tally> tallies;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
        if (entry.path().extension() != ".csv") {
            continue;
        }
        const auto trace = read_trace_csv(entry.path());
        if (!trace) {
            std::fprintf(stderr, "%s\n", to_string(trace.error()).c_str());
            continue;
        }
        const std::string stem = entry.path().stem().string();
        const std::string label = stem.substr(0, stem.find('-'));
        const Truth truth = label == "plateau" ? Truth::plateau : Truth::leak;
        tallies[label].truth = truth;
        VerdictOptions options = bench_options();
        options.warmup = static_cast<double>(budget.warmup);
        tallies[label].add(replay_looks(*trace, options, budget));
    }
    std::string looks;
    for (const std::uint64_t look : look_schedule(budget)) {
        looks += (looks.empty() ? "" : ", ") + std::to_string(look);
    }
    std::printf("\nTraces recorded from examples/%s (%s), warm-up %llu, fixed load %llu,\nlooks at %s "
                "requests:\n\n",
                folder.filename().string().c_str(), folder.lexically_normal().string().c_str(),
                static_cast<unsigned long long>(budget.warmup),
                static_cast<unsigned long long>(budget.requests), looks.c_str());
    print_tally_header();
    for (const auto& [label, tally] : tallies) {
        print_tally_row(label, tally);
    }
}

// The real-trace corpus (bench/verdict/corpus, record_real_traces.sh): manifest.tsv names each
// trace's split, app, class, planted leak and the load a user of that app would set.
struct CorpusTrace {
    std::string file;
    std::string split;
    std::string app;
    std::string label; // class, and the planted leak: "none", "cache", "leak1024"
    Truth truth = Truth::plateau;
    std::string metric;
    LoadBudget budget;
    std::uint64_t planted = 0;
};

std::vector<CorpusTrace> read_manifest(const std::filesystem::path& folder) {
    std::ifstream in(folder / "manifest.tsv");
    std::vector<CorpusTrace> traces;
    std::string line;
    std::getline(in, line); // header
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        CorpusTrace trace;
        std::string runtime;
        std::string klass;
        std::string planted;
        std::string planted_warmup;
        std::string fixed;
        std::string warmup;
        std::string total;
        std::getline(fields, trace.file, '\t');
        std::getline(fields, trace.split, '\t');
        std::getline(fields, runtime, '\t');
        std::getline(fields, trace.app, '\t');
        std::getline(fields, klass, '\t');
        std::getline(fields, planted, '\t');
        std::getline(fields, trace.metric, '\t');
        std::getline(fields, planted_warmup, '\t');
        std::getline(fields, fixed, '\t');
        std::getline(fields, warmup, '\t');
        std::getline(fields, total, '\t');
        if (trace.file.empty() || fixed.empty()) {
            continue;
        }
        trace.planted = std::stoull(planted);
        trace.truth = klass == "leak" ? Truth::leak : Truth::plateau;
        trace.label = klass == "leak" ? "leak" + planted : klass;
        if (planted_warmup != "0") {
            trace.label += " long warm-up";
        }
        trace.budget = {std::stoull(fixed), std::stoull(warmup), 50000};
        traces.push_back(trace);
    }
    return traces;
}

enum class Sampling { dense, per_second, fifty };

const char* sampling_name(Sampling sampling) {
    return sampling == Sampling::dense ? "dense" : sampling == Sampling::per_second ? "1/s" : "50 samples";
}

// A recording from a sparser sampler: the first sample of each second, or 50 evenly spaced samples.
Trace thinned(const Trace& trace, Sampling sampling) {
    Trace thin;
    if (sampling == Sampling::dense) {
        return trace;
    }
    if (sampling == Sampling::per_second) {
        double next = 0;
        for (const MemorySample& sample : trace) {
            if (sample.seconds >= next) {
                thin.push_back(sample);
                next = std::floor(sample.seconds) + 1;
            }
        }
        return thin;
    }
    constexpr std::size_t kSamples = 50;
    for (std::size_t i = 0; i < kSamples && !trace.empty(); ++i) {
        thin.push_back(trace[i * (trace.size() - 1) / (kSamples - 1)]);
    }
    return thin;
}

void corpus_tables(const std::filesystem::path& folder) {
    const std::vector<CorpusTrace> corpus = read_manifest(folder);
    if (corpus.empty()) {
        return;
    }
    std::map<std::string, Trace> traces;
    for (const CorpusTrace& entry : corpus) {
        const auto trace = read_trace_csv(folder / entry.file);
        if (!trace) {
            std::fprintf(stderr, "%s\n", to_string(trace.error()).c_str());
            continue;
        }
        traces[entry.file] = *trace;
    }
    for (const std::string split : {"tune", "report"}) {
        for (const Sampling sampling : {Sampling::dense, Sampling::per_second, Sampling::fifty}) {
            std::map<std::string, Tally> tallies;
            Tally all;
            std::size_t right = 0;
            std::size_t wrong = 0;
            std::vector<double> kib_leak_judged;
            for (const CorpusTrace& entry : corpus) {
                if (entry.split != split || traces.count(entry.file) == 0) {
                    continue;
                }
                VerdictOptions options = bench_options();
                options.warmup = static_cast<double>(entry.budget.warmup);
                const ReplayResult result =
                    replay_looks(thinned(traces[entry.file], sampling), options, entry.budget);
                const std::string row = entry.app + " " + entry.label;
                tallies[row].truth = entry.truth;
                tallies[row].add(result);
                all.add(result);
                const Verdict expected = entry.truth == Truth::leak ? Verdict::leak : Verdict::plateau;
                const Verdict opposite = entry.truth == Truth::leak ? Verdict::plateau : Verdict::leak;
                right += result.judgement.verdict == expected ? 1 : 0;
                wrong += result.judgement.verdict == opposite ? 1 : 0;
                if (entry.truth == Truth::leak && entry.planted == 1024 &&
                    result.judgement.verdict == Verdict::leak) {
                    kib_leak_judged.push_back(static_cast<double>(result.requests - entry.budget.warmup));
                }
                if (std::getenv("VERDICT_BENCH_EXPLAIN") != nullptr && result.judgement.verdict != expected) {
                    std::fprintf(stderr, "%s (%s, %s) at %llu: %s [%.0f, %.0f]: %s\n", entry.file.c_str(),
                                 split.c_str(), sampling_name(sampling),
                                 static_cast<unsigned long long>(result.requests),
                                 to_string(result.judgement.verdict).c_str(), result.judgement.rate_low,
                                 result.judgement.rate_high, result.judgement.reason.c_str());
                }
            }
            std::printf(
                "\nReal traces, %s split, sampled %s (bench/verdict/corpus; each at its app's fixed load "
                "and warm-up, max 50,000):\n\n",
                split.c_str(), sampling_name(sampling));
            print_tally_header();
            for (const auto& [row, tally] : tallies) {
                print_tally_row(row, tally);
            }
            std::printf("\n%s split, %s: %zu of %zu decided and right (%s), %zu the wrong way round; "
                        "1 KiB/request leaks decided at a median of %.0f judged requests\n",
                        split.c_str(), sampling_name(sampling), right, all.count,
                        percent(right, all.count).c_str(), wrong, percentile(kib_leak_judged, 0.5));
        }
    }
}

} // namespace

int main(int argc, char** argv) {
    std::uint64_t first_seed = 1001;
    std::uint64_t seeds = 30;
    std::filesystem::path real;
    std::filesystem::path corpus;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--first-seed") == 0) {
            first_seed = std::stoull(argv[i + 1]);
        } else if (std::strcmp(argv[i], "--seeds") == 0) {
            seeds = std::stoull(argv[i + 1]);
        } else if (std::strcmp(argv[i], "--real") == 0) {
            real = argv[i + 1];
        } else if (std::strcmp(argv[i], "--corpus") == 0) {
            corpus = argv[i + 1];
        }
    }
    if (!corpus.empty()) {
        corpus_tables(corpus);
    }
    if (std::getenv("VERDICT_BENCH_CORPUS_ONLY") != nullptr) {
        return 0;
    }
    synthetic_classes(first_seed, seeds);
    power_table(first_seed, std::max<std::uint64_t>(seeds, 40));
    for (const RecordedApp& app : kRecordedApps) {
        if (!real.empty() && std::filesystem::is_directory(real / app.folder)) {
            real_traces(real / app.folder, app.budget);
        }
    }
    return 0;
}
