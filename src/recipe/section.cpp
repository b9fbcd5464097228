#include "section.hpp"

#include "leakbisect/core/text.hpp"
#include "leakbisect/recipe/placeholders.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <tuple>

namespace leakbisect::recipe_detail {
namespace {

std::string quoted_list(const std::vector<std::string>& names) {
    std::vector<std::string> quoted;
    for (const std::string& name : names) {
        quoted.push_back(fmt::format("\"{}\"", name));
    }
    return fmt::format("{}", fmt::join(quoted, ", "));
}

bool holds_integer_text(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return !text.empty() && error == std::errc{} && end == text.data() + text.size();
}

std::string describe_value(double value) {
    return fmt::format("{}", value);
}

} // namespace

std::string describe_type(const toml::node& node) {
    switch (node.type()) {
    case toml::node_type::string:
        return "a string";
    case toml::node_type::integer:
        return "an integer";
    case toml::node_type::floating_point:
        return "a float";
    case toml::node_type::boolean:
        return "a boolean";
    case toml::node_type::date:
        return "a date";
    case toml::node_type::time:
        return "a time";
    case toml::node_type::date_time:
        return "a date-time";
    case toml::node_type::array:
        return "an array";
    case toml::node_type::table:
        return "a table";
    case toml::node_type::none:
        break;
    }
    return "nothing";
}

std::string describe_value(const toml::node& node) {
    if (node.is_integer()) {
        return std::to_string(node.as_integer()->get());
    }
    if (node.is_string()) {
        return fmt::format("\"{}\"", node.as_string()->get());
    }
    return describe_type(node);
}

bool has_blank_or_control(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte <= ' ' || byte == 0x7f;
    });
}

void Diagnostics::report(const toml::source_position& position, std::string message) {
    keep(Class::written, position,
         make_error(ErrorKind::bad_recipe,
                    fmt::format("{}:{}:{}", file_label_, position.line, position.column),
                    std::move(message)));
}

void Diagnostics::report_missing(const toml::source_position& position, std::string message) {
    keep(Class::missing, position,
         make_error(ErrorKind::bad_recipe,
                    fmt::format("{}:{}:{}", file_label_, position.line, position.column),
                    std::move(message)));
}

void Diagnostics::report_missing_in_file(std::string message) {
    keep(Class::missing_in_file, {}, make_error(ErrorKind::bad_recipe, file_label_, std::move(message)));
}

void Diagnostics::keep(Class error_class, const toml::source_position& position, Error error) {
    const auto rank = [](Class kept_class, const toml::source_position& at) {
        return std::tuple(kept_class, at.line, at.column);
    };
    if (!kept_ || rank(error_class, position) < rank(kept_->error_class, kept_->position)) {
        kept_ = Kept{error_class, position, std::move(error)};
    }
}

std::string Section::key_path(std::string_view key) const {
    return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
}

const toml::node* Section::find(std::string_view key) const {
    return table_->get(key);
}

void Section::allow_only(std::span<const std::string_view> known) const {
    const std::vector<std::string> known_keys(known.begin(), known.end());
    for (const auto& [key, node] : entries_in_order()) {
        if (std::find(known_keys.begin(), known_keys.end(), key->str()) != known_keys.end()) {
            continue;
        }
        const std::string suggestion = closest_match(key->str(), known_keys);
        if (!suggestion.empty()) {
            fail(*key,
                 fmt::format("unknown key '{}' {}; did you mean '{}'?", key->str(), label_, suggestion));
        } else {
            fail(*key, fmt::format("unknown key '{}' {}; the known keys are {}", key->str(), label_,
                                   fmt::join(known_keys, ", ")));
        }
        return;
    }
}

std::vector<std::pair<const toml::key*, const toml::node*>> Section::entries_in_order() const {
    std::vector<std::pair<const toml::key*, const toml::node*>> entries;
    for (const auto& [key, node] : *table_) {
        entries.emplace_back(&key, &node);
    }
    std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
        return a.first->source().begin < b.first->source().begin;
    });
    return entries;
}

void Section::fail(const toml::node& node, std::string message) const {
    diagnostics_->report(node.source().begin, std::move(message));
}

void Section::fail(const toml::key& key, std::string message) const {
    diagnostics_->report(key.source().begin, std::move(message));
}

void Section::fail_missing(std::string message) const {
    diagnostics_->report_missing(table_->source().begin, std::move(message));
}

