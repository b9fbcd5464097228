#!/usr/bin/env bash
# Fails on an #include the dependency rule forbids. The rule is the list in ARCHITECTURE.md
# ("    module  -> dependency, ..." lines): a module's sources and public headers may include its
# own headers, core's, and those of the modules listed after its arrow; each third-party library
# only from the module that owns it.
set -euo pipefail
cd "$(dirname "$0")/.."

declare -A allowed
while read -r module arrow deps; do
    allowed[$module]="$module core ${deps//,/ }"
done < <(grep -E '^    [a-z]+ +-> ' ARCHITECTURE.md)
[[ ${#allowed[@]} -gt 0 ]] || { echo "check-includes: no '    module -> ...' lines in ARCHITECTURE.md" >&2; exit 2; }

# The only users of each third-party library.
declare -A owner=([toml++]=recipe [boost/process]=app [boost/beast]=load [CLI]=cli)

failures=0
for module in "${!allowed[@]}"; do
    files=$(git ls-files "src/$module" "include/leakbisect/$module" | grep -E '\.(cpp|hpp)$' || true)
    [[ -n $files ]] || continue
    while IFS=: read -r file line text; do
        target=$(sed -E 's|.*"leakbisect/([a-z_]+)/.*|\1|' <<<"$text")
        if [[ " ${allowed[$module]} " != *" $target "* ]]; then
            echo "$file:$line: $module may not include $target (ARCHITECTURE.md: $module -> ${allowed[$module]#"$module core "})"
            failures=$((failures + 1))
        fi
    done < <(grep -nE '^#include "leakbisect/' $files /dev/null || true)
    for library in "${!owner[@]}"; do
        [[ ${owner[$library]} == "$module" ]] && continue
        while IFS= read -r hit; do
            echo "$hit: only ${owner[$library]} may use ${library}"
            failures=$((failures + 1))
        done < <(grep -nE "^#include <$library/" $files /dev/null || true)
    done
done
unlisted=$(git ls-files src include | sed -nE 's#^(src|include/leakbisect)/([a-z_]+)/.*#\2#p' | sort -u)
for module in $unlisted; do
    [[ -n ${allowed[$module]:-} ]] || { echo "check-includes: module $module has no line in ARCHITECTURE.md"; failures=$((failures + 1)); }
done
if ((failures > 0)); then
    echo "check-includes: $failures include(s) against the dependency rule" >&2
    exit 1
fi
echo "check-includes: every include follows the dependency rule"
