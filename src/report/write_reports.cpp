#include "leakbisect/report/report.hpp"

#include "leakbisect/core/files.hpp"

#include <algorithm>
#include <functional>
#include <iterator>
#include <string_view>

namespace leakbisect {
namespace {

constexpr std::string_view kFormats[] = {"html", "markdown", "json", "junit"};

// One form a report can be written in: the format's name, its file in the run folder, its text.
struct Form {
    std::string_view format;
    std::string_view file;
    std::function<std::string()> render;
};

// Writes the forms the formats ask for; a known format the report has no form for is skipped.
Status write_forms(const std::filesystem::path& run_dir, const std::vector<std::string>& formats,
                   const std::vector<Form>& forms) {
    for (const std::string& format : formats) {
        if (std::find(std::begin(kFormats), std::end(kFormats), format) == std::end(kFormats)) {
            return make_error(ErrorKind::bad_usage, format,
                              "unknown report format; use html, markdown, json or junit");
        }
        const auto form =
            std::find_if(forms.begin(), forms.end(), [&format](const Form& f) { return f.format == format; });
        if (form == forms.end()) {
            continue;
        }
        if (Status written = write_text_file(run_dir / form->file, form->render()); !written) {
            return written;
        }
    }
    return Ok{};
}

} // namespace

Status write_reports(const RunReport& report, const std::vector<std::string>& formats) {
    return write_forms(report.run_dir, formats,
                       {{"json", "report.json", [&] { return render_json(report); }},
                        {"markdown", "report.md", [&] { return render_markdown(report); }},
                        {"junit", "junit.xml", [&] { return render_junit(report); }},
                        {"html", "report.html", [&] { return render_html(report); }}});
}

Status write_survey_reports(const SurveyReport& report, const std::vector<std::string>& formats) {
    // No junit: a survey has no pass or fail per probe to report.
    return write_forms(report.run_dir, formats,
                       {{"json", "report.json", [&] { return render_survey_json(report); }},
                        {"markdown", "report.md", [&] { return render_survey_markdown(report); }},
                        {"html", "report.html", [&] { return render_survey_html(report); }}});
}

} // namespace leakbisect
