#!/bin/sh
# Runs the baseline probe (every chunk off: `leakbisect measure recipes/<example>.toml --none`) of
# each real example N times at its recipe's settings and prints a Markdown table: the verdicts
# (PLATEAU is right: the stub action does not leak) and the requests each probe took. Read from each
# run folder's journal.jsonl (verdict, requests). Slow: each probe boots the app and runs its load.
#   bench/verdict/baseline_repeats.sh [-n N] [EXAMPLE...]   # default: 20 runs of rails-orders,
#                                                            # flask-invoices and node-catalog
# LEAKBISECT=path picks the binary (default build/leakbisect). Needs the examples' runtimes
# (scripts/install-example-runtimes.sh). Prints each probe's line to stderr as it finishes.
. "$(dirname "$0")/record_common.sh"
runs=20
if [ "${1:-}" = -n ]; then
    runs=$2
    shift 2
fi
[ $# -gt 0 ] || set -- rails-orders flask-invoices node-catalog

table=$scratch/table.md
printf '| example | runs | PLATEAU | LEAK | INCONCLUSIVE | failed | requests p50 | requests max |\n' > "$table"
printf '|---|---|---|---|---|---|---|---|\n' >> "$table"
for example in "$@"; do
    recipe=$root/recipes/$example.toml
    [ -f "$recipe" ] || { echo "$0: no recipe $recipe" >&2; exit 2; }
    : > "$scratch/results"
    i=1
    while [ "$i" -le "$runs" ]; do
        out=$scratch/$example-$i
        "$leakbisect" measure "$recipe" --none --out "$out" > "$scratch/measure.log" 2>&1 || true
        line=$(cat "$out"/*/journal.jsonl 2>/dev/null | grep '"role":"measure"' | tail -n 1)
        verdict=$(printf '%s' "$line" | sed -n 's/.*"verdict":"\([A-Z]*\)".*/\1/p')
        requests=$(printf '%s' "$line" | sed -n 's/.*"requests":\([0-9]*\).*/\1/p')
        rate=$(printf '%s' "$line" | sed -n 's/.*"rate":\([-0-9.E+]*\).*/\1/p')
        [ -n "$verdict" ] || { verdict=FAILED; requests=0; tail -n 5 "$scratch/measure.log" >&2; }
        echo "$example run $i: $verdict after ${requests:-?} requests (rate ${rate:-?} B/request)" >&2
        echo "$verdict ${requests:-0}" >> "$scratch/results"
        rm -rf "$out"
        i=$((i + 1))
    done
    sort -k2,2n "$scratch/results" | awk -v ex="$example" '
        { v[$1]++; r[++n] = $2 }
        END {
            printf "| %s | %d | %d | %d | %d | %d | %d | %d |\n", ex, n, v["PLATEAU"], v["LEAK"],
                v["INCONCLUSIVE"], v["FAILED"], r[int((n + 1) / 2)], r[n]
        }' >> "$table"
done
cat "$table"
