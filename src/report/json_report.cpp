#include "leakbisect/report/report.hpp"

#include "leakbisect/journal/json_number.hpp"
#include "leakbisect/report/json_text.hpp"
#include "leakbisect/report/probe_label.hpp"
#include "report_text.hpp"

#include <boost/json.hpp>
#include <ctime>
#include <iomanip>
#include <sstream>

namespace leakbisect {

namespace json = boost::json;

namespace {

// docs/report-schema.md: a new field keeps the version; a removed, renamed or redefined one bumps it.
constexpr int kSchemaVersion = 1;

constexpr const char* kLocalTimeFormat = "%Y-%m-%dT%H:%M:%S"; // as the journal records started_at

// A journal time plus some seconds, in the same local form; null when the time does not parse.
json::value local_time_after(const std::string& local_time, double seconds) {
    std::tm parsed{};
    std::istringstream input(local_time);
    input >> std::get_time(&parsed, kLocalTimeFormat);
    if (input.fail()) {
        return nullptr;
    }
    parsed.tm_isdst = -1; // let mktime find out, as the time was written in local time
    const std::time_t start = std::mktime(&parsed);
    if (start == static_cast<std::time_t>(-1)) {
        return nullptr;
    }
    const std::time_t end = start + static_cast<std::time_t>(std::llround(seconds));
    std::tm local{};
    localtime_r(&end, &local);
    char text[32];
    std::strftime(text, sizeof(text), kLocalTimeFormat, &local);
    return json::value(text);
}

// The same local form sorts as text in time order; null sorts before any time.
bool earlier(const json::value& a, const json::value& b) {
    return b.is_string() && (!a.is_string() || a.as_string() < b.as_string());
}

// What every report.json opens with: which schema and tool wrote it, and when its probes ran
// (from the journal, so a re-rendered report keeps them): the earliest start and the latest end,
// whatever order the probes are listed in (a survey ranks them).
json::object with_header(const std::vector<ProbeRecord>& probes, const json::object& body) {
    json::value started = nullptr;
    json::value finished = nullptr;
    for (const ProbeRecord& probe : probes) {
        const json::value start = local_time_after(probe.started_at, 0);
        const json::value end = local_time_after(probe.started_at, probe.wall_seconds);
        if (start.is_string() && (started.is_null() || earlier(start, started))) {
            started = start;
        }
        if (earlier(finished, end)) {
            finished = end;
        }
    }
    json::object root{{"schema_version", kSchemaVersion},
                      {"tool_version", LEAKBISECT_VERSION},
                      {"started_at", started},
                      {"finished_at", finished}};
    for (const json::key_value_pair& member : body) {
        root.emplace(member.key(), member.value());
    }
    return root;
}

json::object commit_json(const CommitLine& commit) {
    return json::object{
        {"hash", commit.hash}, {"subject", commit.subject}, {"author", commit.author}, {"date", commit.date}};
}

// Commit-range mode: the range and the commit(s) the finding names.
json::object revisions_json(const RevisionsReport& revisions) {
    json::array guilty;
    for (const CommitLine& commit : revisions.guilty) {
        guilty.push_back(commit_json(commit));
    }
    json::object result{{"good", commit_json(revisions.good)},
                        {"bad", commit_json(revisions.bad)},
                        {"commits_searched", revisions.commits},
                        {"commits", guilty}};
    if (!revisions.diffstat.empty()) {
        result["diffstat"] = revisions.diffstat;
        result["bytes_per_request_before"] = revisions.rate_before;
        result["bytes_per_request_at"] = revisions.rate_after;
    }
    return result;
}

json::object evidence_json(const ConfigurationEvidence& evidence) {
    return json::object{
        {"chunks_on", json::value_from(evidence.enabled)},
        {"verdict", to_string(evidence.verdict)},
        {"leak_runs", evidence.leaks},
        {"plateau_runs", evidence.plateaus},
        {"undecided_runs", evidence.undecided_runs},
        {"pooled_bytes_per_request", finite_or_null(evidence.pooled_rate)},
    };
}

json::array rechecks_json(const std::vector<Recheck>& rechecks) {
    json::array array;
    for (const Recheck& recheck : rechecks) {
        array.push_back(json::object{{"chunks_on", json::value_from(recheck.enabled)},
                                     {"expected", to_string(recheck.expected)},
                                     {"observed", to_string(recheck.observed)},
                                     {"held", recheck.expected == recheck.observed}});
    }
    return array;
}

// The chunks the search left off because enabling them crashed the app, and the evidence.
json::array left_off_json(const std::vector<LeftOff>& left_off) {
    json::array array;
    for (const LeftOff& chunk : left_off) {
        array.push_back(json::object{{"chunk", chunk.chunk},
                                     {"reason", "crash"},
                                     {"crashed_with", json::value_from(chunk.crashed_with)},
                                     {"ran_with", json::value_from(chunk.last_ran_with)},
                                     {"failure", chunk.failure}});
    }
    return array;
}

json::object probe_json(const ProbeRecord& probe, const std::vector<std::string>& chunks) {
    json::object object{
        {"index", probe.index},
        {"role", to_string(probe.role)},
        {"label", describe_enabled(probe.enabled, chunks)},
        {"chunks_on", json::value_from(probe.enabled)},
        {"verdict", to_string(probe.judgement.verdict)},
        {"bytes_per_request", finite_or_null(probe.judgement.rate)},
        {"interval",
         json::array{finite_or_null(probe.judgement.rate_low), finite_or_null(probe.judgement.rate_high)}},
        {"confidence", probe.judgement.confidence},
        {"reason", probe.failure.empty() ? probe.judgement.reason : probe.failure},
        {"requests", probe.requests},
        {"looks", probe.looks},
        {"failed_requests", probe.failed_requests},
        {"wall_seconds", probe.wall_seconds},
        {"attempts", probe.attempts},
        {"memory_first_bytes", probe.first_bytes},
        {"memory_last_bytes", probe.last_bytes},
        {"processes", probe.processes},
        {"directory", probe.directory},
    };
    if (!probe.page.empty()) {
        object["page"] = probe.page;
    }
    if (!probe.cgroup.empty()) {
        object["cgroup"] = probe.cgroup;
        object["cgroup_version"] = probe.cgroup_version;
    }
    return object;
}

} // namespace

std::string render_json(const RunReport& report) {
    json::array probes;
    double wall_seconds = 0;
    for (const ProbeRecord& probe : report.probes) {
        probes.push_back(probe_json(probe, chunk_names(report)));
        wall_seconds += probe.wall_seconds;
    }
    json::array chunks;
    for (const ChunkLine& chunk : report.chunks) {
        chunks.push_back(json::object{{"name", chunk.name}, {"note", chunk.note}, {"env", chunk.env}});
    }
    const Finding& finding = report.finding;
    json::object result{
        {"kind", to_string(finding.kind)},
        {"summary", finding.summary},
        {"culprit", finding.culprit.empty() ? json::value(nullptr) : json::value(finding.culprit)},
        {"path", json::value_from(finding.path)},
        {"own_code", finding.culprit_own_code},
        {"culprits", json::value_from(finding.culprits)},
        {"confirmation", to_string(finding.confirmation)},
        {"suspects", json::value_from(finding.suspects)},
        {"left_off", left_off_json(finding.left_off)},
        {"exit_code", report.exit_code},
    };
    if (finding.kind == FindingKind::localized || !finding.rechecks.empty()) {
        // A boundary that flipped on its re-check ends the run inconclusive, with the same evidence.
        result["last_plateau"] = evidence_json(finding.last_plateau);
        result["first_leak"] = evidence_json(finding.first_leak);
        result["rechecks"] = rechecks_json(finding.rechecks);
    }
    json::object root{
        {"name", report.name},
        {"recipe", report.recipe_file.string()},
        {"run_dir", report.run_dir.string()},
        {"strategy", report.strategy},
        {"metric", report.metric},
        {"scope", report.scope},
        {"min_leak_bytes_per_request", report.min_leak},
        {"requests_per_probe", report.requests_per_probe},
        {"chunks", chunks},
        {"wiring", to_string(finding.wiring)},
        {"finding", result},
        {"probes", probes},
        {"probe_count", report.probes.size()},
        {"probe_wall_seconds", wall_seconds},
    };
    if (report.revisions) {
        root["revisions"] = revisions_json(*report.revisions);
    }
    return to_json_text(with_header(report.probes, root));
}

std::string render_survey_json(const SurveyReport& report) {
    json::array pages;
    for (const ProbeRecord& page : report.pages) {
        pages.push_back(probe_json(page, page.enabled));
    }
    const json::object root{
        {"name", report.name},
        {"command", "survey"},
        {"run_dir", report.run_dir.string()},
        {"metric", report.metric},
        {"scope", report.scope},
        {"min_leak_bytes_per_request", report.min_leak},
        {"requests_per_probe", report.requests_per_probe},
        {"headline", survey_headline(report)},
        {"exit_code", report.exit_code},
        {"pages", pages},
    };
    return to_json_text(with_header(report.pages, root));
}

} // namespace leakbisect
