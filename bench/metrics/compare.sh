#!/usr/bin/env bash
# The memory metrics side by side on the shop: for each app shape, the same probe (same chunks, same
# seeded load) measured once with each of rss, pss, uss and cgroup. A table row per shape and metric:
# the verdict, the rate against the planted leak, memory at the first and last sample, the processes
# counted. Needs a built build/ (scripts/build.sh); the cgroup rows need a machine where leakbisect
# may make memory cgroups (they say why when not).
#   bench/metrics/compare.sh [REQUESTS=6000] [LEAK_BYTES=2048]
set -euo pipefail
cd "$(dirname "$0")/../.."
requests=${1:-6000}
leak_bytes=${2:-2048}
binary=$PWD/${BUILD_DIR:-build}/leakbisect
shop=$PWD/${BUILD_DIR:-build}/examples/shop/shop
[[ -x $binary && -x $shop ]] || { echo "compare: build first (scripts/build.sh)" >&2; exit 2; }
command -v jq >/dev/null || { echo "compare: needs jq (apt-get install jq)" >&2; exit 2; }

scratch=$(mktemp -d /tmp/leakbisect-metrics-XXXXXX)
trap 'rm -rf "$scratch"' EXIT

# shape: "label|SHOP_FAULT|chunks flag" (the leak sits in warnings_panel; --none leaves it off)
shapes=(
    "no leak, one process|none|--none"
    "leak, one process|none|--all"
    "leak, prefork:3 (3 x 64 MiB workers)|prefork:3|--all"
    "leak, setsid daemon (64 MiB, outside the tree)|setsid-daemon|--all"
)

printf 'planted: %d B/request with warnings_panel on; %d requests per probe\n\n' "$leak_bytes" "$requests"
printf '| app | metric | verdict | B/request [interval] | first | last | processes | wall (s) |\n'
printf '| --- | --- | --- | --- | --- | --- | --- | --- |\n'
for shape in "${shapes[@]}"; do
    IFS='|' read -r label fault chunks <<<"$shape"
    for metric in rss pss uss cgroup; do
        dir=$scratch/$metric-$RANDOM
        mkdir -p "$dir"
        cat >"$dir/recipe.toml" <<TOML
name = "metrics"
[app]
command = ["$shop", "--port", "{port}"]
env = { SHOP_ENV = "production", SHOP_LEAK_CHUNK = "warnings_panel", SHOP_LEAK_BYTES = "$leak_bytes", SHOP_FAULT = "$fault" }
ready = { http = "/up", timeout = "10s" }
stop = { signal = "TERM", grace = "2s" }
[memory]
metric = "$metric"
[load]
requests = $requests
warmup = $((requests / 6))
concurrency = 4
[[load.request]]
path = "/orders/42"
[[chunk]]
name = "warnings_panel"
TOML
        if ! "$binary" measure "$dir/recipe.toml" "$chunks" --out "$dir/runs" >"$dir/out.txt" 2>&1; then
            : # LEAK exits 10; a refusal (exit 2) is reported below
        fi
        journal=$(ls "$dir"/runs/*/journal.jsonl 2>/dev/null | head -1 || true)
        if [[ -z $journal ]]; then
            printf '| %s | %s | not run: %s | | | | | |\n' "$label" "$metric" "$(head -c 160 "$dir/out.txt" | tr '\n|' ' /')"
            continue
        fi
        jq -r --arg app "$label" --arg metric "$metric" '
            def mib: . / 1048576 | (. * 10 | round) / 10 | tostring + " MiB";
            def b: if . == null then "∞" else (. | round | tostring) end;
            "| \($app) | \($metric) | \(.verdict) | \(.rate | round) [\(.rate_low | b), \(.rate_high | b)] | \(.first_bytes | mib) | \(.last_bytes | mib) | \(.processes) | \(.wall_seconds * 100 | round / 100) |"
        ' "$journal"
    done
done
