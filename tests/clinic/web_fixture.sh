# SPDX-License-Identifier: GPL-3.0-or-later
# The clinic's database for the web page's tests: two clinics, four
# stations, patients with sessions over the last weeks. The sessions are
# real records: the station replays the demo (and a simulated stage-2
# session) for Anna and Bea, and each record goes into PostgreSQL as the
# collector stores it (docs/clinic-protocol.md), under days relative to
# today so that they fall in the page's eight weeks. Sourced by web.sh
# after clinic_start; sets CFG (the admin configuration).
CFG=$CT/admin.cfg
clinic_cfg "$CFG"
"$CLINIC" --config "$CFG" migrate >/dev/null
"$CLINIC" --config "$CFG" add-clinic "Riverside Physio" >/dev/null
"$CLINIC" --config "$CFG" add-clinic "Hillside Clinic" >/dev/null
for s in home-anna clinic-room home-bea; do
    "$CLINIC" --config "$CFG" add-station --clinic "Riverside Physio" "$s" >/dev/null
    clinic_mqtt_station "$s"
done
"$CLINIC" --config "$CFG" add-station --clinic "Hillside Clinic" hill-1 >/dev/null
clinic_mqtt_station hill-1

# the station's own records of Anna and Bea (tests/integration/history_fixture.sh):
# a whole demo session, one stopped early, a stage-2 one; Cara's is Bea's
# session under another name and key
. tests/integration/history_fixture.sh
ln -s "$FIX/20261102-090000" "$TMP/rec-anna-full"
ln -s "$FIX/20261104-090000" "$TMP/rec-anna-early"
ln -s "$FIX/20261111-183000" "$TMP/rec-anna-stage2"
ln -s "$FIX/20261110-090000" "$TMP/rec-bea-full"
ln -s "$FIX/20261110-090000" "$TMP/rec-cara-full"

# fixture_store RECORD STATION DAYS_AGO HH:MM: the record as the collector
# stores it (a live session of that station's clinic), its rates nudged a
# little per session so that a trend has something to show
fixture_store() {
    python3 - "$TMP/rec-$1" "$2" "$3" "$4" >"$TMP/insert.sql" <<'PY'
import datetime, json, sys
rec, station, days, hhmm = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
summary = json.load(open(rec + "/summary.json"))
events = [json.loads(l) for l in open(rec + "/events.jsonl") if l.strip()]
summary["mode"] = "live"
if rec.endswith("cara-full"):
    summary["person"], summary["person_key"] = "Cara", "c0ffee00c0ffee00"
summary["station"] = station
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
started = datetime.datetime(day.year, day.month, day.day, int(h), int(m))
folder = started.strftime("%Y%m%d-%H%M%S")
q = lambda s: "'" + s.replace("'", "''") + "'"
print("INSERT INTO patients (clinic_id, person_key, name) SELECT clinic_id, %s, %s FROM stations "
      "WHERE id = %s ON CONFLICT DO NOTHING;" % (q(summary["person_key"]), q(summary["person"]), q(station)))
print("INSERT INTO sessions (session_id, station_id, patient_id, folder, started, mode, status, stage, "
      "early_stop, exercises_done, exercises_total, summary, events) SELECT %s, %s, p.id, %s, %s, 'live', "
      "%s, %d, %s, %d, %d, %s::jsonb, %s::jsonb FROM patients p JOIN stations t ON t.clinic_id = p.clinic_id "
      "WHERE t.id = %s AND p.person_key = %s;" % (
          q(station + "/" + folder), q(station), q(folder), q(started.isoformat() + "+00"),
          q(summary["status"]), summary["stage"], "true" if summary["early_stop"] else "false",
          summary["exercises_done"], summary["exercises_total"], q(json.dumps(summary)),
          q(json.dumps(events)), q(station), q(summary["person_key"])))
PY
    "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 "$CLINIC_DB" -f "$TMP/insert.sql" >/dev/null
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
# a name no station would take, to see that the page escapes what it shows
clinic_sql "INSERT INTO patients (clinic_id, person_key, name) SELECT id, '00000000000000aa', \
'O''Neil <b>bold</b> & \"quoted\"' FROM clinics WHERE name = 'Riverside Physio'"
