#include "leakbisect/report/report.hpp"

#include "leakbisect/core/files.hpp"

namespace leakbisect {

Status write_reports(const RunReport& report, const std::vector<std::string>& formats) {
    for (const std::string& format : formats) {
        std::string name;
        std::string content;
        if (format == "json") {
            name = "report.json";
            content = render_json(report);
        } else if (format == "markdown") {
            name = "report.md";
            content = render_markdown(report);
        } else if (format == "junit") {
            name = "junit.xml";
            content = render_junit(report);
        } else if (format == "html") {
            name = "report.html";
            content = render_html(report);
        } else {
            return make_error(ErrorKind::bad_usage, format,
                              "unknown report format; use html, markdown, json or junit");
        }
        if (Status written = write_text_file(report.run_dir / name, content); !written) {
            return written;
        }
    }
    return Ok{};
}

Status write_survey_reports(const SurveyReport& report, const std::vector<std::string>& formats) {
    for (const std::string& format : formats) {
        std::string name;
        std::string content;
        if (format == "json") {
            name = "report.json";
            content = render_survey_json(report);
        } else if (format == "markdown") {
            name = "report.md";
            content = render_survey_markdown(report);
        } else if (format == "html") {
            name = "report.html";
            content = render_survey_html(report);
        } else if (format == "junit") {
            continue; // a survey has no pass or fail per probe to report
        } else {
            return make_error(ErrorKind::bad_usage, format,
                              "unknown report format; use html, markdown, json or junit");
        }
        if (Status written = write_text_file(report.run_dir / name, content); !written) {
            return written;
        }
    }
    return Ok{};
}

} // namespace leakbisect
