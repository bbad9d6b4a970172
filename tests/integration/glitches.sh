#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 16's review findings, through analyze and a replayed session: clock
# jumps judged by the rows after them, out-of-range values, the dropped count
# everywhere, a set cut at the start, empty replays, a screenshot of any
# moment. Each case failed before its fix.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

"$STATION" simulate --scenario rocking --out "$TMP/base.csv" --seed 3 --drop 0 >/dev/null 2>&1
# edit N EXPR: the trace with EXPR applied to t_s ($1) of data row N onwards
# (row N alone when ONLY is set), as $TMP/edit.csv
edit() {
    awk -F, -v OFS=, -v n0="$1" -v only="${ONLY:-}" \
        '!/^#|^t_s/ { n++; if (n == n0 || (only == "" && n > n0)) $1 = '"$2"' } { print }' \
        "$TMP/base.csv" >"$TMP/edit.csv"
}
# sets FILE: "SETS CYCLES DROPPED DURATION" from analyze --json
sets() {
    "$STATION" analyze --json "$1" | python3 -c '
import json, sys
d = json.load(sys.stdin)
r = d["rocking"]
print(len(r), sum(x["cycles"] for x in r), d["dropped"], round(d["duration_s"], 2))'
}

# the truth of the base trace: 59 cycles in one set, 65.41 s
ONLY=1 edit 704 '"99999"'
got=$(sets "$TMP/edit.csv")
case "$got" in "1 5"[89]" 1 65.41"|"1 60 1 65.41")
    ok "analyze: one timestamp far ahead is dropped, not every row after it ($got)" ;;
*) not_ok "analyze: one timestamp far ahead" "sets cycles dropped duration: $got" ;; esac

ONLY=1 edit 2000 '$1 + 1.0'
got=$(sets "$TMP/edit.csv")
case "$got" in "1 5"[89]" 1 65.41"|"1 60 1 65.41")
    ok "analyze: one row 1 s ahead is dropped, the set stays whole ($got)" ;;
*) not_ok "analyze: one row 1 s ahead" "sets cycles dropped duration: $got" ;; esac

edit 3000 '$1 - 29'
got=$(sets "$TMP/edit.csv")
case "$got" in "1 5"[89]" 0 65.41"|"1 60 0 65.41")
    ok "analyze: a clock restarting mid-file is a new time base, nothing lost ($got)" ;;
*) not_ok "analyze: a clock restarting mid-file" "sets cycles dropped duration: $got" ;; esac

edit 3000 '$1 + 100'
got=$(sets "$TMP/edit.csv")
case "$got" in "2 5"[89]" 0 165.41"|"2 60 0 165.41")
    ok "analyze: a clock step the rows confirm is a gap ($got)" ;;
*) not_ok "analyze: a confirmed clock step" "sets cycles dropped duration: $got" ;; esac

printf '0.2 start\n1 next\n' >"$TMP/rock.script"
ONLY=1 edit 704 '"99999"'
"$STATION" run --replay "$TMP/edit.csv" --script "$TMP/rock.script" --storage "$TMP/s1" >"$TMP/o" 2>&1; rc=$?
got=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
st = [s for s in d["steps"] if s["kind"] == "rocking"][0]
print(len(st["sets"]), st["cycles"])' "$(ls -d "$TMP"/s1/*/ | head -1)summary.json" 2>&1)
case "$rc $got" in "0 1 5"[89]|"0 1 60")
    ok "replay: one timestamp far ahead is dropped, the rocking set is whole ($got)" ;;
*) not_ok "replay: one timestamp far ahead" "rc=$rc sets cycles: $got" "$(tail -3 "$TMP/o")" ;; esac

# out-of-range values are dropped like NaN; an underflow is a number
awk -F, -v OFS=, '!/^#|^t_s/ { n++; if (n == 711) $5 = "1e+300"; if (n == 900) $2 = "1e39";
    if (n == 1000) $3 = "1e-400" } { print }' "$TMP/base.csv" >"$TMP/huge.csv"
"$STATION" analyze --json "$TMP/huge.csv" >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && contains "$TMP/o" '"samples": 6540' && contains "$TMP/o" '"dropped": 2, "dropped_why": {"time": 0, "not_finite": 0, "out_of_range": 2}' \
   && contains "$TMP/o" '"cycles": 59'; then
    ok "analyze: readings beyond the sensor's range are dropped and counted by why, 1e-400 read"
