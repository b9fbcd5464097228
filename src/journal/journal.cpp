#include "leakbisect/journal/journal.hpp"

#include "leakbisect/core/files.hpp"
#include "leakbisect/journal/json_error.hpp"
#include "leakbisect/journal/json_number.hpp"

#include <boost/crc.hpp>
#include <boost/json.hpp>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <unistd.h>
#include <utility>

namespace leakbisect {

namespace json = boost::json;

namespace {

// A record's line ends in its checksum: `,"crc32":"1a2b3c4d"}`, the CRC-32 of the line as it
// would read without it. A line torn or damaged anywhere fails it; older lines have none.
constexpr std::string_view kChecksumKey = "crc32";
constexpr std::string_view kChecksumOpening = R"(,"crc32":")";
constexpr std::size_t kChecksumTail = kChecksumOpening.size() + 8 + 2; // 8 hex digits, `"}`

std::uint32_t crc32_of(std::string_view text) {
    boost::crc_32_type crc;
    crc.process_bytes(text.data(), text.size());
    return crc.checksum();
}

enum class Checksum { verified, absent, failed };

Checksum check_checksum(std::string_view line, bool object_has_key) {
    const bool has_tail =
        line.size() > kChecksumTail &&
        line.substr(line.size() - kChecksumTail, kChecksumOpening.size()) == kChecksumOpening &&
        line.back() == '}';
    if (!has_tail) {
        return object_has_key ? Checksum::failed : Checksum::absent;
    }
    const std::string_view digits = line.substr(line.size() - 10, 8);
    std::uint32_t written = 0;
    for (const char digit : digits) {
        const int value = digit >= '0' && digit <= '9'   ? digit - '0'
                          : digit >= 'a' && digit <= 'f' ? digit - 'a' + 10
                                                         : -1;
        if (value < 0) {
            return Checksum::failed;
        }
        written = written * 16 + static_cast<std::uint32_t>(value);
    }
    const std::string unsigned_line = std::string(line.substr(0, line.size() - kChecksumTail)) + "}";
    return crc32_of(unsigned_line) == written ? Checksum::verified : Checksum::failed;
}

constexpr std::string_view kChecksumFailure =
    "the record fails its checksum (a damaged or half-written line)";

constexpr std::pair<RecordRole, std::string_view> kRoleNames[] = {
    {RecordRole::baseline, "baseline"}, {RecordRole::all_on, "all-on"},   {RecordRole::bisect, "bisect"},
    {RecordRole::linear, "linear"},     {RecordRole::narrow, "narrow"},   {RecordRole::confirm, "confirm"},
    {RecordRole::interact, "interact"}, {RecordRole::recheck, "recheck"}, {RecordRole::crash, "crash"},
    {RecordRole::measure, "measure"},   {RecordRole::survey, "survey"},
};

// JSON has no infinity: a value that is not finite (one read as 1e999) would make a line no
// reader takes (found by fuzz/fuzz_journal).
double finite_or_zero(double value) {
    return std::isfinite(value) ? value : 0.0;
}

double read_bound(const json::object& object, std::string_view key, double infinite) {
    const json::value* value = object.if_contains(key);
    if (value == nullptr || value->is_null()) {
        return infinite;
    }
    return json::value_to<double>(*value);
}

template <typename T> T read(const json::object& object, std::string_view key, T fallback) {
    const json::value* value = object.if_contains(key);
    if (value == nullptr || value->is_null()) {
        return fallback;
    }
    return json::value_to<T>(*value);
}

} // namespace

std::string_view to_string(RecordRole role) {
    for (const auto& [entry, name] : kRoleNames) {
        if (entry == role) {
            return name;
        }
    }
    return "measure";
}

std::optional<RecordRole> record_role_from_string(std::string_view text) {
    for (const auto& [entry, name] : kRoleNames) {
        if (name == text) {
            return entry;
        }
    }
    return std::nullopt;
}

