#include "leakbisect/report/report.hpp"

#include <boost/json.hpp>
#include <cmath>

namespace leakbisect {

namespace json = boost::json;

namespace {

json::value finite_or_null(double value) {
    return std::isfinite(value) ? json::value(value) : json::value(nullptr);
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

json::object probe_json(const ProbeRecord& probe) {
    json::object object{
        {"index", probe.index},
        {"role", to_string(probe.role)},
        {"chunks_on", json::value_from(probe.enabled)},
        {"verdict", to_string(probe.verdict)},
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
    return object;
}

} // namespace

std::string render_json(const RunReport& report) {
    json::array probes;
    double wall_seconds = 0;
    for (const ProbeRecord& probe : report.probes) {
        probes.push_back(probe_json(probe));
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
        {"exit_code", report.exit_code},
    };
    if (finding.kind == FindingKind::localized || !finding.rechecks.empty()) {
        // A boundary that flipped on its re-check ends the run inconclusive, with the same evidence.
        result["last_plateau"] = evidence_json(finding.last_plateau);
        result["first_leak"] = evidence_json(finding.first_leak);
        result["rechecks"] = rechecks_json(finding.rechecks);
    }
    const json::object root{
        {"name", report.name},
        {"recipe", report.recipe_file.string()},
        {"run_dir", report.run_dir.string()},
        {"strategy", report.strategy},
        {"metric", report.metric},
        {"scope", report.scope},
        {"min_leak_bytes_per_request", report.min_leak},
        {"requests_per_probe", report.requests_per_probe},
        {"chunks", chunks},
        {"finding", result},
        {"probes", probes},
        {"probe_count", report.probes.size()},
        {"probe_wall_seconds", wall_seconds},
    };
    return json::serialize(root) + "\n";
}

std::string render_survey_json(const SurveyReport& report) {
    json::array pages;
    for (const ProbeRecord& page : report.pages) {
        pages.push_back(probe_json(page));
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
    return json::serialize(root) + "\n";
}

} // namespace leakbisect
