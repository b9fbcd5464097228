#include "leakbisect/report/report.hpp"

#include "leakbisect/core/units.hpp"
#include "report_text.hpp"

#include <fmt/format.h>

namespace leakbisect {

std::string render_junit(const RunReport& report) {
    std::size_t failures = 0;
    std::string cases;
    for (const ProbeRecord& probe : report.probes) {
        const std::string name = fmt::format("probe {} {} [{}]", probe.index, to_string(probe.role),
                                             configuration_of(report, probe, ","));
        cases += fmt::format("    <testcase classname=\"leakbisect.{}\" name=\"{}\" time=\"{:.3f}\">\n",
                             xml_escape(report.name), xml_escape(name), probe.wall_seconds);
        if (probe.judgement.verdict == Verdict::leak) {
            ++failures;
            cases += fmt::format("      <failure message=\"LEAK {}/request\">{}</failure>\n",
                                 xml_escape(format_bytes(probe.judgement.rate)),
                                 xml_escape(probe.judgement.reason));
        } else if (probe.judgement.verdict != Verdict::plateau) {
            cases +=
                fmt::format("      <skipped message=\"{}\"/>\n",
                            xml_escape(to_string(probe.judgement.verdict) + ": " +
                                       (probe.failure.empty() ? probe.judgement.reason : probe.failure)));
        }
        cases += "    </testcase>\n";
    }
    std::string properties =
        fmt::format("<property name=\"finding\" value=\"{}\"/>", xml_escape(report.finding.summary));
    if (report.revisions) {
        for (const CommitLine& commit : report.revisions->guilty) {
            properties +=
                fmt::format("<property name=\"commit\" value=\"{}\"/>", xml_escape(describe_commit(commit)));
        }
        if (!report.revisions->diffstat.empty()) {
            properties += fmt::format("<property name=\"diffstat\" value=\"{}\"/>",
                                      xml_escape(report.revisions->diffstat));
        }
    }
    return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<testsuites>\n  <testsuite name=\"leakbisect {}\" tests=\"{}\" failures=\"{}\">\n"
                       "    <properties>{}</properties>\n{}"
                       "  </testsuite>\n</testsuites>\n",
                       xml_escape(report.name), report.probes.size(), failures, properties, cases);
}

} // namespace leakbisect
