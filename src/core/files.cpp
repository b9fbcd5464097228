#include "leakbisect/core/files.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace leakbisect {
namespace {

Error io_error(const std::filesystem::path& file, std::string_view what, int error_number) {
    return make_error(ErrorKind::io, file.string(), fmt::format("{}: {}", what, std::strerror(error_number)));
}

// Writes every byte, retrying short writes and EINTR; false with errno set on failure.
bool write_all(int fd, std::string_view bytes) {
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t result = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (result < 0 && errno == EINTR) {
            continue;
        }
        if (result < 0) {
            return false;
        }
        written += static_cast<std::size_t>(result);
    }
    return true;
}

std::filesystem::path folder_of(const std::filesystem::path& file) {
    const std::filesystem::path parent = file.parent_path();
    return parent.empty() ? std::filesystem::path(".") : parent;
}

} // namespace

std::optional<std::string> read_small_file(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return std::nullopt;
    }
    std::string content;
    char buffer[4096];
    while (true) {
        const ssize_t count = ::read(fd, buffer, sizeof(buffer));
        if (count < 0 && errno == EINTR) {
            continue;
        }
        if (count <= 0) {
            ::close(fd);
            return count < 0 ? std::nullopt : std::optional<std::string>(std::move(content));
        }
        content.append(buffer, static_cast<std::size_t>(count));
    }
}

Expected<std::string> read_text_file(const std::filesystem::path& file, ErrorKind kind_on_failure) {
    std::ifstream input(file, std::ios::binary);
    if (!input) {
        return make_error(kind_on_failure, file.string(),
                          fmt::format("cannot open the file ({}); check the path", std::strerror(errno)));
    }
    std::ostringstream content;
    content << input.rdbuf();
    return content.str();
}

Status sync_folder(const std::filesystem::path& folder) {
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return io_error(folder, "cannot open the folder to sync it", errno);
    }
    const bool synced = ::fsync(fd) == 0;
    const int reason = errno;
    ::close(fd);
    if (!synced) {
        return io_error(folder, "cannot sync the folder", reason);
    }
    return Ok{};
}

Status write_text_file(const std::filesystem::path& file, std::string_view content, FileAccess access) {
    // A dot name with the pid: never mistaken for the file, never shared by two writers.
    const std::filesystem::path temporary =
        folder_of(file) / fmt::format(".{}.{}.tmp", file.filename().string(), ::getpid());
    const mode_t mode = access == FileAccess::owner_only ? 0600 : 0644;
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) {
        return io_error(file, "cannot write the file", errno);
    }
    const auto fail = [&](std::string_view what, int reason) {
        ::close(fd);
        ::unlink(temporary.c_str());
        return io_error(file, what, reason);
    };
    if (!write_all(fd, content)) {
        return fail("cannot write the file", errno);
    }
    if (::fsync(fd) != 0) {
        return fail("cannot sync the file", errno);
    }
    if (::close(fd) != 0) {
        const int reason = errno;
        ::unlink(temporary.c_str());
        return io_error(file, "cannot write the file", reason);
    }
    if (::rename(temporary.c_str(), file.c_str()) != 0) {
        const int reason = errno;
        ::unlink(temporary.c_str());
        return io_error(file, "cannot put the file in place", reason);
    }
    return sync_folder(folder_of(file));
}

Status append_to_file(const std::filesystem::path& file, std::string_view bytes) {
    std::error_code ignored;
    const bool created = !std::filesystem::exists(file, ignored);
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        return io_error(file, "cannot open the file to append", errno);
    }
    struct stat before {};
    const bool sized = ::fstat(fd, &before) == 0;
    if (!write_all(fd, bytes)) {
        const int reason = errno;
        // A part of the bytes (a full disk) would be a torn line: cut it off again.
        if (sized && ::ftruncate(fd, before.st_size) == 0) {
            ::fsync(fd);
        }
        ::close(fd);
        return io_error(file, "cannot append", reason);
    }
    const bool synced = ::fsync(fd) == 0;
    const int reason = errno;
    ::close(fd);
    if (!synced) {
        return io_error(file, "cannot sync the file", reason);
    }
    return created ? sync_folder(folder_of(file)) : Status(Ok{});
}

} // namespace leakbisect
