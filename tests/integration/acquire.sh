#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# One acquisition loop for `run` and `record` (src/sensor/acquire.c): the
# same emulated sensor with the same fault gives both the same gap comment
# in their traces, in one format, matching the jump in their own rows; and
# the second chip family records through the same loop.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

faults=stall@4+2
"$STATION" record --sensor emu --speed 10 --faults $faults --seconds 10 --out "$TMP/r.csv" \
    >"$TMP/ro" 2>&1; rrc=$?
"$STATION" run --headless --mute --sensor emu --speed 10 --faults $faults --seconds 10 \
    --storage "$TMP/s" >"$TMP/so" 2>&1; src=$?
run_trace=$(ls "$TMP"/s/*/trace.csv 2>/dev/null | head -1)

# gaps FILE: each gap comment, checked against the rows around it; prints
# "length why" a line
gaps() {
    python3 - "$1" <<'PY'
import re, sys
rows, gaps = [], []
for line in open(sys.argv[1]):
    if line.startswith("# gap"):
        m = re.fullmatch(r"# gap start_s=(\d+\.\d{3}) length_s=(\d+\.\d{3}): (.+)\n", line)
        assert m, line
        gaps.append((float(m[1]), float(m[2]), m[3]))
    elif line[0].isdigit():
        rows.append(float(line.split(",")[0]))
out = []
for start, length, why in gaps:
    # the rows jump where the comment says: from the sample after the last
    # one before the gap to the first one after it
    assert any(abs(a + 0.01 - start) < 0.006 and abs(b - start - length) < 0.006
               for a, b in zip(rows, rows[1:])), (start, length)
    out.append("%.1f %s" % (length, re.sub(r"[0-9.]+ s", "N s", why)))
print("\n".join(out))
PY
}

if [ $rrc -eq 0 ] && [ $src -eq 0 ] && [ -n "$run_trace" ] &&
   gaps "$TMP/r.csv" >"$TMP/rg" && gaps "$run_trace" >"$TMP/sg" &&
   [ "$(wc -l <"$TMP/rg")" -eq 1 ] && cmp -s "$TMP/rg" "$TMP/sg"; then
    ok "record and run write the same gap comment for the same fault: $(cat "$TMP/rg")"
else
    not_ok "the same gap comment from record and run" "record rc=$rrc, run rc=$src" \
        "record: $(grep '^# gap' "$TMP/r.csv")" "run: $(grep '^# gap' "$run_trace" 2>/dev/null)" \
        "$(tail -3 "$TMP/so")"
fi

# A stop signal ends a recording cleanly through the same loop.
"$STATION" record --sensor emu --out "$TMP/sig.csv" >"$TMP/o" 2>&1 &
pid=$!
sleep 1.5
kill -TERM $pid
wait $pid; rc=$?
if [ $rc -eq 0 ] && contains "$TMP/o" "(signal)" && [ "$(grep -c '^[0-9]' "$TMP/sig.csv")" -gt 50 ]; then
    ok "record: SIGTERM ends the recording with what was read ($(grep -c '^[0-9]' "$TMP/sig.csv") rows)"
else not_ok "record on SIGTERM" "rc=$rc" "$(cat "$TMP/o")"; fi

# The LSM6DSO's emulator through the same loop: rate, source and samples.
"$STATION" record --sensor emu:lsm6dso --speed 10 --seconds 5 --out "$TMP/l.csv" >"$TMP/o" 2>&1; rc=$?
rows=$(grep -c '^[0-9]' "$TMP/l.csv" 2>/dev/null)
if [ $rc -eq 0 ] && grep -q '^# sample_rate_hz=104' "$TMP/l.csv" &&
   grep -q '^# source=emulated LSM6DSO' "$TMP/l.csv" && [ "$rows" -ge 500 ] && [ "$rows" -le 521 ]; then
    ok "record --sensor emu:lsm6dso: 104 Hz, named as an emulated LSM6DSO, $rows rows in 5 s"
else not_ok "record from the LSM6DSO emulator" "rc=$rc rows=$rows" "$(head -6 "$TMP/l.csv")" "$(cat "$TMP/o")"; fi

finish
