// Bytes and durations as the recipe writes them ("64KiB", "250ms"), parsed into typed values.
// Parsing reports what is wrong with the text; the caller adds the file and line.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace leakbisect {

using Milliseconds = std::chrono::milliseconds;

// A signed byte count: memory can shrink as well as grow.
struct Bytes {
    std::int64_t value = 0;
    friend auto operator<=>(const Bytes&, const Bytes&) = default;
};

// "512B", "64KiB", "10MiB", "1GiB", "5KB" (powers of 1000), or a plain integer string.
// Returns the reason on failure.
struct ParsedBytes {
    std::optional<Bytes> bytes;
    std::string problem;
};
ParsedBytes parse_bytes(std::string_view text);

// "250ms", "10s", "5m", "1h".
struct ParsedDuration {
    std::optional<Milliseconds> duration;
    std::string problem;
};
ParsedDuration parse_duration(std::string_view text);

// Human-readable forms for reports: "1.5 KiB", "12.0 MiB", "-300 B"; "250ms", "1m30s".
std::string format_bytes(double bytes);
std::string format_duration(Milliseconds duration);

} // namespace leakbisect
