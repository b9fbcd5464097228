#include "console.hpp"

#include "leakbisect/core/text.hpp"
#include "leakbisect/core/units.hpp"

#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>
#include <unistd.h>

namespace leakbisect {
namespace {

std::string_view colour_of(Verdict verdict) {
    switch (verdict) {
    case Verdict::plateau:
        return "\033[32m";
    case Verdict::leak:
        return "\033[31m";
    case Verdict::inconclusive:
        return "\033[33m";
    default:
        return "\033[90m";
    }
}

} // namespace

Console::Console()
    : out_(stdout), problems_(stderr),
      colour_(::isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr) {}

Console::Console(std::FILE* out, std::FILE* problems) : out_(out), problems_(problems), colour_(false) {}

std::string Console::paint(const std::string& text, std::string_view colour) const {
    return colour_ ? fmt::format("{}{}\033[0m", colour, text) : text;
}

void Console::line(const std::string& text) const {
    std::fputs((text + "\n").c_str(), out_);
    std::fflush(out_);
}

void Console::problem(const std::string& text) const {
    std::fputs(("leakbisect: " + text + "\n").c_str(), problems_);
    std::fflush(problems_);
}

void Console::probe_started(std::size_t index, std::size_t worst_case, RecordRole role,
                            const std::vector<std::string>& enabled) const {
    line(fmt::format("probe {} (of at most {}) {:<8} on: {}", index, worst_case, to_string(role),
                     enabled.empty() ? std::string("(none)") : fmt::format("{}", fmt::join(enabled, ","))));
}

void Console::probe_finished(const ProbeRecord& record) const {
    const std::string verdict = paint(fmt::format("{:<12}", to_string(record.judgement.verdict)),
                                      colour_of(record.judgement.verdict));
    if (!record.failure.empty()) {
        line(fmt::format("  -> {} {} ({:.1f}s)", verdict, record.failure, record.wall_seconds));
        return;
    }
    line(fmt::format("  -> {} {:>10}/request  [{}, {}]  {} -> {}  {} requests, {:.0f} req/s, {:.1f}s",
                     verdict, format_bytes(record.judgement.rate), format_bytes(record.judgement.rate_low),
                     format_bytes(record.judgement.rate_high), format_bytes(record.first_bytes),
                     format_bytes(record.last_bytes), record.requests, record.requests_per_second,
                     record.wall_seconds));
}

void Console::finding(const Finding& finding, std::size_t probes, double wall_seconds) const {
    const std::string_view colour = finding.kind == FindingKind::localized ? "\033[1;31m" : "\033[1m";
    line("");
    line(paint(finding.summary, colour));
    line(fmt::format("{} probes in {}", probes,
                     format_duration(Milliseconds{static_cast<std::int64_t>(wall_seconds * 1000)})));
}

} // namespace leakbisect
