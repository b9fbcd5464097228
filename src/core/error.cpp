#include "leakbisect/core/expected.hpp"

namespace leakbisect {

std::string to_string(const Error& error) {
    if (error.where.empty()) {
        return error.message;
    }
    return error.where + ": " + error.message;
}

} // namespace leakbisect
