#include "leakbisect/core/files.hpp"

#include <fstream>
#include <sstream>

namespace leakbisect {

Expected<std::string> read_text_file(const std::filesystem::path& file, ErrorKind kind_on_failure) {
    std::ifstream input(file, std::ios::binary);
    if (!input) {
        return make_error(kind_on_failure, file.string(), "cannot open the file; check the path");
    }
    std::ostringstream content;
    content << input.rdbuf();
    return content.str();
}

Status write_text_file(const std::filesystem::path& file, std::string_view content) {
    std::ofstream output(file, std::ios::binary | std::ios::trunc);
    output << content;
    output.close();
    if (!output) {
        return make_error(ErrorKind::io, file.string(), "cannot write the file");
    }
    return Ok{};
}

} // namespace leakbisect
