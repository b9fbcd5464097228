#!/usr/bin/env bash
# Configures and builds leakbisect and the bundled example into ./build (or $BUILD_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${BUILD_DIR:-build}"
# The project's own builds (the demo, the tests, CI) treat warnings as errors; a plain cmake does not.
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" -DLEAKBISECT_WERROR=ON "$@" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
