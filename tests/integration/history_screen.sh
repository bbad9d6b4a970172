#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Her weeks on the station (issue 13), end to end: people added with
# `station person add`, sessions made by replay and stored under days
# around today (as live sessions are), then the station run on that
# storage: the status line between sessions, the history page (back at
# idle), the people at idle, the end screen, each drawn with --screenshot.
# A replayed session stays out of her weeks.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

S="$TMP/s"
"$STATION" person --storage "$S" add Anna >/dev/null
"$STATION" person --storage "$S" add Bea >/dev/null
"$STATION" simulate --scenario stage2 --seed 2 --out "$TMP/stage2.csv" >/dev/null 2>&1

# session DAYS_AGO MODE PERSON TRACE STAGE: one session by replay, its
# folder named for that day (a second past midnight, so never in the
# future) and its mode set as the station would have recorded it
session() {
    printf '0.5 start\n' >"$TMP/start"
    "$STATION" run --replay "$4" --script "$TMP/start" --stage "$5" --storage "$S" --mute \
        --person "$3" >"$TMP/made" 2>&1 || echo "# session $1 days ago failed" >&2
    d=$(sed -n 's/^station: recording the session in //p' "$TMP/made" | tail -1)
    sed "s/\"mode\": \"replay\"/\"mode\": \"$2\"/" "$d/summary.json" >"$d/summary.new" &&
        mv "$d/summary.new" "$d/summary.json"
    day=$(date -d "today - $1 days" +%Y%m%d)
    n=0
    while [ -e "$S/$day-000001$( [ $n -gt 0 ] && echo "-$n")" ]; do n=$((n + 1)); done
    mv "$d" "$S/$day-000001$( [ $n -gt 0 ] && echo "-$n")"
}
session 0 live Anna assets/demo.csv 1
session 1 live Anna assets/demo.csv 1
session 2 live Anna assets/demo.csv 1
session 9 live Anna "$TMP/stage2.csv" 2
session 0 replay Anna assets/demo.csv 1
session 0 live Bea assets/demo.csv 1
"$STATION" reindex --storage "$S" >/dev/null

# what her weeks must say: her live sessions from this Monday, and three
# days in a row (today, yesterday, the day before)
monday=$(date -d "today - $(($(date +%u) - 1)) days" +%Y%m%d)
week=0
for ago in 0 1 2 9; do
    [ "$(date -d "today - $ago days" +%Y%m%d)" -ge "$monday" ] && week=$((week + 1))
done
plural() { [ "$1" -eq 1 ] || echo s; }
anna="Anna: $week session$(plural $week) this week, 3 days in a row"

# run SCRIPT-LINES [ARGS]: the station on the storage, a replay that only
# presses the buttons given (no start: nothing is recorded)
run() {
    printf '%s\n' "$1" | tr ';' '\n' >"$TMP/script"
    shift
    "$STATION" run --replay assets/demo.csv --script "$TMP/script" --storage "$S" --mute \
        --seconds 20 "$@" >"$TMP/o" 2>&1
}
folders() { find "$S" -mindepth 1 -maxdepth 1 -type d | wc -l; }
before=$(folders)

run "0.5 back"; rc=$?
if [ $rc -eq 0 ] && contains "$TMP/o" "waiting for start | $anna" &&
    contains "$TMP/o" "history: $anna (next: back; start: begin)"; then
    ok "between sessions the status line gives her week and streak ($anna); back shows her weeks"
else not_ok "status line and history at idle" "rc=$rc" "expected: $anna" "$(grep -v '^\[' "$TMP/o" | tail -5)" "$(grep '^\[' "$TMP/o" | head -2)"; fi

if [ "$(folders)" -eq "$before" ]; then ok "looking at the history records no session"
else not_ok "looking at the history made a session folder"; fi

run "0.5 next;0.7 back"; rc=$?
if [ $rc -eq 0 ] && contains "$TMP/o" "next session for Bea" &&
    contains "$TMP/o" "history: Bea: 1 session this week, 1 day in a row" &&
    contains "$TMP/o" "waiting for start | Bea: 1 session this week, 1 day in a row"; then
    ok "next at idle chooses Bea; back then shows her weeks, not Anna's"
else not_ok "history of the person chosen" "rc=$rc" "$(grep -v '^\[' "$TMP/o" | tail -5)"; fi

# the screens, drawn from this storage
mkdir -p build/screens
shot() { # NAME SCRIPT: the last frame of a run, saved
    run "$2" --screenshot "build/screens/e2e-$1.png"; rc=$?
    if [ $rc -eq 0 ] && [ "$(wc -c <"build/screens/e2e-$1.png")" -gt 3000 ]; then
        ok "--screenshot draws the $1 screen from the storage (build/screens/e2e-$1.png)"
    else not_ok "screenshot of $1" "rc=$rc" "$(tail -3 "$TMP/o")"; fi
}
shot history "0.5 back"
shot idle-people "0.5 back;0.7 back"
shot idle-people-bea "0.5 next"

# a replayed session: its end screen says her week, and it stays out of it
"$STATION" run --replay assets/demo.csv --script "$TMP/start" --storage "$S" --mute \
    --person Anna --screenshot build/screens/e2e-end-week.png >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && [ "$(wc -c <build/screens/e2e-end-week.png)" -gt 3000 ] &&
    [ "$(folders)" -eq $((before + 1)) ]; then
    ok "a replayed session for Anna is stored and its end screen drawn"
