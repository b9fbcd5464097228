// One probe: boot a fresh app with a set of chunks on, drive the load while sampling its memory,
// judging at each look and extending the load on the same process while the verdict is unclear,
// then stop it. `ProbeRunner` is the seam between the orchestration (which probe, in which
// folder, journaled when) and the processes: `AppProbeRunner` runs the real app; the tests script one.
#pragma once

#include "leakbisect/journal/journal.hpp"
#include "leakbisect/recipe/plan.hpp"
#include "leakbisect/recipe/recipe.hpp"
#include "leakbisect/verdict/trace.hpp"
#include "probe_progress.hpp"

#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>

namespace leakbisect {

struct ProbeContext {
    const Recipe* recipe = nullptr;
    std::filesystem::path run_dir;
    std::filesystem::path probe_dir; // empty and existing; the runner writes memory.csv there
    ChunkSet enabled;                // every chunk on, sub-chunks included
    const std::atomic<bool>* cancel = nullptr;
    std::function<void(const std::string&)> say; // progress notes ("boot failed, retrying")
    const Trace* reference = nullptr;            // the baseline's trace: growth is judged relative to it
    bool is_reference = false; // this is the baseline: a curve that grows is recorded longer
    ProgressReport progress;   // a few times a second from another thread while the probe runs; may be empty
};

struct ProbeOutcome {
    ProbeRecord record; // everything but index, role, page and directory, which the caller knows
    Trace trace;
    bool interrupted = false; // the user stopped it: the record must not be journaled
    // memory.csv or load.json could not be written (a full disk): the record must not be journaled,
    // the run ends and resumes at this probe once the file system takes writes again
    std::optional<Error> write_failure;
};

class ProbeRunner {
  public:
    virtual ~ProbeRunner() = default;
    // Never throws for trouble with the app or the network: that is a SKIPPED or INVALID record.
    virtual ProbeOutcome run(const ProbeContext& context) = 0;
};

// Retries a boot or a crash; writes app.log, memory.csv and load.json into the probe's folder.
class AppProbeRunner final : public ProbeRunner {
  public:
    ProbeOutcome run(const ProbeContext& context) override;
};

// The verdict options a recipe implies for its load: requests on the x axis, or seconds for a
// load command, whose warm-up is then the share warmup/requests of the trace's time.
VerdictOptions verdict_options(const Recipe& recipe, const Trace& trace);

} // namespace leakbisect
