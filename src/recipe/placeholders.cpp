#include "leakbisect/recipe/placeholders.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

namespace leakbisect {
namespace {

// A placeholder is "{identifier}". Braces around anything else ("\\d{3}", "{\"a\": 1}") are
// plain text, so regexes and JSON in env values need no escaping.
bool is_identifier(std::string_view text) {
    if (text.empty() || std::isdigit(static_cast<unsigned char>(text.front()))) {
        return false;
    }
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

struct PlaceholderAt {
    std::size_t begin; // the '{'
    std::size_t end;   // one past the '}'
    std::string_view name;
};

// The next "{identifier}" at or after `from`.
std::optional<PlaceholderAt> next_placeholder(std::string_view text, std::size_t from) {
    for (std::size_t open = text.find('{', from); open != std::string_view::npos;
         open = text.find('{', open + 1)) {
        const std::size_t close = text.find('}', open + 1);
        if (close == std::string_view::npos) {
            return std::nullopt;
        }
        const std::string_view name = text.substr(open + 1, close - open - 1);
        if (is_identifier(name)) {
            return PlaceholderAt{open, close + 1, name};
        }
    }
    return std::nullopt;
}

struct KnownPlaceholder {
    std::string_view name;
    std::string (*value)(const Placeholders&);
};

constexpr std::array kKnown{
    KnownPlaceholder{"port", [](const Placeholders& values) { return std::to_string(values.port); }},
    KnownPlaceholder{"recipe_dir", [](const Placeholders& values) { return values.recipe_dir.string(); }},
    KnownPlaceholder{"run_dir", [](const Placeholders& values) { return values.run_dir.string(); }},
    KnownPlaceholder{"probe_dir", [](const Placeholders& values) { return values.probe_dir.string(); }},
};

const KnownPlaceholder* find_known(std::string_view name) {
    const auto match = std::find_if(kKnown.begin(), kKnown.end(),
                                    [&](const KnownPlaceholder& known) { return known.name == name; });
    return match == kKnown.end() ? nullptr : &*match;
}

} // namespace

const std::vector<std::string>& known_placeholders() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> list;
        for (const KnownPlaceholder& known : kKnown) {
            list.emplace_back(known.name);
        }
        return list;
    }();
    return names;
}

std::string expand_placeholders(std::string_view text, const Placeholders& values) {
    std::string result;
    std::size_t copied = 0;
    for (auto at = next_placeholder(text, 0); at; at = next_placeholder(text, at->end)) {
        const KnownPlaceholder* known = find_known(at->name);
        if (known == nullptr) {
            continue;
        }
        result.append(text.substr(copied, at->begin - copied));
        result += known->value(values);
        copied = at->end;
    }
    result.append(text.substr(copied));
    return result;
}

std::string unknown_placeholder(std::string_view text) {
    for (auto at = next_placeholder(text, 0); at; at = next_placeholder(text, at->end)) {
        if (find_known(at->name) == nullptr) {
            return std::string(text.substr(at->begin, at->end - at->begin));
        }
    }
    return "";
}

std::vector<std::string> expand_placeholders(const std::vector<std::string>& argv,
                                             const Placeholders& values) {
    std::vector<std::string> expanded;
    for (const std::string& argument : argv) {
        expanded.push_back(expand_placeholders(argument, values));
    }
    return expanded;
}

std::vector<std::pair<std::string, std::string>>
expand_placeholders(const std::vector<std::pair<std::string, std::string>>& environment,
                    const Placeholders& values) {
    std::vector<std::pair<std::string, std::string>> expanded;
    for (const auto& [key, value] : environment) {
        expanded.emplace_back(key, expand_placeholders(value, values));
    }
    return expanded;
}

} // namespace leakbisect
