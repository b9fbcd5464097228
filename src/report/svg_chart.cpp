#include "svg_chart.hpp"

#include "leakbisect/core/units.hpp"
#include "report_text.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace leakbisect {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;
constexpr int kLeft = 62; // room for "123.4 MiB"
constexpr int kRight = 12;
constexpr int kTop = 10;
constexpr int kBottom = 34; // tick labels and the axis title
constexpr int kTicks = 5;

// 1, 2 or 5 times a power of ten (of 1024 for bytes, via `unit`) near range / kTicks.
double nice_step(double range, double unit) {
    const double raw = range / unit / kTicks;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    const double fraction = raw / power;
    const double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
    return nice * power * unit;
}

std::string count_label(double value) {
    if (value >= 10000) {
        return fmt::format("{:g}k", value / 1000);
    }
    return fmt::format("{:g}", value);
}

// The 10% quantile of memory near `x` (a twentieth of the window either side): where a fitted
// line of the post-GC floor starts.
double floor_near(const Trace& trace, ChartAxis axis, double x, double half_width) {
    std::vector<double> near;
    for (const MemorySample& sample : trace) {
        if (std::fabs(axis_value(sample, axis) - x) <= half_width) {
            near.push_back(static_cast<double>(sample.bytes));
        }
    }
    if (near.empty()) {
        return static_cast<double>(trace.front().bytes);
    }
    const auto at = near.begin() + static_cast<std::ptrdiff_t>(near.size() / 10);
    std::nth_element(near.begin(), at, near.end());
    return *at;
}

} // namespace

double axis_value(const MemorySample& sample, ChartAxis axis) {
    return axis == ChartAxis::requests ? static_cast<double>(sample.requests) : sample.seconds;
}

ChartScale scale_for(const std::vector<const Trace*>& traces) {
    ChartScale scale;
    bool any_requests = false;
    double low = std::numeric_limits<double>::max();
    double high = std::numeric_limits<double>::lowest();
    for (const Trace* trace : traces) {
        for (const MemorySample& sample : *trace) {
            any_requests = any_requests || sample.requests > 0;
            low = std::min(low, static_cast<double>(sample.bytes));
            high = std::max(high, static_cast<double>(sample.bytes));
        }
    }
    scale.axis = any_requests ? ChartAxis::requests : ChartAxis::seconds;
    for (const Trace* trace : traces) {
        for (const MemorySample& sample : *trace) {
            scale.x_max = std::max(scale.x_max, axis_value(sample, scale.axis));
        }
    }
    if (low > high) {
        return scale;
    }
    high = std::max(high, low + kMiB);
    const double pad = (high - low) * 0.05;
    scale.y_min = std::max(0.0, low - pad);
    scale.y_max = high + pad;
    return scale;
}

