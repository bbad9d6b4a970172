#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# People on the station (issue 13): `station person`, `station reindex`,
# whom a session is for (summary.json "person"), choosing at idle.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

S="$TMP/s"
P() { "$STATION" person --storage "$S" "$@"; }
# the folder of the session the last run recorded
recorded() { sed -n 's/^station: recording the session in //p' "$TMP/o" | tail -1; }

P list >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && contains "$TMP/o" "nobody yet" && [ ! -e "$S/station.db" ]; then ok "person list: nobody yet, and no index made by looking"
else not_ok "person list on a new station" "rc=$rc" "$(cat "$TMP/o")"; fi

P add "Anna K" >"$TMP/o" 2>&1 && P add Bea >>"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && contains "$TMP/o" "added Anna K" && [ -f "$S/station.db" ]; then ok "person add: two people, the index in the storage folder"
else not_ok "person add" "rc=$rc" "$(cat "$TMP/o")"; fi

P add bea >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "already a person called 'Bea'"; then ok "person add: a name taken (whatever its case) is refused naming who has it ('Bea' for bea), exit 2"
else not_ok "person add: a name taken" "rc=$rc" "$(cat "$TMP/o")"; fi

for bad in "" " Anna" "a/b" "$(printf 'a\tb')" "0123456789012345678901234567890123456789x"; do
    P add "$bad" >"$TMP/o" 2>&1; rc=$?
    if [ $rc -ne 2 ] || ! contains "$TMP/o" "use 1 to 40 characters: letters, digits"; then
        not_ok "person add: a bad name '$bad' says what is allowed" "rc=$rc" "$(cat "$TMP/o")"; break
    fi
done
[ $rc -eq 2 ] && ok "person add: bad names (empty, leading space, slash, tab, 41 characters) say what is allowed, exit 2"

# 40 characters of two or three bytes each: stored, listed and found whole
S2="$TMP/s-long"
printf "# nothing pressed\n" >"$TMP/nothing-pressed"
long="Анастасия Константиновна Ивановаа"
wide="界界界界界界界界界界界界界界界界界界界界界界界界界界界界界界界界界界界界界界界界"
"$STATION" person --storage "$S2" add "$long" >"$TMP/o" 2>&1 &&
    "$STATION" person --storage "$S2" add "$wide" >>"$TMP/o" 2>&1 &&
    "$STATION" person --storage "$S2" list >>"$TMP/o" 2>&1 &&
    "$STATION" run --replay assets/demo.csv --script "$TMP/nothing-pressed" --storage "$S2" --mute --seconds 1 \
        --person "$wide" >>"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && [ "$(grep -c -e "$long" -e "$wide" "$TMP/o")" -ge 4 ] && ! grep -q "$(printf '\357\277\275')" "$TMP/o"; then
    ok "person add: 40 characters of several bytes each are kept whole (added, listed, found by --person)"
else not_ok "person add: a long name of several-byte characters" "rc=$rc" "$(cat "$TMP/o")"; fi

"$STATION" --help >"$TMP/o" 2>&1
if grep -q "^  person .*add, list, rename, remove, set, unset, show" "$TMP/o"; then ok "station --help names every person command"
else not_ok "station --help: person" "$(grep person "$TMP/o")"; fi

P frobnicate >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "add, list, rename, remove, set, unset or show"; then ok "person: an unknown command names the ones there are"
else not_ok "person: unknown command" "rc=$rc" "$(cat "$TMP/o")"; fi

# --- whom a session is for -------------------------------------------------
printf '0.5 start\n' >"$TMP/start"
"$STATION" run --replay assets/demo.csv --script "$TMP/start" --storage "$S" --mute --seconds 30 >"$TMP/o" 2>&1; rc=$?
sum=$(recorded)/summary.json
if [ $rc -eq 0 ] && contains "$TMP/o" "2 people on this station: the session is for Anna K" &&
    python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
assert s["person"] == "Anna K" and len(s["person_key"]) == 16, s
assert s["software"].startswith("station ") and s["station"], s
assert s["mode"] == "replay"' "$sum"; then ok "run: with two people the first by name is chosen; summary.json names her, the station and the software"
else not_ok "run: the person in summary.json" "rc=$rc" "$(cat "$TMP/o")"; fi

