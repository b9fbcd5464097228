#!/usr/bin/env bash
# Installs, builds, and runs a real bisection of the bundled example shop app: one chunk of its
# orders page leaks 2 KiB per request, and leakbisect names it. Pass --strategy linear to compare.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
status=0
build/leakbisect run recipes/shop.toml "$@" || status=$?
# Exit 10 means "the leak was localized to a chunk": the demo's expected ending.
[ "$status" -eq 10 ] && exit 0
exit "$status"
