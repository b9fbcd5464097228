// Reading one TOML table of a recipe (private to the recipe module): typed fields with their
// range checks, unknown keys with a "did you mean", and the first error kept with its
// file:line:column. The section readers (sections.hpp) say what a recipe means; this says how to read it.
#pragma once

#include "leakbisect/core/expected.hpp"
#include "leakbisect/core/units.hpp"
#include "leakbisect/recipe/recipe.hpp"

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <toml++/toml.h>
#include <utility>
#include <vector>

namespace leakbisect::recipe_detail {

// "a string", "an integer", ... for "must be X, got Y" messages.
std::string describe_type(const toml::node& node);

// The value itself where it is short and telling (an integer, a string in quotes), else its type.
std::string describe_value(const toml::node& node);

// Whether `text` holds a space, tab, newline or other control character.
bool has_blank_or_control(std::string_view text);

// Keeps one error to show. Mistakes in what is written come first, the earliest in the file
// first, so the user reads about the first line to fix; then what is missing, which is often a
// consequence of a mistake (a misspelt key leaves the right one missing).
class Diagnostics {
  public:
    explicit Diagnostics(std::string file_label) : file_label_(std::move(file_label)) {}

    void report(const toml::source_position& position, std::string message);
    // Something required is missing from the table at `position`.
    void report_missing(const toml::source_position& position, std::string message);
    // Something required is missing from the whole file, which has no line to point at.
    void report_missing_in_file(std::string message);

    bool failed() const { return kept_.has_value(); }
    const std::string& file_label() const { return file_label_; }
    const Error& first() const { return kept_->error; }

  private:
    enum class Class { written, missing, missing_in_file }; // in the order they are shown
    struct Kept {
        Class error_class;
        toml::source_position position;
        Error error;
    };
    void keep(Class error_class, const toml::source_position& position, Error error);

    std::string file_label_;
    std::optional<Kept> kept_;
};

struct IntegerRange {
    std::int64_t min;
    std::int64_t max;
    std::string_view description; // completes "must be ...": "a positive integer"
};
inline constexpr IntegerRange kPositiveInteger{1, std::numeric_limits<std::int64_t>::max(),
                                               "a positive integer"};
inline constexpr IntegerRange kNonNegativeInteger{0, std::numeric_limits<std::int64_t>::max(),
                                                  "a non-negative integer"};

// Counts a recipe may hold; past these a value is a typo, not a plan (and would overflow or never end).
inline constexpr IntegerRange kRequestCount{1, static_cast<std::int64_t>(kMostRequests),
                                            "an integer from 1 to 1000000000"};
inline constexpr IntegerRange kWarmupCount{0, static_cast<std::int64_t>(kMostRequests),
                                           "an integer from 0 to 1000000000"};
inline constexpr IntegerRange kConcurrency{1, 1024, "an integer from 1 to 1024"};
inline constexpr IntegerRange kWeight{1, 1'000'000, "an integer from 1 to 1000000"};
inline constexpr IntegerRange kRepeats{1, 100, "an integer from 1 to 100"};
inline constexpr IntegerRange kRetries{0, 100, "an integer from 0 to 100"};

enum class Bounds { inclusive, exclusive };

struct NumberRange {
    double min;
    double max;
    Bounds bounds;
    std::string_view description; // "a number from 0 to 1"
};

enum class DurationFloor { zero_allowed, positive };

class Section {
  public:
    // `path` prefixes key names in messages ("load" -> "load.requests"; "" at the top level);
    // `label` says where an unknown key stands ("in [load]", "at the top level").
    Section(const toml::table& table, std::string path, std::string label, Diagnostics& diagnostics)
        : table_(&table), path_(std::move(path)), label_(std::move(label)), diagnostics_(&diagnostics) {}

    const toml::table& table() const { return *table_; }
    const std::string& path() const { return path_; }
    Diagnostics& diagnostics() const { return *diagnostics_; }
    std::string key_path(std::string_view key) const;
    const toml::node* find(std::string_view key) const;

    // Reports the first key (in the order written) that is not one of `known`.
    void allow_only(std::span<const std::string_view> known) const;

    // toml++ keeps a table sorted by key; this is the order the user wrote.
    std::vector<std::pair<const toml::key*, const toml::node*>> entries_in_order() const;

    void fail(const toml::node& node, std::string message) const;
    void fail(const toml::key& key, std::string message) const;
    void fail_missing(std::string message) const; // something required is missing from this table

    // Every read_* leaves `out` untouched when the key is absent or its value is wrong (the
    // error is reported), and returns whether it stored a value.
    bool read_string(std::string_view key, std::string& out) const;
    bool read_bool(std::string_view key, bool& out) const;
    bool read_number(std::string_view key, double& out, const NumberRange& range) const;
    bool read_duration(std::string_view key, Milliseconds& out, DurationFloor floor) const;
    bool read_positive_bytes(std::string_view key, Bytes& out) const;

    template <typename Integer>
    bool read_integer(std::string_view key, Integer& out, const IntegerRange& range) const {
        std::int64_t value = 0;
        if (!read_int64(key, value, clamp_to<Integer>(range))) {
            return false;
        }
        out = static_cast<Integer>(value);
        return true;
    }

    // One of `choices` ("rss", "pss", ...), spelled exactly.
    template <typename Enum, std::size_t N>
    bool read_choice(std::string_view key, Enum& out,
                     const std::array<std::pair<std::string_view, Enum>, N>& choices) const {
        std::vector<std::string> names;
        for (const auto& choice : choices) {
            names.emplace_back(choice.first);
        }
        const std::optional<std::size_t> index = read_choice_index(key, names);
        if (index) {
            out = choices[*index].second;
        }
        return index.has_value();
    }

    // A sub-table (`[app.ready]` or an inline `ready = { ... }`); nullopt when absent or not a table.
    // `expected` completes "must be ...", for when the user wrote something else.
    std::optional<Section> read_table(std::string_view key, std::string_view expected = "a table") const;

  private:
    bool read_int64(std::string_view key, std::int64_t& out, const IntegerRange& range) const;
    std::optional<std::size_t> read_choice_index(std::string_view key,
                                                 const std::vector<std::string>& names) const;

    template <typename Integer> static IntegerRange clamp_to(IntegerRange range) {
        constexpr auto largest = std::numeric_limits<Integer>::max();
        if (static_cast<std::uint64_t>(range.max) > static_cast<std::uint64_t>(largest)) {
            range.max = static_cast<std::int64_t>(largest);
        }
        return range;
    }

    const toml::table* table_;
    std::string path_;
    std::string label_;
    Diagnostics* diagnostics_;
};

// The array of tables under `key` (`[[load.request]]`, `[[chunk]]`), or nullptr when absent or
// not one. `header` is how the user should write it, for the message.
const toml::array* read_table_array(const Section& section, std::string_view key, std::string_view header);

// A non-empty array of strings, the program first, as in app.command and load.command.
// Unknown placeholders in any element are errors. `example` shows a correct value.
bool read_argv(const Section& section, std::string_view key, std::vector<std::string>& out,
               std::string_view example);

// Reports the first unknown {placeholder} in `text`, the value of `node` at `path`.
void check_placeholders(const Section& section, const toml::node& node, std::string_view path,
                        std::string_view text);

// Something an environment can hold as a variable name: not empty, no '=', no blanks or controls.
bool is_valid_variable_name(std::string_view name);

} // namespace leakbisect::recipe_detail
