#include "leakbisect/cli/cli.hpp"

#include "analyze.hpp"
#include "leakbisect/app/app_process.hpp"
#include "leakbisect/recipe/recipe.hpp"
#include "leakbisect/run/commands.hpp"
#include "leakbisect/run/interrupt.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <optional>

namespace leakbisect {
int run_cli(int argc, char** argv) {
    CLI::App app{
        "leakbisect: finds the chunk of a web app's action that leaks memory, by booting the app with\n"
        "chunks on and off under a fixed HTTP load and judging whether memory plateaus."};
    app.set_version_flag("--version", std::string("leakbisect ") + LEAKBISECT_VERSION);
    app.require_subcommand(1);
    app.footer("Exit codes: 0 no leak, 10 leak localized, 11 leak outside the chunks, 12 inconclusive,\n"
               "2 bad usage or recipe, 3 the app could not be run, 130 interrupted (resumable).");

    std::string recipe;
    std::string run_dir;
    std::string out_dir;
    std::string strategy;

    CLI::App* run = app.add_subcommand(
        "run", "the whole search: baseline, all on, bisect or linear, narrow, confirm, report");
    run->add_option("recipe", recipe, "the recipe TOML file")->required()->check(CLI::ExistingFile);
    run->add_option("--out", out_dir, "folder for the run folders (instead of report.dir)");
    run->add_option("--strategy", strategy, "bisect or linear (instead of search.strategy)")
        ->check(CLI::IsMember(strategy_names()));

    CLI::App* resume =
        app.add_subcommand("resume", "continue an interrupted run; journaled probes do not run again");
    resume->add_option("run_dir", run_dir, "the run folder")->required()->check(CLI::ExistingDirectory);

    bool boot = false;
    CLI::App* check = app.add_subcommand("check", "validate the recipe and print the plan");
    check->add_option("recipe", recipe, "the recipe TOML file")->required()->check(CLI::ExistingFile);
    check->add_flag("--boot", boot, "also boot the baseline once and check readiness");

    std::vector<std::string> chunks;
    bool all = false;
    bool none = false;
    CLI::App* measure = app.add_subcommand("measure", "one probe: verdict, rate, curve");
    measure->add_option("recipe", recipe, "the recipe TOML file")->required()->check(CLI::ExistingFile);
    auto* chunks_option =
        measure->add_option("--chunks", chunks, "the chunks to turn on (a,b)")->delimiter(',');
    auto* all_option = measure->add_flag("--all", all, "every chunk on (the default)");
    auto* none_option = measure->add_flag("--none", none, "every chunk off (the baseline)");
    chunks_option->excludes(all_option)->excludes(none_option);
    all_option->excludes(none_option);
    measure->add_option("--out", out_dir, "folder for the run folders (instead of report.dir)");

    CLI::App* survey = app.add_subcommand(
        "survey", "one probe per [[load.request]] alone, every chunk on: which page leaks, ranked by growth");
    survey->add_option("recipe", recipe, "the recipe TOML file")->required()->check(CLI::ExistingFile);
    survey->add_option("--out", out_dir, "folder for the run folders (instead of report.dir)");

    AnalyzeOptions analyze_options;
    CLI::App* analyze =
        app.add_subcommand("analyze", "the verdict on a recorded trace (seconds,requests,bytes)");
    add_analyze_options(*analyze, analyze_options);

    std::vector<std::string> formats;
    CLI::App* report = app.add_subcommand("report", "re-render the reports of a run from its journal");
    report->add_option("run_dir", run_dir, "the run folder")->required()->check(CLI::ExistingDirectory);
    report->add_option("--format", formats, "html, markdown, json or junit (default: the recipe's)")
        ->delimiter(',')
        ->check(CLI::IsMember(kReportFormats));

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        const int code = app.exit(error);
        return code == 0 ? 0 : kExitBadUsage;
    }

    install_interrupt_handlers();
    become_subreaper();
    const auto optional_path = [](const std::string& text) {
        return text.empty() ? std::nullopt : std::optional<std::filesystem::path>(text);
    };
    if (run->parsed()) {
        return run_command({recipe, optional_path(out_dir), strategy_from_string(strategy)});
    }
    if (resume->parsed()) {
        return resume_command(run_dir);
    }
    if (check->parsed()) {
        return check_command(recipe, boot ? BootCheck::boot_baseline : BootCheck::skip);
    }
    if (measure->parsed()) {
        std::optional<std::vector<std::string>> enabled;
        if (none) {
            enabled = std::vector<std::string>{};
        } else if (!chunks.empty()) {
            enabled = chunks;
        }
        return measure_command({recipe, enabled, optional_path(out_dir)});
    }
    if (survey->parsed()) {
        return survey_command({recipe, optional_path(out_dir)});
    }
    if (analyze->parsed()) {
        return analyze_command(analyze_options);
    }
    if (report->parsed()) {
        return report_command(run_dir, formats);
    }
    return kExitBadUsage;
}

} // namespace leakbisect
