// `leakbisect init [DIR] [--out FILE] [--force]`: recognises the app in DIR, writes a starter recipe
// (never over an existing file without --force), and prints what it found, the chunk helper for
// the app's language and the next steps.
#pragma once

#include <string>

namespace leakbisect {

struct InitOptions {
    std::string app_dir = ".";
    std::string out; // "": APP_DIR/leakbisect.toml
    bool force = false;
};

int init_command(const InitOptions& options);

} // namespace leakbisect