printf '0.2 next\n0.5 start\n' >"$TMP/next"
"$STATION" run --replay assets/demo.csv --script "$TMP/next" --storage "$S" --mute --seconds 30 >"$TMP/o" 2>&1; rc=$?
sum=$(recorded)/summary.json
if [ $rc -eq 0 ] && contains "$TMP/o" "next session for Bea" && grep -q '"person": "Bea"' "$sum"; then ok "run: next at idle goes to the next person, start begins her session"
else not_ok "run: next at idle chooses" "rc=$rc" "$(cat "$TMP/o")"; fi

"$STATION" run --replay assets/demo.csv --script "$TMP/start" --storage "$S" --mute --seconds 30 --person bea >"$TMP/o" 2>&1; rc=$?
last=$(recorded)
sum=$last/summary.json
if [ $rc -eq 0 ] && grep -q '"person": "Bea"' "$sum"; then ok "run --person: names her (whatever the case)"
else not_ok "run --person" "rc=$rc" "$(cat "$TMP/o")"; fi

"$STATION" run --replay assets/demo.csv --script "$TMP/start" --storage "$S" --mute --person Dora >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "nobody called 'Dora'" && contains "$TMP/o" "station person list"; then ok "run --person: somebody unknown is refused, exit 2"
else not_ok "run --person: unknown" "rc=$rc" "$(cat "$TMP/o")"; fi

P list >"$TMP/o" 2>&1
if grep -q "^Bea	added .*	0 sessions" "$TMP/o"; then ok "person list: replays are not her sessions"
else not_ok "person list: counts" "$(cat "$TMP/o")"; fi

# one person: never asks
S1="$TMP/one"
"$STATION" person --storage "$S1" add Cleo >/dev/null
"$STATION" run --replay assets/demo.csv --script "$TMP/next" --storage "$S1" --mute --seconds 30 >"$TMP/o" 2>&1; rc=$?
sum=$(recorded)/summary.json
if [ $rc -eq 0 ] && ! contains "$TMP/o" "people on this station" && ! contains "$TMP/o" "next session for" &&
    grep -q '"person": "Cleo"' "$sum"; then ok "run: a one-person station never asks; the session is hers"
else not_ok "run: one person" "rc=$rc" "$(cat "$TMP/o")"; fi

# nobody: as before, no person
S0="$TMP/none"
"$STATION" run --replay assets/demo.csv --script "$TMP/start" --storage "$S0" --mute --seconds 30 >"$TMP/o" 2>&1; rc=$?
sum=$(recorded)/summary.json
if [ $rc -eq 0 ] && ! grep -q '"person"' "$sum" && [ ! -e "$S0/station.db" ]; then ok "run: a station with nobody set up records no person and makes no index"
else not_ok "run: nobody" "rc=$rc"; fi

# --- the index: live sessions, reindex, a lost index -------------------------
# a live session of Bea's, a week ago (a replay's record made live, as the
# station would have stored it)
mkdir "$S/20261120-080000"
sed 's/"mode": "replay"/"mode": "live"/' "$last/summary.json" >"$S/20261120-080000/summary.json"
"$STATION" reindex --storage "$S" >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && contains "$TMP/o" "indexed 4 sessions" && contains "$TMP/o" "(1 live;" &&
    P list | grep -q "^Bea	added .*	1 session, last 2026-11-20"; then ok "reindex: every folder indexed, the live one is Bea's history"
else not_ok "reindex" "rc=$rc" "$(cat "$TMP/o")" "$(P list)"; fi

P rename Bea "Bea M" >"$TMP/o" 2>&1 && P list | grep -q "^Bea M	.*1 session"; rc=$?
if [ $rc -eq 0 ]; then ok "person rename: her sessions stay hers"
else not_ok "person rename" "$(cat "$TMP/o")"; fi

P rename Nobody X >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "no person called 'Nobody'"; then ok "person rename: somebody unknown, exit 2"
else not_ok "person rename: unknown" "rc=$rc" "$(cat "$TMP/o")"; fi

rm "$S/station.db"
"$STATION" reindex --storage "$S" >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && contains "$TMP/o" "2 people restored from the sessions" && P list | grep -q "^Bea	.*1 session"; then
    ok "reindex: a lost index gets its people back from the session folders"
else not_ok "reindex: a lost index" "rc=$rc" "$(cat "$TMP/o")" "$(P list)"; fi

P remove "Anna K" >"$TMP/o" 2>&1; rc=$?
"$STATION" reindex --storage "$S" >/dev/null 2>&1
if [ $rc -eq 0 ] && contains "$TMP/o" "session folders are still in" && ! P list | grep -q "^Anna K" &&
    [ "$(ls -d "$S"/2* | wc -l)" -eq 4 ]; then ok "person remove: off the list (a reindex does not bring her back); her folders stay"
