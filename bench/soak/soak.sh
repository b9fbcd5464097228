#!/usr/bin/env bash
# Self-soak: leakbisect's own memory, open files and threads over a long run on the shop. A survey of
# PROBES pages (one probe each: boot, load, stop) stands in for a long overnight search; the table has a
# row at probe 1 and every STEP probes up to PROBES. Needs a built build/ (scripts/build.sh).
#   bench/soak/soak.sh [PROBES=200] [REQUESTS=600] [STEP=50]
set -euo pipefail
cd "$(dirname "$0")/../.."
probes=${1:-200}
requests=${2:-600}
step=${3:-50}
binary=$PWD/${BUILD_DIR:-build}/leakbisect
shop=$PWD/${BUILD_DIR:-build}/examples/shop/shop
[[ -x $binary && -x $shop ]] || { echo "soak: build first (scripts/build.sh)" >&2; exit 2; }

scratch=$(mktemp -d /tmp/leakbisect-soak-XXXXXX)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$scratch"' EXIT
{
    cat <<TOML
name = "self-soak"
[app]
command = ["$shop", "--port", "{port}"]
env = { SHOP_ENV = "production", SHOP_LEAK_CHUNK = "none" }
ready = { http = "/up", timeout = "10s" }
stop = { signal = "TERM", grace = "2s" }
[load]
requests = $requests
warmup = $((requests / 4))
concurrency = 4
[[chunk]]
name = "warnings_panel"
TOML
    for ((page = 1; page <= probes; page++)); do
        printf '[[load.request]]\npath = "/orders/%d"\n' "$page"
    done
} >"$scratch/recipe.toml"

"$binary" survey "$scratch/recipe.toml" --out "$scratch/runs" >"$scratch/out.txt" 2>&1 &
pid=$!
start=$(date +%s.%N)
printf '| probe | leakbisect RSS (KiB) | peak RSS (KiB) | open files | threads | wall (s) |\n'
printf '| --- | --- | --- | --- | --- | --- |\n'
next=1
row=""
printed=""
while kill -0 "$pid" 2>/dev/null; do
    journal=$(ls "$scratch"/runs/*/journal.jsonl 2>/dev/null | head -1 || true)
    done_probes=0
    [[ -n $journal ]] && done_probes=$(wc -l <"$journal")
    # Sampled on every pass, so the last probe's row exists even when the run ends right after it.
    status=$(cat /proc/$pid/status 2>/dev/null) || break
    if ((done_probes > 0)); then
        rss=$(awk '/^VmRSS/ {print $2}' <<<"$status")
        hwm=$(awk '/^VmHWM/ {print $2}' <<<"$status")
        threads=$(awk '/^Threads/ {print $2}' <<<"$status")
        files=$(ls /proc/$pid/fd 2>/dev/null | wc -l)
        row=$(printf '| %d | %s | %s | %s | %s | %.0f |' "$done_probes" "$rss" "$hwm" "$files" "$threads" \
            "$(echo "$(date +%s.%N) - $start" | bc)")
    fi
    if ((done_probes >= next)); then
        echo "$row"
        printed=$row
        next=$((next == 1 ? step : next + step))
    fi
    sleep 0.1
done
[[ -n $row && $row != "$printed" ]] && echo "$row"
wait "$pid" || true
tail -3 "$scratch/out.txt"
