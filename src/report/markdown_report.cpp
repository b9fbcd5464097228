#include "leakbisect/report/report.hpp"

#include "leakbisect/core/units.hpp"
#include "report_text.hpp"

#include <fmt/format.h>

namespace leakbisect {

std::string render_markdown(const RunReport& report) {
    std::string text = fmt::format("# leakbisect: {}\n\n", report.name);
    text += fmt::format("**{}**\n\n", headline(report));
    text += fmt::format("{}\n\n", report.finding.summary);
    if (report.revisions) {
        text += revisions_markdown(*report.revisions);
    }
    const std::string isolation = cgroup_isolation(report);
    text +=
        fmt::format("Strategy `{}`, {} probes, {} requests per probe, memory `{}` of the process `{}`, "
                    "min_leak {}/request{}.\n\n",
                    report.strategy, report.probes.size(), report.requests_per_probe, report.metric,
                    report.scope, format_bytes(report.min_leak), isolation.empty() ? "" : "; " + isolation);
    text += "| # | probe | chunks on (vs. the baseline) | verdict | growth/request | interval | memory first "
            "→ last | requests | "
            "wall |\n";
    text += "|---|---|---|---|---|---|---|---|---|\n";
    for (const ProbeRecord& probe : report.probes) {
        text +=
            fmt::format("| {} | {} | {} | {} | {} | {} | {} → {} | {} | {:.1f}s |\n", probe.index,
                        to_string(probe.role), probe_label(report, probe), to_string(probe.judgement.verdict),
                        format_rate(probe), format_interval(probe), format_bytes(probe.first_bytes),
                        format_bytes(probe.last_bytes), probe.requests, probe.wall_seconds);
    }
    if (!report.finding.rechecks.empty()) {
        text += "\n## Re-checks\n\n";
        for (const Recheck& recheck : report.finding.rechecks) {
            text += fmt::format("- {}: expected {}, observed {}: {}\n",
                                configuration_of(report, recheck.enabled, ", "), to_string(recheck.expected),
                                to_string(recheck.observed),
                                recheck.expected == recheck.observed ? "held" : "did not hold");
        }
    }
    text += "\n## Why\n\n";
    for (const ProbeRecord& probe : report.probes) {
        text += fmt::format("- probe {} ({}): {}\n", probe.index, to_string(probe.role),
                            probe.failure.empty() ? probe.judgement.reason : probe.failure);
    }
    text += "\n## Chunks\n\n";
    for (const ChunkLine& chunk : report.chunks) {
        const bool guilty = is_culprit(report.finding, chunk.name);
        text += fmt::format("- {}`{}` (`{}`){}{}\n", guilty ? "**culprit** " : "", chunk.name, chunk.env,
                            chunk.note.empty() ? "" : ": ", chunk.note);
    }
    return text;
}

std::string render_survey_markdown(const SurveyReport& report) {
    std::string text =
        fmt::format("# leakbisect survey: {}\n\n**{}**\n\n", report.name, survey_headline(report));
    text +=
        fmt::format("Each page alone with every chunk on, {} requests per probe, memory `{}` of the process "
                    "`{}`, min_leak {}/request.\n\n",
                    report.requests_per_probe, report.metric, report.scope, format_bytes(report.min_leak));
    text +=
        "| rank | page | verdict | growth/request | interval | memory first → last | requests | probe |\n";
    text += "|---|---|---|---|---|---|---|---|\n";
    for (std::size_t i = 0; i < report.pages.size(); ++i) {
        const ProbeRecord& page = report.pages[i];
        text += fmt::format("| {} | `{}` | {} | {} | {} | {} → {} | {} | {} |\n", i + 1, page.page,
                            to_string(page.judgement.verdict), format_rate(page), format_interval(page),
                            format_bytes(page.first_bytes), format_bytes(page.last_bytes), page.requests,
                            page.directory);
    }
    text += "\n## Why\n\n";
    for (const ProbeRecord& page : report.pages) {
        text += fmt::format("- `{}`: {}\n", page.page,
                            page.failure.empty() ? page.judgement.reason : page.failure);
    }
    return text;
}

} // namespace leakbisect
