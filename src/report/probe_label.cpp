#include "leakbisect/report/probe_label.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <set>

namespace leakbisect {
namespace {

// Lists past this length are counted ("first 7 of 10"), never spelled out.
constexpr std::size_t kMostNamesSpelled = 3;

// The chunks one level below `parent` ("" for the top level), in recipe order.
std::vector<std::string> children_of(const std::string& parent, const std::vector<std::string>& chunks) {
    std::vector<std::string> children;
    for (const std::string& name : chunks) {
        if (parent.empty() ? name.find('.') == std::string::npos
                           : name.size() > parent.size() + 1 && name.starts_with(parent + ".") &&
                                 name.find('.', parent.size() + 1) == std::string::npos) {
            children.push_back(name);
        }
    }
    return children;
}

std::string spelled(const std::vector<std::string>& names, std::string_view sign, std::size_t strip) {
    std::vector<std::string> words;
    for (const std::string& name : names) {
        words.push_back(fmt::format("{}{}", sign, name.substr(strip)));
    }
    return fmt::format("{}", fmt::join(words, " "));
}

// One level: which of `members` are on, as "none", "all N", "first k of N", "last k of N",
// "+a +b" or "all but -c".
std::string describe_level(const std::set<std::string>& on, const std::vector<std::string>& members,
                           std::size_t strip) {
    std::vector<std::string> chosen;
    std::vector<std::string> left_out;
    for (const std::string& name : members) {
        (on.count(name) == 1 ? chosen : left_out).push_back(name);
    }
    const std::size_t total = members.size();
    if (chosen.empty()) {
        return "none";
    }
    if (left_out.empty()) {
        return total == 1 ? spelled(chosen, "+", strip) : fmt::format("all {}", total);
    }
    if (chosen.size() <= 2) {
        return spelled(chosen, "+", strip);
    }
    const auto is_prefix = std::equal(chosen.begin(), chosen.end(), members.begin());
    if (is_prefix) {
        return fmt::format("first {} of {}", chosen.size(), total);
    }
    if (std::equal(chosen.begin(), chosen.end(),
                   members.end() - static_cast<std::ptrdiff_t>(chosen.size()))) {
        return fmt::format("last {} of {}", chosen.size(), total);
    }
    if (left_out.size() <= 2) {
        return "all but " + spelled(left_out, "-", strip);
    }
    if (chosen.size() <= kMostNamesSpelled) {
        return spelled(chosen, "+", strip);
    }
    return fmt::format("{} of {}: {}", chosen.size(), total, spelled(chosen, "+", strip));
}

void describe_below(const std::string& parent, const std::set<std::string>& on,
                    const std::vector<std::string>& chunks, std::string& text) {
    for (const std::string& member : children_of(parent, chunks)) {
        if (on.count(member) == 0) {
            continue;
        }
        const std::vector<std::string> children = children_of(member, chunks);
        if (children.empty()) {
            continue;
        }
        const bool all_follow = std::all_of(children.begin(), children.end(),
                                            [&](const std::string& c) { return on.count(c) == 1; });
        if (!all_follow) {
            text += fmt::format(" ({}.*: {})", member, describe_level(on, children, member.size() + 1));
        }
        describe_below(member, on, chunks, text);
    }
}

} // namespace

std::string describe_enabled(const std::vector<std::string>& enabled,
                             const std::vector<std::string>& chunks) {
    const std::set<std::string> on(enabled.begin(), enabled.end());
    std::string text = describe_level(on, children_of("", chunks), 0);
    describe_below("", on, chunks, text);
    return text;
}

} // namespace leakbisect