std::string chart_svg(const ChartSpec& spec, const ChartScale& scale) {
    const double plot_width = spec.width - kLeft - kRight;
    const double plot_height = spec.height - kTop - kBottom;
    const auto x_of = [&](double x) { return kLeft + plot_width * std::clamp(x / scale.x_max, 0.0, 1.0); };
    const auto y_of = [&](double bytes) {
        return kTop +
               plot_height * (1 - std::clamp((bytes - scale.y_min) / (scale.y_max - scale.y_min), 0.0, 1.0));
    };
    std::string svg = fmt::format("<svg class=\"chart\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" "
                                  "role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">",
                                  spec.width, spec.height);
    svg +=
        fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fcfcfc\" stroke=\"#ccc\"/>",
                    kLeft, kTop, plot_width, plot_height);
    if (spec.warmup && *spec.warmup > 0) {
        svg += fmt::format(
            "<rect x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" fill=\"#e9e9e9\"><title>warm-up: "
            "never judged</title></rect>",
            kLeft, kTop, x_of(*spec.warmup) - kLeft, plot_height);
        svg +=
            fmt::format("<text x=\"{:.1f}\" y=\"{}\" class=\"mark\">warm-up</text>", kLeft + 3.0, kTop + 11);
    }

    // Grid and tick labels: memory in binary units, the axis in plain counts.
    const double y_unit = scale.y_max - scale.y_min >= kMiB ? kMiB : 1024;
    const double y_step = nice_step(scale.y_max - scale.y_min, y_unit);
    for (double y = std::ceil(scale.y_min / y_step) * y_step; y <= scale.y_max; y += y_step) {
        svg += fmt::format("<line x1=\"{}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#eee\"/>",
                           kLeft, kLeft + plot_width, y_of(y), y_of(y));
        svg += fmt::format("<text x=\"{}\" y=\"{:.1f}\" class=\"tick\" text-anchor=\"end\">{}</text>",
                           kLeft - 4, y_of(y) + 3, xml_escape(format_bytes(y)));
    }
    const double x_step = nice_step(scale.x_max, 1);
    for (double x = 0; x <= scale.x_max + x_step / 1000; x += x_step) {
        svg += fmt::format("<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2:.1f}\" stroke=\"#ccc\"/>",
                           x_of(x), kTop + plot_height, kTop + plot_height + 4);
        svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"tick\" text-anchor=\"middle\">{}</text>",
                           x_of(x), kTop + plot_height + 14, count_label(x));
    }
    svg +=
        fmt::format("<text x=\"{:.1f}\" y=\"{}\" class=\"title\" text-anchor=\"middle\">{}</text>",
                    kLeft + plot_width / 2, spec.height - 4,
                    scale.axis == ChartAxis::requests ? "requests finished" : "seconds of the load command");
    svg += fmt::format("<text transform=\"translate(11 {:.1f}) rotate(-90)\" class=\"title\" "
                       "text-anchor=\"middle\">{}</text>",
                       kTop + plot_height / 2, xml_escape(spec.y_title));

    for (const ChartLine& line : spec.lines) {
        std::string points;
        for (const MemorySample& sample : *line.trace) {
            points += fmt::format("{:.1f},{:.1f} ", x_of(axis_value(sample, scale.axis)),
                                  y_of(static_cast<double>(sample.bytes)));
        }
        svg += fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" points=\"{}\"/>",
                           line.colour, line.width, points);
    }
    for (std::size_t i = 0; i < spec.fits.size(); ++i) {
        const ChartFit& fit = spec.fits[i];
        if (fit.end <= fit.start || fit.trace == nullptr || fit.trace->empty()) {
            continue;
        }
        const double y0 = floor_near(*fit.trace, scale.axis, fit.start, (fit.end - fit.start) / 20);
        const double y1 = y0 + fit.rate * (fit.end - fit.start);
        // The judged window as a bracket under the plot, the fitted growth as a dashed line over it.
        const double bracket = kTop + plot_height - 3.0 - 4.0 * static_cast<double>(i);
        svg += fmt::format("<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" "
                           "stroke-width=\"3\" opacity=\"0.5\"><title>judged window</title></line>",
                           x_of(fit.start), x_of(fit.end), bracket, bracket, fit.colour);
        svg += fmt::format(
            "<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" "
            "stroke-width=\"2\" stroke-dasharray=\"6 3\"><title>fitted growth {}/unit</title></line>",
            x_of(fit.start), x_of(fit.end), y_of(y0), y_of(y1), "#111", xml_escape(format_bytes(fit.rate)));
    }
    return svg + "</svg>";
}

std::string chart_legend(const ChartSpec& spec) {
    std::string html = "<div class=\"legend\">";
    for (const ChartLine& line : spec.lines) {
        if (!line.label.empty()) {
            html += fmt::format("<span><i style=\"border-color:{}\"></i>{}</span>", line.colour,
                                xml_escape(line.label));
        }
    }
    if (spec.warmup) {
        html += "<span><i class=\"shade\"></i>warm-up, never judged (load.warmup and any transient found in "
                "the floor)</span>";
    }
    if (!spec.fits.empty()) {
        html += "<span><i class=\"bar\"></i>judged window</span><span><i class=\"dash\"></i>fitted growth of "
                "the post-GC floor</span>";
    }
    return html + "</div>";
}

} // namespace leakbisect
