// How the commands show a probe's progress: one line rewritten in place on a terminal, timestamped
// plain lines in a log or a pipe, or nothing. One setting per process, like NO_COLOR: the command
// line sets it once before a command runs.
#pragma once

#include <optional>
#include <string_view>

namespace leakbisect {

enum class ProgressMode {
    automatic, // live on a terminal, plain lines otherwise
    live,      // one line rewritten in place (\r), even into a pipe
    plain,     // a timestamped line every 30 s of a probe
    none,      // only the probe lines and the finding
};

std::optional<ProgressMode> progress_mode_from_string(std::string_view text); // "auto", "live", ...
void set_progress_mode(ProgressMode mode);
ProgressMode progress_mode();

} // namespace leakbisect
