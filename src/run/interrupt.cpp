#include "leakbisect/run/interrupt.hpp"

#include <csignal>

namespace leakbisect {
namespace {

std::atomic<bool> requested{false};

extern "C" void on_interrupt(int) {
    requested.store(true);
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
