#include "leakbisect/report/report.hpp"

#include "leakbisect/core/units.hpp"
#include "leakbisect/verdict/trace.hpp"
#include "report_text.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace leakbisect {
namespace {

constexpr int kWidth = 560;
constexpr int kHeight = 180;
constexpr int kMargin = 44;

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

// One probe's memory against requests, as an SVG line chart with its first and last values.
std::string curve_svg(const Trace& trace, Verdict verdict) {
    if (trace.size() < 2) {
        return "<p class=\"muted\">no memory samples</p>";
    }
    const auto [low_it, high_it] =
        std::minmax_element(trace.begin(), trace.end(),
                            [](const MemorySample& a, const MemorySample& b) { return a.bytes < b.bytes; });
    const double low = static_cast<double>(low_it->bytes);
    const double high =
        std::max(static_cast<double>(high_it->bytes), low + 1024 * 1024); // at least 1 MiB tall
    const double last_x = std::max<double>(1, static_cast<double>(trace.back().requests));
    const auto x_of = [&](const MemorySample& s) {
        return kMargin + (kWidth - 2 * kMargin) * static_cast<double>(s.requests) / last_x;
    };
    const auto y_of = [&](const MemorySample& s) {
        return kHeight - kMargin / 2 -
               (kHeight - kMargin) * (static_cast<double>(s.bytes) - low) / (high - low);
    };
    std::string points;
    for (const MemorySample& sample : trace) {
        points += fmt::format("{:.1f},{:.1f} ", x_of(sample), y_of(sample));
    }
    std::string svg = fmt::format("<svg viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\">",
                                  kWidth, kHeight, kWidth, kHeight);
    svg +=
        fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fafafa\" stroke=\"#ddd\"/>",
                    kMargin, kMargin / 2, kWidth - 2 * kMargin, kHeight - kMargin);
    svg += fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\" points=\"{}\"/>",
                       colour_of(verdict), points);
    svg += fmt::format("<text x=\"4\" y=\"{}\" class=\"axis\">{}</text>", kMargin / 2 + 10,
                       xml_escape(format_bytes(high)));
    svg += fmt::format("<text x=\"4\" y=\"{}\" class=\"axis\">{}</text>", kHeight - kMargin / 2,
                       xml_escape(format_bytes(low)));
    svg += fmt::format("<text x=\"{}\" y=\"{}\" class=\"axis\">0</text>", kMargin, kHeight - 4);
    svg += fmt::format("<text x=\"{}\" y=\"{}\" class=\"axis\" text-anchor=\"end\">{} requests</text>",
                       kWidth - kMargin, kHeight - 4, trace.back().requests);
    svg += "</svg>";
    return svg;
}

