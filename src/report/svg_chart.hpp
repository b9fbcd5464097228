// Memory curves as inline SVG with real axes: titles, "nice" tick labels and units, on a scale the
// caller may share between charts so probes compare by eye. Marks what the verdict used: the
// warm-up (shaded, never judged), the judged window and the fitted growth.
#pragma once

#include "leakbisect/verdict/trace.hpp"

#include <optional>
#include <string>
#include <vector>

namespace leakbisect {

enum class ChartAxis { requests, seconds }; // a load command's traces have no request counts

struct ChartScale {
    ChartAxis axis = ChartAxis::requests;
    double x_max = 1;
    double y_min = 0;
    double y_max = 1;
};

// Room for every trace, with the y range padded a little and at least 1 MiB tall.
ChartScale scale_for(const std::vector<const Trace*>& traces);

struct ChartLine {
    const Trace* trace = nullptr;
    std::string colour;
    std::string label; // in the legend; empty: none
    double width = 1.5;
};

// The judged window [start, end] of the axis and the fitted growth over it (bytes per unit).
struct ChartFit {
    const Trace* trace = nullptr; // where the line starts: its floor at `start`
    double start = 0;
    double end = 0;
    double rate = 0;
    std::string colour;
};

struct ChartSpec {
    int width = 360;
    int height = 200;
    std::string y_title;          // "memory (rss of the process tree)"
    std::optional<double> warmup; // shaded from 0 to here
    std::vector<ChartLine> lines; // drawn in order: the reference first, underneath
    std::vector<ChartFit> fits;   // dashed fitted lines with their judged windows
};

// The lines' labels with their colours, and the marks, as an HTML row under a chart.
std::string chart_legend(const ChartSpec& spec);

std::string chart_svg(const ChartSpec& spec, const ChartScale& scale);

// x of a sample on the chart's axis.
double axis_value(const MemorySample& sample, ChartAxis axis);

} // namespace leakbisect
