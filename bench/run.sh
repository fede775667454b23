#!/usr/bin/env bash
# medfm benchmark: medfm against Hugo and against the floor (pulldown-cmark + syntect alone) on
# the same deterministic synthetic corpus, side by side in one run.
#
#   bench/run.sh                      # N = 1,000 and 10,000 pages, 5 runs each
#   SIZES="1000" RUNS=3 bench/run.sh  # quicker
#
# Needs hugo (apt-get install hugo) and GNU time (/usr/bin/time, Debian package `time`).
# For each N it generates bench/corpus-N (medfm project + Hugo content), then runs, interleaved,
# RUNS times each: the floor; `medfm build` into an empty folder with no cache (medfm-empty);
# a cold `medfm build` (no cache) over its previous output, the way a user's next build runs
# (medfm-cold); Hugo, also over its previous output; and a warm `medfm build` after editing one
# page (caches present). It reports the median wall time, CPU time (user + sys), peak memory and
# pages per second, the ratios the targets are stated in, and medfm's per-stage timings.
# Results go to bench/out/results.md (and stdout).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES="${SIZES:-1000 10000}"   # set SKIP_BUILD=1 to use already built binaries
RUNS="${RUNS:-5}"
OUT="${BENCH_OUT:-bench/out}"
TARGET="${CARGO_TARGET_DIR:-target}"
BIN="$TARGET/release"

for tool in hugo /usr/bin/time python3; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install hugo time python3)" >&2; exit 1; }
done

[ -n "${SKIP_BUILD:-}" ] || {
    cargo build --release --quiet --bin medfm --bin floor
    cargo build --release --quiet --manifest-path bench/gen-corpus/Cargo.toml
}
GEN_CORPUS=bench/gen-corpus/target/release/gen-corpus
mkdir -p "$OUT"
ABS_OUT="$(cd "$OUT" && pwd)"   # Hugo resolves relative paths against its --source
rm -f "$OUT"/samples.tsv "$OUT"/timings-*.txt

# measure NAME N CMD... : one run under GNU time, appended to samples.tsv as
# name, N, wall s, user s, sys s, peak KiB.
measure() {
    local name=$1 n=$2
    shift 2
    /usr/bin/time -o "$OUT/time.txt" -f "%e\t%U\t%S\t%M" "$@" >/dev/null 2>"$OUT/stderr.txt" || {
        echo "bench: $name failed:" >&2
        cat "$OUT/stderr.txt" >&2
        exit 1
    }
    printf '%s\t%s\t%s\n' "$name" "$n" "$(tail -n1 "$OUT/time.txt")" >>"$OUT/samples.tsv"
}

for N in $SIZES; do
    CORPUS="bench/corpus-$N"
    echo "== N = $N: generating $CORPUS" >&2
    "$GEN_CORPUS" --pages "$N" --out "$CORPUS" --site site.yaml >&2
    rm -rf "$CORPUS/templates" "$CORPUS/static" "$CORPUS/hugo" "$CORPUS/.medfm-cache"
    cp -r templates static site.yaml "$CORPUS/"
    [ -f CITATION.cff ] && cp CITATION.cff "$CORPUS/"
    cp -r bench/hugo "$CORPUS/hugo"
    ABS_CORPUS="$(cd "$CORPUS" && pwd)"
    MEDFM=("$BIN/medfm" --root "$CORPUS" build --quiet --out "$OUT/medfm-$N")
    HUGO=(hugo --quiet --source "$CORPUS/hugo" --contentDir "$ABS_CORPUS/hugo-content" --destination "$ABS_OUT/hugo-$N")
    # Warm the file cache, give Hugo an output to build over like medfm's, and record medfm's
    # stage timings for a cold and a warm build.
    "$BIN/floor" "$CORPUS/content" >/dev/null
    "${HUGO[@]}" >/dev/null
    "$BIN/medfm" --root "$CORPUS" build --timings --out "$OUT/medfm-$N" 2>"$OUT/timings-cold-$N.txt"
    "$BIN/medfm" --root "$CORPUS" build --timings --out "$OUT/medfm-$N" 2>"$OUT/timings-warm-$N.txt"
    for run in $(seq 1 "$RUNS"); do
        echo "   run $run/$RUNS" >&2
        measure floor "$N" "$BIN/floor" "$CORPUS/content"
        rm -rf "$CORPUS/.medfm-cache" "$OUT/medfm-empty-$N"
        measure medfm-empty "$N" "$BIN/medfm" --root "$CORPUS" build --quiet --out "$OUT/medfm-empty-$N"
        rm -rf "$CORPUS/.medfm-cache" "$OUT/medfm-empty-$N"
        measure medfm-cold "$N" "${MEDFM[@]}"
        measure hugo "$N" "${HUGO[@]}"
        # Edit one page (a different one each run), then rebuild with the cache of the last build.
        page=$(find "$CORPUS/content/models" -name '*.en.md' | sort | sed -n "${run}p")
        printf '\nEdited for warm run %s.\n' "$run" >>"$page"
        measure medfm-warm "$N" "${MEDFM[@]}"
    done
done

python3 bench/summarize.py "$OUT/samples.tsv" "$OUT" | tee "$OUT/results.md"
