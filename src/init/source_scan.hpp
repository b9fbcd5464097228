// Reading an app's sources for init: small text files only, vendored and generated folders
// skipped, a match reported with its line, and a route template turned into a concrete path.
#pragma once

#include "leakbisect/init/init.hpp"

#include <filesystem>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace leakbisect::init_detail {

// A file of the app, read whole; `relative` is its path below the app's folder.
struct SourceFile {
    std::filesystem::path relative;
    std::string text;
};

// The file's text when it exists, is a regular file and holds at most 1 MiB (a source file, not data).
std::optional<SourceFile> read_source(const std::filesystem::path& app_dir,
                                      const std::filesystem::path& relative);

// Every small file below the app's folder whose name ends in one of `extensions`, at most `depth`
// folders down, sorted by path; node_modules, vendor, virtualenvs, .git, tmp, log and build folders
// are skipped, and at most 2,000 files are read.
std::vector<SourceFile> source_files(const std::filesystem::path& app_dir,
                                     const std::vector<std::string_view>& extensions, int depth);

// A line of a file that matched, with the match's groups.
struct LineMatch {
    int line = 0;
    std::string text; // the whole line, trimmed
    std::vector<std::string> groups;
};

// Each line that the pattern matches (searched within the line); comment lines (#, //) and lines
// longer than 2,000 characters (minified or generated code) are skipped.
std::vector<LineMatch> matching_lines(const SourceFile& file, const std::regex& pattern);
std::optional<LineMatch> first_matching_line(const SourceFile& file, const std::regex& pattern);

// "file:line"
std::string where(const SourceFile& file, int line);

// A route template as the app writes it ("/invoices/<int:id>", "/products/:id", "orders/<pk>/")
// as a path a GET can use: a leading "/", each parameter replaced by 1. nullopt for a template
// it cannot turn into a plain path (a wildcard, a regex class it does not know).
std::optional<std::string> concrete_path(std::string_view route);

// Whether a path looks like a health check ("/up", "/health", "/healthz", "/ping", "/status").
bool is_health_path(std::string_view path);

// The chunk helper calls in the files (`chunk("x")`, `chunk?(:x)`, `Chunks.on?("x.y")`), in the
// order first seen, each once; a sub-chunk follows its parent (a parent never called is added).
std::vector<FoundChunk> chunk_calls(const std::vector<SourceFile>& files);

} // namespace leakbisect::init_detail
