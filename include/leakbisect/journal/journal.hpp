// The journal of a run: one JSON object per finished probe in journal.jsonl, appended and
// fsynced before the next probe starts. It is the source of truth for resume and reports;
// everything else in the run folder can be rebuilt from it.
#pragma once

#include "leakbisect/core/expected.hpp"
#include "leakbisect/verdict/verdict.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leakbisect {

// What a probe was run for: a stage of the search (`bisect` and `linear` are the top-level
// search's steps), one probe of `measure`, or one page of `survey`.
enum class RecordRole {
    baseline,
    all_on,
    bisect,
    linear,
    narrow,
    confirm,
    interact,
    recheck,
    crash, // the search for the chunk whose enabling makes the app crash
    measure,
    survey
};

// The journal's spelling, also the probe folder's suffix: "baseline", "all-on", "bisect", ...
std::string_view to_string(RecordRole role);
std::optional<RecordRole> record_role_from_string(std::string_view text);

struct ProbeRecord {
    std::size_t index = 0; // 1-based, in the order the probes ran
    RecordRole role = RecordRole::measure;
    std::string page;                 // survey: the one [[load.request]] of the load, "GET /orders/42"
    std::vector<std::string> enabled; // every chunk that was on, sub-chunks included
    Judgement judgement;              // the verdict, its rate, interval and reason
    std::string failure;              // SKIPPED or INVALID: why
    std::string directory;            // relative to the run folder: "probes/003-bisect"
    std::string started_at;           // local time, ISO 8601
    double wall_seconds = 0;          // boot + load + stop
    unsigned attempts = 1;            // boots, retries included
    std::uint64_t requests = 0;       // finished requests of the load
    std::size_t looks = 0;            // judgements on the live app: 1 + the extensions (0: a load command)
    std::uint64_t failed_requests = 0;
    double requests_per_second = 0;
    double latency_p50_ms = 0;
    double latency_p99_ms = 0;
    std::int64_t first_bytes = 0; // memory at the first and last sample
    std::int64_t last_bytes = 0;
    unsigned processes = 0; // processes in the last sample
    // The app's own cgroup (its folder) and its hierarchy's version (1 or 2); empty and 0 when the
    // probe ran without one. With memory.metric = "cgroup" it is what was measured.
    std::string cgroup;
    unsigned cgroup_version = 0;
    // Each [[load.request]] sent once after the load, in mix order: "200 5123 1f0c9a7e42b3d8c5" (status,
    // body bytes, digest with digits masked). Compared between the baseline and the all-on probe.
    std::vector<std::string> responses;
};

// One record per line, ending in the CRC-32 of the line without it (`,"crc32":"1a2b3c4d"}`), so
// that a damaged line is told from a whole one; from_json_line verifies it where a line has one.
std::string to_json_line(const ProbeRecord& record);
Expected<ProbeRecord> from_json_line(std::string_view line, const std::string& where);

// Appends one record and fsyncs the file before returning.
Status append_to_journal(const std::filesystem::path& journal_file, const ProbeRecord& record);

// A journal's text: its records, and where a torn last line starts, if there is one. A line is
// torn when it is the last and either lacks its newline and is no record (a crash mid-write) or
// fails its checksum (a damaged write); any other bad line is an error naming file:line. Lines
// written before records carried a checksum are read as they are.
struct JournalContents {
    std::vector<ProbeRecord> records;
    std::size_t torn_offset = 0; // the torn line's first byte
    std::size_t torn_bytes = 0;  // 0: no torn line
};
Expected<JournalContents> parse_journal(std::string_view text, const std::string& file_name);

// Every whole record of the file; a torn last line is left out (see parse_journal).
Expected<std::vector<ProbeRecord>> read_journal(const std::filesystem::path& journal_file);

// Before appending to a journal a crash or a full disk may have left mid-write: a torn last line
// (see parse_journal) is cut off and kept in `journal.torn` beside the journal
// (appended to it), so the next record starts a line of its own instead of joining the fragment
// into a line no reader accepts. A whole record that only lacks its newline gets it. Returns the
// bytes cut off (0: the journal was whole).
Expected<std::size_t> repair_torn_tail(const std::filesystem::path& journal_file);

} // namespace leakbisect
