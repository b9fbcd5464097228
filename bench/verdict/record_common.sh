# Sourced by the verdict benchmark's record scripts (sh): the repository root, the leakbisect binary
# (LEAKBISECT, default build/leakbisect), a scratch folder removed on exit, and measure_trace,
# which runs one probe of a recipe to its end and copies the probe's memory.csv.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
leakbisect=${LEAKBISECT:-$root/build/leakbisect}
[ -x "$leakbisect" ] || { echo "$0: no leakbisect at $leakbisect (build it, or set LEAKBISECT)" >&2; exit 2; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# measure_trace RECIPE OUT_CSV [MAX_LINES [MEASURE_OPTIONS...]]: one probe (measure's exit code is
# the verdict, ignored), its memory.csv copied to OUT_CSV. With MAX_LINES (0: never) a longer trace
# is thinned while copying to every k-th sample, k the smallest that leaves at most MAX_LINES samples
# (header, columns and the last sample kept). Thinning is uniform in time, not in requests: the
# interval sampler stamps each sample with the requests the load's progress hook last reported,
# which advances in steps of requests / 200, so a dense trace holds many samples per request count.
# Fails when the probe left no memory.csv (the app could not be run).
measure_trace() {
    _recipe=$1
    _out=$2
    _max=${3:-0}
    [ $# -ge 3 ] && shift 3 || shift $#
    [ $# -gt 0 ] || set -- --none
    rm -rf "$scratch/runs"
    "$leakbisect" measure "$_recipe" "$@" --out "$scratch/runs" > "$scratch/measure.log" 2>&1 || true
    set -- "$scratch"/runs/*/probes/*/memory.csv
    if [ ! -s "$1" ]; then
        echo "$0: no memory.csv from $_recipe; measure said:" >&2
        tail -n 20 "$scratch/measure.log" >&2
        return 1
    fi
    mkdir -p "$(dirname "$_out")"
    if [ "$_max" -gt 0 ] && [ "$(wc -l < "$1")" -gt "$_max" ]; then
        awk -F, -v k=$(( ($(wc -l < "$1") - 2) / _max + 1 )) '
            NR == 1 { print; next }
            { last = $0 }
            (NR - 2) % k == 0 { print; last = "" }
            END { if (last != "") print last }' "$1" > "$_out"
    else
        cp "$1" "$_out"
    fi
}
