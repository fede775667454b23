#!/usr/bin/env bash
# Cold-build speed of the working tree against an earlier commit, on the same synthetic corpus,
# interleaved in one run: a change to the generator must not make it slower (issue 18: within
# 5%). Each side builds the same content with its own site.yaml, templates and static files.
#
#   bench/compare-speed.sh 6be80c8            # N = 10,000, 7 runs each
#   N=1000 RUNS=3 bench/compare-speed.sh HEAD~3
#
# The earlier commit is checked out in target/diff-site/tree (shared with diff-site.sh) and built
# with its own target folder. A cold build runs with no .medfm-cache, over its previous output,
# as bench/run.sh's medfm-cold does. Needs GNU time (/usr/bin/time, Debian package `time`).
# Prints the median wall time, CPU time and peak memory of each side and their ratios.
set -euo pipefail
cd "$(dirname "$0")/.."

BASE="${1:?usage: bench/compare-speed.sh <earlier commit>}"
N="${N:-10000}"
RUNS="${RUNS:-7}"
command -v /usr/bin/time >/dev/null || { echo "compare-speed: needs GNU time (apt-get install time)" >&2; exit 1; }
source bench/base-tree.sh
checkout_base "$BASE"
OUT="$WORK/speed"

# Binaries: medfm and the corpus generator of each side (gen-corpus was a bin of the main crate
# before it moved to bench/gen-corpus/).
build_side() { # SOURCE_DIR TARGET_DIR -> prints the gen-corpus path
    local src=$1 target=$2
    CARGO_TARGET_DIR="$target" cargo build --release --quiet --bin medfm --manifest-path "$src/Cargo.toml" >&2
    if [ -f "$src/bench/gen-corpus/Cargo.toml" ]; then
        CARGO_TARGET_DIR="$target/gen-corpus" cargo build --release --quiet --manifest-path "$src/bench/gen-corpus/Cargo.toml" >&2
        echo "$target/gen-corpus/release/gen-corpus"
    else
        CARGO_TARGET_DIR="$target" cargo build --release --quiet --bin gen-corpus --manifest-path "$src/Cargo.toml" >&2
        echo "$target/release/gen-corpus"
    fi
}
echo "== building $(git log -1 --format='%h %s' "$rev")" >&2
gen_base=$(build_side "$TREE" "$PWD/$WORK/target-base")
echo "== building the working tree" >&2
gen_new=$(build_side "$PWD" "$PWD/target")

rm -rf "$OUT"
mkdir -p "$OUT"
for side in base new; do
    if [ "$side" = base ]; then src="$TREE" gen="$gen_base"; else src="$PWD" gen="$gen_new"; fi
    "$gen" --pages "$N" --out "$OUT/$side" --site "$src/site.yaml" >/dev/null
    rm -rf "$OUT/$side/hugo-content"
    cp -r "$src/templates" "$src/static" "$src/site.yaml" "$OUT/$side/"
    [ -f "$src/CITATION.cff" ] && cp "$src/CITATION.cff" "$OUT/$side/"
done
if ! diff -r -q "$OUT/base/content" "$OUT/new/content" >/dev/null; then
    echo "note: the two generators wrote different corpora; each side builds its own" >&2
fi

bin() { if [ "$1" = base ]; then echo "$WORK/target-base/release/medfm"; else echo target/release/medfm; fi; }
cold() { # SIDE: one cold build, appended to samples.tsv as side, wall s, user s, sys s, peak KiB
    local side=$1
    rm -rf "$OUT/$side/.medfm-cache"
    /usr/bin/time -o "$OUT/time.txt" -f "%e\t%U\t%S\t%M" \
        "$(bin "$side")" --root "$OUT/$side" build --quiet --out "$OUT/site-$side" >/dev/null
    printf '%s\t%s\n' "$side" "$(tail -n1 "$OUT/time.txt")" >>"$OUT/samples.tsv"
}
# Warm the file cache and give each side a previous output to build over.
cold base; cold new; : >"$OUT/samples.tsv"
for run in $(seq 1 "$RUNS"); do
    echo "   run $run/$RUNS" >&2
    if ((run % 2)); then cold base; cold new; else cold new; cold base; fi
done

python3 - "$OUT/samples.tsv" "$N" "$RUNS" "$(git log -1 --format=%h "$rev")" <<'EOF'
import statistics, sys
path, n, runs, base = sys.argv[1:]
rows = [line.split("\t") for line in open(path).read().split("\n") if line]
def med(side, f):
    return statistics.median(f(r) for r in rows if r[0] == side)
wall = lambda r: float(r[1])
cpu = lambda r: float(r[2]) + float(r[3])
peak = lambda r: float(r[4]) / 1024
print(f"cold build, N = {n} ({runs} interleaved runs each, medians); base = {base}\n")
print("| | base | working tree | ratio |")
print("|---|---|---|---|")
for name, f, unit in [("wall", wall, "s"), ("CPU (user + sys)", cpu, "s"), ("peak memory", peak, "MiB")]:
    b, w = med("base", f), med("new", f)
    print(f"| {name} | {b:.2f} {unit} | {w:.2f} {unit} | {w / b:.3f} |")
EOF
