#!/usr/bin/env bash
# bench/fuzz.sh [SECONDS]: the long fuzzing run (default 600 s per target; CI runs 30 s each) of
# the recipe, trace CSV and journal readers, continuing from the corpus earlier runs left in
# build-fuzz/corpus/. Prints a table of executions per target. See fuzz/run.sh.
set -euo pipefail
exec "$(dirname "$0")/../fuzz/run.sh" "${1:-600}"
