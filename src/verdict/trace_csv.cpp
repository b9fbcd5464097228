#include "leakbisect/verdict/trace.hpp"

#include "leakbisect/core/files.hpp"

#include <charconv>
#include <cmath>
#include <fmt/format.h>

namespace leakbisect {
namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
        text.remove_suffix(1);
    }
    return text;
}

std::vector<std::string_view> split_fields(std::string_view line) {
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = line.find(',', start);
        fields.push_back(trim(line.substr(start, comma - start)));
        if (comma == std::string_view::npos) {
            return fields;
        }
        start = comma + 1;
    }
}

constexpr double kMostTraceRequests = 1e15;
constexpr double kMostTraceBytes = 1e18; // below 2^63
constexpr double kMostTraceProcesses = 1e6;

bool parse_number(std::string_view field, double& out) {
    const std::string copy(field);
    char* end = nullptr;
    out = std::strtod(copy.c_str(), &end);
    return !copy.empty() && end == copy.c_str() + copy.size() && std::isfinite(out);
}

} // namespace

std::string trace_to_csv(const Trace& trace) {
    std::string text = "seconds,requests,bytes,processes\n";
    for (const MemorySample& sample : trace) {
        text +=
            fmt::format("{:.3f},{},{},{}\n", sample.seconds, sample.requests, sample.bytes, sample.processes);
    }
    return text;
}

Expected<Trace> parse_trace_csv(std::string_view text, const std::string& source_name) {
    Trace trace;
    std::size_t line_number = 0;
    std::size_t position = 0;
    while (position < text.size()) {
        const std::size_t newline = text.find('\n', position);
        const std::string_view line = trim(text.substr(position, newline - position));
        position = newline == std::string_view::npos ? text.size() : newline + 1;
        ++line_number;
        const std::string where = fmt::format("{}:{}", source_name, line_number);
        if (line.empty() || line.front() == '#') {
            continue;
        }
        const std::vector<std::string_view> fields = split_fields(line);
        double values[3] = {};
        bool numeric = fields.size() >= 3;
        for (std::size_t i = 0; numeric && i < 3; ++i) {
            numeric = parse_number(fields[i], values[i]);
        }
        if (!numeric) {
            if (trace.empty() && line_number == 1 && fields.size() >= 3) {
                continue; // a header line
            }
            return make_error(ErrorKind::bad_input, where,
                              fmt::format("expected three numbers 'seconds,requests,bytes', got '{}'", line));
        }
        if (values[0] < 0 || values[1] < 0) {
            return make_error(ErrorKind::bad_input, where, "seconds and requests cannot be negative");
        }
        // Past these the conversions below would overflow (found by fuzzing): no real trace is near.
        if (values[1] > kMostTraceRequests || std::fabs(values[2]) > kMostTraceBytes) {
            return make_error(ErrorKind::bad_input, where,
                              fmt::format("requests above {:g} or bytes beyond ±{:g} are not a memory trace",
                                          kMostTraceRequests, kMostTraceBytes));
        }
        MemorySample sample{values[0], static_cast<std::uint64_t>(std::llround(values[1])),
                            static_cast<std::int64_t>(std::llround(values[2])), 0};
        if (fields.size() >= 4) {
            double processes = 0;
            if (parse_number(fields[3], processes) && processes >= 0 && processes <= kMostTraceProcesses) {
                sample.processes = static_cast<unsigned>(processes);
            }
        }
        if (!trace.empty() && sample.seconds < trace.back().seconds) {
            return make_error(ErrorKind::bad_input, where,
                              fmt::format("time goes backwards ({} after {}); samples must be in time order",
                                          sample.seconds, trace.back().seconds));
        }
        if (!trace.empty() && sample.requests < trace.back().requests) {
            return make_error(
                ErrorKind::bad_input, where,
                fmt::format("requests go backwards ({} after {}); the count must never decrease",
                            sample.requests, trace.back().requests));
        }
        trace.push_back(sample);
    }
    if (trace.empty()) {
        return make_error(ErrorKind::bad_input, source_name, "the trace holds no samples");
    }
    return trace;
}

Expected<Trace> read_trace_csv(const std::filesystem::path& file) {
    const auto content = read_text_file(file, ErrorKind::bad_input);
    if (!content) {
        return content.error();
    }
    return parse_trace_csv(*content, file.string());
}

} // namespace leakbisect