else not_ok "analyze: out-of-range readings" "rc=$rc" "$(cut -c1-300 "$TMP/o")"; fi

"$STATION" run --replay "$TMP/huge.csv" --script "$TMP/rock.script" --storage "$TMP/s2" >"$TMP/o" 2>&1; rc=$?
got=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
st = [s for s in d["steps"] if s["kind"] == "rocking"][0]
print(d["ended_s"] > 65, st["cycles"], d["dropped_samples"])' "$(ls -d "$TMP"/s2/*/ | head -1)summary.json" 2>&1)
case "$rc $got" in "0 True 5"[89]" 2"|"0 True 60 2")
    ok "replay: an out-of-range reading does not cut the session off ($got)" ;;
*) not_ok "replay: an out-of-range reading" "rc=$rc ended_after_65s cycles dropped: $got" "$(tail -3 "$TMP/o")" ;; esac
if contains "$TMP/o" "glitches: 2 samples dropped"; then
    ok "replay: the dropped samples are in summary.json (dropped_samples) and the log"
else not_ok "replay: dropped samples in the log" "$(tail -4 "$TMP/o")"; fi

# a trace cut mid-set: the set starts at the first sample, never before it
"$STATION" simulate --scenario leg-lopsided --seed 2 --out "$TMP/lop2.csv" >/dev/null 2>&1
awk -F, '/^#|^t_s/ || $1 >= 9.242' "$TMP/lop2.csv" >"$TMP/lop2-cut.csv"
got=$("$STATION" analyze --json "$TMP/lop2-cut.csv" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(min(r["start_s"] for r in d["rocking"]))')
case "$got" in -*|"") not_ok "analyze: a trace cut mid-set" "first start_s: $got" ;;
*) ok "analyze: a set found from the first sample starts there, not before ($got)" ;; esac

# a replay with nothing in it says so (it exited 0 in silence)
head -n "$(grep -n '^t_s' "$TMP/base.csv" | cut -d: -f1)" "$TMP/base.csv" >"$TMP/hdr.csv"
head -n "$(( $(grep -n '^t_s' "$TMP/base.csv" | cut -d: -f1) + 1 ))" "$TMP/base.csv" >"$TMP/one.csv"
"$STATION" run --replay "$TMP/hdr.csv" --storage "$TMP/s3" >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "hdr.csv: no samples: nothing to replay, no session stored"; then
    ok "replay: a header-only trace is said to have no samples, exit 2"
else not_ok "replay: a header-only trace" "rc=$rc" "$(tail -3 "$TMP/o")"; fi
"$STATION" run --replay "$TMP/one.csv" --storage "$TMP/s4" >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "one.csv: one sample, no time in it: nothing to replay"; then
    ok "replay: a one-sample trace is said to have nothing to replay, exit 2"
else not_ok "replay: a one-sample trace" "rc=$rc" "$(tail -3 "$TMP/o")"; fi

# --screenshot-at: the screen at that moment, not the end screen
"$STATION" run --replay "$TMP/base.csv" --script "$TMP/rock.script" --no-record \
    --screenshot "$TMP/end.png" >"$TMP/o" 2>&1; rc1=$?
"$STATION" run --replay "$TMP/base.csv" --script "$TMP/rock.script" --no-record \
    --screenshot "$TMP/mid.png" --screenshot-at 30 >"$TMP/o" 2>&1; rc2=$?
if [ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] && [ -s "$TMP/mid.png" ] && ! cmp -s "$TMP/end.png" "$TMP/mid.png" \
   && [ "$(head -c 4 "$TMP/mid.png" | tail -c 3)" = PNG ]; then
    ok "replay: --screenshot-at 30 saves the rocking step's screen, not the end screen"
else not_ok "replay: --screenshot-at" "rc=$rc1/$rc2" "$(tail -3 "$TMP/o")"; fi
"$STATION" run --replay "$TMP/base.csv" --script "$TMP/rock.script" --no-record \
    --screenshot "$TMP/late.png" --screenshot-at 300 >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 1 ] && [ ! -e "$TMP/late.png" ] && contains "$TMP/o" "no screenshot: the data ended at 65.4 s, before --screenshot-at 300"; then
    ok "replay: a --screenshot-at past the end of the data is said, exit 1"
else not_ok "replay: --screenshot-at past the end" "rc=$rc" "$(tail -3 "$TMP/o")"; fi

finish
