#include "leakbisect/report/report.hpp"

#include "leakbisect/core/units.hpp"
#include "leakbisect/report/probe_label.hpp"
#include "report_text.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace leakbisect {
namespace {

std::string top_level_of(const std::string& chunk) {
    return chunk.substr(0, chunk.find('.'));
}

bool names_chunk(const std::vector<std::string>& chunks, const std::string& top_level) {
    return std::any_of(chunks.begin(), chunks.end(),
                       [&](const std::string& chunk) { return top_level_of(chunk) == top_level; });
}

// The chunk is guilty: the culprit is it or inside it, or it is one of a set that leaks together.
bool is_guilty(const Finding& finding, const std::string& top_level) {
    return finding.kind == FindingKind::localized &&
           (top_level_of(finding.culprit) == top_level || names_chunk(finding.culprits, top_level));
}

// The run could not clear the chunk: it is a suspect, or nothing was decided at all.
bool is_undecided(const Finding& finding, const std::string& top_level) {
    if (finding.kind == FindingKind::app_failed) {
        return true;
    }
    return finding.kind == FindingKind::inconclusive &&
           (finding.suspects.empty() || names_chunk(finding.suspects, top_level));
}

// The evidence under the failure: the deciding pair and every probe, one line each.
std::string evidence_text(const RunReport& report) {
    const Finding& finding = report.finding;
    std::string text = headline(report) + "\n";
    const auto described = [&](const std::vector<std::string>& enabled) {
        return report.revisions ? configuration_of(report, enabled, ", ")
                                : describe_enabled(enabled, chunk_names(report));
    };
    if (!finding.first_leak.enabled.empty() || !finding.last_plateau.enabled.empty()) {
        text += fmt::format(
            "last plateau: {} ({}/request)\nfirst leak:   {} ({}/request)\n",
            described(finding.last_plateau.enabled), format_bytes(finding.last_plateau.pooled_rate),
            described(finding.first_leak.enabled), format_bytes(finding.first_leak.pooled_rate));
    }
    for (const ProbeRecord& probe : report.probes) {
        text +=
            fmt::format("probe {} {}: {} {} {}/request\n", probe.index, to_string(probe.role),
                        probe_label(report, probe), to_string(probe.judgement.verdict), format_rate(probe));
    }
    return text;
}

std::string test_case(const std::string& suite, const std::string& name, const std::string& outcome) {
    return fmt::format("    <testcase classname=\"leakbisect.{}\" name=\"{}\">{}</testcase>\n",
                       xml_escape(suite), xml_escape(name), outcome);
}

} // namespace

// One test case per top-level chunk, named by the chunk alone so a CI history follows it from run
// to run; the guilty chunk fails with the finding as its message. A case for the baseline fails
// when the leak is outside the chunks.
std::string render_junit(const RunReport& report) {
    const Finding& finding = report.finding;
    const std::string evidence = evidence_text(report);
    std::size_t failures = 0;
    std::size_t skipped = 0;
    const auto failed = [&](std::string_view type) {
        ++failures;
        return fmt::format("\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    ",
                           xml_escape(finding.summary), type, xml_escape(evidence));
    };
    const auto undecided = [&] {
        ++skipped;
        return fmt::format("<skipped message=\"{}\"/>", xml_escape(finding.summary));
    };

    std::string cases;
    std::string baseline;
    if (finding.kind == FindingKind::leak_outside_chunks) {
        baseline = failed("LEAK");
    } else if (finding.kind == FindingKind::app_failed) {
        baseline = undecided();
    }
    cases += test_case(report.name,
                       report.revisions ? "good: memory plateaus at the good commit"
                                        : "baseline: memory plateaus with every chunk off",
                       baseline);
    std::size_t tests = 1;
    for (const ChunkLine& chunk : report.chunks) {
        if (chunk.name.find('.') != std::string::npos) {
            continue; // a sub-chunk is reported through its top-level chunk
        }
        ++tests;
        std::string outcome;
        if (is_guilty(finding, chunk.name)) {
            outcome = failed("LEAK");
        } else if (is_undecided(finding, chunk.name)) {
            outcome = undecided();
        }
        cases += test_case(report.name,
                           report.revisions ? "commit " + chunk.name.substr(0, 10) : "chunk " + chunk.name,
                           outcome);
    }
    double wall_seconds = 0;
    for (const ProbeRecord& probe : report.probes) {
        wall_seconds += probe.wall_seconds;
    }
    // Commit-range mode names the guilty commit and its diffstat as properties a CI page shows.
    std::string properties;
    if (report.revisions) {
        for (const CommitLine& commit : report.revisions->guilty) {
            properties +=
                fmt::format("<property name=\"commit\" value=\"{}\"/>", xml_escape(describe_commit(commit)));
        }
        if (!report.revisions->diffstat.empty()) {
            properties += fmt::format("<property name=\"diffstat\" value=\"{}\"/>",
                                      xml_escape(report.revisions->diffstat));
        }
    }
    if (!properties.empty()) {
        properties = fmt::format("    <properties>{}</properties>\n", properties);
    }
    return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<testsuites>\n  <testsuite name=\"leakbisect {}\" tests=\"{}\" failures=\"{}\" "
                       "skipped=\"{}\" time=\"{:.3f}\">\n{}{}"
                       "    <system-out>{}</system-out>\n  </testsuite>\n</testsuites>\n",
                       xml_escape(report.name), tests, failures, skipped, wall_seconds, properties, cases,
                       xml_escape(evidence));
}

} // namespace leakbisect
