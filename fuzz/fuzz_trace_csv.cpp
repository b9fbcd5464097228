// The trace CSV reader (analyze's input, a probe's memory.csv) on any bytes.
#include "leakbisect/verdict/trace.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto trace = leakbisect::parse_trace_csv(text, "fuzz.csv");
    if (trace) {
        (void)leakbisect::trace_to_csv(*trace); // what it read, it can write back
    } else {
        (void)leakbisect::to_string(trace.error());
    }
    return 0;
}
