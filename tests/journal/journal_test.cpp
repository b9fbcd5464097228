#include "leakbisect/journal/journal.hpp"

#include "leakbisect/core/files.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <unistd.h>

using namespace leakbisect;

namespace {

std::filesystem::path fresh_journal() {
    const auto file =
        std::filesystem::temp_directory_path() / ("journal-test-" + std::to_string(::getpid()) + ".jsonl");
    std::filesystem::remove(file);
    return file;
}

ProbeRecord sample_record(std::size_t index) {
    ProbeRecord record;
    record.index = index;
    record.role = RecordRole::bisect;
    record.enabled = {"a", "b", "b.c"};
    record.judgement.verdict = Verdict::leak;
    record.judgement.rate = 2048.5;
    record.judgement.rate_low = 2000;
    record.judgement.rate_high = INFINITY;
    record.judgement.reason = "grows";
    record.judgement.judged_span = 2500;
    record.judgement.settled_at = 940;
    record.directory = "probes/003-bisect";
    record.requests = 3000;
    record.looks = 2;
    record.first_bytes = 1 << 20;
    record.last_bytes = 5 << 20;
    return record;
}

} // namespace

TEST_CASE("journal records are appended and read back whole") {
    const auto file = fresh_journal();
    REQUIRE(append_to_journal(file, sample_record(1)).has_value());
    REQUIRE(append_to_journal(file, sample_record(2)).has_value());
    const auto records = read_journal(file);
    REQUIRE(records.has_value());
    REQUIRE(records->size() == 2);
    const ProbeRecord& second = records->at(1);
    REQUIRE(second.index == 2);
    REQUIRE(second.enabled == std::vector<std::string>{"a", "b", "b.c"});
    REQUIRE(second.judgement.verdict == Verdict::leak);
    REQUIRE(second.judgement.rate == Approx(2048.5));
    REQUIRE(std::isinf(second.judgement.rate_high));
    REQUIRE(second.last_bytes == 5 << 20);
    REQUIRE(second.looks == 2);
    REQUIRE(second.judgement.judged_span == Approx(2500)); // the report's charts mark the judged window
    REQUIRE(second.judgement.settled_at == Approx(940));
    std::filesystem::remove(file);
}

TEST_CASE("a torn last line from a crash mid-write is ignored") {
    const auto file = fresh_journal();
    REQUIRE(append_to_journal(file, sample_record(1)).has_value());
    std::ofstream(file, std::ios::app) << R"({"index":2,"role":"bis)";
    const auto records = read_journal(file);
    REQUIRE(records.has_value());
    REQUIRE(records->size() == 1);
    std::filesystem::remove(file);
}

TEST_CASE("a corrupt line in the middle is an error naming the line") {
    const auto file = fresh_journal();
    std::ofstream(file) << "not json\n";
    REQUIRE(append_to_journal(file, sample_record(2)).has_value());
    const auto records = read_journal(file);
    REQUIRE_FALSE(records.has_value());
    REQUIRE_THAT(to_string(records.error()), Catch::Contains(":1:"));
    std::filesystem::remove(file);
}

TEST_CASE("a record of an older version, with its prefix field and string role, still reads") {
    const auto file = fresh_journal();
    std::ofstream(file)
        << R"({"index":3,"role":"recheck","prefix":2,"enabled":["a"],"verdict":"LEAK","rate":12})"
        << "\n";
    const auto records = read_journal(file);
    REQUIRE(records.has_value());
    REQUIRE(records->front().role == RecordRole::recheck);
    REQUIRE(to_json_line(records->front()).find("\"role\":\"recheck\"") != std::string::npos);
    std::filesystem::remove(file);
}

TEST_CASE("every role is journaled as the string older versions wrote, and read back as itself") {
    const std::pair<RecordRole, std::string_view> roles[] = {
        {RecordRole::baseline, "baseline"}, {RecordRole::all_on, "all-on"},
        {RecordRole::bisect, "bisect"},     {RecordRole::linear, "linear"},
        {RecordRole::narrow, "narrow"},     {RecordRole::confirm, "confirm"},
        {RecordRole::interact, "interact"}, {RecordRole::recheck, "recheck"},
        {RecordRole::measure, "measure"},   {RecordRole::survey, "survey"},
    };
    for (const auto& [role, name] : roles) {
        REQUIRE(to_string(role) == name);
        REQUIRE(record_role_from_string(name) == role);
    }
    REQUIRE_FALSE(record_role_from_string("prefix").has_value());
}

