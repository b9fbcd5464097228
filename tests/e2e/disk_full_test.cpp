// End-to-end: the disk fills up in the middle of a run (a real tmpfs, filled to its last byte).
// The run ends with exit 1 naming the file and the system's reason, the journal holds every
// probe before it and nothing torn, and once space is freed `resume` finishes the search.
// Needs root to mount the tmpfs; skipped, saying so, elsewhere.
#include "e2e_support.hpp"

#include "leakbisect/journal/journal.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <fcntl.h>
#include <fstream>
#include <sys/mount.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace e2e;

namespace {

// A small tmpfs at `dir` while it lives.
struct SmallDisk {
    explicit SmallDisk(const std::filesystem::path& at) : dir(at) {
        std::filesystem::create_directories(dir);
        mounted = ::mount("tmpfs", dir.c_str(), "tmpfs", 0, "size=64m") == 0;
    }
    ~SmallDisk() {
        if (mounted) {
            ::umount2(dir.c_str(), MNT_DETACH);
        }
    }
    SmallDisk(const SmallDisk&) = delete;
    SmallDisk& operator=(const SmallDisk&) = delete;
    std::filesystem::path dir;
    bool mounted = false;
};

std::size_t journaled(const std::filesystem::path& journal) {
    if (!std::filesystem::exists(journal)) {
        return 0;
    }
    const auto records = leakbisect::read_journal(journal);
    return records ? records->size() : 0;
}

// Writes to `file` until the file system refuses: the disk is then full to its last page.
void fill(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    REQUIRE(fd >= 0);
    const std::string block(1 << 16, 'x');
    std::size_t size = block.size();
    while (size > 0) {
        if (::write(fd, block.data(), size) < 0) {
            size /= 2; // the last pages, to the last byte the disk takes
        }
    }
    ::close(fd);
}

std::string read_all(const std::filesystem::path& file) {
    std::ifstream input(file);
    return {std::istreambuf_iterator<char>(input), std::istreambuf_iterator<char>()};
}

} // namespace

TEST_CASE("a disk that fills mid-run ends it with exit 1, the journal whole, and resume finishes it") {
    const Scratch scratch;
    const SmallDisk disk(scratch.dir / "disk");
    if (!disk.mounted) {
        WARN("skipped: mounting a tmpfs needs root (CAP_SYS_ADMIN)");
        return;
    }
    ShopRecipe shop;
    shop.requests = 20000; // probes long enough to fill the disk in the middle of one
    const auto recipe = write_shop_recipe(scratch.dir, shop);
    const auto runs = disk.dir / "runs";
    const pid_t pid =
        spawn_leakbisect({"run", recipe.string(), "--out", runs.string()}, scratch.dir / "first.txt");
    std::filesystem::path journal;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < deadline) {
        if (std::filesystem::exists(runs) && !std::filesystem::is_empty(runs)) {
            journal = only_run_folder(runs) / "journal.jsonl";
            if (journaled(journal) >= 2) {
                break;
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    REQUIRE(journaled(journal) >= 2);
    fill(disk.dir / "filler");
    const std::size_t before = journaled(journal);

    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    const std::string output = read_all(scratch.dir / "first.txt");
    INFO(output);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 1);
    REQUIRE_THAT(output, Catch::Contains("No space left on device") && Catch::Contains("leakbisect resume"));
    // Every record is whole: nothing torn, nothing journaled past the probe that could not be written.
    const auto records = leakbisect::read_journal(journal);
    REQUIRE(records.has_value());
    REQUIRE(records->size() >= before);
    const std::string text = read_all(journal);
    REQUIRE((text.empty() || text.back() == '\n'));
    for (const auto& record : *records) {
        REQUIRE(std::filesystem::file_size(journal.parent_path() / record.directory / "memory.csv") > 0);
    }

    std::filesystem::remove(disk.dir / "filler");
    const Result resumed =
        run_leakbisect({"resume", journal.parent_path().string()}, scratch.dir / "second.txt");
    INFO(resumed.output);
    REQUIRE(resumed.exit_code == 10);
    REQUIRE_THAT(resumed.output, !Catch::Contains("torn"));
    REQUIRE(read_report(journal.parent_path()).at("finding").as_object().at("culprit").as_string() ==
            "warnings_panel");
}
