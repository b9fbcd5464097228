#!/usr/bin/env python3
"""Can any verdict tell a real corpus's plateaus from its smallest leaks, window by window?

For each app of bench/verdict/corpus, at looks of 1, 2, 4, ... times its fixed load, prints the
memory floor's growth per request over the later half of what was recorded by then (the part a
warm-up has least to do with; Theil-Sen over floors of blocks an eighth of the fixed load wide, each
the 10% quantile of its samples), of the steepest plateau (`none`, `cache`) and of the shallowest
200 B/request leak among the app's RSS traces. Where the steepest plateau grows as fast as the
shallowest leak, no verdict at that look can call both right: the traces have the same shape up
to it. Then lists the plateaus (truth: PLATEAU) that still grow by more than min_leak (100 B) per
request over the later half of their whole recording: a PLATEAU there would contradict min_leak's
own meaning. Not a verdict, and not a timed test.

    bench/verdict/separability.py [--split report|tune|all]
"""
import argparse
import csv
import statistics
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"
MIN_LEAK = 100  # bytes per request: the recipe default the corpus is judged at
FLOOR_QUANTILE = 0.1
BLOCKS_PER_FIXED_LOAD = 8


def read_trace(path):
    with open(path, newline="") as handle:
        return [(int(row["requests"]), int(row["bytes"])) for row in csv.DictReader(handle)]


def floors(trace, start, end, width):
    blocks = {}
    for requests, memory in trace:
        if start <= requests <= end:
            blocks.setdefault(int((requests - start) // width), []).append((requests, memory))
    points = []
    for samples in blocks.values():
        memory = sorted(value for _, value in samples)
        points.append((statistics.median(x for x, _ in samples),
                       memory[int(FLOOR_QUANTILE * (len(memory) - 1))]))
    return sorted(points)


def theil_sen(points):
    slopes = [(b[1] - a[1]) / (b[0] - a[0])
              for i, a in enumerate(points) for b in points[i + 1:] if b[0] > a[0]]
    return statistics.median(slopes) if slopes else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["report", "tune", "all"], default="report")
    args = parser.parse_args()
    with open(CORPUS / "manifest.tsv", newline="") as handle:
        chosen = [row for row in csv.DictReader(handle, delimiter="\t")
                  if args.split == "all" or row["split"] == args.split]
    separability([row for row in chosen
                  if row["metric"] == "rss" and row["warmup_requests_planted"] == "0"])
    print()
    growing_plateaus([row for row in chosen if row["class"] in ("none", "cache")])


def growing_plateaus(plateaus):
    growing = []
    for row in plateaus:
        end = int(row["total_requests"])
        fixed = int(row["fixed_load_requests"])
        points = floors(read_trace(CORPUS / row["file"]), end // 2, end,
                        fixed / BLOCKS_PER_FIXED_LOAD)
        rate = theil_sen(points)
        if rate > MIN_LEAK:
            growing.append((row["file"], end, rate))
    print(f"{len(growing)} of {len(plateaus)} plateaus grow by more than min_leak {MIN_LEAK} B/request "
          "over the later half of their recording:")
    print()
    print("| trace | recorded requests | later half B/req |")
    print("|---|---|---|")
    for name, end, rate in growing:
        print(f"| {name} | {end} | {rate:.0f} |")


def separability(manifest):
    print("| app | later half of the look (requests) | steepest plateau B/req (trace) "
          "| shallowest 200 B leak B/req (trace) | separable |")
    print("|---|---|---|---|---|")
    for app in sorted({row["app"] for row in manifest}):
        rows = [row for row in manifest if row["app"] == app]
        fixed = int(rows[0]["fixed_load_requests"])
        warmup = int(rows[0]["warmup"])
        traces = {row["file"]: (row, read_trace(CORPUS / row["file"])) for row in rows}
        longest = max(int(row["total_requests"]) for row in rows)
        multiple = 1
        while multiple * fixed <= longest:
            end = multiple * fixed
            start = max(warmup, end // 2)
            rates = {}
            for name, (row, trace) in traces.items():
                if int(row["total_requests"]) < end:
                    continue
                points = floors(trace, start, end, fixed / BLOCKS_PER_FIXED_LOAD)
                if len(points) >= 3:
                    rates[name] = (row, theil_sen(points))
            plateaus = [(rate, name) for name, (row, rate) in rates.items()
                        if row["class"] in ("none", "cache")]
            leaks = [(rate, name) for name, (row, rate) in rates.items()
                     if row["planted_bytes_per_request"] == "200"]
            if plateaus and leaks:
                steep, steep_name = max(plateaus)
                shallow, shallow_name = min(leaks)
                verdict = "yes" if steep < shallow else "**no**"
                print(f"| {app} | {start}-{end} | {steep:.0f} ({Path(steep_name).stem}) "
                      f"| {shallow:.0f} ({Path(shallow_name).stem}) | {verdict} |")
            multiple *= 2


if __name__ == "__main__":
    main()
