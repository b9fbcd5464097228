#!/usr/bin/env bash
# Installs, builds, and runs a real bisection of the bundled example shop app: one chunk of its
# orders page leaks 2 KiB per request, and leakbisect names it. Pass --strategy linear to compare.
# --commits: commit-range mode instead — a throwaway 16-commit git history of the shop's launcher
# (scripts/commit-history.py --app shop) whose commit 11 switches the leak on, and leakbisect names
# that commit (the history is left in a temporary folder, printed at the start).
set -euo pipefail
cd "$(dirname "$0")/.."
commits=0
if [ "${1:-}" = "--commits" ]; then
    commits=1
    shift
fi
scripts/install-deps.sh
scripts/build.sh
status=0
if [ "$commits" = 1 ]; then
    history="$(mktemp -d "${TMPDIR:-/tmp}/leakbisect-commits-XXXXXX")"
    echo "demo history: $history"
    python3 scripts/commit-history.py "$history" --app shop --shop-binary build/examples/shop/shop \
        --commits 16 --leak-at 11 --broken-setup-at 8 --merge-at 6 --requests 3000
    build/leakbisect run "$history/recipe.toml" "$@" || status=$?
else
    build/leakbisect run recipes/shop.toml "$@" || status=$?
fi
# Exit 10 means "the leak was localized to a chunk": the demo's expected ending.
[ "$status" -eq 10 ] && exit 0
exit "$status"
