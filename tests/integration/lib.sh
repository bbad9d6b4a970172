# SPDX-License-Identifier: GPL-3.0-or-later
# Helpers for the integration tests: TAP-style lines that tests/run.sh counts.
# Each script runs from the repository root with STATION set to the binary.
STATION=${STATION:-build/station}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/station-it.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
PASSES=0
FAILS=0

ok() {
    PASSES=$((PASSES + 1))
    echo "ok - $1"
}

not_ok() {
    FAILS=$((FAILS + 1))
    echo "not ok - $1"
    shift
    for line in "$@"; do echo "#   $line"; done
}

# check DESCRIPTION COMMAND...: passes when the command succeeds.
check() {
    desc=$1
    shift
    if "$@" >"$TMP/out" 2>&1; then ok "$desc"; else not_ok "$desc" "$(tail -5 "$TMP/out")"; fi
}

# contains FILE TEXT: fixed-string search.
contains() {
    grep -qF -- "$2" "$1"
}

finish() {
    echo "# $(basename "$0"): $PASSES passed, $FAILS failed"
    [ "$FAILS" -eq 0 ]
}