else not_ok "person remove" "rc=$rc" "$(cat "$TMP/o")"; fi

S2="$TMP/link"
mkdir -p "$S2"
ln -s "$TMP/elsewhere.db" "$S2/station.db"
"$STATION" person --storage "$S2" add Eve >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 1 ] && contains "$TMP/o" "not a regular file" && [ ! -e "$TMP/elsewhere.db" ]; then ok "person: a symlinked index is not followed"
else not_ok "person: a symlinked index" "rc=$rc" "$(cat "$TMP/o")"; fi

# --- each person's program ---------------------------------------------------
S3="$TMP/prog"
"$STATION" person --storage "$S3" add Dana >/dev/null && "$STATION" person --storage "$S3" add Eli >/dev/null
Q() { "$STATION" person --storage "$S3" "$@"; }
Q set Dana stage=2 backblock_s=60+30/week..120 advanced_per_week=1 >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && contains "$TMP/o" "Dana: stage=2 backblock_s=60+30/week..120 (from " &&
    contains "$TMP/o" "this week: stage 2;" && contains "$TMP/o" "BackBlock 60 s" &&
    contains "$TMP/o" "advanced stretch at most 1 a week"; then ok "person set: stage, a BackBlock time growing 30 s a week up to 120 s, the weekly limit"
else not_ok "person set" "rc=$rc" "$(cat "$TMP/o")"; fi

Q set Dana child_pose_s=90 stage=3 >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "stage=3 is out of range: allowed is 1 (exercises 1-4) or 2 (exercises 5-7)" &&
    Q show Dana | grep -q "child pose 120 s"; then ok "person set: a bad value says what is allowed, and nothing of that line is stored"
else not_ok "person set: a bad value" "rc=$rc" "$(cat "$TMP/o")"; fi

Q set Dana speed=3 >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "no such key; the program's keys are stage, rate_min_hz"; then ok "person set: an unknown key lists the keys"
else not_ok "person set: unknown key" "rc=$rc" "$(cat "$TMP/o")"; fi

Q set Dana rate_min_hz=1.5 >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "rate_min_hz must be below rate_max_hz"; then ok "person set: a rocking band upside down is refused"
else not_ok "person set: band upside down" "rc=$rc" "$(cat "$TMP/o")"; fi

# a command's assignments are one program: the band checked with both new ends
Q set Dana rate_min_hz=1.5 rate_max_hz=2.0 >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && contains "$TMP/o" "at 1.50-2.00 cycles a second"; then ok "person set: both ends of a new band in one command are checked together"
else not_ok "person set: a new band in one command" "rc=$rc" "$(cat "$TMP/o")"; fi

Q unset Dana rate_min_hz rate_max_hz >/dev/null
Q set Dana child_pose_s=60 rate_min_hz=1.5 >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "rate_min_hz must be below rate_max_hz" &&
    Q show Dana | grep -q "child pose 120 s"; then ok "person set: a refused command stores none of its assignments (not even the ones before the bad band)"
else not_ok "person set: half of a refused command stored" "rc=$rc" "$(cat "$TMP/o")" "$(Q show Dana)"; fi

Q set Dana stage=2+1/week >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "cannot grow week by week"; then ok "person set: only the seconds keys grow"
else not_ok "person set: growth on stage" "rc=$rc" "$(cat "$TMP/o")"; fi

Q show Nobody >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "no person called 'Nobody'"; then ok "person show: somebody unknown, exit 2"
else not_ok "person show: unknown" "rc=$rc" "$(cat "$TMP/o")"; fi

# her program is what her session does; Eli keeps the configuration's
"$STATION" run --replay assets/demo.csv --script "$TMP/start" --storage "$S3" --mute --seconds 30 --person Dana >"$TMP/o" 2>&1; rc=$?
sum=$(recorded)/summary.json
if [ $rc -eq 0 ] && python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
assert s["stage"] == 2, s["stage"]
bb = [x for x in s["steps"] if x["exercise"] == "backblock"][0]
assert bb["target_s"] == 60.0, bb' "$sum"; then ok "run: her session follows her program (stage 2, BackBlock 60 s)"
else not_ok "run: her program" "rc=$rc" "$(cat "$TMP/o")"; fi

