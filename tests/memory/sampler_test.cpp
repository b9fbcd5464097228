#include "leakbisect/memory/sampler.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstring>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace leakbisect;

namespace {

constexpr std::size_t kChildBytes = 64 * 1024 * 1024;

// A child that touches 64 MiB and waits to be killed.
pid_t spawn_allocating_child() {
    const pid_t pid = ::fork();
    if (pid == 0) {
        auto* block = static_cast<char*>(std::malloc(kChildBytes));
        std::memset(block, 1, kChildBytes);
        static char* volatile keep = block; // the optimizer must not drop the allocation
        (void)keep;
        ::pause();
        ::_exit(0);
    }
    return pid;
}

} // namespace

TEST_CASE("the main process's memory is read in every metric") {
    for (const MemoryMetric metric : {MemoryMetric::rss, MemoryMetric::pss, MemoryMetric::uss}) {
        const auto memory = MemorySampler(::getpid(), MemoryScope::main, metric).sample();
        REQUIRE(memory.has_value());
        // A small test program's private memory (USS) can be well under 1 MiB; RSS never is.
        REQUIRE(memory->bytes > (metric == MemoryMetric::rss ? 1024 * 1024 : 64 * 1024));
        REQUIRE(memory->processes == 1);
    }
}

TEST_CASE("the tree scope adds every descendant, the main scope does not") {
    const pid_t child = spawn_allocating_child();
    REQUIRE(child > 0);
    std::optional<TreeMemory> tree;
    for (int i = 0; i < 250; ++i) { // until the child has touched its memory
        const auto own = process_memory(child, MemoryMetric::rss);
        if (own && *own >= static_cast<std::int64_t>(kChildBytes)) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    tree = MemorySampler(::getpid(), MemoryScope::tree, MemoryMetric::rss).sample();
    const auto main_only = MemorySampler(::getpid(), MemoryScope::main, MemoryMetric::rss).sample();
    const std::vector<pid_t> descendants = descendants_of(::getpid());
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);

    REQUIRE(std::find(descendants.begin(), descendants.end(), child) != descendants.end());
    REQUIRE(tree->processes >= 2);
    REQUIRE(tree->bytes - main_only->bytes >= static_cast<std::int64_t>(kChildBytes * 9 / 10));
}

TEST_CASE("a process that has gone samples as nothing") {
    const pid_t child = ::fork();
    if (child == 0) {
        ::_exit(0);
    }
    ::waitpid(child, nullptr, 0);
    REQUIRE_FALSE(MemorySampler(child, MemoryScope::tree, MemoryMetric::rss).sample().has_value());
    REQUIRE_FALSE(process_memory(child, MemoryMetric::pss).has_value());
}