bool Section::read_string(std::string_view key, std::string& out) const {
    const toml::node* node = find(key);
    if (node == nullptr) {
        return false;
    }
    if (!node->is_string()) {
        fail(*node, fmt::format("{} must be a string, got {}", key_path(key), describe_type(*node)));
        return false;
    }
    out = node->as_string()->get();
    return true;
}

bool Section::read_bool(std::string_view key, bool& out) const {
    const toml::node* node = find(key);
    if (node == nullptr) {
        return false;
    }
    if (!node->is_boolean()) {
        fail(*node, fmt::format("{} must be true or false, got {}", key_path(key), describe_type(*node)));
        return false;
    }
    out = node->as_boolean()->get();
    return true;
}

bool Section::read_int64(std::string_view key, std::int64_t& out, const IntegerRange& range) const {
    const toml::node* node = find(key);
    if (node == nullptr) {
        return false;
    }
    if (!node->is_integer()) {
        const bool quoted_number = node->is_string() && holds_integer_text(node->as_string()->get());
        fail(*node,
             fmt::format("{} must be {}, got {}{}", key_path(key), range.description, describe_type(*node),
                         quoted_number ? "; write the number without quotes" : ""));
        return false;
    }
    const std::int64_t value = node->as_integer()->get();
    if (value < range.min || value > range.max) {
        fail(*node, fmt::format("{} must be {}, got {}", key_path(key), range.description, value));
        return false;
    }
    out = value;
    return true;
}

bool Section::read_number(std::string_view key, double& out, const NumberRange& range) const {
    const toml::node* node = find(key);
    if (node == nullptr) {
        return false;
    }
    if (!node->is_number()) {
        fail(*node,
             fmt::format("{} must be {}, got {}", key_path(key), range.description, describe_type(*node)));
        return false;
    }
    const double value = node->is_integer() ? static_cast<double>(node->as_integer()->get())
                                            : node->as_floating_point()->get();
    const bool inside = range.bounds == Bounds::inclusive ? (value >= range.min && value <= range.max)
                                                          : (value > range.min && value < range.max);
    if (!std::isfinite(value) || !inside) {
        fail(*node,
             fmt::format("{} must be {}, got {}", key_path(key), range.description, describe_value(value)));
        return false;
    }
    out = value;
    return true;
}

bool Section::read_duration(std::string_view key, Milliseconds& out, DurationFloor floor) const {
    const toml::node* node = find(key);
    if (node == nullptr) {
        return false;
    }
    if (!node->is_string()) {
        fail(*node, fmt::format("{} must be a duration like \"10s\" or \"250ms\", got {}", key_path(key),
                                describe_type(*node)));
        return false;
    }
    const std::string& text = node->as_string()->get();
    const ParsedDuration parsed = parse_duration(text);
    if (!parsed.duration) {
        fail(*node, fmt::format("{}: {}", key_path(key), parsed.problem));
        return false;
    }
    if (floor == DurationFloor::positive && parsed.duration->count() <= 0) {
        fail(*node, fmt::format("{} must be longer than 0ms, got \"{}\"", key_path(key), text));
        return false;
    }
    out = *parsed.duration;
    return true;
}

bool Section::read_positive_bytes(std::string_view key, Bytes& out) const {
    const toml::node* node = find(key);
    if (node == nullptr) {
        return false;
    }
    Bytes bytes;
    if (node->is_integer()) {
        bytes = Bytes{node->as_integer()->get()};
    } else if (node->is_string()) {
        const ParsedBytes parsed = parse_bytes(node->as_string()->get());
        if (!parsed.bytes) {
            fail(*node, fmt::format("{}: {}", key_path(key), parsed.problem));
            return false;
        }
        bytes = *parsed.bytes;
    } else {
        fail(*node, fmt::format("{} must be a size like \"100B\" or \"64KiB\", or a number of bytes, got {}",
                                key_path(key), describe_type(*node)));
        return false;
    }
    if (bytes.value <= 0) {
        fail(*node, fmt::format("{} must be more than 0 bytes, got {}", key_path(key), bytes.value));
        return false;
    }
    out = bytes;
    return true;
}