Q set Eli rate_min_hz=0.5 rate_max_hz=0.9 >/dev/null
"$STATION" run --replay assets/demo.csv --script "$TMP/start" --storage "$S3" --mute --seconds 230 --person Eli >"$TMP/o" 2>&1; rc=$?
sum=$(recorded)/summary.json
"$STATION" run --replay assets/demo.csv --script "$TMP/start" --storage "$TMP/plain" --mute --seconds 230 >"$TMP/o2" 2>&1
sum2=$(sed -n 's/^station: recording the session in //p' "$TMP/o2")/summary.json
if [ $rc -eq 0 ] && python3 -c '
import json, sys
def rock(p):
    s = json.load(open(p))
    return [x for x in s["steps"] if x["exercise"] == "knees_rocking"][0]["sets"][0]
a, b = rock(sys.argv[1]), rock(sys.argv[2])
assert a["rate"] == "too fast" and b["rate"] == "on target", (a, b)' "$sum" "$sum2"; then
    ok "run: her rocking band judges her rocking (1.04/s: too fast for 0.5-0.9, on target for the configuration)"
else not_ok "run: her rocking band" "rc=$rc" "$(cat "$TMP/o")"; fi

Q unset Eli rate_min_hz rate_max_hz >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && contains "$TMP/o" "Eli: the configuration's program"; then ok "person unset: back to the configuration's values"
else not_ok "person unset" "rc=$rc" "$(cat "$TMP/o")"; fi

# unset finds the key by its name, whatever values it allows
Q set Eli stage=2 backblock_s=200 rocking_s=300 >/dev/null
Q unset Eli backblock_s rocking_s >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && grep -qx "Eli: stage=2" "$TMP/o" && contains "$TMP/o" "this week: stage 2;" && contains "$TMP/o" "BackBlock 180 s"; then ok "person unset: the keys named go (backblock_s, rocking_s), stage stays"
else not_ok "person unset: the wrong key" "rc=$rc" "$(cat "$TMP/o")"; fi
Q unset Eli stage >/dev/null

Q unset Eli colour >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "no such key"; then ok "person unset: an unknown key, exit 2"
else not_ok "person unset: unknown key" "rc=$rc" "$(cat "$TMP/o")"; fi

# --- the storage folder the configuration names -------------------------------
mkdir -p "$TMP/home"
printf 'storage = { directory = "%s"; };\n' "$TMP/cfgd/clinic/home" >"$TMP/home.cfg"
C() { HOME="$TMP/home" XDG_STATE_HOME="" "$STATION" person --config "$TMP/home.cfg" "$@"; }
C list >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && contains "$TMP/o" "nobody yet" && [ ! -e "$TMP/cfgd" ]; then ok "person list: a configured folder not there yet is nothing stored yet (not made, no other folder used)"
else not_ok "person list: configured folder absent" "rc=$rc" "$(cat "$TMP/o")"; fi
C add Anna >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && [ -f "$TMP/cfgd/clinic/home/station.db" ] && [ ! -e "$TMP/home/.local" ] &&
    C list | grep -q "^Anna	"; then ok "person add: the configured storage.directory is made (with the folders above it) and used, not ~/.local/state"
else not_ok "person add: configured folder" "rc=$rc" "$(cat "$TMP/o")" "$(ls -R "$TMP/home" 2>&1)"; fi
printf 'storage = { directory = "/proc/no/such"; };\n' >"$TMP/bad.cfg"
HOME="$TMP/home" "$STATION" person --config "$TMP/bad.cfg" add Anna >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 1 ] && contains "$TMP/o" "/proc/no/such: cannot create the storage directory" && [ ! -e "$TMP/home/.local" ]; then ok "person add: a configured folder that cannot be made is an error, never another folder"
else not_ok "person add: configured folder cannot be made" "rc=$rc" "$(cat "$TMP/o")"; fi

printf 'storage = { directory = "%s"; };\n' "$TMP/cfgr/x/y" >"$TMP/run.cfg"
HOME="$TMP/home" "$STATION" run --replay assets/demo.csv --script "$TMP/start" --config "$TMP/run.cfg" \
    --mute --seconds 3 >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && contains "$TMP/o" "recording the session in $TMP/cfgr/x/y/" && [ ! -e "$TMP/home/.local" ]; then ok "run: the configured storage.directory is made with the folders above it and records the session"
else not_ok "run: configured folder" "rc=$rc" "$(grep -v '^\[' "$TMP/o" | head -5)"; fi

finish