std::string to_json_line(const ProbeRecord& record) {
    json::object object;
    object["index"] = record.index;
    object["role"] = to_string(record.role);
    if (!record.page.empty()) {
        object["page"] = record.page;
    }
    object["enabled"] = json::value_from(record.enabled);
    object["verdict"] = to_string(record.judgement.verdict);
    object["rate"] = finite_or_zero(record.judgement.rate);
    object["rate_low"] = finite_or_null(record.judgement.rate_low);
    object["rate_high"] = finite_or_null(record.judgement.rate_high);
    object["confidence"] = finite_or_zero(record.judgement.confidence);
    object["blocks"] = record.judgement.blocks;
    object["looks"] = record.looks;
    object["judged_span"] = finite_or_zero(record.judgement.judged_span);
    object["settled_at"] = record.judgement.settled_at; // where the judged window began, for the charts
    object["reason"] = record.judgement.reason;
    object["against_reference"] = record.judgement.against_reference;
    object["failure"] = record.failure;
    object["directory"] = record.directory;
    object["started_at"] = record.started_at;
    object["wall_seconds"] = finite_or_zero(record.wall_seconds);
    object["attempts"] = record.attempts;
    object["requests"] = record.requests;
    object["failed_requests"] = record.failed_requests;
    object["requests_per_second"] = finite_or_zero(record.requests_per_second);
    object["latency_p50_ms"] = finite_or_zero(record.latency_p50_ms);
    object["latency_p99_ms"] = finite_or_zero(record.latency_p99_ms);
    object["first_bytes"] = record.first_bytes;
    object["last_bytes"] = record.last_bytes;
    object["processes"] = record.processes;
    if (!record.cgroup.empty()) {
        object["cgroup"] = record.cgroup;
        object["cgroup_version"] = record.cgroup_version;
    }
    if (!record.responses.empty()) {
        object["responses"] = json::value_from(record.responses);
    }
    const std::string text = json::serialize(object);
    return fmt::format("{}{}{:08x}\"}}", std::string_view(text).substr(0, text.size() - 1), kChecksumOpening,
                       crc32_of(text));
}

namespace {

// A line's record; `checksum_failed` tells a damaged line from one that is not a record at all.
Expected<ProbeRecord> parse_record(std::string_view line, const std::string& where, bool& checksum_failed) {
    try {
        const json::value parsed = json::parse(line);
        if (!parsed.is_object()) {
            return make_error(ErrorKind::bad_input, where, "not a journal record: not a JSON object");
        }
        const json::object& object = parsed.as_object();
        if (check_checksum(line, object.contains(kChecksumKey)) == Checksum::failed) {
            checksum_failed = true;
            return make_error(ErrorKind::bad_input, where, std::string(kChecksumFailure));
        }
        ProbeRecord record;
        record.index = read<std::size_t>(object, "index", 0);
        const auto role = record_role_from_string(read<std::string>(object, "role", ""));
        if (!role) {
            return make_error(ErrorKind::bad_input, where, "the record has no known role");
        }
        record.role = *role;
        // Older journals also hold "prefix" (the top-level prefix a step searched): no longer read.
        record.page = read<std::string>(object, "page", "");
        record.enabled = read<std::vector<std::string>>(object, "enabled", {});
        const auto verdict = verdict_from_string(read<std::string>(object, "verdict", ""));
        if (!verdict) {
            return make_error(ErrorKind::bad_input, where, "the record has no valid verdict");
        }
        record.judgement.verdict = *verdict;
        record.judgement.rate = read<double>(object, "rate", 0);
        record.judgement.rate_low = read_bound(object, "rate_low", -INFINITY);
        record.judgement.rate_high = read_bound(object, "rate_high", INFINITY);
        record.judgement.confidence = read<double>(object, "confidence", 0);
        record.judgement.blocks = read<std::size_t>(object, "blocks", 0);
        record.looks = read<std::size_t>(object, "looks", 0); // newer journals
        record.judgement.judged_span = read<double>(object, "judged_span", 0);
        record.judgement.settled_at = read<double>(object, "settled_at", 0); // newer journals
        record.judgement.reason = read<std::string>(object, "reason", "");
        record.judgement.against_reference = read<bool>(object, "against_reference", false); // newer journals
        record.failure = read<std::string>(object, "failure", "");
        record.directory = read<std::string>(object, "directory", "");
        record.started_at = read<std::string>(object, "started_at", "");
        record.wall_seconds = read<double>(object, "wall_seconds", 0);
        record.attempts = read<unsigned>(object, "attempts", 1);
        record.requests = read<std::uint64_t>(object, "requests", 0);
        record.failed_requests = read<std::uint64_t>(object, "failed_requests", 0);
        record.requests_per_second = read<double>(object, "requests_per_second", 0);
        record.latency_p50_ms = read<double>(object, "latency_p50_ms", 0);
        record.latency_p99_ms = read<double>(object, "latency_p99_ms", 0);
        record.first_bytes = read<std::int64_t>(object, "first_bytes", 0);
        record.last_bytes = read<std::int64_t>(object, "last_bytes", 0);
        record.processes = read<unsigned>(object, "processes", 0);
        record.cgroup = read<std::string>(object, "cgroup", "");
        record.cgroup_version = read<unsigned>(object, "cgroup_version", 0);
        record.responses = read<std::vector<std::string>>(object, "responses", {}); // newer journals
        return record;
    } catch (const std::exception& error) {
        return make_error(ErrorKind::bad_input, where,
                          fmt::format("not a journal record: {}", json_failure_text(error)));
    }
}

} // namespace