std::optional<std::size_t> Section::read_choice_index(std::string_view key,
                                                      const std::vector<std::string>& names) const {
    const toml::node* node = find(key);
    if (node == nullptr) {
        return std::nullopt;
    }
    if (!node->is_string()) {
        fail(*node, fmt::format("{} must be one of {}, got {}", key_path(key), quoted_list(names),
                                describe_type(*node)));
        return std::nullopt;
    }
    const std::string& text = node->as_string()->get();
    const auto match = std::find(names.begin(), names.end(), text);
    if (match != names.end()) {
        return static_cast<std::size_t>(match - names.begin());
    }
    const std::string suggestion = closest_match(text, names);
    fail(*node, fmt::format("{} must be one of {}, got \"{}\"{}", key_path(key), quoted_list(names), text,
                            suggestion.empty() ? "" : fmt::format("; did you mean \"{}\"?", suggestion)));
    return std::nullopt;
}

std::optional<Section> Section::read_table(std::string_view key, std::string_view expected) const {
    const toml::node* node = find(key);
    if (node == nullptr) {
        return std::nullopt;
    }
    if (!node->is_table()) {
        fail(*node, fmt::format("{} must be {}, got {}", key_path(key), expected, describe_type(*node)));
        return std::nullopt;
    }
    const std::string path = key_path(key);
    return Section(*node->as_table(), path, fmt::format("in [{}]", path), *diagnostics_);
}

const toml::array* read_table_array(const Section& section, std::string_view key, std::string_view header) {
    const toml::node* node = section.find(key);
    if (node == nullptr) {
        return nullptr;
    }
    const std::string path = section.key_path(key);
    if (node->is_table()) {
        section.fail(*node,
                     fmt::format("{} is a list: write each entry under {} (two brackets)", path, header));
        return nullptr;
    }
    const toml::array* array = node->as_array();
    if (array == nullptr || (!array->empty() && !array->is_array_of_tables())) {
        section.fail(*node,
                     fmt::format("{} must be a list of {} tables, got {}", path, header,
                                 array == nullptr ? describe_type(*node) : "an array of other values"));
        return nullptr;
    }
    if (array->empty()) {
        section.fail(*node, fmt::format("{} must not be empty: add a {} table", path, header));
        return nullptr;
    }
    return array;
}

bool read_argv(const Section& section, std::string_view key, std::vector<std::string>& out,
               std::string_view example) {
    const toml::node* node = section.find(key);
    if (node == nullptr) {
        return false;
    }
    const std::string path = section.key_path(key);
    const toml::array* array = node->as_array();
    if (array == nullptr) {
        section.fail(*node, fmt::format("{} must be an array of strings (argv, no shell), e.g. {}, got {}",
                                        path, example, describe_type(*node)));
        return false;
    }
    if (array->empty()) {
        section.fail(*node, fmt::format("{} must not be empty: give the program and its arguments, e.g. {}",
                                        path, example));
        return false;
    }
    std::vector<std::string> argv;
    for (std::size_t i = 0; i < array->size(); ++i) {
        const toml::node& element = *array->get(i);
        const std::string element_path = fmt::format("{}[{}]", path, i);
        if (!element.is_string()) {
            section.fail(element,
                         fmt::format("{} must be a string, got {}", element_path, describe_type(element)));
            return false;
        }
        const std::string& text = element.as_string()->get();
        if (i == 0 && text.empty()) {
            section.fail(element,
                         fmt::format("{} must name the program to run, e.g. {}", element_path, example));
            return false;
        }
        check_placeholders(section, element, element_path, text);
        argv.push_back(text);
    }
    out = std::move(argv);
    return true;
}

void check_placeholders(const Section& section, const toml::node& node, std::string_view path,
                        std::string_view text) {
    const std::string unknown = unknown_placeholder(text);
    if (unknown.empty()) {
        return;
    }
    std::vector<std::string> known;
    for (const std::string& name : known_placeholders()) {
        known.push_back("{" + name + "}");
    }
    const std::string suggestion = closest_match(unknown, known);
    section.fail(node,
                 fmt::format("unknown placeholder {} in {}{}; the known placeholders are {}", unknown, path,
                             suggestion.empty() ? "" : fmt::format(" (did you mean {}?)", suggestion),
                             fmt::join(known, ", ")));
}

bool is_valid_variable_name(std::string_view name) {
    return !name.empty() && name.find('=') == std::string_view::npos && !has_blank_or_control(name);
}

} // namespace leakbisect::recipe_detail
