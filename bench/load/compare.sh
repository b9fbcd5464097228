#!/usr/bin/env bash
# Compares the load driver's throughput with wrk's against the same local server, and prints a table.
# Usage: bench/load/compare.sh [ROUNDS] [SECONDS] [CONNECTIONS]
# Builds only into $BUILD_DIR (default build-bench-load, ignored by git). Needs wrk and /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-3}"
seconds="${2:-5}"
connections="${3:-4}"
build_dir="${BUILD_DIR:-build-bench-load}"

for tool in wrk /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "compare.sh needs $tool" >&2; exit 2; }
done

cmake -S bench/load -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build_dir" -j"$(nproc)" >/dev/null

port_file="$(mktemp)"
"$build_dir/bench_server" 0 >"$port_file" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; rm -f "$port_file"' EXIT
for _ in $(seq 50); do [ -s "$port_file" ] && break; sleep 0.1; done
url="http://127.0.0.1:$(head -1 "$port_file")"

printf '%-6s %12s %14s %12s %14s %7s\n' round "wrk req/s" "wrk cpu us/req" "load req/s" "load cpu us/req" ratio
for round in $(seq "$rounds"); do
  # wrk runs for a time; the driver for a count: give it about as many requests as wrk managed.
  wrk_out="$(/usr/bin/time -f 'cpu %U %S' wrk -t1 -c"$connections" -d"${seconds}s" "$url/" 2>&1)"
  wrk_rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$wrk_out")"
  wrk_requests="$(awk '/requests in/ {print $1}' <<<"$wrk_out")"
  wrk_cpu_us="$(awk -v n="$wrk_requests" '/^cpu / {printf "%.2f", ($2 + $3) * 1e6 / n}' <<<"$wrk_out")"

  load_out="$("$build_dir/load_bench" "$url" "$wrk_requests" "$connections")"
  load_rps="$(awk '{for (i = 1; i < NF; i++) if ($i == "rps") print $(i + 1)}' <<<"$load_out")"
  load_cpu_us="$(awk '{for (i = 1; i < NF; i++) if ($i == "cpu_us_per_request") print $(i + 1)}' <<<"$load_out")"

  ratio="$(awk -v a="$load_rps" -v b="$wrk_rps" 'BEGIN {printf "%.2f", a / b}')"
  printf '%-6s %12.0f %14s %12.0f %14s %7s\n' "$round" "$wrk_rps" "$wrk_cpu_us" "$load_rps" "$load_cpu_us" "$ratio"
done
