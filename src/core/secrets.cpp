#include "leakbisect/core/secrets.hpp"

#include <algorithm>
#include <cctype>

namespace leakbisect {
namespace {

constexpr std::string_view kSecretWords[] = {"password",  "passwd",     "secret",     "token", "apikey",
                                             "accesskey", "privatekey", "credential", "auth"};

// "--api-key" -> "apikey": case and separators do not matter.
std::string folded(std::string_view name) {
    std::string out;
    for (const char c : name) {
        if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    return out;
}

// A long run of letters and digits (both), like an API key or a hex secret, with no path in it.
bool looks_like_a_key(std::string_view word) {
    constexpr std::size_t kShortestKey = 24;
    if (word.size() < kShortestKey) {
        return false;
    }
    bool letters = false;
    bool digits = false;
    for (const char c : word) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isdigit(byte) != 0) {
            digits = true;
        } else if (std::isalpha(byte) != 0) {
            letters = true;
        } else if (c != '_' && c != '-') {
            return false;
        }
    }
    return letters && digits;
}

// `scheme://user:password@host...` -> `scheme://user:***@host...`
std::string without_url_password(const std::string& argument) {
    const std::size_t scheme = argument.find("://");
    if (scheme == std::string::npos) {
        return argument;
    }
    const std::size_t start = scheme + 3;
    const std::size_t at = argument.find('@', start);
    const std::size_t slash = argument.find('/', start);
    if (at == std::string::npos || (slash != std::string::npos && slash < at)) {
        return argument;
    }
    const std::size_t colon = argument.find(':', start);
    if (colon == std::string::npos || colon > at) {
        return argument;
    }
    return argument.substr(0, colon + 1) + std::string(kRedacted) + argument.substr(at);
}

bool is_option(std::string_view argument) {
    return argument.size() > 1 && argument.front() == '-' && argument.find('=') == std::string_view::npos;
}

} // namespace

bool names_a_secret(std::string_view name) {
    const std::string key = folded(name);
    return std::any_of(std::begin(kSecretWords), std::end(kSecretWords),
                       [&key](std::string_view word) { return key.find(word) != std::string::npos; });
}

std::vector<std::string> redact_arguments(const std::vector<std::string>& argv) {
    std::vector<std::string> out;
    bool value_is_secret = false; // the previous argument was `--password` or the like
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string& argument = argv[i];
        if (value_is_secret && !is_option(argument)) {
            out.emplace_back(kRedacted);
            value_is_secret = false;
            continue;
        }
        value_is_secret = i > 0 && is_option(argument) && names_a_secret(argument);
        if (const std::size_t equals = argument.find('=');
            equals != std::string::npos && equals > 0 &&
            names_a_secret(std::string_view(argument).substr(0, equals))) {
            out.push_back(argument.substr(0, equals + 1) + std::string(kRedacted));
        } else if (looks_like_a_key(argument)) {
            out.emplace_back(kRedacted);
        } else {
            out.push_back(without_url_password(argument));
        }
    }
    return out;
}

} // namespace leakbisect
