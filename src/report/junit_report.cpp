#include "leakbisect/report/report.hpp"

#include "leakbisect/core/units.hpp"
#include "report_text.hpp"

#include <fmt/format.h>

namespace leakbisect {

std::string render_junit(const RunReport& report) {
    std::size_t failures = 0;
    std::string cases;
    for (const ProbeRecord& probe : report.probes) {
        const std::string name =
            fmt::format("probe {} {} [{}]", probe.index, to_string(probe.role),
                        probe.enabled.empty() ? "none" : fmt::format("{}", fmt::join(probe.enabled, ",")));
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
    return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<testsuites>\n  <testsuite name=\"leakbisect {}\" tests=\"{}\" failures=\"{}\">\n"
                       "    <properties><property name=\"finding\" value=\"{}\"/></properties>\n{}"
                       "  </testsuite>\n</testsuites>\n",
                       xml_escape(report.name), report.probes.size(), failures,
                       xml_escape(report.finding.summary), cases);
}

} // namespace leakbisect
