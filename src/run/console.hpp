// What a run prints while it works: a line per probe, its live progress and a summary, coloured
// only on a terminal without NO_COLOR. On a terminal the progress is one line rewritten in place;
// in a log or a pipe it is a timestamped line every 30 s, so an overnight log stays plain text.
#pragma once

#include "leakbisect/journal/journal.hpp"
#include "leakbisect/run/terminal.hpp"
#include "leakbisect/search/search.hpp"
#include "probe_progress.hpp"

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace leakbisect {

enum class ProgressStyle { none, live, plain };

class Console {
  public:
    Console();                                    // stdout and stderr; progress as progress_mode() says
    Console(std::FILE* out, std::FILE* problems); // never coloured, no progress: for tests
    Console(std::FILE* out, std::FILE* problems, ProgressStyle progress); // for tests of the progress

    void line(const std::string& text) const;    // stdout
    void problem(const std::string& text) const; // stderr, "leakbisect: " prefixed
    // `chunks_on`: what runs, in the fewest words against the baseline ("first 4 of 9").
    void probe_started(std::size_t index, std::size_t worst_case, RecordRole role,
                       const std::string& chunks_on) const;
    void probe_finished(const ProbeRecord& record) const;
    // Safe from any thread; rewrites the live line, or prints a plain one when 30 s have passed.
    void progress(const ProbeProgress& progress) const;
    void finding(const Finding& finding, std::size_t probes, double wall_seconds) const;

  private:
    using Clock = std::chrono::steady_clock;
    std::string paint(const std::string& text, std::string_view colour) const;
    std::string progress_text(const ProbeProgress& progress) const; // under mutex_
    void clear_live_line() const;                                   // under mutex_

    std::FILE* out_;
    std::FILE* problems_;
    bool colour_;
    ProgressStyle style_;
    // The progress ticker writes from the probe's thread while the run writes from its own.
    mutable std::mutex mutex_;
    mutable bool live_line_shown_ = false;
    mutable std::optional<Clock::time_point> last_plain_;
    mutable std::size_t probe_index_ = 0;
    mutable std::size_t worst_case_ = 0;
    mutable double finished_seconds_ = 0; // wall time of the probes this process ran
    mutable std::size_t finished_probes_ = 0;
};

} // namespace leakbisect