Expected<ProbeRecord> from_json_line(std::string_view line, const std::string& where) {
    bool checksum_failed = false;
    return parse_record(line, where, checksum_failed);
}

Expected<JournalContents> parse_journal(std::string_view text, const std::string& file_name) {
    JournalContents contents;
    std::size_t start = 0;
    for (std::size_t number = 1; start < text.size(); ++number) {
        const std::size_t newline = text.find('\n', start);
        const bool complete = newline != std::string_view::npos;
        const std::size_t next = complete ? newline + 1 : text.size();
        const std::string_view line = text.substr(start, (complete ? newline : text.size()) - start);
        if (!line.empty()) {
            bool checksum_failed = false;
            auto record = parse_record(line, fmt::format("{}:{}", file_name, number), checksum_failed);
            if (!record) {
                // Only the last line can be cut short by a crash; a damaged line elsewhere is an error.
                const bool last = text.find_first_not_of('\n', next) == std::string_view::npos;
                if (!last || (complete && !checksum_failed)) {
                    return record.error();
                }
                contents.torn_offset = start;
                contents.torn_bytes = text.size() - start;
                return contents;
            }
            contents.records.push_back(std::move(record.value()));
        }
        start = next;
    }
    return contents;
}

Status append_to_journal(const std::filesystem::path& journal_file, const ProbeRecord& record) {
    return append_to_file(journal_file, to_json_line(record) + "\n");
}

Expected<std::size_t> repair_torn_tail(const std::filesystem::path& journal_file) {
    const auto text = read_text_file(journal_file, ErrorKind::bad_input);
    if (!text) {
        return text.error();
    }
    const auto contents = parse_journal(*text, journal_file.string());
    if (!contents) {
        return contents.error();
    }
    if (contents->torn_bytes == 0) {
        if (!text->empty() && text->back() != '\n') {
            if (Status ended = append_to_file(journal_file, "\n"); !ended) {
                return ended.error();
            }
        }
        return std::size_t{0};
    }
    std::string fragment = text->substr(contents->torn_offset);
    if (fragment.back() != '\n') {
        fragment += '\n';
    }
    std::filesystem::path torn = journal_file;
    torn.replace_extension(".torn");
    if (Status kept = append_to_file(torn, fragment); !kept) {
        return kept.error();
    }
    if (::truncate(journal_file.c_str(), static_cast<off_t>(contents->torn_offset)) != 0) {
        return make_error(ErrorKind::io, journal_file.string(),
                          std::string("cannot cut off its torn last line: ") + std::strerror(errno));
    }
    return contents->torn_bytes;
}

Expected<std::vector<ProbeRecord>> read_journal(const std::filesystem::path& journal_file) {
    auto text = read_text_file(journal_file, ErrorKind::bad_input);
    if (!text) {
        return text.error();
    }
    auto contents = parse_journal(*text, journal_file.string());
    if (!contents) {
        return contents.error();
    }
    return std::move(contents->records);
}

} // namespace leakbisect
