// What a Boost.JSON failure says to a user: its message without the library's source location
// ("not a number", not "not a number [boost.json:24 at /usr/include/boost/json/value.hpp:2370 ...]").
#pragma once

#include <boost/system/system_error.hpp>
#include <exception>
#include <string>

namespace leakbisect {

inline std::string json_failure_text(const std::exception& failure) {
    if (const auto* system = dynamic_cast<const boost::system::system_error*>(&failure)) {
        return system->code().message();
    }
    return failure.what();
}

} // namespace leakbisect
