# SPDX-License-Identifier: GPL-3.0-or-later
# A station's storage with a few weeks of sessions for the history tests
# (report --person, export): replays of the demo and of a simulated stage-2
# session, stored under chosen days and marked live, as the station would
# have stored them. Sourced by a test with lib.sh; sets FIX (the storage).
FIX="$TMP/history"
"$STATION" person --storage "$FIX" add Anna >/dev/null
"$STATION" person --storage "$FIX" add Bea >/dev/null
"$STATION" simulate --scenario stage2 --seed 2 --out "$TMP/stage2.csv" >/dev/null 2>&1
# fixture_session DAY-TIME MODE PERSON TRACE STAGE SCRIPT
fixture_session() {
    printf '%s\n' "$6" | tr ';' '\n' >"$TMP/fixture.script"
    "$STATION" run --replay "$4" --script "$TMP/fixture.script" --stage "$5" --storage "$FIX" \
        --mute --person "$3" >"$TMP/fixture.out" 2>&1 || echo "fixture: $1 failed" >&2
    d=$(sed -n 's/^station: recording the session in //p' "$TMP/fixture.out" | tail -1)
    sed "s/\"mode\": \"replay\"/\"mode\": \"$2\"/" "$d/summary.json" >"$d/summary.new" &&
        mv "$d/summary.new" "$d/summary.json"
    mv "$d" "$FIX/$1"
}
fixture_session 20261102-090000 live Anna assets/demo.csv 1 "0.5 start"
fixture_session 20261104-090000 live Anna assets/demo.csv 1 "0.5 start;200 stop"
fixture_session 20261109-090000 live Anna assets/demo.csv 1 "0.5 start"
fixture_session 20261110-090000 live Bea assets/demo.csv 1 "0.5 start"
fixture_session 20261111-183000 live Anna "$TMP/stage2.csv" 2 "0.5 start"
fixture_session 20261116-090000 live Anna assets/demo.csv 1 "0.5 start;60 start;64 start"
fixture_session 20261118-090000 replay Anna assets/demo.csv 1 "0.5 start"
"$STATION" reindex --storage "$FIX" >/dev/null
