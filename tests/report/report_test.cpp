#include "leakbisect/report/report.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <regex>

using namespace leakbisect;

namespace {

RunReport sample_report() {
    RunReport report;
    report.name = "orders <show> & co";
    report.run_dir = std::filesystem::temp_directory_path();
    report.strategy = "bisect";
    report.metric = "rss";
    report.scope = "tree";
    report.min_leak = 100;
    report.requests_per_probe = 3000;
    report.chunks = {{"load_order", "", "CHUNK_LOAD_ORDER"},
                     {"warnings_panel", "the box", "CHUNK_WARNINGS_PANEL"}};
    ProbeRecord baseline;
    baseline.index = 1;
    baseline.role = RecordRole::baseline;
    baseline.judgement = {Verdict::plateau, 3, -2, 9, 0.99, 20, 2500, "flat"};
    baseline.directory = "probes/001-baseline";
    ProbeRecord all_on = baseline;
    all_on.index = 2;
    all_on.role = RecordRole::all_on;
    all_on.enabled = {"load_order", "warnings_panel"};
    all_on.judgement = {Verdict::leak, 2048, 2000, 2100, 0.99, 20, 2500, "grows"};
    ProbeRecord skipped = baseline;
    skipped.index = 3;
    skipped.role = RecordRole::bisect;
    skipped.judgement.verdict = Verdict::skipped;
    skipped.failure = "the app exited with status 1 before it was ready";
    baseline.started_at = "2026-11-25T04:52:29";
    baseline.wall_seconds = 3.6076748080000005;
    all_on.started_at = "2026-11-25T04:52:33";
    all_on.wall_seconds = 60;
    skipped.started_at = "2026-11-25T04:53:33";
    skipped.wall_seconds = 0.4;
    report.probes = {baseline, all_on, skipped};
    report.finding.kind = FindingKind::localized;
    report.finding.culprit = "warnings_panel";
    report.finding.summary = "memory stops plateauing when 'warnings_panel' is enabled";
    report.exit_code = 10;
    return report;
}

} // namespace

TEST_CASE("the JSON report names the culprit and every probe's evidence") {
    const auto root = boost::json::parse(render_json(sample_report())).as_object();
    REQUIRE(root.at("finding").at("culprit").as_string() == "warnings_panel");
    REQUIRE(root.at("finding").at("exit_code").as_int64() == 10);
    const auto& probes = root.at("probes").as_array();
    REQUIRE(probes.size() == 3);
    REQUIRE(probes[1].at("verdict").as_string() == "LEAK");
    REQUIRE(probes[1].at("bytes_per_request").to_number<double>() == Approx(2048));
    REQUIRE(probes[1].at("interval").as_array()[0].to_number<double>() == Approx(2000));
    REQUIRE(probes[2].at("reason").as_string() == "the app exited with status 1 before it was ready");
}

TEST_CASE("the JSON report says which schema and tool wrote it, and when its probes ran") {
    const auto root = boost::json::parse(render_json(sample_report())).as_object();
    CHECK(root.begin()->key() == "schema_version");
    CHECK(root.at("schema_version").as_int64() == 1);
    CHECK(!root.at("tool_version").as_string().empty());
    CHECK(root.at("started_at").as_string() == "2026-11-25T04:52:29");
    CHECK(root.at("finished_at").as_string() == "2026-11-25T04:53:33"); // the last probe's end

    SECTION("a survey's pages are ranked, not in the order they ran") {
        SurveyReport survey;
        survey.pages = sample_report().probes;
        std::swap(survey.pages.front(), survey.pages.back());
        const auto survey_root = boost::json::parse(render_survey_json(survey)).as_object();
        CHECK(survey_root.at("schema_version").as_int64() == 1);
        CHECK(survey_root.at("started_at").as_string() == "2026-11-25T04:52:29");
        CHECK(survey_root.at("finished_at").as_string() == "2026-11-25T04:53:33");
    }
    SECTION("without probe times there are none to give") {
        RunReport report = sample_report();
        report.probes.clear();
        const auto empty_root = boost::json::parse(render_json(report)).as_object();
        CHECK(empty_root.at("started_at").is_null());
        CHECK(empty_root.at("finished_at").is_null());
    }
}

