#include "app_boot.hpp"

#include "leakbisect/app/process_guard.hpp"
#include "leakbisect/app/readiness.hpp"
#include "leakbisect/load/url.hpp"
#include "leakbisect/run/interrupt.hpp"

#include "leakbisect/core/files.hpp"

#include <fmt/format.h>
#include <string>

namespace leakbisect {

Expected<BootedApp> boot_app(const Recipe& recipe, const ChunkSet& enabled,
                             const std::filesystem::path& run_dir, const std::filesystem::path& probe_dir,
                             const std::atomic<bool>& cancel) {
    const auto port = recipe.app.port != 0 ? Expected<std::uint16_t>(recipe.app.port) : find_free_port();
    if (!port) {
        return port.error();
    }
    BootedApp booted;
    booted.values = {*port, recipe.dir, run_dir, probe_dir};
    auto target =
        parse_base_url(expand_placeholders(recipe.load.base_url, booted.values), recipe.load.allow_remote);
    if (!target) {
        return target.error();
    }
    booted.target = *target;
    if (accepts_connections(booted.target)) {
        return make_error(
            ErrorKind::app_failed, "",
            fmt::format("port {} is already taken by another program; stop it or set app.port = 0", *port));
    }

    EnvList extra = chunk_environment(recipe, enabled);
    extra.emplace_back("PORT", std::to_string(*port));
    booted.environment =
        build_environment(recipe.app.inherit_env, expand_placeholders(recipe.app.env, booted.values), extra);
    const std::filesystem::path log_file = probe_dir / "app.log";
    LaunchSpec spec{expand_placeholders(recipe.app.command, booted.values), recipe.app.cwd,
                    booted.environment, log_file, run_dir / kProcessRecordName};
    // Every probe in a cgroup of its own where the machine allows; the cgroup metric cannot do without.
    spec.cgroup = recipe.memory.metric == MemoryMetric::cgroup ? CgroupUse::required : CgroupUse::if_possible;
    auto app = AppProcess::start(spec);
    if (!app) {
        return app.error();
    }
    booted.process = std::move(app.value());
    if (const Status ready =
            wait_until_ready(*booted.process, recipe.app.ready, booted.target, log_file, cancel);
        !ready) {
        booted.process->stop(recipe.app.stop.signal, recipe.app.stop.grace, interrupt_escalated());
        return ready.error();
    }
    return booted;
}

std::vector<std::string> log_tail(const std::filesystem::path& file, std::size_t count) {
    std::vector<std::string> lines;
    const auto text = read_text_file(file, ErrorKind::io);
    if (!text) {
        return lines;
    }
    std::string_view rest = *text;
    while (!rest.empty() && lines.size() < count) {
        while (!rest.empty() && (rest.back() == '\n' || rest.back() == '\r')) {
            rest.remove_suffix(1);
        }
        const std::size_t start = rest.rfind('\n');
        const std::string_view line = start == std::string_view::npos ? rest : rest.substr(start + 1);
        if (!line.empty()) {
            lines.emplace(lines.begin(), line.substr(0, kLogLineWidth));
        }
        rest = start == std::string_view::npos ? std::string_view() : rest.substr(0, start);
    }
    return lines;
}

} // namespace leakbisect
