#!/usr/bin/env python3
"""Summarises bench/run.sh samples: medians per tool and N, the target ratios, stage timings.

usage: summarize.py samples.tsv out-dir   (prints Markdown)
"""
import collections
import statistics
import sys
from pathlib import Path

TARGETS = {
    "cold / floor": 1.25,
    "cold / Hugo": 0.4,
    "peak memory / Hugo": 0.25,
    "warm / cold": 0.10,
}


def load(path):
    runs = collections.defaultdict(list)
    for line in Path(path).read_text().splitlines():
        name, n, wall, user, sys_, peak = line.split("\t")
        runs[(name, int(n))].append((float(wall), float(user) + float(sys_), int(peak) / 1024))
    return runs


def medians(samples):
    return tuple(statistics.median(s[i] for s in samples) for i in range(3))


def main():
    runs = load(sys.argv[1])
    out_dir = Path(sys.argv[2])
    sizes = sorted({n for _, n in runs})
    med = {key: medians(v) for key, v in runs.items()}
    print("| N pages | build | median wall (s) | median CPU (s) | peak memory (MiB) | pages/s | runs |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for n in sizes:
        for name in ["floor", "medfm-empty", "medfm-cold", "medfm-warm", "hugo"]:
            if (name, n) in med:
                wall, cpu, peak = med[(name, n)]
                print(f"| {n:,} | {name} | {wall:.2f} | {cpu:.2f} | {peak:.0f} | {n / wall:,.0f} | {len(runs[(name, n)])} |")
    print()
    print("| N pages | ratio | measured (wall) | measured (CPU) | target | met (wall) |")
    print("|---:|---|---:|---:|---:|:---:|")
    for n in sizes:
        need = [("medfm-cold", n), ("floor", n), ("hugo", n), ("medfm-warm", n)]
        if not all(k in med for k in need):
            continue
        cold, floor, hugo, warm = (med[k] for k in need)
        ratios = {
            "cold / floor": (cold[0] / floor[0], cold[1] / floor[1]),
            "cold / Hugo": (cold[0] / hugo[0], cold[1] / hugo[1]),
            "peak memory / Hugo": (cold[2] / hugo[2], None),
            "warm / cold": (warm[0] / cold[0], warm[1] / cold[1]),
        }
        for label, (wall, cpu) in ratios.items():
            limit = TARGETS[label]
            cpu_text = "" if cpu is None else f"{cpu:.2f}"
            print(f"| {n:,} | {label} | {wall:.2f} | {cpu_text} | ≤ {limit} | {'yes' if wall <= limit else 'no'} |")
        if ("medfm-empty", n) in med:
            # Not what the targets are stated for: a build with no previous output at all.
            empty = med[("medfm-empty", n)]
            for label, base in [("from empty / floor", floor), ("from empty / Hugo", hugo)]:
                print(f"| {n:,} | {label} | {empty[0] / base[0]:.2f} | {empty[1] / base[1]:.2f} | (reference) | |")
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        factor = large / small
        for name in ["medfm-cold", "medfm-empty", "hugo", "floor"]:
            if (name, small) in med and (name, large) in med:
                growth = med[(name, large)][0] / med[(name, small)][0]
                limit = 10.5 * factor / 10
                met = "yes" if growth <= limit else "no"
                cpu_growth = med[(name, large)][1] / med[(name, small)][1]
                print(f"| {large:,} vs {small:,} | {name} time growth | {growth:.2f} | {cpu_growth:.2f} | ≤ {limit:g} | {met} |")
    for n in sizes:
        for kind in ["cold", "warm"]:
            path = out_dir / f"timings-{kind}-{n}.txt"
            if path.exists():
                print(f"\nmedfm --timings, {kind} build, N = {n:,}:\n```\n{path.read_text().strip(chr(10))}\n```")


if __name__ == "__main__":
    main()