else not_ok "replayed session's end screen" "rc=$rc" "$(tail -3 "$TMP/o")"; fi
run "0.5 back"
if contains "$TMP/o" "waiting for start | $anna"; then
    ok "the replayed session is not in her week (still: $anna)"
else not_ok "a replay counted in her week" "$(grep '^\[' "$TMP/o" | head -1)"; fi

# one person: her weeks, and the station still never asks whose session
S1="$TMP/one"
"$STATION" person --storage "$S1" add Cara >/dev/null
printf '0.5 back\n' >"$TMP/script"
"$STATION" run --replay assets/demo.csv --script "$TMP/script" --storage "$S1" --mute \
    --seconds 20 >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && contains "$TMP/o" "waiting for start | Cara: 0 sessions this week, 0 days in a row" &&
    ! contains "$TMP/o" "people on this station"; then
    ok "one person: her (empty) week in the status line; nobody is asked to choose"
else not_ok "one-person station" "rc=$rc" "$(head -5 "$TMP/o")"; fi

# nobody set up: the station's own live sessions
S0="$TMP/nobody"
"$STATION" run --replay assets/demo.csv --script "$TMP/script" --storage "$S0" --mute \
    --seconds 20 >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && contains "$TMP/o" "waiting for start | 0 sessions this week, 0 days in a row"; then
    ok "nobody set up: the station's week in the status line"
else not_ok "station with nobody set up" "rc=$rc" "$(head -5 "$TMP/o")"; fi

# the idle screen shows what start begins: her program's stage and length
S2="$TMP/fay"
"$STATION" person --storage "$S2" add Fay >/dev/null
idle() { # SCRIPT-LINES: the log of a run on S2 that only presses those buttons
    printf '%s\n' "$1" | tr ';' '\n' >"$TMP/script"
    "$STATION" run --replay assets/demo.csv --script "$TMP/script" --storage "$S2" --mute \
        --seconds 3 --screenshot "build/screens/e2e-$2.png" >"$TMP/o" 2>&1
}
minutes() { sed -n "s/^station: start begins stage $1 for $2, about \([0-9]*\) min.*/\1/p" "$TMP/o" | tail -1; }
idle "# none" idle-one; plain=$(minutes 1 Fay)
"$STATION" person --storage "$S2" set Fay stage=2 >/dev/null
idle "# none" idle-one-stage2; rc=$?
printf '0.5 start\n' >"$TMP/start"
"$STATION" run --replay assets/demo.csv --script "$TMP/start" --storage "$S2" --mute \
    --seconds 3 >"$TMP/o2" 2>&1
if [ $rc -eq 0 ] && [ -n "$(minutes 2 Fay)" ] && contains "$TMP/o2" "Session started: stage 2"; then
    ok "one person: idle shows her program's stage 2 (about $(minutes 2 Fay) min), and start begins it"
else not_ok "one person: the stage at idle" "rc=$rc" "$(grep -v '^\[' "$TMP/o" | head -3)" "$(grep Started "$TMP/o2")"; fi

"$STATION" person --storage "$S2" set Fay stage=1 child_pose_s=600 >/dev/null
idle "# none" idle-one-long
long=$(minutes 1 Fay)
if [ -n "$plain" ] && [ -n "$long" ] && [ "$long" -ge $((plain + 15)) ]; then
    ok "idle: about how long follows her program (two 600 s child poses: $long min, not $plain)"
else not_ok "idle: her program's length" "plain=$plain long=$long" "$(grep -v '^\[' "$TMP/o" | head -3)"; fi

"$STATION" person --storage "$S2" set Fay stage=2 >/dev/null
idle "0.5 next" idle-one-other; rc=$?
printf '0.5 next\n0.8 start\n' >"$TMP/script"
"$STATION" run --replay assets/demo.csv --script "$TMP/script" --storage "$S2" --mute \
    --seconds 3 >"$TMP/o2" 2>&1
if [ $rc -eq 0 ] && contains "$TMP/o" "stage 1 chosen (script)" &&
    contains "$TMP/o" "just this session: her program is the other stage" &&
    contains "$TMP/o2" "Session started: stage 1" &&
    "$STATION" person --storage "$S2" show Fay | grep -q "this week: stage 2;"; then
    ok "one person: next chooses the other stage for this session only, and says so; her program stays stage 2"
else not_ok "one person: next at idle" "rc=$rc" "$(grep -v '^\[' "$TMP/o" | head -3)"; fi

# several people: each one's stage as she is chosen
"$STATION" person --storage "$S" set Bea stage=2 >/dev/null
run "0.5 next;0.8 start"; rc=$?
if [ $rc -eq 0 ] && contains "$TMP/o" "start begins stage 1 for Anna" &&
    contains "$TMP/o" "start begins stage 2 for Bea" && contains "$TMP/o" "Session started: stage 2"; then
    ok "several people: idle shows each one's stage as next chooses her (Anna 1, Bea 2)"
else not_ok "several people: the stage at idle" "rc=$rc" "$(grep -v '^\[' "$TMP/o" | head -5)"; fi
"$STATION" person --storage "$S" unset Bea stage >/dev/null

finish
