#include "leakbisect/core/files.hpp"

#include <catch2/catch.hpp>
#include <unistd.h>

using namespace leakbisect;

namespace {

struct Folder {
    Folder()
        : path(std::filesystem::temp_directory_path() / ("leakbisect-files-" + std::to_string(::getpid()))) {
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~Folder() { std::filesystem::remove_all(path); }
    Folder(const Folder&) = delete;
    Folder& operator=(const Folder&) = delete;
    std::filesystem::path path;
};

} // namespace

TEST_CASE("a written file replaces the old one whole and leaves no temporary file") {
    const Folder folder;
    const auto file = folder.path / "junit.xml";
    REQUIRE(write_text_file(file, "old").has_value());
    REQUIRE(write_text_file(file, "new content").has_value());
    REQUIRE(read_text_file(file, ErrorKind::io).value() == "new content");
    REQUIRE(std::distance(std::filesystem::directory_iterator(folder.path), {}) == 1);
}

TEST_CASE("a write the file system refuses names the file and the system's reason") {
    const Folder folder;
    SECTION("no such folder") {
        const auto written = write_text_file(folder.path / "gone" / "memory.csv", "x");
        REQUIRE_FALSE(written.has_value());
        REQUIRE(written.error().kind == ErrorKind::io);
        REQUIRE_THAT(to_string(written.error()),
                     Catch::Contains("gone/memory.csv") && Catch::Contains("No such file or directory"));
    }
    SECTION("a folder in the way keeps what was there and leaves no temporary file") {
        std::filesystem::create_directories(folder.path / "load.json" / "inside");
        const auto written = write_text_file(folder.path / "load.json", "x");
        REQUIRE_FALSE(written.has_value());
        REQUIRE_THAT(to_string(written.error()),
                     Catch::Contains("load.json") && Catch::Contains("Is a directory"));
        REQUIRE(std::filesystem::is_directory(folder.path / "load.json" / "inside"));
        REQUIRE(std::distance(std::filesystem::directory_iterator(folder.path), {}) == 1);
    }
    SECTION("the full device") {
        const auto appended = append_to_file("/dev/full", "a line\n");
        REQUIRE_FALSE(appended.has_value());
        REQUIRE_THAT(to_string(appended.error()),
                     Catch::Contains("/dev/full") && Catch::Contains("No space left"));
    }
}

TEST_CASE("a file for the owner only is created 0600") {
    const Folder folder;
    const auto file = folder.path / "recipe.toml";
    REQUIRE(write_text_file(file, "secret = 1", FileAccess::owner_only).has_value());
    const auto permissions = std::filesystem::status(file).permissions();
    REQUIRE((permissions & std::filesystem::perms::all) ==
            (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
}
