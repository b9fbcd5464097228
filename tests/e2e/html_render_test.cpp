// End-to-end: report.html as a person sees it. A real run on the shop, its report rendered by
// headless Chromium (Debian's `chromium`) to a PNG, and the picture checked: not blank, and the
// charts drawn (the leak's red and the plateau's green curves are there). Skipped, saying so,
// where Chromium is not installed.
#include "e2e_support.hpp"
#include "png_pixels.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fmt/format.h>

using namespace e2e;

namespace {

// Pixels within a small distance of a colour.
std::size_t count_near(const Pixels& pixels, int red, int green, int blue) {
    std::size_t count = 0;
    for (std::size_t i = 0; i + 2 < pixels.rgb.size(); i += 3) {
        if (std::abs(pixels.rgb[i] - red) + std::abs(pixels.rgb[i + 1] - green) +
                std::abs(pixels.rgb[i + 2] - blue) <
            60) {
            ++count;
        }
    }
    return count;
}

} // namespace

TEST_CASE("report.html renders in headless Chromium with its charts drawn") {
    if (!command_succeeds("command -v chromium")) {
        WARN("skipped: Chromium is not installed (apt-get install chromium), so report.html cannot be "
             "rendered");
        return;
    }
    const Scratch scratch;
    const RunFinding finding = run_shop(ShopRecipe{}, scratch);
    INFO(finding.output);
    REQUIRE(finding.exit_code == 10);
    const auto page = finding.run_folder / "report.html";
    const auto shot = scratch.dir / "report.png";
    const std::string command = fmt::format(
        "timeout 180 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir='{}' "
        "--window-size=1000,1400 --screenshot='{}' 'file://{}' > '{}' 2>&1",
        (scratch.dir / "chromium-profile").string(), shot.string(), page.string(),
        (scratch.dir / "chromium.log").string());
    REQUIRE(std::system(command.c_str()) == 0);

    std::string problem;
    const auto pixels = read_png(shot, problem);
    INFO(problem);
    REQUIRE(pixels);
    REQUIRE(pixels->width == 1000);
    REQUIRE(pixels->height == 1400);
    const std::size_t all = std::size_t{pixels->width} * pixels->height;
    const std::size_t white = count_near(*pixels, 255, 255, 255);
    INFO("non-white pixels: " << all - white << " of " << all);
    REQUIRE(all - white > all / 20); // not a blank page
    // The deciding pair's curves at the top: the first leak (#c62828) and the last plateau (#2e7d32).
    CHECK(count_near(*pixels, 0xc6, 0x28, 0x28) > 500);
    CHECK(count_near(*pixels, 0x2e, 0x7d, 0x32) > 200);
}
