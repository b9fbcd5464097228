#include "console.hpp"

#include "leakbisect/core/text.hpp"
#include "leakbisect/core/units.hpp"
#include "run_folder.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>
#include <limits>
#include <sys/ioctl.h>
#include <unistd.h>

namespace leakbisect {
namespace {

// A plain progress line this often at most: an overnight log of minutes-long probes stays readable.
constexpr std::chrono::seconds kPlainProgressPeriod{30};

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

ProgressStyle style_of(ProgressMode mode, bool terminal) {
    switch (mode) {
    case ProgressMode::automatic:
        return terminal ? ProgressStyle::live : ProgressStyle::plain;
    case ProgressMode::live:
        return ProgressStyle::live;
    case ProgressMode::plain:
        return ProgressStyle::plain;
    case ProgressMode::none:
        return ProgressStyle::none;
    }
    return ProgressStyle::none;
}

// A live line must not wrap on a terminal: \r returns only to the start of the last screen row.
// Anything else (a file asked for live lines) has no width.
std::size_t terminal_columns(std::FILE* out) {
    winsize size{};
    if (::ioctl(::fileno(out), TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
        return size.ws_col;
    }
    return std::numeric_limits<std::size_t>::max();
}

std::string seconds_text(double seconds) {
    return format_duration(Milliseconds{static_cast<std::int64_t>(std::max(0.0, seconds) * 1000)});
}

} // namespace

Console::Console()
    : out_(stdout), problems_(stderr),
      colour_(::isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr),
      style_(style_of(progress_mode(), ::isatty(STDOUT_FILENO) == 1)) {}

Console::Console(std::FILE* out, std::FILE* problems)
    : out_(out), problems_(problems), colour_(false), style_(ProgressStyle::none) {}

Console::Console(std::FILE* out, std::FILE* problems, ProgressStyle progress)
    : out_(out), problems_(problems), colour_(false), style_(progress) {}

std::string Console::paint(const std::string& text, std::string_view colour) const {
    return colour_ ? fmt::format("{}{}\033[0m", colour, text) : text;
}

void Console::clear_live_line() const {
    if (live_line_shown_) {
        std::fputs("\r\033[K", out_);
        live_line_shown_ = false;
    }
}

void Console::line(const std::string& text) const {
    const std::scoped_lock lock(mutex_);
    clear_live_line();
    std::fputs((text + "\n").c_str(), out_);
    std::fflush(out_);
}

void Console::problem(const std::string& text) const {
    const std::scoped_lock lock(mutex_);
    clear_live_line();
    std::fflush(out_);
    std::fputs(("leakbisect: " + text + "\n").c_str(), problems_);
    std::fflush(problems_);
}

void Console::probe_started(std::size_t index, std::size_t worst_case, RecordRole role,
                            const std::string& chunks_on) const {
    {
        const std::scoped_lock lock(mutex_);
        probe_index_ = index;
        worst_case_ = worst_case;
        last_plain_ = Clock::now();
    }
    line(fmt::format("probe {} (of at most {}) {:<8} on: {}", index, worst_case, to_string(role), chunks_on));
}

void Console::probe_finished(const ProbeRecord& record) const {
    {
        const std::scoped_lock lock(mutex_);
        finished_seconds_ += record.wall_seconds;
        ++finished_probes_;
    }
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

std::string Console::progress_text(const ProbeProgress& progress) const {
    std::string text = fmt::format("{}", to_string(progress.phase));
    const bool loading = progress.phase != ProbePhase::booting;
    if (loading && progress.requests_planned > 0) {
        text += fmt::format(" {}/{} requests, {:.0f}/s", progress.requests_done, progress.requests_planned,
                            progress.requests_per_second);
    } else if (loading && progress.requests_done > 0) {
        text += fmt::format(" {} requests", progress.requests_done);
    }
    if (loading && progress.memory_bytes) {
        text += fmt::format(", memory {}", format_bytes(static_cast<double>(*progress.memory_bytes)));
        if (progress.trend) {
            text += fmt::format(" ({}{}/{})", *progress.trend >= 0 ? "+" : "", format_bytes(*progress.trend),
                                progress.axis == Axis::requests ? "request" : "s");
        }
    }
    text += fmt::format(", {}", seconds_text(progress.elapsed_seconds));
    // The run's end from the probes measured so far, against the worst case: an upper bound.
    if (finished_probes_ > 0 && worst_case_ > 0) {
        const double mean = finished_seconds_ / static_cast<double>(finished_probes_);
        const double left = std::max(0.0, mean - progress.elapsed_seconds) +
                            mean * static_cast<double>(worst_case_ - std::min(worst_case_, probe_index_));
        text += fmt::format("; run done in at most ~{}", seconds_text(left));
    }
    return text;
}

void Console::progress(const ProbeProgress& progress) const {
    if (style_ == ProgressStyle::none) {
        return;
    }
    const std::scoped_lock lock(mutex_);
    const std::string text = progress_text(progress);
    if (style_ == ProgressStyle::live) {
        const std::size_t columns = terminal_columns(out_);
        std::string shown = "  " + text;
        if (shown.size() >= columns) {
            shown.resize(columns - 1); // ASCII only: a byte is a column
        }
        std::fputs(("\r\033[K" + shown).c_str(), out_);
        std::fflush(out_);
        live_line_shown_ = true;
        return;
    }
    const auto now = Clock::now();
    if (progress.elapsed_seconds < static_cast<double>(kPlainProgressPeriod.count()) ||
        (last_plain_ && now - *last_plain_ < kPlainProgressPeriod)) {
        return;
    }
    last_plain_ = now;
    std::fputs(fmt::format("  [{}] {}\n", local_time_now("%H:%M:%S"), text).c_str(), out_);
    std::fflush(out_);
}

void Console::finding(const Finding& finding, std::size_t probes, double wall_seconds) const {
    const std::string_view colour = finding.kind == FindingKind::localized ? "\033[1;31m" : "\033[1m";
    line("");
    line(paint(finding.summary, colour));
    line(fmt::format("{} probes in {}", probes,
                     format_duration(Milliseconds{static_cast<std::int64_t>(wall_seconds * 1000)})));
}

} // namespace leakbisect
