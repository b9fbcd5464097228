#include "source_scan.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

namespace leakbisect::init_detail {
namespace {

constexpr std::uintmax_t kLargestSource = std::uintmax_t{1} << 20;
constexpr std::size_t kMostFiles = 2000;
// Longer lines are minified or generated code, never where routes and chunks are written by hand;
// skipping them also keeps std::regex, which recurses per character matched, off a deep stack.
constexpr std::size_t kLongestLine = 2000;

// Folders that hold someone else's code, the app's output or a build: never the app's own source.
bool skipped_folder(const std::string& name) {
    static const std::array<std::string_view, 20> kSkipped{"node_modules",
                                                           "vendor",
                                                           ".git",
                                                           ".hg",
                                                           ".svn",
                                                           "venv",
                                                           ".venv",
                                                           "env",
                                                           "__pycache__",
                                                           "tmp",
                                                           "log",
                                                           "logs",
                                                           "dist",
                                                           "coverage",
                                                           "public",
                                                           "site-packages",
                                                           ".bundle",
                                                           "storage",
                                                           "leakbisect-runs",
                                                           "static"};
    return std::ranges::find(kSkipped, name) != kSkipped.end() || name.starts_with("build");
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
        text.remove_prefix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
        text.remove_suffix(1);
    }
    return text;
}

bool valid_chunk_name(std::string_view name) {
    if (name.empty() || name.front() == '.' || name.back() == '.' ||
        name.find("..") != std::string_view::npos) {
        return false;
    }
    return std::ranges::all_of(name, [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
    });
}

// Calls `visit(number, line)` for each line of the file that is code: not a comment (#, //; a
// comment that shows a call is not one) and not longer than kLongestLine.
template <typename Visit> void for_each_code_line(const SourceFile& file, Visit visit) {
    std::istringstream lines(file.text);
    std::string line;
    int number = 0;
    while (std::getline(lines, line)) {
        ++number;
        const std::string_view trimmed = trim(line);
        if (line.size() <= kLongestLine && !trimmed.starts_with('#') && !trimmed.starts_with("//")) {
            visit(number, line);
        }
    }
}

// Emits `parent`'s sub-chunks (in first-seen order) after it, depth first.
void emit_with_children(const std::string& parent, const std::vector<FoundChunk>& seen,
                        std::vector<FoundChunk>& ordered) {
    for (const FoundChunk& chunk : seen) {
        const auto dot = chunk.name.rfind('.');
        const std::string its_parent = dot == std::string::npos ? "" : chunk.name.substr(0, dot);
        if (its_parent == parent) {
            ordered.push_back(chunk);
            emit_with_children(chunk.name, seen, ordered);
        }
    }
}

} // namespace

std::optional<SourceFile> read_source(const std::filesystem::path& app_dir,
                                      const std::filesystem::path& relative) {
    const std::filesystem::path file = app_dir / relative;
    std::error_code error;
    if (!std::filesystem::is_regular_file(file, error) ||
        std::filesystem::file_size(file, error) > kLargestSource || error) {
        return std::nullopt;
    }
    std::ifstream input(file, std::ios::binary);
    if (!input) {
        return std::nullopt;
    }
    std::ostringstream content;
    content << input.rdbuf();
    return SourceFile{relative, content.str()};
}

std::vector<SourceFile> source_files(const std::filesystem::path& app_dir,
                                     const std::vector<std::string_view>& extensions, int depth) {
    std::vector<std::filesystem::path> found;
    std::error_code error;
    auto entry = std::filesystem::recursive_directory_iterator(
        app_dir, std::filesystem::directory_options::skip_permission_denied, error);
    for (; !error && entry != std::filesystem::recursive_directory_iterator(); entry.increment(error)) {
        const std::string name = entry->path().filename().string();
        std::error_code kind_error;
        if (entry->is_directory(kind_error)) {
            if (skipped_folder(name) || entry.depth() >= depth) {
                entry.disable_recursion_pending();
            }
            continue;
        }
        const bool wanted = std::ranges::any_of(extensions, [&](std::string_view extension) {
            return name.size() > extension.size() && name.ends_with(extension);
        });
        if (wanted) {
            found.push_back(entry->path().lexically_relative(app_dir));
        }
        if (found.size() >= kMostFiles) {
            break;
        }
    }
    std::ranges::sort(found);
    std::vector<SourceFile> files;
    for (const auto& relative : found) {
        if (auto file = read_source(app_dir, relative)) {
            files.push_back(std::move(*file));
        }
    }
    return files;
}

