// What the commands need from the outside world to run probes — the runner, the console and the
// Ctrl-C flag — and the one way a probe is run and recorded. The tests pass a scripted runner,
// a console on a file and their own flag.
#pragma once

#include "console.hpp"
#include "leakbisect/journal/journal.hpp"
#include "leakbisect/recipe/plan.hpp"
#include "leakbisect/recipe/recipe.hpp"
#include "leakbisect/verdict/trace.hpp"
#include "probe_runner.hpp"
#include "session.hpp"

#include <atomic>

namespace leakbisect {

struct Probing {
    ProbeRunner& runner;
    const Console& console;
    const std::atomic<bool>& interrupt; // Ctrl-C: every long step polls it
};

struct PlannedProbe {
    RecordRole role = RecordRole::measure;
    ChunkSet enabled;                       // every chunk on, sub-chunks included
    const Trace* reference = nullptr;       // the baseline's trace, once it plateaued
    const LoadRequest* only_page = nullptr; // survey: this page is the whole load
};

enum class ProbeEnd {
    journaled,    // on disk, printed, and appended to the session's records
    interrupted,  // the user stopped it: nothing journaled, the run folder resumes before it
    write_failed, // its files or its journal line could not be written (a full disk): the problem
                  // is printed, nothing is journaled, the command ends with kExitInternal
};

// "GET /orders/42": a survey's page as its record and the console name it.
std::string page_label(const LoadRequest& page);

// Runs one probe into a fresh probes/NNN-role folder (NNN: the next index), stamps its record
// with index, role, page and folder, and journals it (fsynced) before anything else happens —
// but only once its files are durably on disk, so a journaled probe always has its curve.
ProbeEnd run_and_record(RunSession& session, const Probing& probing, const PlannedProbe& probe);

} // namespace leakbisect
