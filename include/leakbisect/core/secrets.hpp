// Command-line arguments that look like secrets, masked before leakbisect prints or writes a
// command (the terminal, app failures in the journal and every report). The rule is by name, as
// for environment variables: a name holding PASSWORD, PASSWD, SECRET, TOKEN, API_KEY, APIKEY,
// ACCESS_KEY, PRIVATE_KEY, CREDENTIAL or AUTH (any case, `-` or `_`) marks its value secret.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace leakbisect {

inline constexpr std::string_view kRedacted = "***";

// Whether a variable or option name names a secret: "DB_PASSWORD", "--api-key", "authToken".
bool names_a_secret(std::string_view name);

// The argv with secret values replaced by `***`: the value of `--password=x` or `TOKEN=x`, the
// argument after `--token` or `-p`-style options whose name names a secret, the password of a
// URL (`postgres://user:***@host`), and long key-like words (24+ letters and digits, both kinds).
std::vector<std::string> redact_arguments(const std::vector<std::string>& argv);

} // namespace leakbisect
