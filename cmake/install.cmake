# `cmake --install`: the binary, the documentation and the man page; `cpack -G DEB`: a Debian
# package of the same files, its Depends worked out by dpkg-shlibdeps from the libraries the binary
# links (Boost.Filesystem, Boost.JSON, fmt, libstdc++), so it installs on any Debian 12 with apt.
include(GNUInstallDirs)

install(TARGETS leakbisect RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The README links to docs/, so the docs keep that folder beside it.
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES docs/recipe.md docs/report-schema.md docs/example-report.html DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs)

# The man page is generated from the CLI's own help (every command's --help), so it cannot drift
# from it; docs/leakbisect.h2m adds the sections the help has no room for. A sanitizer build is
# not one to install, and running it at build time would report the leaks of the help's exit.
find_program(HELP2MAN_EXECUTABLE help2man)
if(LEAKBISECT_SANITIZE)
  message(STATUS "leakbisect: no man page in a sanitizer build")
elseif(NOT HELP2MAN_EXECUTABLE)
  message(WARNING "leakbisect: help2man not found, so no man page is built or installed "
                  "(scripts/install-deps.sh installs it; Debian: apt-get install help2man)")
else()
  set(man_page ${CMAKE_CURRENT_BINARY_DIR}/leakbisect.1)
  add_custom_command(
    OUTPUT ${man_page}
    COMMAND ${CMAKE_COMMAND} -DLEAKBISECT=$<TARGET_FILE:leakbisect> -DHELP2MAN=${HELP2MAN_EXECUTABLE}
            -DINCLUDE=${PROJECT_SOURCE_DIR}/docs/leakbisect.h2m -DOUTPUT=${man_page}
            -P ${PROJECT_SOURCE_DIR}/cmake/man_page.cmake
    DEPENDS leakbisect ${PROJECT_SOURCE_DIR}/docs/leakbisect.h2m ${PROJECT_SOURCE_DIR}/cmake/man_page.cmake
    COMMENT "Generating the man page leakbisect.1 from the CLI's help"
    VERBATIM)
  add_custom_target(man_page ALL DEPENDS ${man_page})
  install(FILES ${man_page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()

set(CPACK_PACKAGE_NAME leakbisect)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "finds the chunk of a web app's action that leaks memory, by bisection")
set(CPACK_PACKAGE_DESCRIPTION
    "leakbisect boots a web app once per probe with a set of feature-flagged chunks of one action
on, drives a fixed HTTP load at it while sampling the memory of its whole process tree from /proc,
judges whether memory plateaus, and bisects the chunks for the first one that makes it leak.
Linux only.")
set(CPACK_PACKAGE_CONTACT "leakbisect developers")
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # leakbisect_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
include(CPack)
