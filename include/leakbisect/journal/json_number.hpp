// Doubles as JSON numbers: JSON has no infinity or NaN, so the journal and the reports write a
// value that is not finite (an unbounded side of an interval, an undefined rate) as null.
// cli keeps its own copy: the dependency rule lets it include neither journal nor report.
#pragma once

#include <boost/json/value.hpp>
#include <cmath>

namespace leakbisect {

inline boost::json::value finite_or_null(double value) {
    return std::isfinite(value) ? boost::json::value(value) : boost::json::value(nullptr);
}

} // namespace leakbisect
