// The recipe reader on any bytes: a Recipe or an Error naming file:line, never a crash or a hang.
#include "leakbisect/recipe/recipe.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto recipe = leakbisect::parse_recipe(text, "/fuzz/recipe.toml");
    if (!recipe) {
        (void)leakbisect::to_string(recipe.error());
    }
    return 0;
}
