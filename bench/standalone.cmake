# Shared by the standalone benchmark builds (bench/search, bench/verdict): C++20, warnings as
# errors, Release by default, and leakbisect_bench_program(NAME DRIVER MODULE...), which builds
# the driver against src/core and the listed pure modules only. Nothing here boots an app.
set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
if(NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE Release)
endif()
add_compile_options(-Wall -Wextra -Wpedantic -Werror)

find_package(fmt CONFIG REQUIRED)

set(leakbisect_root ${CMAKE_CURRENT_LIST_DIR}/..)

function(leakbisect_bench_program name driver)
  set(sources)
  foreach(module core ${ARGN})
    file(GLOB module_sources CONFIGURE_DEPENDS ${leakbisect_root}/src/${module}/*.cpp)
    list(APPEND sources ${module_sources})
  endforeach()
  add_executable(${name} ${driver} ${sources})
  target_include_directories(${name} PRIVATE ${leakbisect_root}/include)
  target_link_libraries(${name} PRIVATE fmt::fmt)
endfunction()
