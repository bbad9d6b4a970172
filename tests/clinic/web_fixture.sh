# SPDX-License-Identifier: GPL-3.0-or-later
# The clinic's database for the web page's tests, filled the way a clinic's
# is: two clinics, four stations, and each station's session folders sent
# by `station upload` to the broker and stored by `station-clinic collect`.
# The sessions are the station's own records (tests/integration/
# history_fixture.sh: the demo replayed for Anna and Bea, a whole session,
# one stopped early, a stage-2 one), copied under days relative to today so
# that they fall in the page's eight weeks. Anna trains at home and at the
# clinic (both stations know her under one key); Cara is Hillside's. Sourced
# by web.sh after clinic_start; sets CFG (the admin configuration) and
# ST_<station> storages.
CFG=$TMP/clinic.cfg
clinic_setup "Riverside Physio" home-anna clinic-room home-bea
"$CLINIC" --config "$CFG" add-clinic "Hillside Clinic" >/dev/null
"$CLINIC" --config "$CFG" add-station --clinic "Hillside Clinic" hill-1 >/dev/null
clinic_mqtt_station hill-1

. tests/integration/history_fixture.sh
ln -s "$FIX/20261102-090000" "$TMP/rec-anna-full"
ln -s "$FIX/20261104-090000" "$TMP/rec-anna-early"
ln -s "$FIX/20261111-183000" "$TMP/rec-anna-stage2"
ln -s "$FIX/20261110-090000" "$TMP/rec-bea-full"
# each station's storage starts with the people of the fixture's index
for s in home-anna clinic-room home-bea; do
    mkdir -p "$TMP/st-$s"
    cp "$FIX/station.db" "$TMP/st-$s/"
done
mkdir -p "$TMP/st-hill-1"
"$STATION" person --storage "$TMP/st-hill-1" add Cara >/dev/null
ln -s "$FIX/20261110-090000" "$TMP/rec-cara-full"

# fixture_store RECORD STATION DAYS_AGO HH:MM: the record as that station
# keeps it, a live session for her key there, its rates nudged a little per
# session so that a trend has something to show
fixture_store() {
    python3 - "$TMP/rec-$1" "$TMP/st-$2" "$3" "$4" <<'PY'
import datetime, json, os, sqlite3, sys
rec, storage, days, hhmm = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
summary = json.load(open(rec + "/summary.json"))
events = [json.loads(l) for l in open(rec + "/events.jsonl") if l.strip()]
if rec.endswith("cara-full"):
    summary["person"] = "Cara"
key = sqlite3.connect(storage + "/station.db").execute(
    "SELECT key FROM people WHERE name = ?", (summary["person"],)).fetchone()[0]
summary["person_key"] = key
summary["mode"] = "live"
summary["station"] = os.path.basename(storage)[3:]
for ev in events:
    if ev.get("type") == "session_started":
        ev["mode"] = "live"
for st in summary.get("steps", []):
    if st.get("rate_hz") is not None:
        st["rate_hz"] = round(st["rate_hz"] * (1 + 0.02 * ((days * 7) % 5 - 2)), 3)
    if st.get("holds_s"):
        st["holds_s"] = [round(h + (40 - days) * 0.5, 1) for h in st["holds_s"]]
day = datetime.datetime.utcnow().date() - datetime.timedelta(days=days)
h, m = hhmm.split(":")
folder = "%s/%04d%02d%02d-%s%s00" % (storage, day.year, day.month, day.day, h, m)
os.makedirs(folder)
json.dump(summary, open(folder + "/summary.json", "w"), indent=2)
with open(folder + "/events.jsonl", "w") as f:
    for ev in events:
        f.write(json.dumps(ev) + "\n")
PY
}
for d in 40 37 33 30 26 23 19 16 12 9 5 2; do
    fixture_store anna-full home-anna "$d" 07:30
done
fixture_store anna-early home-anna 1 07:45
fixture_store anna-stage2 clinic-room 6 16:00
fixture_store anna-full clinic-room 13 16:00
for d in 20 13 8 3; do
    fixture_store bea-full clinic-room "$d" 10:15
done
fixture_store bea-full home-bea 1 19:00
fixture_store cara-full hill-1 4 09:00
# every station sends its folders; the collector stores them
clinic_collect_start || echo "# the collector did not start: $(tail -3 "$TMP/collect.log")"
for s in home-anna clinic-room home-bea hill-1; do
    "$STATION" reindex --storage "$TMP/st-$s" >/dev/null
    clinic_station_cfg "$TMP/$s.cfg" "$s" "$TMP/st-$s"
    "$STATION" upload --config "$TMP/$s.cfg" --once --timeout 30 --scan 0.3 >"$TMP/up-$s" 2>&1 ||
        echo "# upload of $s: $(tail -2 "$TMP/up-$s")"
done
# a name no station would take, to see that the page escapes what it shows
clinic_sql "INSERT INTO patients (clinic_id, person_key, name) SELECT id, '00000000000000aa', \
'O''Neil <b>bold</b> & \"quoted\"' FROM clinics WHERE name = 'Riverside Physio'"
