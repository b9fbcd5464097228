#include "leakbisect/report/report.hpp"

#include "leakbisect/core/units.hpp"
#include "leakbisect/verdict/trace.hpp"
#include "report_text.hpp"
#include "svg_chart.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>

namespace leakbisect {
namespace {

constexpr std::string_view kBaselineColour = "#9e9e9e";
constexpr int kMainWidth = 900;
constexpr int kMainHeight = 340;
constexpr int kPairWidth = 445;
constexpr int kSmallWidth = 292;
constexpr int kSmallHeight = 190;

std::string_view colour_of(Verdict verdict) {
    switch (verdict) {
    case Verdict::plateau:
        return "#2e7d32";
    case Verdict::leak:
        return "#c62828";
    case Verdict::inconclusive:
        return "#ef6c00";
    case Verdict::invalid:
    case Verdict::skipped:
        return "#757575";
    }
    return "#757575";
}

constexpr std::string_view kStyle = R"(
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; padding: 0 1em; }
h1 { font-size: 1.5em; margin-bottom: .2em; }
.headline { font-size: 1.35em; font-weight: 600; margin: .6em 0 .2em; }
.muted { color: #777; }
table { border-collapse: collapse; margin: 1em 0; }
th { position: sticky; top: 0; background: #fff; box-shadow: inset 0 -1px #bbb; }
td, th { border-bottom: 1px solid #e5e5e5; padding: .3em .6em; text-align: left; vertical-align: top; }
summary { cursor: pointer; }
.PLATEAU { color: #2e7d32; font-weight: 600; } .LEAK { color: #c62828; font-weight: 600; }
.INCONCLUSIVE { color: #ef6c00; font-weight: 600; } .SKIPPED, .INVALID { color: #757575; font-weight: 600; }
.pair { display: flex; gap: 10px; } .pair > div { flex: 1 1 0; min-width: 0; }
.pair h3 { font-size: .9em; margin: .8em 0 .2em; }
svg.chart { max-width: 100%; height: auto; display: block; }
.legend { font-size: .85em; margin: .3em 0 0 62px; } .legend span { margin-right: 1.2em; white-space: nowrap; }
.legend i { display: inline-block; width: 18px; margin-right: .35em; vertical-align: middle; border-top: 3px solid; }
.legend i.shade { height: 10px; border: 0; background: #e9e9e9; } .legend i.bar { border-color: #bbb; }
.legend i.dash { border-top: 2px dashed #111; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(292px, 1fr)); gap: 14px; }
.probe h3 { font-size: .95em; margin: .2em 0; } .probe p { font-size: .85em; margin: .1em 0 .3em; }
.tick { font-size: 10px; fill: #555; } .title { font-size: 11px; fill: #333; }
.mark { font-size: 10px; fill: #777; }
code { background: #f3f3f3; padding: 0 .25em; border-radius: 3px; }
)";

std::string page_start(const std::string& title) {
    std::string html = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
    html += fmt::format("<title>{}</title><style>{}</style></head><body>\n", xml_escape(title), kStyle);
    return html;
}

// Each probe's memory.csv, read once; a probe without one has no curve.
std::map<std::size_t, Trace> read_traces(const std::filesystem::path& run_dir,
                                         const std::vector<ProbeRecord>& probes) {
    std::map<std::size_t, Trace> traces;
    for (const ProbeRecord& probe : probes) {
        if (auto trace = read_trace_csv(run_dir / probe.directory / "memory.csv");
            trace && trace->size() >= 2) {
            traces.emplace(probe.index, std::move(trace.value()));
        }
    }
    return traces;
}

const Trace* trace_of(const std::map<std::size_t, Trace>& traces, const ProbeRecord* probe) {
    if (probe == nullptr) {
        return nullptr;
    }
    const auto found = traces.find(probe->index);
    return found == traces.end() ? nullptr : &found->second;
}

// The verdict's judged window, read back from the record: it ends at the trace's end, after the
// warm-up (`judged_span` before the end) and after any transient found in the floor (`settled_at`,
// journaled since this field was added); what lies before it was not judged.
std::optional<ChartFit> fit_of(const ProbeRecord& probe, const Trace& trace, ChartAxis axis) {
    const Judgement& judgement = probe.judgement;
    const bool judged = judgement.verdict == Verdict::plateau || judgement.verdict == Verdict::leak ||
                        (judgement.verdict == Verdict::inconclusive && judgement.blocks > 0);
    if (!judged || judgement.judged_span <= 0) {
        return std::nullopt;
    }
    const double end = axis_value(trace.back(), axis);
    const double start = std::clamp(std::max(end - judgement.judged_span, judgement.settled_at), 0.0, end);
    return ChartFit{&trace, start, end, judgement.rate, std::string(colour_of(judgement.verdict))};
}

enum class Legend { shown, hidden };

struct ChartContext {
    const std::map<std::size_t, Trace>& traces;
    const Trace* baseline = nullptr;
    ChartScale scale;
    std::string y_title;
};

// One chart of some probes over the baseline, each with its judged window and fitted growth.
std::string probes_chart(const ChartContext& context,
                         const std::vector<std::pair<const ProbeRecord*, std::string>>& probes, int width,
                         int height, Legend legend) {
    ChartSpec spec;
    spec.width = width;
    spec.height = height;
    spec.y_title = context.y_title;
    const bool shows_baseline = std::any_of(probes.begin(), probes.end(), [&](const auto& shown) {
        return trace_of(context.traces, shown.first) == context.baseline;
    });
    if (context.baseline != nullptr && !shows_baseline) {
        spec.lines.push_back(
            {context.baseline, std::string(kBaselineColour), "baseline (every chunk off)", 1.2});
    }
    for (const auto& [probe, label] : probes) {
        const Trace* trace = trace_of(context.traces, probe);
        if (trace == nullptr) {
            continue;
        }
        spec.lines.push_back({trace, std::string(colour_of(probe->judgement.verdict)), label, 1.6});
        if (auto fit = fit_of(*probe, *trace, context.scale.axis)) {
            spec.warmup = std::min(spec.warmup.value_or(fit->start), fit->start);
            spec.fits.push_back(*fit);
        }
    }
    if (spec.lines.empty()) {
        return "<p class=\"muted\">no memory samples</p>";
    }
    return chart_svg(spec, context.scale) + (legend == Legend::shown ? chart_legend(spec) : "");
}

bool same_set(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    return std::set<std::string>(a.begin(), a.end()) == std::set<std::string>(b.begin(), b.end());
}

// The last probe of a configuration with the given verdict: the deciding pair's evidence.
const ProbeRecord* last_with(const std::vector<ProbeRecord>& probes, const std::vector<std::string>& enabled,
                             Verdict verdict) {
    const ProbeRecord* found = nullptr;
    for (const ProbeRecord& probe : probes) {
        if (probe.judgement.verdict == verdict && same_set(probe.enabled, enabled)) {
            found = &probe;
        }
    }
    return found;
}

const ProbeRecord* first_of(const std::vector<ProbeRecord>& probes, RecordRole role) {
    const auto found = std::find_if(probes.begin(), probes.end(),
                                    [&](const ProbeRecord& probe) { return probe.role == role; });
    return found == probes.end() ? nullptr : &*found;
}

std::string verdict_words(const ProbeRecord& probe) {
    return fmt::format("{} {}/request", to_string(probe.judgement.verdict), format_rate(probe));
}

// The short label, and the full set one click away.
std::string enabled_cell(const RunReport& report, const ProbeRecord& probe) {
    std::string label = xml_escape(probe_label(report, probe));
    if (probe.enabled.empty() || report.revisions) { // a commit's label is the whole of it
        return label;
    }
    return fmt::format("<details><summary>{}</summary><span class=\"muted\">{}</span></details>", label,
                       xml_escape(fmt::format("{}", fmt::join(probe.enabled, ", "))));
}

// A probe's small multiple: its curve over the baseline's on the shared scale, and why.
std::string probe_card(const ChartContext& context, const ProbeRecord& probe, const std::string& title) {
    std::string html = fmt::format(
        "<div class=\"probe\" id=\"probe-{}\"><h3>{} · <span class=\"{}\">{}</span></h3>", probe.index,
        xml_escape(title), to_string(probe.judgement.verdict), xml_escape(verdict_words(probe)));
    html += fmt::format("<p class=\"muted\">{}</p>",
                        xml_escape(probe.failure.empty() ? probe.judgement.reason : probe.failure));
    if (trace_of(context.traces, &probe) == nullptr) {
        return html + "<p class=\"muted\">no memory.csv</p></div>\n";
    }
    html += probes_chart(context, {{&probe, ""}}, kSmallWidth, kSmallHeight, Legend::hidden);
    return html + "</div>\n";
}

std::vector<const Trace*> all_traces(const std::map<std::size_t, Trace>& traces) {
    std::vector<const Trace*> all;
    for (const auto& [index, trace] : traces) {
        all.push_back(&trace);
    }
    return all;
}

// The chart that makes the case: the baseline, the last plateau and the first leak on one scale
// (or, without a localized leak, the baseline and every chunk on), then the pair side by side.
std::string deciding_pair(const RunReport& report, const ChartContext& context) {
    const Finding& finding = report.finding;
    const ProbeRecord* plateau = nullptr;
    const ProbeRecord* leak = nullptr;
    if (finding.kind == FindingKind::localized) {
        plateau = last_with(report.probes, finding.last_plateau.enabled, Verdict::plateau);
        leak = last_with(report.probes, finding.first_leak.enabled, Verdict::leak);
    }
    std::string title = "The deciding pair: the last plateau and the first leak, over the baseline";
    if (plateau == nullptr || leak == nullptr) {
        plateau = first_of(report.probes, RecordRole::baseline);
        leak = first_of(report.probes, RecordRole::all_on);
        title = "The baseline (every chunk off) and every chunk on";
    }
    std::vector<std::pair<const ProbeRecord*, std::string>> shown;
    for (const ProbeRecord* probe : {plateau, leak}) {
        if (probe != nullptr) {
            shown.emplace_back(probe, fmt::format("probe {}: {} · {}", probe->index,
                                                  probe_label(report, *probe), verdict_words(*probe)));
        }
    }
    if (shown.empty()) {
        return "";
    }
    std::string html = fmt::format("<h2>{}</h2>\n", xml_escape(title));
    html += probes_chart(context, shown, kMainWidth, kMainHeight, Legend::shown);
    html += "\n<div class=\"pair\">";
    for (const auto& one : shown) {
        html += fmt::format("<div><h3 class=\"muted\">{}</h3>{}</div>", xml_escape(one.second),
                            probes_chart(context, {one}, kPairWidth, kSmallHeight + 20, Legend::hidden));
    }
    return html + "</div>\n";
}

} // namespace

std::string render_html(const RunReport& report) {
    const std::map<std::size_t, Trace> traces = read_traces(report.run_dir, report.probes);
    const ChartContext context{traces, trace_of(traces, first_of(report.probes, RecordRole::baseline)),
                               scale_for(all_traces(traces)),
                               fmt::format("memory ({}, {})", report.metric,
                                           report.scope == "tree" ? "process tree" : "main process")};

    std::string html = page_start("leakbisect: " + report.name);
    html += fmt::format("<h1>leakbisect: {}</h1>\n", xml_escape(report.name));
    html += fmt::format("<p class=\"headline\">{}</p>\n<p>{}</p>\n", xml_escape(headline(report)),
                        xml_escape(report.finding.summary));
    if (report.revisions) {
        for (const CommitLine& commit : report.revisions->guilty) {
            html += fmt::format("<p>commit <code>{}</code> {}</p>\n", xml_escape(commit.hash),
                                xml_escape(describe_commit(commit)));
        }
        if (!report.revisions->diffstat.empty()) {
            html += fmt::format(
                "<p>growth per request: {} at the commit before it, {} at it</p>\n<pre>{}</pre>\n",
                xml_escape(format_bytes(report.revisions->rate_before)),
                xml_escape(format_bytes(report.revisions->rate_after)),
                xml_escape(report.revisions->diffstat));
        }
    }
    const std::string isolation = cgroup_isolation(report);
    html += fmt::format(
        "<p class=\"muted\">strategy <code>{}</code> · {} probes · {} requests per probe · "
        "memory <code>{}</code> of <code>{}</code> · min_leak {}/request{} · recipe <code>{}</code></p>\n",
        xml_escape(report.strategy), report.probes.size(), report.requests_per_probe,
        xml_escape(report.metric), xml_escape(report.scope), xml_escape(format_bytes(report.min_leak)),
        isolation.empty() ? "" : " · " + xml_escape(isolation), xml_escape(report.recipe_file.string()));
    html += deciding_pair(report, context);

    html +=
        "<h2>Probes</h2>\n<table><thead><tr><th>#</th><th>probe</th><th>chunks on (vs. the baseline)</th>"
        "<th>verdict</th><th>growth/request</th><th>interval</th><th>requests</th><th>wall</th></tr></thead>"
        "<tbody>\n";
    for (const ProbeRecord& probe : report.probes) {
        html += fmt::format(
            "<tr><td><a href=\"#probe-{}\">{}</a></td><td>{}</td><td>{}</td><td class=\"{}\">{}</td>"
            "<td>{}</td><td>{}</td><td>{}</td><td>{:.1f}s</td></tr>\n",
            probe.index, probe.index, xml_escape(std::string(to_string(probe.role))),
            enabled_cell(report, probe), to_string(probe.judgement.verdict),
            to_string(probe.judgement.verdict), xml_escape(format_rate(probe)),
            xml_escape(format_interval(probe)), probe.requests, probe.wall_seconds);
    }
    html += "</tbody></table>\n<h2>Every probe on one scale</h2>\n<p class=\"muted\">Grey: the baseline "
            "under each probe. Shaded: the warm-up, never judged (load.warmup, and any transient found in "
            "the floor). Bar at the bottom: the judged window; "
            "dashed: the fitted growth of the post-GC floor (over the baseline's when judged against it)."
            "</p>\n<div class=\"grid\">\n";
    for (const ProbeRecord& probe : report.probes) {
        html += probe_card(
            context, probe,
            fmt::format("{} · {} · {}", probe.index, to_string(probe.role), probe_label(report, probe)));
    }
    html += "</div>\n<h2>Chunks</h2><ul>\n";
    for (const ChunkLine& chunk : report.chunks) {
        const bool guilty = is_culprit(report.finding, chunk.name);
        html += fmt::format("<li>{}<code>{}</code> <span class=\"muted\">{}</span> {}</li>\n",
                            guilty ? "<strong class=\"LEAK\">culprit</strong> " : "", xml_escape(chunk.name),
                            xml_escape(chunk.env), xml_escape(chunk.note));
    }
    html += "</ul></body></html>\n";
    return html;
}

std::string render_survey_html(const SurveyReport& report) {
    const std::map<std::size_t, Trace> traces = read_traces(report.run_dir, report.pages);
    const ChartContext context{traces, nullptr, scale_for(all_traces(traces)),
                               fmt::format("memory ({}, {})", report.metric,
                                           report.scope == "tree" ? "process tree" : "main process")};
    std::string html = page_start("leakbisect survey: " + report.name);
    html += fmt::format("<h1>leakbisect survey: {}</h1>\n<p class=\"headline\">{}</p>\n",
                        xml_escape(report.name), xml_escape(survey_headline(report)));
    html +=
        fmt::format("<p class=\"muted\">each page alone with every chunk on · {} requests per probe · memory "
                    "<code>{}</code> of <code>{}</code> · min_leak {}/request</p>\n",
                    report.requests_per_probe, xml_escape(report.metric), xml_escape(report.scope),
                    xml_escape(format_bytes(report.min_leak)));
    html +=
        "<table><thead><tr><th>rank</th><th>page</th><th>verdict</th><th>growth/request</th><th>interval</th>"
        "<th>requests</th></tr></thead><tbody>\n";
    for (std::size_t i = 0; i < report.pages.size(); ++i) {
        const ProbeRecord& page = report.pages[i];
        html +=
            fmt::format("<tr><td><a href=\"#probe-{}\">{}</a></td><td><code>{}</code></td><td class=\"{}\">{}"
                        "</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                        page.index, i + 1, xml_escape(page.page), to_string(page.judgement.verdict),
                        to_string(page.judgement.verdict), xml_escape(format_rate(page)),
                        xml_escape(format_interval(page)), page.requests);
    }
    html += "</tbody></table>\n<h2>Every page on one scale</h2>\n<div class=\"grid\">\n";
    for (const ProbeRecord& page : report.pages) {
        html += probe_card(context, page, page.page);
    }
    return html + "</div></body></html>\n";
}

} // namespace leakbisect
