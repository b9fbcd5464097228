#include "leakbisect/core/units.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <limits>

namespace leakbisect {
namespace {

struct Unit {
    std::string_view suffix;
    std::int64_t factor;
};

// Longest suffixes first so "KiB" is not read as "B".
constexpr std::array kByteUnits{
    Unit{"KiB", 1024LL}, Unit{"MiB", 1024LL * 1024}, Unit{"GiB", 1024LL * 1024 * 1024},
    Unit{"KB", 1000LL},  Unit{"MB", 1000LL * 1000},  Unit{"GB", 1000LL * 1000 * 1000},
    Unit{"B", 1LL},
};

constexpr std::array kDurationUnits{
    Unit{"ms", 1LL},
    Unit{"s", 1000LL},
    Unit{"m", 60'000LL},
    Unit{"h", 3'600'000LL},
};

// Splits "12.5KiB" into 12.5 and "KiB". Returns false when no number leads the text.
bool split_number(std::string_view text, double& number, std::string_view& suffix) {
    std::size_t end = 0;
    while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '.')) {
        ++end;
    }
    if (end == 0) {
        return false;
    }
    const std::string digits(text.substr(0, end));
    char* parse_end = nullptr;
    number = std::strtod(digits.c_str(), &parse_end);
    if (parse_end != digits.c_str() + digits.size()) {
        return false;
    }
    suffix = text.substr(end);
    while (!suffix.empty() && suffix.front() == ' ') {
        suffix.remove_prefix(1);
    }
    return true;
}

template <std::size_t N> const Unit* find_unit(const std::array<Unit, N>& units, std::string_view suffix) {
    for (const Unit& unit : units) {
        if (unit.suffix == suffix) {
            return &unit;
        }
    }
    return nullptr;
}

} // namespace

ParsedBytes parse_bytes(std::string_view text) {
    double number = 0;
    std::string_view suffix;
    if (!split_number(text, number, suffix)) {
        return {std::nullopt,
                fmt::format("'{}' is not a size; write bytes as an integer or like \"64KiB\"", text)};
    }
    const Unit* unit = suffix.empty() ? &kByteUnits.back() : find_unit(kByteUnits, suffix);
    if (unit == nullptr) {
        return {std::nullopt,
                fmt::format("'{}' has an unknown size unit '{}'; use B, KiB, MiB, GiB, KB, MB or GB", text,
                            suffix)};
    }
    const double value = number * static_cast<double>(unit->factor);
    if (value > static_cast<double>(std::numeric_limits<std::int64_t>::max() / 2)) {
        return {std::nullopt, fmt::format("'{}' is too large", text)};
    }
    return {Bytes{static_cast<std::int64_t>(std::llround(value))}, {}};
}

ParsedDuration parse_duration(std::string_view text) {
    double number = 0;
    std::string_view suffix;
    if (!split_number(text, number, suffix) || suffix.empty()) {
        return {
            std::nullopt,
            fmt::format("'{}' is not a duration; write it like \"250ms\", \"10s\", \"5m\" or \"1h\"", text)};
    }
    const Unit* unit = find_unit(kDurationUnits, suffix);
    if (unit == nullptr) {
        return {std::nullopt,
                fmt::format("'{}' has an unknown time unit '{}'; use ms, s, m or h", text, suffix)};
    }
    return {Milliseconds{std::llround(number * static_cast<double>(unit->factor))}, {}};
}

std::string format_bytes(double bytes) {
    if (!std::isfinite(bytes)) {
        return bytes < 0 ? "-∞" : "∞"; // an unbounded side of a confidence interval
    }
    const double magnitude = std::fabs(bytes);
    if (magnitude < 1024) {
        return fmt::format("{:.0f} B", bytes);
    }
    if (magnitude < 1024.0 * 1024) {
        return fmt::format("{:.1f} KiB", bytes / 1024);
    }
    if (magnitude < 1024.0 * 1024 * 1024) {
        return fmt::format("{:.1f} MiB", bytes / (1024.0 * 1024));
    }
    return fmt::format("{:.2f} GiB", bytes / (1024.0 * 1024 * 1024));
}

std::string format_duration(Milliseconds duration) {
    const auto total_ms = duration.count();
    if (total_ms < 1000) {
        return fmt::format("{}ms", total_ms);
    }
    const double seconds = static_cast<double>(total_ms) / 1000.0;
    if (seconds < 60) {
        return fmt::format("{:.1f}s", seconds);
    }
    const auto whole_seconds = total_ms / 1000;
    if (whole_seconds < 3600) {
        return fmt::format("{}m{:02}s", whole_seconds / 60, whole_seconds % 60);
    }
    return fmt::format("{}h{:02}m", whole_seconds / 3600, (whole_seconds % 3600) / 60);
}

} // namespace leakbisect
