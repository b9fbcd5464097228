// [memory], [verdict], [search], [report]: settings with defaults, no required keys.
#include "sections.hpp"

#include "leakbisect/core/text.hpp"

#include <algorithm>
#include <cassert>
#include <fmt/format.h>

namespace leakbisect {
namespace {

// The spellings the recipe accepts are also the ones reports print.
template <typename Enum, std::size_t N> using NameTable = std::array<std::pair<std::string_view, Enum>, N>;

constexpr NameTable<MemoryScope, 2> kScopeNames{{{"tree", MemoryScope::tree}, {"main", MemoryScope::main}}};
constexpr NameTable<MemoryMetric, 4> kMetricNames{{{"rss", MemoryMetric::rss},
                                                   {"pss", MemoryMetric::pss},
                                                   {"uss", MemoryMetric::uss},
                                                   {"cgroup", MemoryMetric::cgroup}}};
constexpr NameTable<Strategy, 2> kStrategyNames{{{"linear", Strategy::linear}, {"bisect", Strategy::bisect}}};

template <typename Enum, std::size_t N> std::string name_in(const NameTable<Enum, N>& names, Enum value) {
    for (const auto& [name, entry] : names) {
        if (entry == value) {
            return std::string(name);
        }
    }
    assert(false && "every enumerator has a name");
    return "";
}

} // namespace

std::string to_string(Strategy strategy) {
    return name_in(kStrategyNames, strategy);
}

std::optional<Strategy> strategy_from_string(std::string_view text) {
    for (const auto& [name, strategy] : kStrategyNames) {
        if (name == text) {
            return strategy;
        }
    }
    return std::nullopt;
}

const std::vector<std::string>& strategy_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> all;
        for (const auto& entry : kStrategyNames) {
            all.emplace_back(entry.first);
        }
        return all;
    }();
    return names;
}

std::string to_string(MemoryMetric metric) {
    return name_in(kMetricNames, metric);
}

std::string to_string(MemoryScope scope) {
    return name_in(kScopeNames, scope);
}

namespace recipe_detail {
namespace {

void read_formats(const Section& report_table, std::vector<std::string>& formats) {
    const toml::node* node = report_table.find("formats");
    if (node == nullptr) {
        return;
    }
    const std::vector<std::string>& known = kReportFormats;
    const toml::array* array = node->as_array();
    if (array == nullptr) {
        report_table.fail(*node, fmt::format("report.formats must be an array of formats from {}, got {}",
                                             fmt::join(known, ", "), describe_type(*node)));
        return;
    }
    std::vector<std::string> chosen;
    for (std::size_t i = 0; i < array->size(); ++i) {
        const toml::node& element = *array->get(i);
        const std::string* format = element.is_string() ? &element.as_string()->get() : nullptr;
        if (format == nullptr || std::find(known.begin(), known.end(), *format) == known.end()) {
            const std::string suggestion = format != nullptr ? closest_match(*format, known) : "";
            report_table.fail(
                element, fmt::format("report.formats[{}] must be one of {}, got {}{}", i,
                                     fmt::join(known, ", "), describe_value(element),
                                     suggestion.empty() ? "" : "; did you mean \"" + suggestion + "\"?"));
            return;
        }
        if (std::find(chosen.begin(), chosen.end(), *format) != chosen.end()) {
            report_table.fail(element, fmt::format("report.formats lists \"{}\" twice", *format));
            return;
        }
        chosen.push_back(*format);
    }
    formats = std::move(chosen);
}

} // namespace

void read_memory(const Section& top, MemorySpec& memory) {
    const std::optional<Section> table = top.read_table("memory");
    if (!table) {
        return;
    }
    table->allow_only(recipe_keys::kMemory);
    table->read_choice("scope", memory.scope, kScopeNames);
    table->read_choice("metric", memory.metric, kMetricNames);
    table->read_duration("interval", memory.interval, DurationFloor::positive);
    if (memory.metric == MemoryMetric::cgroup && memory.scope == MemoryScope::main) {
        // scope = "main" can only have been written: the default is "tree".
        table->fail(*table->find("scope"),
                    "memory.scope = \"main\" cannot go with metric = \"cgroup\": the cgroup holds every "
                    "process the app starts, so it always measures the whole tree; remove scope (or set "
                    "it to \"tree\"), or measure the main process alone with metric = \"rss\" or \"pss\"");
    }
}

void read_verdict(const Section& top, const LoadSpec& load, VerdictSpec& verdict) {
    // The cap never stops a probe before its fixed load: without an explicit cap, a larger
    // load.requests raises it.
    verdict.max_requests = std::max(verdict.max_requests, load.requests);
    const std::optional<Section> table = top.read_table("verdict");
    if (!table) {
        return;
    }
    table->allow_only(recipe_keys::kVerdict);
    table->read_positive_bytes("min_leak", verdict.min_leak);
    table->read_number("confidence", verdict.confidence,
                       {0, 1, Bounds::exclusive, "a number between 0 and 1 (exclusive), e.g. 0.99"});
    if (table->read_integer("max_requests", verdict.max_requests, kRequestCount) &&
        verdict.max_requests < load.requests) {
        table->fail(
            *table->find("max_requests"),
            fmt::format("verdict.max_requests ({}) must be at least load.requests ({}): it caps how far a "
                        "probe may extend its load",
                        verdict.max_requests, load.requests));
    }
}

void read_search(const Section& top, SearchSpec& search) {
    const std::optional<Section> table = top.read_table("search");
    if (!table) {
        return;
    }
    table->allow_only(recipe_keys::kSearch);
    table->read_choice("strategy", search.strategy, kStrategyNames);
    table->read_integer("repeats", search.repeats, kRepeats);
    table->read_integer("retries", search.retries, kRetries);
    table->read_bool("confirm", search.confirm);
    table->read_bool("narrow", search.narrow);
}

void read_report(const Section& top, const std::filesystem::path& recipe_dir, ReportSpec& report) {
    const std::optional<Section> table = top.read_table("report");
    if (!table) {
        return;
    }
    table->allow_only(recipe_keys::kReport);
    std::string dir;
    if (table->read_string("dir", dir)) {
        if (dir.empty()) {
            table->fail(*table->find("dir"),
                        "report.dir must not be empty; leave it out for \"leakbisect-runs\" "
                        "next to the recipe");
        } else {
            report.dir = resolve_against(recipe_dir, dir);
        }
    }
    read_formats(*table, report.formats);
}

} // namespace recipe_detail
} // namespace leakbisect
