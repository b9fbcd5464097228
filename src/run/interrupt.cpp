#include "leakbisect/run/interrupt.hpp"

#include <csignal>

namespace leakbisect {
namespace {

std::atomic<bool> requested{false};
std::atomic<bool> escalated{false};

extern "C" void on_interrupt(int) {
    // Async-signal-safe: lock-free atomics only. The second signal cuts the app's stop grace short.
    if (requested.exchange(true)) {
        escalated.store(true);
    }
}

} // namespace

void install_interrupt_handlers() {
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    for (const int signal : {SIGINT, SIGTERM, SIGHUP}) {
        ::sigaction(signal, &action, nullptr);
    }
}

const std::atomic<bool>& interrupt_requested() {
    return requested;
}

} // namespace leakbisect

namespace leakbisect {

const std::atomic<bool>& interrupt_escalated() {
    return escalated;
}

} // namespace leakbisect
