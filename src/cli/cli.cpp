#include "leakbisect/cli/cli.hpp"

#include "analyze.hpp"
#include "init_command.hpp"
#include "leakbisect/app/app_process.hpp"
#include "leakbisect/app/process_guard.hpp"
#include "leakbisect/core/text.hpp"
#include "leakbisect/recipe/recipe.hpp"
#include "leakbisect/run/commands.hpp"
#include "leakbisect/run/interrupt.hpp"
#include "leakbisect/run/terminal.hpp"
#include "usage.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <fmt/format.h>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace leakbisect {
namespace {

// What each command can return, in the words of its own --help.
constexpr ExitMeaning kNoLeak{kExitNoLeak, "no leak: memory plateaus with every chunk on"};
constexpr ExitMeaning kLocalized{kExitLocalized, "leak localized to a chunk (or a set that leaks together)"};
constexpr ExitMeaning kOutside{kExitLeakOutsideChunks,
                               "leak outside the chunks: memory grows with every chunk off"};
constexpr ExitMeaning kInconclusive{kExitInconclusive, "inconclusive"};
constexpr ExitMeaning kBadRecipe{kExitBadUsage, "bad usage or recipe: nothing was run"};
constexpr ExitMeaning kAppFailed{kExitAppFailed, "the app could not be run"};
constexpr ExitMeaning kInterrupted{kExitInterrupted, "interrupted (the run folder is resumable)"};
constexpr ExitMeaning kInternal{kExitInternal, "leakbisect's own I/O failed (a full disk while journaling)"};

std::vector<std::pair<std::string, std::string>> commands_of(const CLI::App& app) {
    std::vector<std::pair<std::string, std::string>> commands;
    for (const CLI::App* command : app.get_subcommands({})) {
        commands.emplace_back(command->get_name(), command->get_description());
    }
    return commands;
}

// The first argument that is not an option names the command: when it names none, the nearest
// command is suggested (git's manners) instead of CLI11's "a subcommand is required".
std::optional<int> refuse_unknown_command(const CLI::App& app, int argc, char** argv) {
    if (argc <= 1) {
        std::fputs(usage_text(commands_of(app)).c_str(), stderr);
        return kExitBadUsage;
    }
    for (int i = 1; i < argc; ++i) {
        const std::string_view argument = argv[i];
        if (argument.starts_with('-')) {
            continue;
        }
        std::vector<std::string> names;
        for (const auto& [name, description] : commands_of(app)) {
            names.push_back(name);
        }
        if (std::ranges::find(names, argument) != names.end()) {
            return std::nullopt;
        }
        // fmt, not operator+ on a literal: GCC 12 at -O3 reports a false -Werror=restrict there.
        const std::string suggestion = closest_match(argument, names);
        const std::string message =
            !suggestion.empty()
                ? fmt::format("leakbisect: '{}' is not a command; did you mean '{}'?\n", argument, suggestion)
                : fmt::format("leakbisect: '{}' is not a command\n\n{}", argument,
                              usage_text(commands_of(app)));
        std::fputs(message.c_str(), stderr);
        return kExitBadUsage;
    }
    return std::nullopt;
}

// The commands that run probes show their progress: live on a terminal, plain lines in a log.
struct ProgressOptions {
    std::string mode = "auto";
    bool quiet = false;
};

void add_progress_options(CLI::App& command, ProgressOptions& options) {
    command
        .add_option("--progress", options.mode,
                    "auto (a line rewritten in place on a terminal, timestamped lines every 30 s "
                    "otherwise), live, plain or none")
        ->check(CLI::IsMember({"auto", "live", "plain", "none"}));
    command.add_flag("-q,--quiet", options.quiet, "no progress: only each probe's line and the finding");
}

} // namespace