TEST_CASE("a torn last line is cut off before the next append, kept in journal.torn") {
    const auto dir =
        std::filesystem::temp_directory_path() / ("leakbisect-torn-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const auto file = dir / "journal.jsonl";
    ProbeRecord first;
    first.index = 1;
    first.judgement.verdict = Verdict::plateau;
    REQUIRE(append_to_journal(file, first).has_value());
    ProbeRecord second = first;
    second.index = 2;
    const std::string whole = to_json_line(second);

    SECTION("a half-written record") {
        {
            std::ofstream out(file, std::ios::app);
            out << whole.substr(0, whole.size() / 2); // a kill mid-write: no newline
        }
        const auto cut = repair_torn_tail(file);
        REQUIRE(cut.has_value());
        REQUIRE(*cut == whole.size() / 2);
        REQUIRE(std::filesystem::exists(dir / "journal.torn"));
        ProbeRecord third = first;
        third.index = 3;
        REQUIRE(append_to_journal(file, third).has_value());
        const auto records = read_journal(file);
        REQUIRE(records.has_value());
        REQUIRE(records->size() == 2);
        REQUIRE(records->back().index == 3);
    }
    SECTION("a whole record that only lacks its newline keeps it") {
        {
            std::ofstream out(file, std::ios::app);
            out << whole;
        }
        const auto cut = repair_torn_tail(file);
        REQUIRE(cut.has_value());
        REQUIRE(*cut == 0);
        REQUIRE(append_to_journal(file, first).has_value());
        REQUIRE(read_journal(file)->size() == 3);
    }
    SECTION("a whole journal is left alone") {
        REQUIRE(repair_torn_tail(file).value() == 0);
        REQUIRE_FALSE(std::filesystem::exists(dir / "journal.torn"));
    }
    std::filesystem::remove_all(dir);
}

namespace {

// The line with one character of its rate changed, as a bit flip on disk or a bad sector would.
std::string damaged(std::string line) {
    const std::size_t rate = line.find("\"rate\":2.0485E3");
    REQUIRE(rate != std::string::npos);
    line[rate + 8] = '9';
    return line;
}

} // namespace

TEST_CASE("every journal line ends in a checksum of the record") {
    const std::string line = to_json_line(sample_record(1));
    REQUIRE_THAT(line, Catch::Matches(R"(\{.*,"crc32":"[0-9a-f]{8}"\})"));
    REQUIRE(from_json_line(line, "j:1").has_value());
    const auto broken = from_json_line(damaged(line), "j:1");
    REQUIRE_FALSE(broken.has_value());
    REQUIRE_THAT(to_string(broken.error()), Catch::Contains("j:1") && Catch::Contains("checksum"));
}

TEST_CASE("a damaged line in the middle of the journal is an error naming its line") {
    const auto file = fresh_journal();
    std::ofstream(file) << to_json_line(sample_record(1)) << "\n"
                        << damaged(to_json_line(sample_record(2))) << "\n"
                        << to_json_line(sample_record(3)) << "\n";
    const auto records = read_journal(file);
    REQUIRE_FALSE(records.has_value());
    REQUIRE_THAT(to_string(records.error()),
                 Catch::Contains(file.string() + ":2:") && Catch::Contains("checksum"));
    std::filesystem::remove(file);
}

TEST_CASE("a damaged last line is a torn tail: left out, then cut off into journal.torn") {
    const auto dir =
        std::filesystem::temp_directory_path() / ("leakbisect-crc-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const auto file = dir / "journal.jsonl";
    const std::string bad = damaged(to_json_line(sample_record(2)));
    std::ofstream(file) << to_json_line(sample_record(1)) << "\n" << bad << "\n";
    REQUIRE(read_journal(file).value().size() == 1);
    REQUIRE(repair_torn_tail(file).value() == bad.size() + 1);
    REQUIRE(read_text_file(dir / "journal.torn", ErrorKind::io).value() == bad + "\n");
    REQUIRE(append_to_journal(file, sample_record(2)).has_value());
    const auto records = read_journal(file);
    REQUIRE(records.value().size() == 2);
    REQUIRE(records->back().index == 2);
    std::filesystem::remove_all(dir);
}

TEST_CASE("a record that is no record says why without the JSON library's source location") {
    for (const std::string_view line :
         {R"({"index":"seven","role":"bisect","verdict":"LEAK"})", R"({"index":1,"role":)", "[1,2]"}) {
        const auto record = from_json_line(line, "j:4");
        REQUIRE_FALSE(record.has_value());
        const std::string text = to_string(record.error());
        REQUIRE_THAT(text, Catch::StartsWith("j:4: not a journal record"));
        REQUIRE_THAT(text, !Catch::Contains("boost") && !Catch::Contains(".hpp"));
    }
}

// Found by fuzz/fuzz_journal: 5.9E448720 reads as infinity, which was written back as `Infinity`,
// a line no JSON reader takes.
TEST_CASE("a number too large for a double is written back as JSON, never as Infinity") {
    const std::string old_line =
        R"({"index":1,"role":"measure","verdict":"PLATEAU","latency_p99_ms":5.9E448720,"wall_seconds":-1e999})";
    const auto record = from_json_line(old_line, "j:1");
    REQUIRE(record.has_value());
    const std::string line = to_json_line(*record);
    REQUIRE_THAT(line, !Catch::Contains("Infinity") && !Catch::Contains("inf"));
    REQUIRE(from_json_line(line, "j:1").has_value());
}

TEST_CASE("a probe's cgroup is journaled with its version, and left out when it had none") {
    ProbeRecord record = sample_record(1);
    CHECK(to_json_line(record).find("cgroup") == std::string::npos);
    record.cgroup = "/sys/fs/cgroup/memory/leakbisect-812.4410.3";
    record.cgroup_version = 1;
    const std::string line = to_json_line(record);
    CHECK_THAT(line, Catch::Contains(
                         R"("cgroup":"/sys/fs/cgroup/memory/leakbisect-812.4410.3","cgroup_version":1)"));
    const auto read = from_json_line(line, "journal.jsonl:1");
    REQUIRE(read.has_value());
    CHECK(read->cgroup == record.cgroup);
    CHECK(read->cgroup_version == 1);
}
