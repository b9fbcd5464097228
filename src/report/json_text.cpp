#include "leakbisect/report/json_text.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <fmt/format.h>

namespace leakbisect {
namespace {

constexpr int kSignificantDigits = 6;
constexpr int kMaxDecimals = 12;       // below 1e-12 a measurement of bytes or seconds is zero
constexpr double kExactInteger = 9e15; // doubles hold every integer below 2^53

void append_indent(std::string& out, int depth) {
    out.append(static_cast<std::size_t>(depth) * 2, ' ');
}

void append_value(std::string& out, const boost::json::value& value, int depth) {
    switch (value.kind()) {
    case boost::json::kind::object: {
        const boost::json::object& object = value.get_object();
        if (object.empty()) {
            out += "{}";
            return;
        }
        out += "{\n";
        bool first = true;
        for (const auto& member : object) {
            if (!first) {
                out += ",\n";
            }
            first = false;
            append_indent(out, depth + 1);
            out += boost::json::serialize(member.key());
            out += ": ";
            append_value(out, member.value(), depth + 1);
        }
        out += '\n';
        append_indent(out, depth);
        out += '}';
        return;
    }
    case boost::json::kind::array: {
        const boost::json::array& array = value.get_array();
        if (array.empty()) {
            out += "[]";
            return;
        }
        // Arrays of scalars (an interval, a chunk list) stay on one line.
        const bool flat = std::none_of(array.begin(), array.end(), [](const boost::json::value& element) {
            return element.is_object() || element.is_array();
        });
        out += flat ? "[" : "[\n";
        for (std::size_t i = 0; i < array.size(); ++i) {
            if (i > 0) {
                out += flat ? ", " : ",\n";
            }
            if (!flat) {
                append_indent(out, depth + 1);
            }
            append_value(out, array[i], depth + 1);
        }
        if (!flat) {
            out += '\n';
            append_indent(out, depth);
        }
        out += ']';
        return;
    }
    case boost::json::kind::double_:
        out += json_number(value.get_double());
        return;
    default: // strings (escaped), integers, booleans and null: Boost.JSON's form is already plain
        out += boost::json::serialize(value);
        return;
    }
}

} // namespace

std::string json_number(double value) {
    if (!std::isfinite(value)) {
        return "null";
    }
    if (value == std::trunc(value) && std::fabs(value) < kExactInteger) {
        return value == 0 ? "0" : fmt::format("{:.0f}", value);
    }
    const int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(value))));
    const int decimals = std::clamp(kSignificantDigits - 1 - magnitude, 0, kMaxDecimals);
    std::string text = fmt::format("{:.{}f}", value, decimals);
    if (text.find('.') != std::string::npos) {
        text.erase(text.find_last_not_of('0') + 1);
        if (text.back() == '.') {
            text.pop_back();
        }
    }
    return text == "-0" ? "0" : text;
}

std::string to_json_text(const boost::json::value& value) {
    std::string out;
    append_value(out, value, 0);
    out += '\n';
    return out;
}

} // namespace leakbisect