int run_cli(int argc, char** argv) {
    CLI::App app{
        "leakbisect: finds the chunk of a web app's action that leaks memory, by booting the app with\n"
        "chunks on and off under a fixed HTTP load and judging whether memory plateaus."};
    app.set_version_flag("-V,--version", std::string("leakbisect ") + LEAKBISECT_VERSION);
    app.require_subcommand(1);
    app.footer(help_footer(
        {"leakbisect check shop.toml", "leakbisect run shop.toml"},
        {kNoLeak, kLocalized, kOutside, kInconclusive, kBadRecipe, kAppFailed, kInterrupted, kInternal}));

    std::string recipe;
    std::string run_dir;
    std::string out_dir;
    std::string strategy;
    ProgressOptions progress;
    bool keep_worktrees = false;
    bool then_chunks = false;
    const std::string keep_worktrees_help =
        "commit-range mode: keep each commit's checkout (the run folder's worktrees/) after the run";

    CLI::App* run = app.add_subcommand(
        "run", "the whole search: baseline, all on, bisect or linear, narrow, confirm, report");
    run->add_option("recipe", recipe, "the recipe TOML file")->required()->check(CLI::ExistingFile);
    run->add_option("--out", out_dir, "folder for the run folders (instead of report.dir)");
    run->add_option("--strategy", strategy, "bisect or linear (instead of search.strategy)")
        ->check(CLI::IsMember(strategy_names()));
    add_progress_options(*run, progress);
    run->add_flag("--keep-worktrees", keep_worktrees, keep_worktrees_help);
    run->add_flag(
        "--then-chunks", then_chunks,
        "commit-range mode: then search the recipe's [[chunk]]s inside the guilty commit's checkout");
    run->footer(help_footer(
        {"leakbisect run shop.toml --out /tmp/runs --strategy linear"},
        {kNoLeak, kLocalized, kOutside, kInconclusive, kBadRecipe, kAppFailed, kInterrupted, kInternal}));

    CLI::App* resume =
        app.add_subcommand("resume", "continue an interrupted run; journaled probes do not run again");
    resume->add_option("run_dir", run_dir, "the run folder, or the --out folder holding it")
        ->required()
        ->check(CLI::ExistingDirectory);
    add_progress_options(*resume, progress);
    resume->add_flag("--keep-worktrees", keep_worktrees, keep_worktrees_help);
    resume->footer(help_footer({"leakbisect resume leakbisect-runs/2026-11-25T04-52-29"},
                               {kNoLeak,
                                kLocalized,
                                kOutside,
                                kInconclusive,
                                {kExitBadUsage, "not a run folder, or its recipe no longer reads"},
                                kAppFailed,
                                kInterrupted,
                                kInternal}));

    bool boot = false;
    CLI::App* check = app.add_subcommand("check", "validate the recipe and print the plan");
    check->add_option("recipe", recipe, "the recipe TOML file")->required()->check(CLI::ExistingFile);
    check->add_flag(
        "--boot", boot,
        "also rehearse the night: boot the baseline and the all-on configuration once each, send "
        "every [[load.request]] to both, compare their answers (wiring) and estimate the run's duration");
    check->footer(help_footer(
        {"leakbisect check shop.toml --boot"},
        {{kExitNoLeak, "the recipe is valid (and with --boot, the rehearsal passed)"},
         {kExitBadUsage, "bad recipe"},
         {kExitAppFailed, "with --boot: the baseline could not be booted or never became ready, or a "
                          "request did not get a status it expects (a 404 route)"},
         {kExitInterrupted, "with --boot: interrupted while booting"}}));

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
    add_progress_options(*measure, progress);
    measure->footer(help_footer({"leakbisect measure shop.toml --chunks warnings_panel,search_box"},
                                {{kExitNoLeak, "PLATEAU"},
                                 {kExitLocalized, "LEAK"},
                                 {kExitInconclusive, "INCONCLUSIVE"},
                                 {kExitBadUsage, "bad recipe or an unknown chunk: nothing was run"},
                                 {kExitAppFailed, "the app could not be run (the probe was skipped)"},
                                 kInterrupted,
                                 kInternal}));

    CLI::App* survey = app.add_subcommand(
        "survey", "one probe per [[load.request]] alone, every chunk on: which page leaks, ranked by growth");
    survey->add_option("recipe", recipe, "the recipe TOML file")->required()->check(CLI::ExistingFile);
    survey->add_option("--out", out_dir, "folder for the run folders (instead of report.dir)");
    add_progress_options(*survey, progress);
    survey->footer(help_footer({"leakbisect survey shop.toml --out /tmp/runs"},
                               {{kExitNoLeak, "every page plateaus"},
                                {kExitLocalized, "a page leaks"},
                                {kExitInconclusive, "undecided probes hide the answer"},
                                {kExitAppFailed, "no probe could run"},
                                kBadRecipe,
                                {kExitInterrupted, "interrupted (a survey does not resume)"},
                                kInternal}));

    AnalyzeOptions analyze_options;
    CLI::App* analyze =
        app.add_subcommand("analyze", "the verdict on a recorded trace (seconds,requests,bytes)");
    add_analyze_options(*analyze, analyze_options);
    analyze->footer(
        help_footer({"leakbisect analyze probes/003-bisect/memory.csv --warmup 500 \\",
                     "    --reference probes/001-baseline/memory.csv"},
                    {{kExitNoLeak, "PLATEAU"},
                     {kExitLocalized, "LEAK"},
                     {kExitInconclusive, "INCONCLUSIVE"},
                     {kExitBadUsage, "bad input: a missing or malformed trace, or a bad option"}}));

    std::vector<std::string> formats;
    CLI::App* report = app.add_subcommand("report", "re-render the reports of a run from its journal");
    report->add_option("run_dir", run_dir, "the run folder")->required()->check(CLI::ExistingDirectory);
    report->add_option("--format", formats, "html, markdown, json or junit (default: the recipe's)")
        ->delimiter(',')
        ->check(CLI::IsMember(kReportFormats));
    report->footer(
        help_footer({"leakbisect report leakbisect-runs/2026-11-25T04-52-29 --format html,json"},
                    {{kExitNoLeak, "reports written; the run found no leak"},
                     {kExitLocalized, "reports written; the run localized a leak"},
                     {kExitLeakOutsideChunks, "reports written; the leak is outside the chunks"},
                     {kExitInconclusive, "reports written; the run was inconclusive"},
                     {kExitAppFailed, "reports written; the app could not be run"},
                     {kExitBadUsage, "not a finished run folder, or the reports could not be written"}}));

    InitOptions init_options;
    CLI::App* init = app.add_subcommand(
        "init", "look at an app's folder (Rails, Django, Flask, Node) and write a starter recipe for it");
    init->add_option("dir", init_options.app_dir, "the app's folder (default: the current one)")
        ->check(CLI::ExistingDirectory);
    init->add_option("--out", init_options.out, "the recipe to write (default: DIR/leakbisect.toml)");
    init->add_flag("--force", init_options.force, "overwrite the recipe if it exists");
    init->footer(help_footer(
        {"cd my-rails-app && leakbisect init",
         "leakbisect init examples/flask-invoices --out /tmp/invoices.toml"},
        {{kExitNoLeak, "recipe written (for an app it does not recognise: a generic one with TODOs)"},
         {kExitInternal, "the recipe could not be written"},
         {kExitBadUsage, "the recipe exists (without --force), or DIR or the recipe's folder is missing"}}));

    if (const auto refused = refuse_unknown_command(app, argc, argv)) {
        return *refused;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        const int code = app.exit(error);
        return code == 0 ? 0 : kExitBadUsage;
    }

    if (init->parsed()) {
        return init_command(init_options); // starts no process: no guardian, no subreaper
    }
    set_progress_mode(progress.quiet
                          ? ProgressMode::none
                          : progress_mode_from_string(progress.mode).value_or(ProgressMode::automatic));
    install_interrupt_handlers();
    start_guardian(); // before become_subreaper: the guardian must not be ours to reap
    become_subreaper();
    const auto optional_path = [](const std::string& text) {
        return text.empty() ? std::nullopt : std::optional<std::filesystem::path>(text);
    };
    if (run->parsed()) {
        return run_command({recipe, optional_path(out_dir), strategy_from_string(strategy),
                            keep_worktrees ? WorktreesAtEnd::keep : WorktreesAtEnd::remove,
                            then_chunks ? ThenChunks::run : ThenChunks::skip});
    }
    if (resume->parsed()) {
        return resume_command(run_dir, keep_worktrees ? WorktreesAtEnd::keep : WorktreesAtEnd::remove);
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
