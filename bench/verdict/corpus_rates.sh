#!/bin/sh
# A rough sanity check of the real-trace corpus (bench/verdict/corpus), not a verdict: per trace,
# the growth of the memory floor (the lowest sample in a window) per request, over the whole trace
# after max(warm-up guess, planted warm-up), and over its later half, next to the planted rate.
#   bench/verdict/corpus_rates.sh            # one line per trace, as a Markdown table
set -eu
corpus=$(cd "$(dirname "$0")" && pwd)/corpus
cd "$corpus"
printf '| file | split | class | planted B/req | floor B/req after warm-up | floor B/req later half | MiB start -> end |\n'
printf '|---|---|---|---|---|---|---|\n'
tail -n +2 manifest.tsv | while IFS='	' read -r file split runtime app class planted metric planted_warmup fixed warmup total; do
    awk -F, -v f="$file" -v c="$class" -v p="$planted" -v w="$warmup" -v pw="$planted_warmup" -v s="$split" '
        NR > 1 { r[++n] = $2; b[n] = $3 }
        function floor_in(lo, hi,   i, m) {
            m = -1
            for (i = 1; i <= n; i++) if (r[i] >= lo && r[i] <= hi && (m < 0 || b[i] < m)) m = b[i]
            return m
        }
        END {
            T = r[n]; st = pw > w ? pw : w
            a = floor_in(st, st + 0.05 * T); mid = floor_in(0.475 * T, 0.525 * T); e = floor_in(0.95 * T, T)
            printf "| %s | %s | %s | %d | %.0f | %.0f | %.0f -> %.0f |\n", f, s, c, p,
                (e - a) / (0.975 * T - st - 0.025 * T), (e - mid) / (0.475 * T), b[1] / 1048576, b[n] / 1048576
        }' "$file"
done
