#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# station export (issue 13): a person's sessions as CSV.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
. tests/integration/history_fixture.sh

"$STATION" export --storage "$FIX" --person anna --from 2026-11-01 --to 2026-11-30 >"$TMP/a.csv" 2>"$TMP/e"; rc=$?
if [ $rc -eq 0 ] && python3 - "$TMP/a.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
sessions = sorted({r["session"] for r in rows})
# her five live sessions; not Bea's, not the replay
assert sessions == ["20261102-090000", "20261104-090000", "20261109-090000",
                    "20261111-183000", "20261116-090000"], sessions
assert all(r["person"] == "Anna" and r["mode"] == "live" for r in rows)
one = [r for r in rows if r["session"] == "20261102-090000"]
assert len(one) == 6, len(one)  # a row per step of stage 1
assert [r["exercise"] for r in one] == ["child_pose", "knees_rocking", "child_pose",
                                        "table_stretch", "nerve_root_stretch", "nerve_root_stretch"]
assert one[0]["holds_s"] == "132.0" and one[0]["done"] == "yes" and one[0]["target_s"] == "120.0"
rock = one[1]
assert rock["cycles"] == "73" and rock["rate_hz"] == "1.036" and rock["rate"] == "on target", rock
assert one[3]["holds_s"] == "6.3;6.0;6.8" and one[3]["longest_hold_s"] == "6.8"
assert one[4]["side"] == "left leg" and one[5]["side"] == "right leg"
stop = [r for r in rows if r["session"] == "20261104-090000"]
assert stop[0]["early_stop"] == "yes" and stop[0]["status"] == "partial", stop[0]
assert any(r["skipped"] == "yes" for r in stop)
s2 = [r for r in rows if r["session"] == "20261111-183000"]
assert [r["exercise"] for r in s2] == ["curl_downs", "advanced_nerve_stretch", "backblock"], s2
assert s2[0]["time"] == "18:30:00" and s2[0]["stage"] == "2"
assert rows[0]["software"].startswith("station ")
PY
then ok "export: one row per exercise step of each of her live sessions, figures as in the summaries"
else not_ok "export: her sessions as CSV" "rc=$rc" "$(cat "$TMP/e")" "$(head -3 "$TMP/a.csv")"; fi

"$STATION" export --storage "$FIX" --person Anna --from 2026-11-09 --to 2026-11-11 --out "$TMP/b.csv" 2>"$TMP/e"; rc=$?
n=$(cut -d, -f1 "$TMP/b.csv" | sort -u | grep -c '^2026')
if [ $rc -eq 0 ] && [ "$n" -eq 2 ] && contains "$TMP/e" "from 2 sessions of Anna (2026-11-09 to 2026-11-11)" && [ ! -e "$TMP/b.csv.tmp-"* ]; then
    ok "export --out: both days of the range included, a file and a line saying what is in it"
else not_ok "export --out and the range" "rc=$rc n=$n" "$(cat "$TMP/e")"; fi

"$STATION" export --storage "$FIX" --person Anna --from 2026-11-01 --to 2026-11-30 --with-replays >"$TMP/c.csv" 2>"$TMP/e"
if grep -q '^20261118-090000,.*,replay,' "$TMP/c.csv"; then ok "export --with-replays: replay sessions too, marked"
else not_ok "export --with-replays" "$(cat "$TMP/e")"; fi

"$STATION" export --storage "$FIX" --person Anna --from 2026-12-01 --to 2026-12-31 >"$TMP/d.csv" 2>"$TMP/e"; rc=$?
if [ $rc -eq 0 ] && [ "$(wc -l <"$TMP/d.csv")" -eq 1 ]; then ok "export: no sessions in the range is the header alone"
else not_ok "export: empty range" "rc=$rc"; fi

for bad in "--from 2026-02-30" "--from 26-11-01" "--to yesterday" "--from 2026-11-20 --to 2026-11-01"; do
    # shellcheck disable=SC2086
    "$STATION" export --storage "$FIX" --person Anna $bad >"$TMP/o" 2>&1; rc=$?
    if [ $rc -ne 2 ] || ! { contains "$TMP/o" "give YYYY-MM-DD" || contains "$TMP/o" "is after --to"; }; then
        not_ok "export: bad dates '$bad'" "rc=$rc" "$(cat "$TMP/o")"; rc=x; break
    fi
done
[ "$rc" = 2 ] && ok "export: bad dates (30 February, two-digit year, a word, from after to) say what is allowed, exit 2"

"$STATION" export --storage "$FIX" --person Dora >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "no person called 'Dora'"; then ok "export: somebody unknown, exit 2"
else not_ok "export: unknown person" "rc=$rc" "$(cat "$TMP/o")"; fi

"$STATION" export --storage "$FIX" >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "give --person NAME"; then ok "export: --person is needed"
else not_ok "export: no person" "rc=$rc" "$(cat "$TMP/o")"; fi

"$STATION" export --storage "$TMP/empty" --person Anna >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "no index of people here yet"; then ok "export: a station with nobody set up says so"
else not_ok "export: no index" "rc=$rc" "$(cat "$TMP/o")"; fi

# a hostile summary cannot put a formula or a broken row into the CSV
mkdir "$FIX/20261120-090000"
key=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["person_key"])' "$FIX/20261102-090000/summary.json")
cat >"$FIX/20261120-090000/summary.json" <<JSON
{"person": "Anna", "person_key": "$key", "station": "=HYPERLINK(\"x\")", "mode": "live",
 "status": "a,b", "steps": [{"step": 1, "exercise": "@cmd", "kind": "hold\nx", "side": "-2+3"}]}
JSON
"$STATION" export --storage "$FIX" --person Anna --from 2026-11-20 --to 2026-11-20 >"$TMP/h.csv" 2>&1
if python3 - "$TMP/h.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert len(rows) == 1, rows
r = rows[0]
assert r["station"] == "'=HYPERLINK(\"x\")" and r["exercise"] == "'@cmd" and r["side"] == "'-2+3", r
assert r["status"] == "a,b" and r["kind"] == "hold?x", r
PY
then ok "export: formulas are defused, commas and quotes quoted, control characters dropped"
else not_ok "export: hostile fields" "$(cat "$TMP/h.csv")"; fi

finish
