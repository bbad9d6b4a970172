# SPDX-License-Identifier: GPL-3.0-or-later
# Session folders for the clinic's tests, made by the station itself: one
# replay of the demo for a person, marked live as a live session would be
# stored, copied under the days wanted. Sourced after lib.sh.
#   clinic_session_template         makes $TMP/template (once)
#   clinic_sessions STORAGE PERSON N [FIRST_DAY [trace]]
#       N sessions for PERSON (added to STORAGE's index when new), one a day
#       at 07:00 from FIRST_DAY (YYYYmmdd, default 20261102); with "trace",
#       each with the raw trace (2.7 MB)
#   clinic_person_key STORAGE NAME
clinic_session_template() {
    [ -d "$TMP/template" ] && return 0
    printf '0.5 start\n' >"$TMP/template.script"
    "$STATION" run --replay assets/demo.csv --script "$TMP/template.script" --stage 1 \
        --storage "$TMP/template.s" --mute >"$TMP/template.out" 2>&1 || return 1
    d=$(ls -d "$TMP"/template.s/2*/ | head -1)
    sed 's/"mode": "replay"/"mode": "live"/' "$d/summary.json" >"$d/summary.new" &&
        mv "$d/summary.new" "$d/summary.json" && mv "$d" "$TMP/template"
}

# clinic_person_key STORAGE NAME: her key in the station's index, or nothing
clinic_person_key() {
    [ -f "$1/station.db" ] || return 0
    python3 -c 'import sqlite3, sys
for (k,) in sqlite3.connect(sys.argv[1]).execute("SELECT key FROM people WHERE name = ?", (sys.argv[2],)):
    print(k)' "$1/station.db" "$2"
}

clinic_sessions() {
    st=$1 person=$2 count=$3 day=${4:-20261102} withtrace=${5:-}
    clinic_session_template || return 1
    fkey=$(clinic_person_key "$st" "$person")
    if [ -z "$fkey" ]; then
        "$STATION" person --storage "$st" add "$person" >/dev/null || return 1
        fkey=$(clinic_person_key "$st" "$person")
    fi
    i=0
    while [ "$i" -lt "$count" ]; do
        f=$(date -u -d "$day + $i day" +%Y%m%d)-070000
        mkdir -p "$st/$f"
        cp "$TMP/template/events.jsonl" "$st/$f/"
        [ "$withtrace" = trace ] && cp "$TMP/template/trace.csv" "$st/$f/"
        python3 - "$TMP/template/summary.json" "$st/$f/summary.json" "$person" "$fkey" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["person"], s["person_key"] = sys.argv[3], sys.argv[4]
json.dump(s, open(sys.argv[2], "w"), indent=2)
PY
        i=$((i + 1))
    done
}
