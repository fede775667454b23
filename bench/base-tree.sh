# Sourced by diff-site.sh and compare-speed.sh: checks out an earlier commit in
# target/diff-site/tree (one git worktree, reused between runs so that its own target folder,
# target/diff-site/target-base, keeps the earlier build) and sets WORK, TREE and rev.
WORK="target/diff-site"
TREE="$WORK/tree"

# checkout_base COMMIT
checkout_base() {
    mkdir -p "$WORK"
    rev=$(git rev-parse --verify "$1^{commit}")
    if [ -d "$TREE" ]; then
        git -C "$TREE" checkout --quiet --detach "$rev"
    else
        git worktree add --quiet --detach "$TREE" "$rev"
    fi
}
