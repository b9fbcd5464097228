#include "report_text.hpp"

#include "leakbisect/core/units.hpp"
#include "leakbisect/report/probe_label.hpp"
#include "leakbisect/report/report.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace leakbisect {

namespace {

bool judged(const ProbeRecord& probe) {
    return probe.judgement.verdict == Verdict::plateau || probe.judgement.verdict == Verdict::leak ||
           (probe.judgement.verdict == Verdict::inconclusive && probe.judgement.blocks > 0);
}

std::string describe_short(const CommitLine& commit) {
    return fmt::format("{} {}", commit.hash.substr(0, 10), commit.subject);
}

} // namespace

std::string headline(const Finding& finding) {
    switch (finding.kind) {
    case FindingKind::localized:
        if (finding.culprits.size() > 1) {
            return fmt::format("Culprits, only together: {}", fmt::join(finding.culprits, " + "));
        }
        return "Culprit: " + finding.culprit +
               (finding.path.size() > 1 ? fmt::format(" ({})", fmt::join(finding.path, " > "))
                                        : std::string());
    case FindingKind::leak_outside_chunks:
        return "The leak is outside the chunks";
    case FindingKind::no_leak:
        return "No leak";
    case FindingKind::inconclusive:
        if (finding.suspects.size() == 1) {
            return "Inconclusive: suspect " + finding.suspects.front();
        }
        return finding.suspects.empty()
                   ? "Inconclusive"
                   : fmt::format("Inconclusive: one of {}", fmt::join(finding.suspects, ", "));
    case FindingKind::app_failed:
        return "The app could not be run";
    }
    return "Inconclusive";
}

bool is_culprit(const Finding& finding, const std::string& chunk) {
    if (finding.kind != FindingKind::localized) {
        return false;
    }
    return chunk == finding.culprit ||
           std::find(finding.culprits.begin(), finding.culprits.end(), chunk) != finding.culprits.end();
}

std::string format_rate(const ProbeRecord& probe) {
    if (!judged(probe)) {
        return "—";
    }
    // Not `"+" + format_bytes(...)`: GCC 12 at -O3 inlines that operator+ into a string insert and
    // reports a false -Werror=restrict on it (GCC bug 105329); fmt builds the same text.
    return fmt::format("{}{}", probe.judgement.rate > 0 ? "+" : "", format_bytes(probe.judgement.rate));
}

std::string format_interval(const ProbeRecord& probe) {
    if (!judged(probe)) {
        return "—";
    }
    return fmt::format("[{}, {}]", format_bytes(probe.judgement.rate_low),
                       format_bytes(probe.judgement.rate_high));
}

std::string xml_escape(std::string_view text) {
    std::string escaped;
    escaped.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '&':
            escaped += "&amp;";
            break;
        case '<':
            escaped += "&lt;";
            break;
        case '>':
            escaped += "&gt;";
            break;
        case '"':
            escaped += "&quot;";
            break;
        case '\'':
            escaped += "&apos;";
            break;
        default:
            escaped += c;
        }
    }
    return escaped;
}

std::vector<std::string> chunk_names(const RunReport& report) {
    std::vector<std::string> names;
    for (const ChunkLine& chunk : report.chunks) {
        names.push_back(chunk.name);
    }
    return names;
}

std::string probe_label(const RunReport& report, const ProbeRecord& probe) {
    return report.revisions ? configuration_of(report, probe, ", ")
                            : describe_enabled(probe.enabled, chunk_names(report));
}

std::string survey_headline(const SurveyReport& report) {
    std::vector<std::string> leaking;
    for (const ProbeRecord& page : report.pages) {
        if (page.judgement.verdict == Verdict::leak) {
            leaking.push_back(fmt::format("{} ({}/request)", page.page, format_rate(page)));
        }
    }
    if (!leaking.empty()) {
        return fmt::format(
            "{}{}", leaking.size() == 1 ? "Leaks: " : "Leak, fastest first: ", fmt::join(leaking, ", "));
    }
    const bool all_plateau =
        std::all_of(report.pages.begin(), report.pages.end(),
                    [](const ProbeRecord& page) { return page.judgement.verdict == Verdict::plateau; });
    return all_plateau ? "No page leaks" : "Inconclusive: no page leaks, but not every page plateaus";
}

std::string configuration_of(const RunReport& report, const ProbeRecord& probe, std::string_view separator) {
    return configuration_of(report, probe.enabled, separator);
}

std::string configuration_of(const RunReport& report, const std::vector<std::string>& enabled,
                             std::string_view separator) {
    if (report.revisions) {
        const std::size_t k = enabled.size();
        if (k == 0) {
            return describe_short(report.revisions->good) + " (good)";
        }
        if (k <= report.chunks.size()) {
            return fmt::format("{} {}", report.chunks[k - 1].name.substr(0, 10), report.chunks[k - 1].note);
        }
    }
    return enabled.empty() ? "(none)" : fmt::format("{}", fmt::join(enabled, separator));
}

std::string headline(const RunReport& report) {
    if (report.revisions && report.finding.kind == FindingKind::localized &&
        !report.revisions->guilty.empty()) {
        return "Culprit: commit " + describe_short(report.revisions->guilty.front());
    }
    if (report.revisions && report.finding.kind == FindingKind::inconclusive &&
        !report.revisions->guilty.empty()) {
        return fmt::format("Inconclusive: one of {} commits", report.revisions->guilty.size());
    }
    return headline(report.finding);
}

std::string describe_commit(const CommitLine& commit) {
    return fmt::format("{} ({}, {})", describe_short(commit), commit.author, commit.date);
}

std::string cgroup_isolation(const RunReport& report) {
    std::size_t in_cgroup = 0;
    std::size_t booted = 0; // a SKIPPED probe may never have started its app (a failed setup)
    unsigned version = 0;
    for (const ProbeRecord& probe : report.probes) {
        if (!probe.cgroup.empty()) {
            ++in_cgroup;
            version = probe.cgroup_version;
        }
        booted += !probe.cgroup.empty() || probe.judgement.verdict != Verdict::skipped ? 1 : 0;
    }
    if (in_cgroup == 0) {
        return "";
    }
    if (in_cgroup == booted) {
        return fmt::format("each probe's app in a cgroup (v{}) of its own", version);
    }
    return fmt::format("{} of {} probes' apps in a cgroup (v{}) of their own", in_cgroup, booted, version);
}

std::string revisions_markdown(const RevisionsReport& revisions) {
    std::string text = revisions.guilty.size() == 1 && !revisions.diffstat.empty() ? "## The commit\n\n"
                                                                                   : "## The commits\n\n";
    text += fmt::format("Searched {} first-parent commits after good `{}` up to bad `{}`.\n\n",
                        revisions.commits, describe_short(revisions.good), describe_short(revisions.bad));
    for (const CommitLine& commit : revisions.guilty) {
        text += fmt::format("- `{}` {} — {}, {}\n", commit.hash, commit.subject, commit.author, commit.date);
    }
    if (!revisions.diffstat.empty()) {
        text += fmt::format("\nGrowth per request: {} at the commit before it, {} at it.\n\n```\n{}\n```\n",
                            format_bytes(revisions.rate_before), format_bytes(revisions.rate_after),
                            revisions.diffstat);
    }
    return text + "\n";
}

} // namespace leakbisect
