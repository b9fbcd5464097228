// Reads an 8-bit RGB or RGBA PNG (what Chromium's screenshots are) into pixels, so a test can
// tell a rendered page from a blank one by its colours.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace e2e {

struct Pixels {
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    std::vector<std::uint8_t> rgb; // width * height * 3
};

// nullopt (and `problem` says why) for anything but a non-interlaced 8-bit RGB(A) PNG.
std::optional<Pixels> read_png(const std::filesystem::path& file, std::string& problem);

} // namespace e2e