std::vector<LineMatch> matching_lines(const SourceFile& file, const std::regex& pattern) {
    std::vector<LineMatch> matches;
    for_each_code_line(file, [&](int number, const std::string& line) {
        std::smatch match;
        if (std::regex_search(line, match, pattern)) {
            LineMatch found{number, std::string(trim(line)), {}};
            for (std::size_t i = 1; i < match.size(); ++i) {
                found.groups.push_back(match[i].str());
            }
            matches.push_back(std::move(found));
        }
    });
    return matches;
}

std::optional<LineMatch> first_matching_line(const SourceFile& file, const std::regex& pattern) {
    auto matches = matching_lines(file, pattern);
    if (matches.empty()) {
        return std::nullopt;
    }
    return std::move(matches.front());
}

std::string where(const SourceFile& file, int line) {
    return fmt::format("{}:{}", file.relative.generic_string(), line);
}

std::optional<std::string> concrete_path(std::string_view route) {
    if (route.starts_with('^')) {
        route.remove_prefix(1);
    }
    if (route.ends_with('$')) {
        route.remove_suffix(1);
    }
    std::string path = "/";
    for (std::size_t i = 0; i < route.size(); ++i) {
        const char c = route[i];
        const std::string_view rest = route.substr(i);
        if (c == '<' || c == '{') { // Flask and Django <int:id>, fastify and OpenAPI {id}
            const auto end = route.find(c == '<' ? '>' : '}', i);
            if (end == std::string_view::npos) {
                return std::nullopt;
            }
            path += '1';
            i = end;
        } else if (c == ':' && path.back() == '/') { // Rails and Express :id
            while (i + 1 < route.size() &&
                   (std::isalnum(static_cast<unsigned char>(route[i + 1])) != 0 || route[i + 1] == '_')) {
                ++i;
            }
            path += '1';
        } else if (rest.starts_with("\\d+") || rest.starts_with("[0-9]+")) { // a regex route's number
            path += '1';
            i += rest.starts_with("\\d+") ? 2 : 5;
        } else if (c == '\\' && i + 1 < route.size() && (route[i + 1] == '/' || route[i + 1] == '.')) {
            ++i;
            if (!(route[i] == '/' && path.back() == '/')) {
                path += route[i];
            }
        } else if (std::isalnum(static_cast<unsigned char>(c)) != 0 ||
                   std::string_view("/_-.~%").find(c) != std::string_view::npos) {
            if (!(c == '/' && path.back() == '/')) {
                path += c;
            }
        } else {
            return std::nullopt; // a wildcard, an optional part, a class: not a path to guess
        }
    }
    return path;
}

bool is_health_path(std::string_view path) {
    while (path.size() > 1 && path.ends_with('/')) {
        path.remove_suffix(1);
    }
    static const std::array<std::string_view, 6> kHealth{"/up",          "/health", "/healthz",
                                                         "/healthcheck", "/ping",   "/status"};
    return std::ranges::find(kHealth, path) != kHealth.end();
}

std::vector<FoundChunk> chunk_calls(const std::vector<SourceFile>& files) {
    // A call of a function named chunk/chunks (or a method of Chunks) whose first argument is a
    // literal: a string, or a Ruby symbol. `def chunk(name)` has no literal and does not match.
    static const std::regex kCall(
        R"(\b[Cc]hunks?(?:\.[A-Za-z_]\w*)?[?!]?\(\s*(?::["']?|["'`])([A-Za-z][\w.\-]*))");
    std::vector<FoundChunk> seen;
    for (const SourceFile& file : files) {
        for_each_code_line(file, [&](int number, const std::string& line) {
            for (auto match = std::sregex_iterator(line.begin(), line.end(), kCall);
                 match != std::sregex_iterator(); ++match) {
                const std::string name = (*match)[1].str();
                const bool known =
                    std::ranges::any_of(seen, [&](const FoundChunk& chunk) { return chunk.name == name; });
                if (valid_chunk_name(name) && !known) {
                    seen.push_back({name, where(file, number)});
                }
            }
        });
    }
    // A sub-chunk whose parent is never called still needs the parent declared above it.
    // Inserted just before it, and looked at in turn (its own parent may be missing too).
    std::size_t i = 0;
    while (i < seen.size()) {
        const auto dot = seen[i].name.rfind('.');
        const std::string parent = dot == std::string::npos ? "" : seen[i].name.substr(0, dot);
        if (!parent.empty() &&
            std::ranges::none_of(seen, [&](const FoundChunk& chunk) { return chunk.name == parent; })) {
            seen.insert(seen.begin() + static_cast<std::ptrdiff_t>(i), FoundChunk{parent, seen[i].where});
            continue;
        }
        ++i;
    }
    std::vector<FoundChunk> ordered;
    emit_with_children("", seen, ordered);
    return ordered;
}

} // namespace leakbisect::init_detail
