#!/bin/sh
# Re-records the Node traces of the verdict benchmark and tests: examples/node-catalog under
# recipes/node-catalog.toml's load, run to 50,000 requests (min_leak = 1 B keeps every probe
# running to the end; memory is sampled every 3 ms, about as densely as a 12,000-request probe),
# copied to tests/verdict/data/node/<label>-<n>.csv: the baseline (every chunk off: plateau), the
# listener leak alone (stock_alerts) and every chunk on (leak).
# V8 grows its old space in steps of several MiB, which a long probe must still judge.
# Needs build/leakbisect and Node 20.
#   bench/verdict/record_node_traces.sh
. "$(dirname "$0")/record_common.sh"
out=$root/tests/verdict/data/node
mkdir -p "$out"
sed -e "s|^cwd = .*|cwd = \"$root/examples/node-catalog\"|" \
    -e 's|^requests = .*|requests = 50000|' \
    -e 's|^metric = .*|&\ninterval = "3ms"|' \
    -e 's|^min_leak = .*|min_leak = "1B"\nmax_requests = 50000|' \
    "$root/recipes/node-catalog.toml" > "$scratch/recipe.toml"

record() { # label count measure-options...
    label=$1
    count=$2
    shift 2
    for n in $(seq 1 "$count"); do
        measure_trace "$scratch/recipe.toml" "$out/$label-$n.csv" 0 "$@"
        echo "$out/$label-$n.csv: $(wc -l < "$out/$label-$n.csv") samples"
    done
}

record plateau 3 --none
record leak890 3 --chunks stock_alerts
record leak2800 2 --all
