#include "leakbisect/run/terminal.hpp"

#include <atomic>

namespace leakbisect {
namespace {

std::atomic<ProgressMode> chosen_mode{ProgressMode::automatic};

} // namespace

std::optional<ProgressMode> progress_mode_from_string(std::string_view text) {
    if (text == "auto") {
        return ProgressMode::automatic;
    }
    if (text == "live") {
        return ProgressMode::live;
    }
    if (text == "plain") {
        return ProgressMode::plain;
    }
    if (text == "none") {
        return ProgressMode::none;
    }
    return std::nullopt;
}

void set_progress_mode(ProgressMode mode) {
    chosen_mode.store(mode);
}

ProgressMode progress_mode() {
    return chosen_mode.load();
}

} // namespace leakbisect
