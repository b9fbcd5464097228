// The app's stdout and stderr go through a pipe to this relay, which writes them to the log file
// live but bounded: the first `head` bytes stay, then only the most recent output (at least `tail`
// bytes, at most 2 x `tail` while the app runs, exactly `tail` once it has ended), with a line
// saying how many bytes were dropped in between. Internal to the app module.
#pragma once

#include "leakbisect/app/app_process.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

namespace leakbisect::app_detail {

class LogRelay {
  public:
    // Fails (with errno's text) when the pipe or the file cannot be made.
    static Expected<std::unique_ptr<LogRelay>> open(const std::filesystem::path& file, LogCap cap);

    LogRelay(const LogRelay&) = delete;
    LogRelay& operator=(const LogRelay&) = delete;
    ~LogRelay();

    // The pipe's write end, for the child's stdout and stderr; close it here once the child has it.
    int write_end() const { return write_end_; }
    void close_write_end();

    // Waits up to `wait` for every writer to close the pipe, writes the final tail, and returns.
    void finish(std::chrono::milliseconds wait);

  private:
    LogRelay(int read_end, int write_end, int file, std::filesystem::path path, LogCap cap);
    void relay();
    void write_output(const char* data, std::size_t size);
    void compact(); // the file becomes head + "dropped" line + the last `tail` bytes
    std::uint64_t head_bytes() const {
        return static_cast<std::uint64_t>(std::max<std::int64_t>(0, cap_.head.value));
    }
    std::uint64_t tail_bytes() const {
        return static_cast<std::uint64_t>(std::max<std::int64_t>(1, cap_.tail.value));
    }

    int read_end_;
    int write_end_;
    int file_;
    std::filesystem::path path_;
    LogCap cap_;
    std::uint64_t head_written_ = 0;
    std::uint64_t file_size_ = 0;
    std::uint64_t after_head_ = 0; // output bytes past the head, dropped or not
    std::uint64_t in_file_after_marker_ = 0;
    std::string recent_; // the latest output past the head: up to 2 x tail bytes
    std::atomic<bool> finishing_{false};
    std::atomic<std::int64_t> deadline_ns_{0};
    std::thread thread_;
};

} // namespace leakbisect::app_detail
