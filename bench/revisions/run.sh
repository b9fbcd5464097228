#!/usr/bin/env bash
# Commit-range mode, measured: for each n, a throwaway history (scripts/commit-history.py: n
# first-parent commits after good, a merged side branch, a broken setup, the leak at commit k) searched
# by the real build/leakbisect; prints one table row per history: probes by kind, wall time, and
# whether the named commit is commit k. Usage: bench/revisions/run.sh [--app python|shop] [N ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
app=python
if [ "${1:-}" = "--app" ]; then
    app="$2"
    shift 2
fi
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(16 64)
work="$(mktemp -d "${TMPDIR:-/tmp}/leakbisect-bench-revisions-XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "| n | leak at k | broken setup at | probes | search (baseline+bad+bisect) | skipped | re-checks | bound ceil(log2 n)+2 | wall | named k? |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
    k=$(( (n * 7 + 9) / 10 ))   # ~70% into the range
    broken=$(( n / 2 ))
    merge=$(( n / 3 + 1 ))
    out="$work/$n"
    python3 scripts/commit-history.py "$out" --app "$app" --shop-binary build/examples/shop/shop \
        --commits "$n" --leak-at "$k" --broken-setup-at "$broken" --merge-at "$merge" >/dev/null
    start=$(date +%s.%N)
    status=0
    build/leakbisect run "$out/recipe.toml" >"$out/output.txt" 2>&1 || status=$?
    end=$(date +%s.%N)
    run_dir="$(ls -d "$out"/runs/*/ | head -1)"
    expected="$(git -C "$out/repo" rev-list --first-parent --reverse good..bad | sed -n "${k}p")"
    python3 - "$run_dir/report.json" "$n" "$k" "$broken" "$start" "$end" "$expected" "$status" <<'PY'
import json, math, sys
report, n, k, broken, start, end, expected, status = sys.argv[1:]
data = json.load(open(report))
probes = data["probes"]
roles = [p["role"] for p in probes]
search = sum(r in ("baseline", "all-on", "bisect", "linear") for r in roles)
skipped = sum(p["verdict"] == "SKIPPED" for p in probes)
rechecks = roles.count("recheck")
named = data["finding"].get("culprit") == expected
bound = math.ceil(math.log2(int(n))) + 2
print(f"| {n} | {k} | {broken} | {len(probes)} | {search} | {skipped} | {rechecks} | {bound} | "
      f"{float(end) - float(start):.1f}s | {'yes' if named else 'NO (exit ' + status + ')'} |")
PY
done
