#!/usr/bin/env bash
# clang-tidy (.clang-tidy) on the sources of src/ that a change touches: the .cpp files changed
# since BASE (default: the previous commit, HEAD~1), and every .cpp beside a changed header of
# src/ or include/leakbisect/<module>/. `scripts/tidy.sh --all` checks all of src/ (~8 min on
# 2 cores). Needs a configured build folder for compile_commands.json (BUILD_DIR, default build).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${BUILD_DIR:-build}"
base="${BASE:-HEAD~1}"
[[ -f $build_dir/compile_commands.json ]] || { echo "tidy: no $build_dir/compile_commands.json; build first" >&2; exit 2; }

if [[ ${1:-} == --all ]] || ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
    mapfile -t files < <(git ls-files 'src/*.cpp')
else
    mapfile -t changed < <(git diff --name-only --diff-filter=d "$base" -- src include)
    declare -A chosen=()
    for file in "${changed[@]}"; do
        case $file in
        src/*.cpp) chosen[$file]=1 ;;
        src/*.hpp | include/leakbisect/*.hpp)
            module=$(sed -E 's#^(src|include/leakbisect)/([a-z_]+)/.*#\2#' <<<"$file")
            while read -r source; do chosen[$source]=1; done < <(git ls-files "src/$module/*.cpp")
            ;;
        esac
    done
    files=("${!chosen[@]}")
fi
if ((${#files[@]} == 0)); then
    echo "tidy: no source of src/ changed since $base"
    exit 0
fi
echo "tidy: ${#files[@]} file(s)"
printf '%s\n' "${files[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy -p "$build_dir" --quiet
