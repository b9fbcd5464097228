#include "png_pixels.hpp"

#include <array>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <zlib.h>

namespace e2e {
namespace {

std::uint32_t big_endian(const std::uint8_t* bytes) {
    return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) |
           (std::uint32_t{bytes[2]} << 8) | std::uint32_t{bytes[3]};
}

std::uint8_t paeth(int left, int up, int up_left) {
    const int estimate = left + up - up_left;
    const int to_left = std::abs(estimate - left);
    const int to_up = std::abs(estimate - up);
    const int to_up_left = std::abs(estimate - up_left);
    if (to_left <= to_up && to_left <= to_up_left) {
        return static_cast<std::uint8_t>(left);
    }
    return static_cast<std::uint8_t>(to_up <= to_up_left ? up : up_left);
}

} // namespace

std::optional<Pixels> read_png(const std::filesystem::path& file, std::string& problem) {
    std::ifstream in(file, std::ios::binary);
    const std::vector<std::uint8_t> data{std::istreambuf_iterator<char>(in),
                                         std::istreambuf_iterator<char>()};
    constexpr std::array<std::uint8_t, 8> kSignature{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (data.size() < 8 || !std::equal(kSignature.begin(), kSignature.end(), data.begin())) {
        problem = "not a PNG";
        return std::nullopt;
    }
    Pixels pixels;
    std::size_t channels = 0;
    std::vector<std::uint8_t> compressed;
    for (std::size_t at = 8; at + 12 <= data.size();) {
        const std::uint32_t length = big_endian(&data[at]);
        const std::string type(data.begin() + static_cast<std::ptrdiff_t>(at) + 4,
                               data.begin() + static_cast<std::ptrdiff_t>(at) + 8);
        const std::uint8_t* body = &data[at + 8];
        if (at + 12 + length > data.size()) {
            problem = "truncated chunk " + type;
            return std::nullopt;
        }
        if (type == "IHDR") {
            pixels.width = big_endian(body);
            pixels.height = big_endian(body + 4);
            const int depth = body[8];
            const int colour = body[9];
            if (depth != 8 || (colour != 2 && colour != 6) || body[12] != 0) {
                problem = "not a non-interlaced 8-bit RGB(A) PNG";
                return std::nullopt;
            }
            channels = colour == 2 ? 3 : 4;
        } else if (type == "IDAT") {
            compressed.insert(compressed.end(), body, body + length);
        }
        at += 12 + length;
    }
    if (channels == 0) {
        problem = "no IHDR";
        return std::nullopt;
    }
    const std::size_t stride = pixels.width * channels;
    std::vector<std::uint8_t> raw((stride + 1) * pixels.height);
    uLongf raw_size = raw.size();
    if (uncompress(raw.data(), &raw_size, compressed.data(), compressed.size()) != Z_OK ||
        raw_size != raw.size()) {
        problem = "the image data does not inflate to its size";
        return std::nullopt;
    }
    std::vector<std::uint8_t> previous(stride, 0);
    std::vector<std::uint8_t> row(stride);
    pixels.rgb.reserve(std::size_t{pixels.width} * pixels.height * 3);
    for (std::uint32_t y = 0; y < pixels.height; ++y) {
        const std::uint8_t filter = raw[y * (stride + 1)];
        const std::uint8_t* line = &raw[y * (stride + 1) + 1];
        for (std::size_t i = 0; i < stride; ++i) {
            const int left = i >= channels ? row[i - channels] : 0;
            const int up = previous[i];
            const int up_left = i >= channels ? previous[i - channels] : 0;
            int predicted = 0;
            switch (filter) {
            case 1:
                predicted = left;
                break;
            case 2:
                predicted = up;
                break;
            case 3:
                predicted = (left + up) / 2;
                break;
            case 4:
                predicted = paeth(left, up, up_left);
                break;
            default:
                break;
            }
            row[i] = static_cast<std::uint8_t>(line[i] + predicted);
        }
        for (std::size_t x = 0; x < pixels.width; ++x) {
            pixels.rgb.insert(pixels.rgb.end(), row.begin() + static_cast<std::ptrdiff_t>(x * channels),
                              row.begin() + static_cast<std::ptrdiff_t>(x * channels + 3));
        }
        previous.swap(row);
    }
    return pixels;
}

} // namespace e2e
