#include "log_relay.hpp"

#include "leakbisect/core/units.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <unistd.h>

namespace leakbisect::app_detail {
namespace {

constexpr int kPollMilliseconds = 50;
constexpr std::size_t kReadSize = std::size_t{64} * 1024;

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

void write_at(int fd, const char* data, std::size_t size, std::uint64_t offset) {
    while (size > 0) {
        const ssize_t written = ::pwrite(fd, data, size, static_cast<off_t>(offset));
        if (written < 0 && errno == EINTR) {
            continue;
        }
        if (written <= 0) {
            return; // a full disk loses log output, never the probe
        }
        data += written;
        size -= static_cast<std::size_t>(written);
        offset += static_cast<std::uint64_t>(written);
    }
}

} // namespace

Expected<std::unique_ptr<LogRelay>> LogRelay::open(const std::filesystem::path& file, LogCap cap) {
    int ends[2];
    if (::pipe2(ends, O_CLOEXEC) != 0) {
        return make_error(ErrorKind::io, "pipe()", std::strerror(errno));
    }
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        const int failure = errno;
        ::close(ends[0]);
        ::close(ends[1]);
        return make_error(ErrorKind::io, file.string(),
                          fmt::format("cannot write the app's log: {}", std::strerror(failure)));
    }
    return std::unique_ptr<LogRelay>(new LogRelay(ends[0], ends[1], fd, file, cap));
}

LogRelay::LogRelay(int read_end, int write_end, int file, std::filesystem::path path, LogCap cap)
    : read_end_(read_end), write_end_(write_end), file_(file), path_(std::move(path)), cap_(cap),
      thread_([this] { relay(); }) {}

LogRelay::~LogRelay() {
    finish(std::chrono::milliseconds(0));
}

void LogRelay::close_write_end() {
    if (write_end_ >= 0) {
        ::close(write_end_);
        write_end_ = -1;
    }
}

void LogRelay::finish(std::chrono::milliseconds wait) {
    close_write_end();
    if (!thread_.joinable()) {
        return;
    }
    deadline_ns_.store(now_ns() + std::chrono::duration_cast<std::chrono::nanoseconds>(wait).count());
    finishing_.store(true);
    thread_.join();
    ::close(read_end_);
    ::close(file_);
}

void LogRelay::relay() {
    std::string buffer(kReadSize, '\0');
    while (true) {
        pollfd wanted{read_end_, POLLIN, 0};
        const int ready = ::poll(&wanted, 1, kPollMilliseconds);
        if (ready > 0) {
            const ssize_t count = ::read(read_end_, buffer.data(), buffer.size());
            if (count == 0) {
                break; // every writer has closed the pipe
            }
            if (count > 0) {
                write_output(buffer.data(), static_cast<std::size_t>(count));
                continue;
            }
            if (errno != EINTR && errno != EAGAIN) {
                break;
            }
        }
        // A process that escaped every kill may still hold the pipe: stop waiting at the deadline.
        if (finishing_.load() && now_ns() >= deadline_ns_.load()) {
            break;
        }
    }
    if (after_head_ > tail_bytes()) {
        compact();
    }
}

void LogRelay::write_output(const char* data, std::size_t size) {
    const auto head_room = static_cast<std::size_t>(
        std::min<std::uint64_t>(size, head_bytes() - std::min(head_written_, head_bytes())));
    if (head_room > 0) {
        write_at(file_, data, head_room, file_size_);
        head_written_ += head_room;
        file_size_ += head_room;
        data += head_room;
        size -= head_room;
    }
    if (size == 0) {
        return;
    }
    const auto tail = static_cast<std::size_t>(tail_bytes());
    after_head_ += size;
    recent_.append(data, size);
    if (recent_.size() > 2 * tail) {
        recent_.erase(0, recent_.size() - tail);
    }
    write_at(file_, data, size, file_size_);
    file_size_ += size;
    in_file_after_marker_ += size;
    if (in_file_after_marker_ > 2 * static_cast<std::uint64_t>(tail)) {
        compact();
    }
}

void LogRelay::compact() {
    const std::size_t kept = std::min(recent_.size(), static_cast<std::size_t>(tail_bytes()));
    const std::uint64_t dropped = after_head_ - kept;
    if (dropped == 0) {
        return;
    }
    const std::string marker =
        fmt::format("\n[leakbisect: {} bytes of output dropped here; the log keeps the first {} and the "
                    "last {}]\n",
                    dropped, format_bytes(static_cast<double>(cap_.head.value)),
                    format_bytes(static_cast<double>(cap_.tail.value)));
    if (::ftruncate(file_, static_cast<off_t>(head_written_)) != 0) {
        return; // the file keeps growing rather than lose what it has
    }
    write_at(file_, marker.data(), marker.size(), head_written_);
    write_at(file_, recent_.data() + recent_.size() - kept, kept, head_written_ + marker.size());
    recent_.erase(0, recent_.size() - kept);
    file_size_ = head_written_ + marker.size() + kept;
    in_file_after_marker_ = kept;
}

} // namespace leakbisect::app_detail
