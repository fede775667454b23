#!/usr/bin/env bash
# Builds the real site with the medfm of an earlier commit and with the working tree, and
# compares the two folders file by file. A refactor must leave the output byte-identical; an
# intended change shows up here, to be explained in its commit.
#
#   bench/diff-site.sh              # the working tree against HEAD
#   bench/diff-site.sh 6be80c8      # … against any commit
#   KEEP=1 bench/diff-site.sh       # keep both sites under target/diff-site/ to inspect them
#
# The earlier commit is checked out in target/diff-site/tree (a git worktree) and built with its
# own target folder, so switching back and forth does not rebuild either side from scratch.
# Exit status: 0 when the sites are identical, 1 when they differ.
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/base-tree.sh
checkout_base "${1:-HEAD}"
echo "== building medfm at $(git log -1 --format='%h %s' "$rev")" >&2
CARGO_TARGET_DIR="$PWD/$WORK/target-base" cargo build --release --quiet --bin medfm --manifest-path "$TREE/Cargo.toml"
echo "== building medfm from the working tree" >&2
cargo build --release --quiet --bin medfm

rm -rf "$WORK/base" "$WORK/new"
# Each medfm builds its own project: the earlier commit's content, templates and site.yaml, or
# the working tree's. Caches are left out so both are full builds.
"$WORK/target-base/release/medfm" --root "$TREE" build --quiet --out "$PWD/$WORK/base"
rm -rf "$TREE/.medfm-cache"
target/release/medfm build --quiet --out "$WORK/new"

status=0
if diff -r -q "$WORK/base" "$WORK/new" >"$WORK/diff.txt"; then
    echo "identical: $(find "$WORK/new" -type f | wc -l) files" >&2
else
    status=1
    echo "the sites differ:" >&2
    cat "$WORK/diff.txt" >&2
fi
[ -n "${KEEP:-}" ] || rm -rf "$WORK/base" "$WORK/new"
exit "$status"
