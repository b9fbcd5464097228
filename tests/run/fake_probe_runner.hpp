// A scripted probe runner for the run module's tests: each probe's verdict is made up from the
// probe's context (which chunks are on, which page is the load), its trace is a few samples
// written to memory.csv as the real runner writes it, and every call is logged. Hooks run inside
// a probe, where a test looks at the journal or presses Ctrl-C. No process, no socket.
#pragma once

#include "leakbisect/core/files.hpp"
#include "leakbisect/journal/journal.hpp"
#include "orchestrator.hpp"
#include "probe_runner.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <unistd.h>
#include <vector>

namespace run_test {

using namespace leakbisect;

using Script = std::function<Verdict(const ProbeContext& context)>;

// LEAK exactly when every one of `needed` is on; PLATEAU otherwise.
inline Script leaks_with(std::vector<std::string> needed) {
    return [needed = std::move(needed)](const ProbeContext& context) {
        for (const std::string& name : needed) {
            if (context.enabled.count(name) == 0) {
                return Verdict::plateau;
            }
        }
        return Verdict::leak;
    };
}

inline Script always(Verdict verdict) {
    return [verdict](const ProbeContext&) { return verdict; };
}

struct Call {
    ChunkSet enabled;
    std::filesystem::path probe_dir;
    std::string page; // the load's first request, "GET /a"
    bool judged_against_reference = false;
};

class FakeProbeRunner final : public ProbeRunner {
  public:
    explicit FakeProbeRunner(Script script) : script_(std::move(script)) {}

    // Runs inside probe number `call` (1-based), before its outcome is made.
    std::function<void(std::size_t call, const ProbeContext& context)> during_probe;
    // The user stops this probe (1-based): the outcome is interrupted, the Ctrl-C flag is up.
    std::optional<std::size_t> interrupted_probe;
    std::atomic<bool>* interrupt_flag = nullptr;
    // What each page answered, as the real runner's fingerprints ("200 5123 1f0c..."); none by default.
    std::function<std::vector<std::string>(const ProbeContext& context)> answers;

    std::vector<Call> calls;

    ProbeOutcome run(const ProbeContext& context) override {
        const LoadRequest& page = context.recipe->load.mix.front();
        calls.push_back({context.enabled, context.probe_dir, page.method + " " + page.path,
                         context.reference != nullptr});
        if (during_probe) {
            during_probe(calls.size(), context);
        }
        ProbeOutcome outcome;
        if (interrupted_probe == calls.size()) {
            if (interrupt_flag != nullptr) {
                interrupt_flag->store(true);
            }
            outcome.interrupted = true;
            return outcome;
        }
        const Verdict verdict = script_(context);
        const bool grows = verdict == Verdict::leak;
        for (std::uint64_t requests = 0; requests <= 3000; requests += 500) {
            const std::int64_t bytes = (50 << 20) + (grows ? static_cast<std::int64_t>(requests) * 1000 : 0);
            outcome.trace.push_back({static_cast<double>(requests) / 1000, requests, bytes, 1});
        }
        REQUIRE(write_text_file(context.probe_dir / "memory.csv", trace_to_csv(outcome.trace)).has_value());
        ProbeRecord& record = outcome.record;
        record.enabled.assign(context.enabled.begin(), context.enabled.end());
        record.judgement.verdict = verdict;
        record.judgement.rate = grows ? 1000 : 0;
        record.judgement.reason = "scripted";
        record.failure = verdict == Verdict::skipped ? "after 3 attempts: the app exited with status 1" : "";
        record.requests = verdict == Verdict::skipped ? 0 : 3000;
        record.wall_seconds = 0.001;
        if (answers && verdict != Verdict::skipped) {
            record.responses = answers(context);
        }
        return outcome;
    }

  private:
    Script script_;
};

// A console writing to a temporary file, read back by the test.
class CapturedConsole {
  public:
    CapturedConsole() : file_(std::tmpfile()), console_(file_, file_) {}
    ~CapturedConsole() { std::fclose(file_); }
    CapturedConsole(const CapturedConsole&) = delete;
    CapturedConsole& operator=(const CapturedConsole&) = delete;

    const Console& console() const { return console_; }
    std::string text() const {
        std::fflush(file_);
        std::rewind(file_);
        std::string all;
        char buffer[4096];
        while (const std::size_t read = std::fread(buffer, 1, sizeof(buffer), file_)) {
            all.append(buffer, read);
        }
        return all;
    }

  private:
    std::FILE* file_;
    Console console_;
};

// What a command under test gets: the runner, a captured console and the test's own Ctrl-C flag.
struct Fixture {
    std::atomic<bool> interrupt{false};
    CapturedConsole output;

    Probing probing(FakeProbeRunner& runner) {
        runner.interrupt_flag = &interrupt;
        return Probing{runner, output.console(), interrupt};
    }
};

// A scratch folder with a recipe of six chunks (the third with two sub-chunks) and two pages;
// the app is never started.
class Scratch {
  public:
    explicit Scratch(const std::string& extra_recipe = "") {
        static int counter = 0;
        dir_ = std::filesystem::temp_directory_path() /
               ("leakbisect-run-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        std::string recipe = R"(name = "fake shop"
[app]
command = ["./never-started"]
ready = { tcp = true }
[load]
requests = 3000
[[load.request]]
path = "/a"
[[load.request]]
path = "/b"
[[chunk]]
name = "c1"
[[chunk]]
name = "c2"
[[chunk]]
name = "c3"
[[chunk]]
name = "c3.x"
[[chunk]]
name = "c3.y"
[[chunk]]
name = "c4"
[[chunk]]
name = "c5"
[[chunk]]
name = "c6"
[report]
formats = ["json", "markdown"]
)";
        REQUIRE(write_text_file(recipe_file(), recipe + extra_recipe).has_value());
    }
    ~Scratch() {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;

    std::filesystem::path recipe_file() const { return dir_ / "recipe.toml"; }
    std::filesystem::path runs() const { return dir_ / "runs"; }
    RunOptions options(std::optional<Strategy> strategy = std::nullopt) const {
        return {recipe_file(), runs(), strategy};
    }
    // The one run folder under runs/.
    std::filesystem::path run_folder() const {
        std::vector<std::filesystem::path> folders;
        for (const auto& entry : std::filesystem::directory_iterator(runs())) {
            folders.push_back(entry.path());
        }
        REQUIRE(folders.size() == 1);
        return folders.front();
    }
    std::vector<ProbeRecord> journal() const {
        const auto file = run_folder() / "journal.jsonl";
        if (!std::filesystem::exists(file)) {
            return {};
        }
        auto records = read_journal(file);
        REQUIRE(records.has_value());
        return std::move(records.value());
    }
    std::vector<RecordRole> roles() const {
        std::vector<RecordRole> all;
        for (const ProbeRecord& record : journal()) {
            all.push_back(record.role);
        }
        return all;
    }

  private:
    std::filesystem::path dir_;
};

} // namespace run_test
