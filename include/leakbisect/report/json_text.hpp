// JSON text for people as well as tools: the reports and `analyze --json`. Boost.JSON writes every
// double in its shortest round-trip scientific form ("1E2", "3.6076748080000005E0"); this writes
// whole numbers as integers, others in plain decimal, and indents nested values.
#pragma once

#include <boost/json/value.hpp>
#include <string>

namespace leakbisect {

// A double as plain JSON decimal: a whole number without a fraction ("100"), any other rounded to
// six significant digits without an exponent ("3.60767", "0.000123457"); not finite: "null".
std::string json_number(double value);

// The whole value, two spaces of indentation per level, keys in the order they were inserted.
std::string to_json_text(const boost::json::value& value);

} // namespace leakbisect
