#include "run_folder.hpp"

#include "leakbisect/core/files.hpp"

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
    // The recipe and the app's output may carry secrets (app.env, tokens in arguments): the run
    // folder is its owner's alone, whatever the umask.
    std::filesystem::permissions(folder, std::filesystem::perms::owner_all, failure);
    if (failure) {
        return make_error(ErrorKind::io, folder.string(),
                          "cannot make the run folder private: " + failure.message());
    }
    const auto recipe_text = read_text_file(recipe_file, ErrorKind::io);
    if (!recipe_text) {
        return recipe_text.error();
    }
    if (Status copied = write_text_file(folder / kRecipeCopyName, *recipe_text, FileAccess::owner_only);
        !copied) {
        return copied.error();
    }
    return folder;
}

std::string probe_folder_name(std::size_t index, std::string_view role) {
    return fmt::format("probes/{:03}-{}", index, role);
}

} // namespace leakbisect
