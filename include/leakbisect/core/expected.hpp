// Expected<T>: a value or an Error a user can act on. Failures a user can fix travel as values;
// the caller decides whether to print them, retry, or turn them into an exit code.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace leakbisect {

enum class ErrorKind {
    bad_usage,   // wrong command line
    bad_recipe,  // the recipe file is wrong: `where` is file:line:column
    bad_input,   // another input file is wrong (a trace, a journal): `where` is file:line
    app_failed,  // the app could not be started or did not become ready: `where` is the command
    io,          // the file system refused something
    interrupted, // the user pressed Ctrl-C
};

struct Error {
    ErrorKind kind = ErrorKind::io;
    std::string where;   // "recipe.toml:12:3", a command line, or a path; may be empty
    std::string message; // what is wrong and, where it helps, what to do
};

// "where: message", the form every error is printed in.
std::string to_string(const Error& error);

template <typename T> class [[nodiscard]] Expected {
  public:
    Expected(T value) : state_(std::move(value)) {}
    Expected(Error error) : state_(std::move(error)) {}

    bool has_value() const { return state_.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & {
        assert(has_value());
        return std::get<0>(state_);
    }
    const T& value() const& {
        assert(has_value());
        return std::get<0>(state_);
    }
    T&& value() && {
        assert(has_value());
        return std::get<0>(std::move(state_));
    }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const {
        assert(!has_value());
        return std::get<1>(state_);
    }

  private:
    std::variant<T, Error> state_;
};

// Expected<void>: success or an Error.
struct Ok {};
using Status = Expected<Ok>;

inline Error make_error(ErrorKind kind, std::string where, std::string message) {
    return Error{kind, std::move(where), std::move(message)};
}

} // namespace leakbisect
