#include "probing.hpp"

#include "run_folder.hpp"

#include <fmt/format.h>
#include <optional>

namespace leakbisect {

namespace {

// A write failed mid-probe: what failed, and that the journal still ends at the last whole probe.
// `measure` and `survey` do not resume: they are run again.
std::string written_nothing(const RunSession& session, RecordRole role, const Error& error) {
    const bool resumes = role != RecordRole::measure && role != RecordRole::survey;
    return fmt::format("{}\nthis probe is not journaled; the journal holds the {} probes before it; free "
                       "space, then {}",
                       to_string(error), session.records.size(),
                       resumes ? "continue with: leakbisect resume " + session.run_dir.string()
                               : "run the command again");
}

} // namespace

std::string page_label(const LoadRequest& page) {
    return page.method + " " + page.path;
}

ProbeEnd run_and_record(RunSession& session, const Probing& probing, const PlannedProbe& probe) {
    const std::size_t index = session.records.size() + 1;
    const std::string directory = probe_folder_name(index, to_string(probe.role));
    const std::filesystem::path probe_dir = session.run_dir / directory;
    std::error_code failure;
    std::filesystem::remove_all(probe_dir, failure); // an interrupted, unjournaled attempt at this probe
    std::filesystem::create_directories(probe_dir, failure);
    if (failure) {
        probing.console.problem(
            written_nothing(session, probe.role,
                            make_error(ErrorKind::io, probe_dir.string(),
                                       "cannot create the probe's folder: " + failure.message())));
        return ProbeEnd::write_failed;
    }

    std::optional<Recipe> one_page;
    if (probe.only_page != nullptr) {
        one_page = session.recipe;
        one_page->load.mix = {*probe.only_page};
    }
    ProbeContext context;
    context.recipe = one_page ? &*one_page : &session.recipe;
    context.run_dir = session.run_dir;
    context.probe_dir = probe_dir;
    context.enabled = probe.enabled;
    context.cancel = &probing.interrupt;
    context.say = [&probing](const std::string& note) { probing.console.line("  " + note); };
    context.reference = probe.reference;
    // `measure --none` is the run's baseline probe on its own, and is measured as `run` measures it.
    context.is_reference =
        probe.role == RecordRole::baseline || (probe.role == RecordRole::measure && probe.enabled.empty());
    context.progress = [&probing](const ProbeProgress& progress) { probing.console.progress(progress); };
    ProbeOutcome outcome = probing.runner.run(context);
    if (outcome.interrupted) {
        return ProbeEnd::interrupted;
    }
    if (outcome.write_failure) {
        probing.console.problem(written_nothing(session, probe.role, *outcome.write_failure));
        return ProbeEnd::write_failed;
    }

    ProbeRecord record = std::move(outcome.record);
    record.index = index;
    record.role = probe.role;
    record.directory = directory;
    if (probe.only_page != nullptr) {
        record.page = page_label(*probe.only_page);
    }
    // Nothing is lost: the result is on disk before the next probe starts.
    if (const Status journaled = append_to_journal(session.run_dir / kJournalName, record); !journaled) {
        probing.console.problem(written_nothing(session, probe.role, journaled.error()));
        return ProbeEnd::write_failed;
    }
    probing.console.probe_finished(record);
    session.records.push_back(std::move(record));
    return ProbeEnd::journaled;
}

} // namespace leakbisect