TEST_CASE("the JSON report writes numbers in plain decimal") {
    RunReport report = sample_report();
    report.probes[0].judgement.rate = 0.000123456789;
    report.probes[1].judgement.rate = 1234567.891;
    const std::string json = render_json(report);
    CHECK_FALSE(std::regex_search(json, std::regex("[0-9][eE][-+]?[0-9]")));
    CHECK_THAT(json, Catch::Contains("\"min_leak_bytes_per_request\": 100,")); // not 1E2
    CHECK_THAT(json, Catch::Contains("\"wall_seconds\": 3.60767,"));           // six significant digits
    CHECK_THAT(json, Catch::Contains("\"bytes_per_request\": 0.000123457,"));
    CHECK_THAT(json, Catch::Contains("\"bytes_per_request\": 1234568,"));
    CHECK_THAT(json, Catch::Contains("\"interval\": [2000, 2100]"));
    CHECK_THAT(json, Catch::Contains("\"interval\": [-2, 9]"));
}

TEST_CASE("the Markdown report tells the finding first and marks the culprit") {
    const std::string markdown = render_markdown(sample_report());
    REQUIRE_THAT(markdown, Catch::Contains("**Culprit: warnings_panel**"));
    // A row names what differs from the baseline, not every chunk that was on.
    REQUIRE_THAT(markdown, Catch::Contains("| 1 | baseline | none | PLATEAU |"));
    REQUIRE_THAT(markdown, Catch::Contains("| 2 | all-on | all 2 | LEAK | +2.0 KiB |"));
    REQUIRE_THAT(markdown, Catch::Contains("**culprit** `warnings_panel`"));
}

TEST_CASE("the Markdown and HTML reports say whether the probes ran in cgroups of their own") {
    RunReport report = sample_report();
    REQUIRE_THAT(render_markdown(report), !Catch::Contains("cgroup"));
    // The SKIPPED probe never started its app: it does not count.
    for (std::size_t i = 0; i < 2; ++i) {
        report.probes[i].cgroup = "/sys/fs/cgroup/leakbisect-1." + std::to_string(i);
        report.probes[i].cgroup_version = 2;
    }
    REQUIRE_THAT(render_markdown(report), Catch::Contains("; each probe's app in a cgroup (v2) of its own."));
    REQUIRE_THAT(render_html(report), Catch::Contains("each probe&apos;s app in a cgroup (v2) of its own"));
    report.probes[1].cgroup.clear();
    REQUIRE_THAT(render_markdown(report),
                 Catch::Contains("; 1 of 2 probes' apps in a cgroup (v2) of their own."));
}

TEST_CASE("the JUnit and HTML reports escape what they quote") {
    const RunReport report = sample_report();
    const std::string junit = render_junit(report);
    REQUIRE_THAT(junit, Catch::Contains("orders &lt;show&gt; &amp; co"));
    REQUIRE_THAT(junit, Catch::Contains("failures=\"1\""));
    const std::string html = render_html(report);
    REQUIRE_THAT(html, Catch::Contains("<title>leakbisect: orders &lt;show&gt; &amp; co</title>"));
    REQUIRE_THAT(html, Catch::Contains("Culprit: warnings_panel"));
    REQUIRE_THAT(html, Catch::Contains("no memory.csv")); // the probes' folders do not exist here
}

