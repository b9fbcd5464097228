// The journal reader on any bytes: records, a torn tail, or an Error naming the line. Each record
// read is written back and must read again (its checksum verifies) as the same probe. Doubles are
// not compared: Boost.JSON 1.81 parses them to within one ULP, not always to the double written.
#include "leakbisect/journal/journal.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto contents = leakbisect::parse_journal(text, "journal.jsonl");
    if (!contents) {
        (void)leakbisect::to_string(contents.error());
        return 0;
    }
    for (const leakbisect::ProbeRecord& record : contents->records) {
        const std::string line = leakbisect::to_json_line(record);
        const auto again = leakbisect::from_json_line(line, "again");
        if (!again || again->index != record.index || again->role != record.role ||
            again->enabled != record.enabled || again->judgement.verdict != record.judgement.verdict ||
            again->directory != record.directory || again->failure != record.failure) {
            std::abort(); // a record the journal wrote must read back as itself
        }
    }
    return 0;
}
