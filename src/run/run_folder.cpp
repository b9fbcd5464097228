#include "run_folder.hpp"

#include <ctime>
#include <fmt/format.h>

namespace leakbisect {

std::string local_time_now(const char* format) {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char text[64];
    return std::strftime(text, sizeof(text), format, &local) > 0 ? text : "";
}

Expected<std::filesystem::path> create_run_folder(const std::filesystem::path& parent,
                                                  const std::filesystem::path& recipe_file) {
    const std::string stamp = local_time_now("%Y-%m-%dT%H-%M-%S"); // a folder name: no colons

    std::error_code failure;
    std::filesystem::create_directories(parent, failure);
    if (failure) {
        return make_error(ErrorKind::io, parent.string(),
                          "cannot create the runs folder: " + failure.message());
    }
    std::filesystem::path folder = parent / stamp;
    for (int suffix = 2; std::filesystem::exists(folder); ++suffix) {
        folder = parent / fmt::format("{}-{}", stamp, suffix);
    }
    std::filesystem::create_directories(folder / "probes", failure);
    if (failure) {
        return make_error(ErrorKind::io, folder.string(),
                          "cannot create the run folder: " + failure.message());
    }
    std::filesystem::copy_file(recipe_file, folder / kRecipeCopyName, failure);
    if (failure) {
        return make_error(ErrorKind::io, recipe_file.string(),
                          "cannot copy the recipe: " + failure.message());
    }
    return folder;
}

std::string probe_folder_name(std::size_t index, std::string_view role) {
    return fmt::format("probes/{:03}-{}", index, role);
}

} // namespace leakbisect
