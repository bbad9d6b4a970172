#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Golden tests, the way gpsd checks its drivers against recorded logs: every
# trace in tests/traces/ (NAME.csv, with its # header saying where it came
# from) must make `station analyze --json` print exactly NAME.expected. A
# missing expected file is a failure. `--regenerate` rewrites them all, on
# purpose, after a deliberate change in behaviour: review the diff.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
regen=0
[ "${1:-}" = "--regenerate" ] && regen=1
n=0
errors=0
for trace in tests/traces/*.csv; do
    case "$trace" in *.truth.csv) continue ;; esac
    n=$((n + 1))
    expected="${trace%.csv}.expected"
    "$STATION" analyze --json "$trace" >"$TMP/got" 2>&1
    if [ $regen -eq 1 ]; then
        cp "$TMP/got" "$expected"
        echo "regenerated $expected"
        continue
    fi
    if [ ! -e "$expected" ]; then
        errors=$((errors + 1))
        not_ok "golden: $trace" "no $expected (make goldens writes it)"
    elif diff -u "$expected" "$TMP/got" >"$TMP/diff"; then
        ok "golden: $trace"
    else
        errors=$((errors + 1))
        # one JSON line per trace: show it field by field so the change reads
        tr ',' '\n' <"$expected" >"$TMP/e1"
        tr ',' '\n' <"$TMP/got" >"$TMP/g1"
        not_ok "golden: $trace" "$(diff "$TMP/e1" "$TMP/g1" | head -20)"
    fi
done
[ $regen -eq 1 ] && exit 0
echo "# goldens: $errors errors in $n tests"
finish
