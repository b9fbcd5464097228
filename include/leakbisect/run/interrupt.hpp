// Ctrl-C and SIGTERM become a flag that every long step polls, so the app is stopped and
// reaped and the run folder stays resumable, instead of the process dying mid-probe.
#pragma once

#include <atomic>

namespace leakbisect {

void install_interrupt_handlers();
const std::atomic<bool>& interrupt_requested();
// True from the second Ctrl-C (or SIGTERM/SIGHUP) on: stop the app with SIGKILL at once instead
// of waiting out its stop grace.
const std::atomic<bool>& interrupt_escalated();

} // namespace leakbisect
