#!/usr/bin/env bash
# fuzz/run.sh [SECONDS]: builds the libFuzzer targets (clang, ASan + UBSan) into build-fuzz/ and
# runs each for SECONDS (default 30), seeded from fuzz/seeds/, recipes/ and tests/; the corpus
# each run grows is kept in build-fuzz/corpus/ for the next. Prints the executions per target;
# exits non-zero on the first crash, leak or timeout, whose input is left in build-fuzz/crashes/
# (add it to fuzz/seeds/<target>/ and a regression test once fixed).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
build_dir="${FUZZ_BUILD_DIR:-build-fuzz}"

source scripts/apt.sh
install_missing fuzz clang libclang-rt-14-dev pkg-config libre2-dev
CXX=clang++ cmake -S fuzz -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build_dir" -j"$(nproc)"

# target: its seed folders (the first, fuzz/seeds/<target>, always exists).
declare -A seeds=(
  [fuzz_recipe]="fuzz/seeds/fuzz_recipe recipes tests/recipe/data"
  [fuzz_trace_csv]="fuzz/seeds/fuzz_trace_csv tests/verdict/data/shop tests/verdict/data/node"
  [fuzz_journal]="fuzz/seeds/fuzz_journal"
)
mkdir -p "$build_dir/crashes"
results=()
for target in fuzz_recipe fuzz_trace_csv fuzz_journal; do
  corpus="$build_dir/corpus/$target"
  mkdir -p "$corpus"
  log="$build_dir/$target.log"
  echo "== $target: ${seconds}s"
  # shellcheck disable=SC2086 # the seed folders are words
  if ! "$build_dir/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="$build_dir/crashes/$target-" "$corpus" ${seeds[$target]} \
      >"$log" 2>&1; then
    tail -n 40 "$log"
    echo "fuzz: $target failed; its input is in $build_dir/crashes/" >&2
    exit 1
  fi
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  results+=("$(printf '%-16s %10s executions  %6s edges  %s s' "$target" "$executions" "${coverage:-?}" "$seconds")")
done
echo "== fuzz: no crash"
printf '%s\n' "${results[@]}"
