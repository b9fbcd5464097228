#!/bin/sh
# Records the real-trace corpus of the verdict benchmark (bench/verdict/corpus, see its README.md):
# the bench apps of bench/verdict/apps on real runtimes (Debian's ruby-rails, puma, python3-flask,
# python3-django, gunicorn; Node with express from npm), each under leakbisect's own fixed load, one
# `leakbisect measure` probe per trace, with no leak, a bounded cache, planted leaks of 200 B, 1 KiB and
# 5 KiB per request, RSS (every app) and PSS (the preforking ones), and a long planted warm-up.
# min_leak = 1 B and max_requests = requests keep every probe running to its end; memory is sampled
# densely and a trace longer than 4,000 samples is thinned to one sample per 10 requests.
#   bench/verdict/record_real_traces.sh [APP...]      # default: every app, in the order below
# Apps: node-http express flask-sync flask-gthread django-sync rack-puma rails-puma-single
# rails-puma-cluster. A trace whose CSV exists is kept (RECORD_FORCE=1 re-records it), so an
# interrupted recording resumes. RECORD_REPEATS=N records every trace N times (default 1).
# LEAKBISECT=path picks the binary (default build/leakbisect). Needs the runtimes
# (scripts/install-example-runtimes.sh, plus python3-django) and npm for express.
. "$(dirname "$0")/record_common.sh"
apps_dir=$root/bench/verdict/apps
corpus=${RECORD_CORPUS:-$root/bench/verdict/corpus}   # RECORD_CORPUS, RECORD_TOTAL: for trying the script out
manifest=$corpus/manifest.tsv
header='file	split	runtime	app	class	planted_bytes_per_request	metric	warmup_requests_planted	fixed_load_requests	warmup	total_requests'
mkdir -p "$corpus"
[ -s "$manifest" ] || printf '%s\n' "$header" > "$manifest"

# app_conf APP: the app's split, runtime, command, environment, workers (0: one process serving
# everything), whether its memory is shared between forked workers (pss=1), the sampling interval,
# the load a user would set (fixed, warmup), the requests recorded (total), the planted long warm-up
# (tree-wide requests) and the cache's entries per process.
app_conf() {
    workers=0
    pss=0
    extra_env=''
    case $1 in
    node-http)
        split=tune runtime=node cwd=$apps_dir/node-http command='["node", "server.js"]'
        extra_env='NODE_ENV = "production"'
        interval=3ms fixed=12000 warmup=2000 total=50000 longwarm=8000 cache=6000 ;;
    express)
        split=report runtime=node cwd=$apps_dir/express command='["node", "server.js"]'
        extra_env='NODE_ENV = "production"'
        interval=3ms fixed=12000 warmup=2000 total=50000 longwarm=8000 cache=6000
        if [ ! -d "$cwd/node_modules/express" ]; then
            (cd "$cwd" && npm install --no-audit --no-fund --omit=dev >&2)
        fi ;;
    flask-sync)
        split=tune runtime=python cwd=$apps_dir/flask command='["gunicorn", "-c", "gunicorn.conf.py", "app:app"]'
        extra_env='GUNICORN_WORKER_CLASS = "sync", WEB_CONCURRENCY = "2"'
        workers=2 pss=1 interval=5ms fixed=9000 warmup=1000 total=40000 longwarm=5000 cache=3000 ;;
    flask-gthread)
        split=report runtime=python cwd=$apps_dir/flask command='["gunicorn", "-c", "gunicorn.conf.py", "app:app"]'
        extra_env='GUNICORN_WORKER_CLASS = "gthread", GUNICORN_THREADS = "4", WEB_CONCURRENCY = "2"'
        workers=2 pss=1 interval=5ms fixed=9000 warmup=1000 total=40000 longwarm=5000 cache=3000 ;;
    django-sync)
        split=report runtime=python cwd=$apps_dir/django
        command='["gunicorn", "-c", "../flask/gunicorn.conf.py", "benchsite:application"]'
        extra_env='GUNICORN_WORKER_CLASS = "sync", WEB_CONCURRENCY = "2"'
        workers=2 pss=1 interval=6ms fixed=6000 warmup=1000 total=30000 longwarm=4000 cache=2000 ;;
    rack-puma)
        split=tune runtime=ruby cwd=$apps_dir/rack command='["puma", "-C", "puma.rb", "config.ru"]'
        extra_env='RACK_ENV = "production"'
        interval=5ms fixed=6000 warmup=500 total=40000 longwarm=3000 cache=3000 ;;
    rails-puma-single)
        split=report runtime=ruby cwd=$apps_dir/rails command='["bin/serve"]'
        extra_env='RAILS_ENV = "production", SECRET_KEY_BASE = "bench-only-not-a-secret", WEB_CONCURRENCY = "0"'
        interval=15ms fixed=3000 warmup=300 total=15000 longwarm=2000 cache=1500 ;;
    rails-puma-cluster)
        split=report runtime=ruby cwd=$apps_dir/rails command='["bin/serve"]'
        extra_env='RAILS_ENV = "production", SECRET_KEY_BASE = "bench-only-not-a-secret", WEB_CONCURRENCY = "2"'
        workers=2 pss=1 interval=15ms fixed=3000 warmup=300 total=15000 longwarm=2000 cache=1000 ;;
    *)
        echo "$0: unknown app $1" >&2
        exit 2 ;;
    esac
    total=${RECORD_TOTAL:-$total}
}

