// The console's progress: rewritten in place in live style, a timestamped line at most every 30 s
// in plain style, and the trend and the LiveProbe's phases as a user reads them.
#include "console.hpp"
#include "probe_progress.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

using namespace leakbisect;

namespace {

// What the console wrote into a temporary file.
class Capture {
  public:
    Capture() : file_(std::tmpfile()) {}
    ~Capture() { std::fclose(file_); }
    Capture(const Capture&) = delete;
    Capture& operator=(const Capture&) = delete;
    std::FILE* file() const { return file_; }
    std::string text() const {
        std::fflush(file_);
        std::rewind(file_);
        std::string text;
        for (int c = std::fgetc(file_); c != EOF; c = std::fgetc(file_)) {
            text += static_cast<char>(c);
        }
        return text;
    }

  private:
    std::FILE* file_;
};

ProbeProgress loading(double elapsed_seconds) {
    ProbeProgress progress;
    progress.phase = ProbePhase::load;
    progress.requests_done = 1200;
    progress.requests_planned = 3000;
    progress.requests_per_second = 400;
    progress.elapsed_seconds = elapsed_seconds;
    progress.memory_bytes = 20 * 1024 * 1024;
    progress.trend = 2048;
    return progress;
}

} // namespace

TEST_CASE("the live progress line is rewritten in place and cleared before the next line") {
    const Capture out;
    const Capture problems;
    const Console console(out.file(), problems.file(), ProgressStyle::live);
    console.progress(loading(1));
    console.progress(loading(2));
    console.line("next");
    const std::string text = out.text();
    REQUIRE_THAT(text, Catch::StartsWith("\r\033[K  load 1200/3000 requests, 400/s, memory 20.0 MiB "
                                         "(+2.0 KiB/request), 1.0s\r\033[K  load"));
    REQUIRE_THAT(text, Catch::EndsWith("2.0s\r\033[Knext\n"));
}

TEST_CASE("plain progress is a timestamped line at most every 30 seconds, never rewritten") {
    const Capture out;
    const Capture problems;
    const Console console(out.file(), problems.file(), ProgressStyle::plain);
    console.progress(loading(5)); // too early in the probe
    console.progress(loading(31));
    console.progress(loading(32)); // too soon after the last
    const std::string text = out.text();
    INFO(text);
    REQUIRE(text.find('\r') == std::string::npos);
    REQUIRE(text.find("  [") == 0);
    REQUIRE(text.find("] load 1200/3000 requests") != std::string::npos);
    REQUIRE(std::count(text.begin(), text.end(), '\n') == 1);
}

TEST_CASE("no progress style prints nothing") {
    const Capture out;
    const Capture problems;
    const Console console(out.file(), problems.file());
    console.progress(loading(100));
    REQUIRE(out.text().empty());
}

TEST_CASE("after a finished probe the live line says when the run ends at the latest") {
    const Capture out;
    const Capture problems;
    const Console console(out.file(), problems.file(), ProgressStyle::live);
    console.probe_started(1, 4, RecordRole::baseline, "none");
    ProbeRecord record;
    record.wall_seconds = 10;
    console.probe_finished(record);
    console.probe_started(2, 4, RecordRole::all_on, "all 1");
    console.progress(loading(4));
    // 6 s left of this probe's mean, then at most 2 more probes of 10 s.
    REQUIRE_THAT(out.text(), Catch::Contains("4.0s; run done in at most ~26.0s"));
}

TEST_CASE("a live probe's phase follows its looks and its trend is the slope past the warm-up") {
    LiveProbe live(Axis::requests, 100);
    REQUIRE(live.snapshot().phase == ProbePhase::booting);
    live.set_planned(1500, 3000);
    live.add_sample(0.1, 50, 1000);
    REQUIRE(live.snapshot().phase == ProbePhase::warmup);
    REQUIRE(live.snapshot().requests_planned == 3000);
    for (std::uint64_t requests = 100; requests <= 1000; requests += 100) {
        live.add_sample(0.2, requests, 5000 + 3 * requests);
    }
    const ProbeProgress progress = live.snapshot();
    REQUIRE(progress.phase == ProbePhase::load);
    REQUIRE(progress.memory_bytes == 8000U);
    REQUIRE(progress.trend);
    REQUIRE(*progress.trend == Approx(3.0));
    live.set_planned(6000, 3000);
    REQUIRE(live.snapshot().phase == ProbePhase::extending);
    REQUIRE(live.snapshot().requests_planned == 6000);
    live.set_phase(ProbePhase::stopping);
    REQUIRE(live.snapshot().phase == ProbePhase::stopping);
    live.begin_attempt();
    REQUIRE(live.snapshot().phase == ProbePhase::booting);
    REQUIRE_FALSE(live.snapshot().trend);
}