constexpr std::string_view kStyle = R"(
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 64em; color: #222; padding: 0 1em; }
h1 { font-size: 1.5em; margin-bottom: .2em; }
.headline { font-size: 1.3em; font-weight: 600; margin: .6em 0; }
.muted { color: #777; }
table { border-collapse: collapse; margin: 1em 0; }
td, th { border-bottom: 1px solid #e5e5e5; padding: .3em .6em; text-align: left; vertical-align: top; }
.PLATEAU { color: #2e7d32; font-weight: 600; } .LEAK { color: #c62828; font-weight: 600; }
.INCONCLUSIVE { color: #ef6c00; font-weight: 600; } .SKIPPED, .INVALID { color: #757575; font-weight: 600; }
.probe { margin: 1.5em 0; } .axis { font-size: 10px; fill: #666; }
code { background: #f3f3f3; padding: 0 .25em; border-radius: 3px; }
)";

std::string page_start(const std::string& title) {
    std::string html = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
    html += fmt::format("<title>{}</title><style>{}</style></head><body>\n", xml_escape(title), kStyle);
    return html;
}

// A probe's heading, why it got its verdict, and its memory curve from its memory.csv.
std::string probe_section(const std::filesystem::path& run_dir, const ProbeRecord& probe,
                          const std::string& title) {
    const auto trace = read_trace_csv(run_dir / probe.directory / "memory.csv");
    std::string html = fmt::format(
        "<div class=\"probe\" id=\"probe-{}\"><h3>{} · <span class=\"{}\">{}</span></h3>", probe.index,
        xml_escape(title), to_string(probe.judgement.verdict), to_string(probe.judgement.verdict));
    html += fmt::format("<p class=\"muted\">{}</p>",
                        xml_escape(probe.failure.empty() ? probe.judgement.reason : probe.failure));
    html += trace ? curve_svg(*trace, probe.judgement.verdict) : "<p class=\"muted\">no memory.csv</p>";
    return html + "</div>\n";
}

} // namespace

std::string render_html(const RunReport& report) {
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
    html += fmt::format(
        "<p class=\"muted\">strategy <code>{}</code> · {} probes · {} requests per probe · "
        "memory <code>{}</code> of <code>{}</code> · min_leak {}/request · recipe <code>{}</code></p>\n",
        xml_escape(report.strategy), report.probes.size(), report.requests_per_probe,
        xml_escape(report.metric), xml_escape(report.scope), xml_escape(format_bytes(report.min_leak)),
        xml_escape(report.recipe_file.string()));

    html += "<table><tr><th>#</th><th>probe</th><th>chunks on</th><th>verdict</th><th>growth/request</th>"
            "<th>interval</th><th>requests</th><th>wall</th></tr>\n";
    for (const ProbeRecord& probe : report.probes) {
        html += fmt::format(
            "<tr><td><a href=\"#probe-{}\">{}</a></td><td>{}</td><td>{}</td><td class=\"{}\">{}</td>"
            "<td>{}</td><td>{}</td><td>{}</td><td>{:.1f}s</td></tr>\n",
            probe.index, probe.index, xml_escape(std::string(to_string(probe.role))),
            xml_escape(configuration_of(report, probe, ", ")), to_string(probe.judgement.verdict),
            to_string(probe.judgement.verdict), xml_escape(format_rate(probe)),
            xml_escape(format_interval(probe)), probe.requests, probe.wall_seconds);
    }
    html += "</table>\n<h2>Memory curves</h2>\n";
    for (const ProbeRecord& probe : report.probes) {
        html += probe_section(report.run_dir, probe,
                              fmt::format("Probe {} · {}", probe.index, to_string(probe.role)));
    }
    html += "<h2>Chunks</h2><ul>\n";
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
    std::string html = page_start("leakbisect survey: " + report.name);
    html += fmt::format("<h1>leakbisect survey: {}</h1>\n<p class=\"headline\">{}</p>\n",
                        xml_escape(report.name), xml_escape(survey_headline(report)));
    html +=
        fmt::format("<p class=\"muted\">each page alone with every chunk on · {} requests per probe · memory "
                    "<code>{}</code> of <code>{}</code> · min_leak {}/request</p>\n",
                    report.requests_per_probe, xml_escape(report.metric), xml_escape(report.scope),
                    xml_escape(format_bytes(report.min_leak)));
    html += "<table><tr><th>rank</th><th>page</th><th>verdict</th><th>growth/request</th><th>interval</th>"
            "<th>requests</th></tr>\n";
    for (std::size_t i = 0; i < report.pages.size(); ++i) {
        const ProbeRecord& page = report.pages[i];
        html +=
            fmt::format("<tr><td><a href=\"#probe-{}\">{}</a></td><td><code>{}</code></td><td class=\"{}\">{}"
                        "</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                        page.index, i + 1, xml_escape(page.page), to_string(page.judgement.verdict),
                        to_string(page.judgement.verdict), xml_escape(format_rate(page)),
                        xml_escape(format_interval(page)), page.requests);
    }
    html += "</table>\n<h2>Memory curves</h2>\n";
    for (const ProbeRecord& page : report.pages) {
        html += probe_section(report.run_dir, page, page.page);
    }
    return html + "</body></html>\n";
}

} // namespace leakbisect