# record APP LABEL CLASS LEAK_BYTES CACHE_ENTRIES METRIC LONG_WARMUP(0|1)
record() {
    app=$1 label=$2 class=$3 leak=$4 entries=$5 metric=$6 long=$7
    planted_warmup=0
    suffix=''
    if [ "$long" = 1 ]; then
        planted_warmup=$longwarm
        suffix=-longwarmup
    fi
    per_process_warmup=$planted_warmup
    [ "$workers" -gt 0 ] && per_process_warmup=$((planted_warmup / workers))
    n=1
    while [ "$n" -le "${RECORD_REPEATS:-1}" ]; do
        file=$app/$label-$metric$suffix-$n.csv
        n=$((n + 1))
        if [ -s "$corpus/$file" ] && [ "${RECORD_FORCE:-0}" != 1 ]; then
            echo "$file: kept"
            continue
        fi
        cat > "$scratch/recipe.toml" <<TOML
version = 1
name = "verdict corpus $app $label $metric"
[app]
command = $command
cwd = "$cwd"
env = { $extra_env${extra_env:+, }LEAK_BYTES = "$leak", CACHE_ENTRIES = "$entries", WARMUP_REQUESTS = "$per_process_warmup" }
ready = { http = "/up", timeout = "120s" }
stop = { signal = "TERM", grace = "10s" }
[memory]
scope = "tree"
metric = "$metric"
interval = "$interval"
[load]
requests = $total
concurrency = 4
warmup = $warmup
[[load.request]]
path = "/page?id=42"
weight = 3
[[load.request]]
path = "/page?id=7"
[[load.request]]
path = "/page?id=913"
[verdict]
min_leak = "1B"
max_requests = $total
[[chunk]]
name = "page"
TOML
        started=$(date +%s)
        if ! measure_trace "$scratch/recipe.toml" "$corpus/$file" 4000 --none; then
            echo "$file: FAILED" >&2
            continue
        fi
        # The sanity line: growth from the mean of the first tenth's samples after the fixed load's
        # warm-up to the mean of the last tenth, per request.
        summary=$(awk -F, -v w="$warmup" '
            NR > 1 { r[++n] = $2; b[n] = $3 }
            END {
                total = r[n]; lo = 0; hi = 0; m1 = 0; m2 = 0
                for (i = 1; i <= n; i++) {
                    if (r[i] >= w && r[i] < w + (total - w) / 10) a1[++m1] = b[i]
                    if (r[i] >= total - (total - w) / 10) a2[++m2] = b[i]
                }
                for (i = 1; i <= m1; i++) s += a1[i] / m1
                for (i = 1; i <= m2; i++) e += a2[i] / m2
                printf "%d %d %.0f %.0f", total, n, (e - s) / ((total - w) * 0.9), b[n] / 1048576
            }' "$corpus/$file")
        set -- $summary
        echo "$file: $2 samples, $1 requests, $(( $(date +%s) - started ))s, ~$3 B/request after the warm-up (planted $leak), ends at $4 MiB"
        grep -v "^$file	" "$manifest" > "$scratch/manifest" || true
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$file" "$split" "$runtime" "$app" "$class" \
            "$leak" "$metric" "$planted_warmup" "$fixed" "$warmup" "$1" >> "$scratch/manifest"
        { head -n 1 "$scratch/manifest"; tail -n +2 "$scratch/manifest" | sort; } > "$manifest"
    done
}

record_app() {
    app_conf "$1"
    # RSS, every class; then the long warm-up; then PSS where workers share pages.
    record "$1" none none 0 0 rss 0
    record "$1" leak1k leak 1024 0 rss 0
    record "$1" cache cache 0 "$cache" rss 0
    record "$1" leak200 leak 200 0 rss 0
    record "$1" leak5k leak 5120 0 rss 0
    record "$1" none none 0 0 rss 1
    record "$1" leak1k leak 1024 0 rss 1
    if [ "$pss" = 1 ]; then
        record "$1" none none 0 0 pss 0
        record "$1" leak1k leak 1024 0 pss 0
    fi
}

[ $# -gt 0 ] || set -- node-http flask-sync rack-puma express flask-gthread django-sync rails-puma-single rails-puma-cluster
for app in "$@"; do
    record_app "$app"
done
