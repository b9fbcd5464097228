#!/bin/sh
# Re-records the real traces of the verdict benchmark and tests: examples/shop under leakbisect's
# own load, the planted leak off and at several rates, one memory.csv per probe, copied to
# tests/verdict/data/shop/<label>-<n>.csv (label: plateau, or leak<bytes per request>).
# min_leak = 1 B and requests = max_requests keep every probe running its full 24,000 requests
# (it can only stop early on a plateau flat to the byte); memory is also sampled every 1 ms so the
# trace is as dense as a 3,000-request probe's. Needs build/leakbisect and build/examples/shop/shop.
#   bench/verdict/record_shop_traces.sh
. "$(dirname "$0")/record_common.sh"
out=$root/tests/verdict/data/shop
mkdir -p "$out"

record() { # label leak_chunk leak_bytes count
    for n in $(seq 1 "$4"); do
        cat > "$scratch/recipe.toml" <<TOML
name = "shop trace $1"
[app]
command = ["$root/build/examples/shop/shop", "--port", "{port}"]
env = { SHOP_ENV = "production", SHOP_LEAK_CHUNK = "$2", SHOP_LEAK_BYTES = "$3" }
ready = { http = "/up", timeout = "20s" }
[memory]
interval = "1ms"
[load]
requests = 24000
concurrency = 4
warmup = 500
[[load.request]]
path = "/orders/42"
weight = 3
[[load.request]]
path = "/orders/7?currency=EUR"
[[load.request]]
path = "/orders/913?currency=GBP&print=1"
[verdict]
min_leak = "1B"
max_requests = 24000
[[chunk]]
name = "warnings_panel"
TOML
        measure_trace "$scratch/recipe.toml" "$out/$1-$n.csv" 0 --all
        echo "$out/$1-$n.csv: $(wc -l < "$out/$1-$n.csv") samples"
    done
}

record plateau none 0 5
record leak256 warnings_panel 256 3
record leak1024 warnings_panel 1024 3
record leak4096 warnings_panel 4096 3
