#include "leakbisect/journal/journal.hpp"

#include "leakbisect/core/files.hpp"
#include "leakbisect/journal/json_number.hpp"

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

Status append_bytes(const std::filesystem::path& file, std::string_view bytes) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        return make_error(ErrorKind::io, file.string(), std::strerror(errno));
    }
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t result = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (result < 0 && errno == EINTR) {
            continue;
        }
        if (result < 0) {
            const std::string reason = std::strerror(errno);
            ::close(fd);
            return make_error(ErrorKind::io, file.string(), "cannot append: " + reason);
        }
        written += static_cast<std::size_t>(result);
    }
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced) {
        return make_error(ErrorKind::io, file.string(), std::string("cannot fsync: ") + std::strerror(errno));
    }
    return Ok{};
}

constexpr std::pair<RecordRole, std::string_view> kRoleNames[] = {
    {RecordRole::baseline, "baseline"}, {RecordRole::all_on, "all-on"},   {RecordRole::bisect, "bisect"},
    {RecordRole::linear, "linear"},     {RecordRole::narrow, "narrow"},   {RecordRole::confirm, "confirm"},
    {RecordRole::interact, "interact"}, {RecordRole::recheck, "recheck"}, {RecordRole::measure, "measure"},
    {RecordRole::survey, "survey"},
};

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
    object["confidence"] = record.judgement.confidence;
    object["blocks"] = record.judgement.blocks;
    object["looks"] = record.looks;
    object["judged_span"] = record.judgement.judged_span;
    object["settled_at"] = record.judgement.settled_at; // where the judged window began, for the charts
    object["reason"] = record.judgement.reason;
    object["against_reference"] = record.judgement.against_reference;
    object["failure"] = record.failure;
    object["directory"] = record.directory;
    object["started_at"] = record.started_at;
    object["wall_seconds"] = record.wall_seconds;
    object["attempts"] = record.attempts;
    object["requests"] = record.requests;
    object["failed_requests"] = record.failed_requests;
    object["requests_per_second"] = record.requests_per_second;
    object["latency_p50_ms"] = record.latency_p50_ms;
    object["latency_p99_ms"] = record.latency_p99_ms;
    object["first_bytes"] = record.first_bytes;
    object["last_bytes"] = record.last_bytes;
    object["processes"] = record.processes;
    return json::serialize(object);
}

Expected<ProbeRecord> from_json_line(std::string_view line, const std::string& where) {
    try {
        const json::object object = json::parse(line).as_object();
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
        return record;
    } catch (const std::exception& error) {
        return make_error(ErrorKind::bad_input, where, fmt::format("not a journal record: {}", error.what()));
    }
}

Status append_to_journal(const std::filesystem::path& journal_file, const ProbeRecord& record) {
    return append_bytes(journal_file, to_json_line(record) + "\n");
}

Expected<std::size_t> repair_torn_tail(const std::filesystem::path& journal_file) {
    const auto text = read_text_file(journal_file, ErrorKind::bad_input);
    if (!text) {
        return text.error();
    }
    if (text->empty() || text->back() == '\n') {
        return std::size_t{0};
    }
    const std::size_t newline = text->rfind('\n');
    const std::size_t start = newline == std::string::npos ? 0 : newline + 1;
    const std::string_view fragment = std::string_view(*text).substr(start);
    if (from_json_line(fragment, journal_file.string())) {
        if (Status ended = append_bytes(journal_file, "\n"); !ended) {
            return ended.error();
        }
        return std::size_t{0};
    }
    std::filesystem::path torn = journal_file;
    torn.replace_extension(".torn");
    if (Status kept = append_bytes(torn, std::string(fragment) + "\n"); !kept) {
        return kept.error();
    }
    if (::truncate(journal_file.c_str(), static_cast<off_t>(start)) != 0) {
        return make_error(ErrorKind::io, journal_file.string(),
                          std::string("cannot cut off its torn last line: ") + std::strerror(errno));
    }
    return fragment.size();
}

Expected<std::vector<ProbeRecord>> read_journal(const std::filesystem::path& journal_file) {
    std::ifstream input(journal_file);
    if (!input) {
        return make_error(ErrorKind::bad_input, journal_file.string(), "cannot open the journal");
    }
    std::vector<std::string> lines;
    std::string line;
    bool last_complete = true;
    while (std::getline(input, line)) {
        lines.push_back(line);
        last_complete = !input.eof();
    }
    std::vector<ProbeRecord> records;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].empty()) {
            continue;
        }
        const std::string where = fmt::format("{}:{}", journal_file.string(), i + 1);
        auto record = from_json_line(lines[i], where);
        if (!record) {
            const bool torn_tail = i + 1 == lines.size() && !last_complete;
            if (torn_tail) {
                break;
            }
            return record.error();
        }
        records.push_back(std::move(record.value()));
    }
    return records;
}

} // namespace leakbisect