TEST_CASE("JUnit has one test case per top-level chunk, named by the chunk, and the culprit's fails with the "
          "finding") {
    RunReport report = sample_report();
    report.chunks.push_back({"warnings_panel.has_warnings", "", "CHUNK_WARNINGS_PANEL_HAS_WARNINGS"});
    report.finding.culprit = "warnings_panel.has_warnings";
    const std::string junit = render_junit(report);
    INFO(junit);
    REQUIRE_THAT(junit, Catch::Contains("tests=\"3\" failures=\"1\" skipped=\"0\""));
    REQUIRE_THAT(junit,
                 Catch::Contains("name=\"baseline: memory plateaus with every chunk off\"></testcase>"));
    REQUIRE_THAT(junit, Catch::Contains("name=\"chunk load_order\"></testcase>"));
    REQUIRE_THAT(junit,
                 Catch::Contains("name=\"chunk warnings_panel\">\n      <failure message=\"memory stops "
                                 "plateauing when &apos;warnings_panel&apos; is enabled\" type=\"LEAK\">"));
    REQUIRE_THAT(junit, !Catch::Contains("<property"));
    REQUIRE_THAT(junit, !Catch::Contains("has_warnings\"")); // no case of its own: its chunk's case fails

    SECTION("the names do not depend on which probes ran") {
        RunReport other = report;
        other.probes.pop_back();
        const std::string again = render_junit(other);
        for (const char* name : {"\"chunk load_order\"", "\"chunk warnings_panel\""}) {
            REQUIRE_THAT(again, Catch::Contains(name));
        }
    }
    SECTION("a leak outside the chunks fails the baseline's case only") {
        report.finding.kind = FindingKind::leak_outside_chunks;
        const std::string outside = render_junit(report);
        REQUIRE_THAT(outside, Catch::Contains("off\">\n      <failure"));
        REQUIRE_THAT(outside, Catch::Contains("failures=\"1\""));
    }
    SECTION("an inconclusive run skips its suspects") {
        report.finding.kind = FindingKind::inconclusive;
        report.finding.suspects = {"warnings_panel"};
        const std::string inconclusive = render_junit(report);
        REQUIRE_THAT(inconclusive, Catch::Contains("failures=\"0\" skipped=\"1\""));
        REQUIRE_THAT(inconclusive, Catch::Contains("\"chunk warnings_panel\"><skipped message="));
    }
}

TEST_CASE("report.html puts the deciding pair on one scale with axes, the warm-up and the fitted growth") {
    RunReport report = sample_report();
    report.run_dir = std::filesystem::temp_directory_path() / "leakbisect-html-test";
    std::filesystem::remove_all(report.run_dir);
    report.probes.pop_back(); // the skipped probe has no curve
    report.probes[0].enabled = {"load_order"};
    report.probes[0].role = RecordRole::bisect;
    report.probes.insert(report.probes.begin(), report.probes[0]);
    report.probes[0].enabled.clear();
    report.probes[0].role = RecordRole::baseline;
    report.probes[0].directory = "probes/000-baseline";
    report.finding.last_plateau.enabled = {"load_order"};
    report.finding.first_leak.enabled = {"load_order", "warnings_panel"};
    for (const ProbeRecord& probe : report.probes) {
        Trace trace;
        for (std::uint64_t requests = 0; requests <= 3000; requests += 100) {
            const double rate = probe.judgement.verdict == Verdict::leak ? 2048 : 0;
            trace.push_back({static_cast<double>(requests) / 1000, requests,
                             static_cast<std::int64_t>(40e6 + rate * static_cast<double>(requests)), 1});
        }
        std::filesystem::create_directories(report.run_dir / probe.directory);
        std::ofstream(report.run_dir / probe.directory / "memory.csv") << trace_to_csv(trace);
    }
    const std::string html = render_html(report);
    std::filesystem::remove_all(report.run_dir);
    CHECK_THAT(html, Catch::Contains("The deciding pair: the last plateau and the first leak"));
    CHECK_THAT(html, Catch::Contains(">requests finished</text>"));
    CHECK_THAT(html, Catch::Contains(">memory (rss, process tree)</text>"));
    CHECK_THAT(html, Catch::Contains("MiB</text>"));           // tick labels with units
    CHECK_THAT(html, Catch::Contains(">1000</text>"));         // and on the requests axis
    CHECK_THAT(html, Catch::Contains("<title>warm-up"));       // the warm-up shaded
    CHECK_THAT(html, Catch::Contains("<title>judged window")); // the judged window marked
    CHECK_THAT(html, Catch::Contains("stroke-dasharray"));     // the fitted growth drawn
    CHECK_THAT(html, Catch::Contains("position: sticky"));     // the table's headers stay
    CHECK_THAT(html, Catch::Contains("<summary>all 2</summary>"));
    CHECK_THAT(html, !Catch::Contains("no memory.csv"));
}
