#!/bin/sh
# Builds and runs the verdict benchmark: report seeds by default (tuning used seeds 1..30).
#   bench/verdict/run.sh [--first-seed N] [--seeds K]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${BUILD_DIR:-$here/../../build-bench-verdict}
cmake -S "$here" -B "$build" >/dev/null
cmake --build "$build" -j2 >/dev/null
exec "$build/verdict_bench" --real "$here/../../tests/verdict/data" --corpus "${VERDICT_CORPUS:-$here/corpus}" "$@"
