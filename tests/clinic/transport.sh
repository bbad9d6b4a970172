#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The clinic's transport against a real mosquitto and PostgreSQL: two
# stations (at home and in the clinic) send their sessions and get them
# confirmed; a duplicate gives one row; wrong credentials, a wrong topic, a
# station the clinic does not know and a certificate of another CA are
# refused; a program the clinic sets reaches the right station.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
. tests/clinic/lib.sh
. tests/clinic/fixture.sh
if ! clinic_start; then
    not_ok "the test's PostgreSQL and mosquitto start"
    finish
    exit 1
fi
clinic_setup Mitte home-anna clinic-1 || not_ok "migrate, add-clinic, add-station"

# ---- the server's settings and its command line ----
printf 'database = "x";\nmqtt = {\n  port = 70000;\n  colour = 1;\n};\n' >"$TMP/bad.cfg"
"$CLINIC" --config "$TMP/bad.cfg" migrate >"$TMP/o" 2>&1
rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "bad.cfg:3: mqtt.port: a port number is allowed (1..65535)" &&
    contains "$TMP/o" "bad.cfg:4: mqtt.colour: not a setting of station-clinic"; then
    ok "station-clinic: a bad setting is refused with its file and line (exit 2)"
else
    not_ok "station-clinic: bad settings" "rc $rc" "$(cat "$TMP/o")"
fi
# settings that must agree: the broker's host, CA, client certificate and
# key; the web page's certificate and key
printf 'mqtt = {\n  host = "";\n  ca_file = "";\n  cert_file = "/x.crt";\n};\nweb = {\n  tls_key = "/x.key";\n};\n' >"$TMP/bad2.cfg"
printf 'mqtt = {\n  host = "broker\\n.example";\n  key_file = "/x.key";\n};\n' >"$TMP/bad3.cfg"
"$CLINIC" --config "$TMP/bad2.cfg" migrate >"$TMP/o" 2>&1
rc=$?
"$CLINIC" --config "$TMP/bad3.cfg" migrate >"$TMP/o2" 2>&1
rc2=$?
if [ $rc -eq 2 ] && [ $rc2 -eq 2 ] &&
    contains "$TMP/o" "bad2.cfg:2: mqtt.host: empty (the broker's host name or IP address is required)" &&
    contains "$TMP/o" "bad2.cfg:3: mqtt.ca_file: empty (the file of the CA" &&
    contains "$TMP/o" "bad2.cfg:4: mqtt.cert_file: set without key_file" &&
    contains "$TMP/o" "bad2.cfg:7: web.tls_key: set without web.tls_cert" &&
    contains "$TMP/o2" "bad3.cfg:2: mqtt.host: holds control characters" &&
    contains "$TMP/o2" "bad3.cfg:3: mqtt.key_file: set without cert_file"; then
    ok "station-clinic: an empty or control-character host, an empty CA, a certificate without its key are refused at file:line"
else
    not_ok "station-clinic: settings that must agree" "rc $rc $rc2" "$(cat "$TMP/o" "$TMP/o2")"
fi
# the same for the station's clinic group
clinic_station_cfg "$TMP/sbad.cfg" home-anna "$TMP/home" 'host = "";' 'ca_file = "";' 'cert_file = "/x.crt";'
"$STATION" upload --config "$TMP/sbad.cfg" --once --timeout 1 >"$TMP/o" 2>&1
rc=$?
if [ $rc -eq 2 ] && grep -q "sbad.cfg:[0-9]*: clinic.host: empty" "$TMP/o" &&
    contains "$TMP/o" "clinic.ca_file: empty" && contains "$TMP/o" "clinic.cert_file: set without key_file"; then
    ok "station: the clinic group's empty host, empty CA and certificate without key are refused at file:line"
else
    not_ok "station: the clinic group's settings that must agree" "rc $rc" "$(cat "$TMP/o")"
fi
# the web page: plain HTTP, or behind_proxy on an address others reach, is refused
for bad in 'listen = "0.0.0.0";|web.tls_cert: not set, and web.behind_proxy is false' \
    'listen = "127.0.0.1";|web.tls_cert: not set, and web.behind_proxy is false' \
    'listen = "0.0.0.0"; behind_proxy = true;|web.listen: "0.0.0.0" is not a loopback address'; do
    printf 'web = {\n  port = 18443;\n  %s\n};\n' "${bad%%|*}" >"$TMP/web-bad.cfg"
    timeout 5 "$CLINIC" --config "$TMP/web-bad.cfg" web >"$TMP/o" 2>&1
    rc=$?
    if [ $rc -eq 2 ] && contains "$TMP/o" "${bad#*|}" && grep -q "web-bad.cfg:[23]:" "$TMP/o" &&
        ! contains "$TMP/o" "listening"; then
        ok "station-clinic web refuses ${bad%%|*} without TLS, at file:line"
    else
        not_ok "station-clinic web refuses ${bad%%|*}" "rc $rc" "$(cat "$TMP/o")"
    fi
done
"$CLINIC" --config config/clinic.cfg migrate >"$TMP/o" 2>&1
rc=$?
[ $rc -eq 1 ] && contains "$TMP/o" "the database" && ! contains "$TMP/o" "clinic.cfg:" &&
    ok "the shipped config/clinic.cfg is valid" || not_ok "config/clinic.cfg" "rc $rc" "$(cat "$TMP/o")"
"$CLINIC" --config "$TMP/clinic.cfg" add-station --clinic Mitte 'Bad/Id' >"$TMP/o" 2>&1
rc1=$?
"$CLINIC" --config "$TMP/clinic.cfg" add-station --clinic Nowhere ok-id >"$TMP/o2" 2>&1
rc2=$?
"$CLINIC" --config "$TMP/clinic.cfg" migrate >"$TMP/o3" 2>&1
if [ $rc1 -eq 2 ] && contains "$TMP/o" "is not a station id" && [ $rc2 -eq 1 ] &&
    contains "$TMP/o2" "no clinic called 'Nowhere'" && contains "$TMP/o3" "0 migrations applied" &&
    [ "$(clinic_sql 'SELECT count(*) FROM schema_migrations')" = "$(ls clinic/migrations/*.sql | wc -l)" ]; then
    ok "add-station refuses a bad id and an unknown clinic; migrate twice applies once"
else
    not_ok "add-station and migrate" "$rc1 $rc2" "$(cat "$TMP/o" "$TMP/o2" "$TMP/o3")"
fi

# says CODE 'WHAT' TEXT... -- COMMAND...: COMMAND exits CODE and its output
# holds every TEXT
says() {
    code=$1 what=$2
    shift 2
    n=0
    for t; do [ "$t" = -- ] && break; n=$((n + 1)); done
    i=0 texts=""
    while [ $i -lt $n ]; do texts="$texts$1
"; shift; i=$((i + 1)); done
    shift
    "$@" >"$TMP/says" 2>&1
    rc=$?
    missing=$(printf '%s' "$texts" | while IFS= read -r t; do contains "$TMP/says" "$t" || echo "$t"; done)
    if [ $rc -eq "$code" ] && [ -z "$missing" ]; then
        ok "$what"
    else
        not_ok "$what" "rc $rc (want $code), missing: $missing" "$(cat "$TMP/says")"
    fi
}
# the admin commands on a database without the schema say to migrate first
clinic_sql "CREATE DATABASE unmigrated" >/dev/null
sed "s/dbname=station_clinic/dbname=unmigrated/" "$TMP/clinic.cfg" >"$TMP/empty.cfg"
says 1 "add-clinic before migrate says to run station-clinic migrate first" \
    'relation "clinics" does not exist' 'run `station-clinic migrate` first' -- \
    "$CLINIC" --config "$TMP/empty.cfg" add-clinic Mitte
# the web page checks its broker password file at start
printf 'web = {\n    listen = "127.0.0.1";\n    behind_proxy = true;\n    mqtt_password_file = "%s/nothing.pass";\n};\n' "$TMP" | cat "$TMP/clinic.cfg" - >"$TMP/nopass.cfg"
says 2 "station-clinic web refuses to start without its broker password file (exit 2)" \
    "web.mqtt_password_file $TMP/nothing.pass: No such file or directory" -- \
    "$CLINIC" --config "$TMP/nopass.cfg" web

# ---- two stations send a week each ----
clinic_sessions "$TMP/home" Anna 7
clinic_sessions "$TMP/clinic" Bea 4 20261103
clinic_station_cfg "$TMP/home.cfg" home-anna "$TMP/home"
clinic_station_cfg "$TMP/clinic.station.cfg" clinic-1 "$TMP/clinic"
clinic_collect_start || not_ok "the collector connects" "$(tail -3 "$TMP/collect.log")"
"$STATION" upload --config "$TMP/home.cfg" --once --timeout 30 --scan 0.3 >"$TMP/up1" 2>&1 &
p1=$!
"$STATION" upload --config "$TMP/clinic.station.cfg" --once --timeout 30 --scan 0.3 >"$TMP/up2" 2>&1
rc2=$?
wait $p1
rc1=$?
if [ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] && [ "$(clinic_rows home-anna)" = 7 ] &&
    [ "$(clinic_rows clinic-1)" = 4 ]; then
    ok "two stations (home and clinic) send their sessions: 7 and 4 rows stored"
else
    not_ok "two stations send their sessions" "rc $rc1 $rc2, rows $(clinic_rows home-anna) $(clinic_rows clinic-1)" \
        "$(tail -2 "$TMP/up1")" "$(tail -2 "$TMP/collect.log")"
fi
if [ "$(clinic_marked "$TMP/home" .stored)" = 7 ] && [ "$(clinic_marked "$TMP/home" .sent)" = 7 ] &&
    [ "$(clinic_marked "$TMP/clinic" .stored)" = 4 ]; then
    ok "every folder holds .sent and .stored"
else
    not_ok "every folder holds .sent and .stored" "$(ls -a "$TMP"/home/*/ | tr '\n' ' ')"
fi
people=$(clinic_sql "SELECT p.name || ':' || count(*) FROM sessions s JOIN patients p ON p.id = s.patient_id GROUP BY p.name ORDER BY 1" | tr '\n' ' ')
key=$(clinic_person_key "$TMP/home" Anna)
if [ "$people" = "Anna:7 Bea:4 " ] &&
    [ "$(clinic_sql "SELECT person_key FROM patients WHERE name = 'Anna'")" = "$key" ] &&
    [ "$(clinic_sql "SELECT count(*) FROM stations WHERE last_seen IS NOT NULL")" = 2 ]; then
    ok "each session is its person's (by her station's key) in the stations' clinic"
else
    not_ok "sessions are their person's" "$people"
fi
row=$(clinic_sql "SELECT started, mode, status, stage, exercises_total, jsonb_array_length(events) > 100, trace IS NULL FROM sessions WHERE session_id = 'home-anna/20261102-070000'")
if [ "$row" = "2026-11-02 07:00:00+00|live|complete|1|4|t|t" ]; then
    ok "a row holds the summary's figures, the events, no trace (clinic.send_trace is off)"
else
    not_ok "a session's row" "$row"
fi
# an upload with nothing new to send sends nothing
"$STATION" upload --config "$TMP/home.cfg" --once --timeout 10 --scan 0.3 >"$TMP/up3" 2>&1
if grep -q '0 sent, 0 stored' "$TMP/up3"; then
    ok "what the clinic confirmed is not sent again"
else
    not_ok "what the clinic confirmed is not sent again" "$(tail -1 "$TMP/up3")"
fi

# ---- a duplicate delivery gives one row, and is confirmed again ----
rm "$TMP/home/20261104-070000/.stored"
"$STATION" upload --config "$TMP/home.cfg" --once --timeout 10 --scan 0.3 >"$TMP/up4" 2>&1
msg=$(python3 - "$TMP/home/20261104-070000" <<'PY'
import json, sys
d = sys.argv[1]
print(json.dumps({"v": 1, "session_id": "home-anna/20261104-070000", "station_id": "home-anna",
    "folder": "20261104-070000", "summary": json.load(open(d + "/summary.json")),
    "events": [json.loads(l) for l in open(d + "/events.jsonl")]}))
PY
)
printf '%s' "$msg" >"$TMP/dup.json"
for i in 1 2 3; do
    mosquitto_pub -h localhost -p "$MQTT_PORT" --cafile "$CT/ca/ca.crt" -u home-anna \
        -P "$(cat "$CT/home-anna.pass")" -t station/home-anna/session -q 1 -f "$TMP/dup.json"
done
clinic_wait 10 '[ "$(grep -c "stored home-anna/20261104-070000" "$TMP/collect.log")" -ge 5 ]'
if [ -f "$TMP/home/20261104-070000/.stored" ] && [ "$(clinic_rows home-anna)" = 7 ] &&
    [ "$(clinic_sql "SELECT count(*) FROM sessions WHERE session_id = 'home-anna/20261104-070000'")" = 1 ]; then
    ok "a session sent again and delivered three times more is one row, and confirmed again"
else
    not_ok "duplicates give one row" "rows $(clinic_rows home-anna)" "$(grep -c 'stored home-anna/20261104' "$TMP/collect.log") stores"
fi

# a station that takes the collector's client id (its configured one, and
# the one the broker gives it: its user name) neither disconnects it nor
# ends its persistent session: the broker makes every client id its user's
lost0=$(grep -c "lost the broker" "$TMP/collect.log")
for cid in station-clinic-collector collector; do
    mosquitto_sub -h localhost -p "$MQTT_PORT" --cafile "$CT/ca/ca.crt" -u home-anna \
        -P "$(cat "$CT/home-anna.pass")" -i "$cid" -t station/home-anna/ack -W 2 >/dev/null 2>&1
done
rm "$TMP/home/20261106-070000/.stored"
"$STATION" upload --config "$TMP/home.cfg" --once --timeout 10 --scan 0.3 >"$TMP/up-cid" 2>&1
rc=$?
if [ $rc -eq 0 ] && [ "$(grep -c "lost the broker" "$TMP/collect.log")" = "$lost0" ] &&
    [ -f "$TMP/home/20261106-070000/.stored" ] && kill -0 "$COLLECTOR"; then
    ok "a station using the collector's client id does not disturb the collector"
else
    not_ok "a station using the collector's client id" "rc $rc" "$(tail -3 "$TMP/collect.log")"
fi

# ---- wrong credentials, wrong topics, unknown stations ----
echo wrong-password >"$TMP/wrong.pass"
clinic_station_cfg "$TMP/wrong.cfg" home-anna "$TMP/home" "password_file = \"$TMP/wrong.pass\";"
rm "$TMP/home/20261105-070000/.stored"
"$STATION" upload --config "$TMP/wrong.cfg" --once --timeout 3 >"$TMP/up5" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q "refused station 'home-anna'" "$TMP/up5" &&
    [ ! -f "$TMP/home/20261105-070000/.stored" ]; then
    ok "a wrong password is refused by the broker (exit 1, nothing marked)"
else
    not_ok "a wrong password is refused" "rc $rc" "$(tail -2 "$TMP/up5")"
fi
if ! mosquitto_pub -h localhost -p "$MQTT_PORT" --cafile "$CT/ca/ca.crt" -u nobody-here -P x \
    -t station/nobody-here/session -q 1 -m '{}' 2>/dev/null; then
    ok "an unknown broker user is refused"
else
    not_ok "an unknown broker user is refused"
fi
# home-anna's user writing as clinic-1, on clinic-1's topic: the ACL drops it
sed 's/home-anna/clinic-1/g; s/20261104/20261230/g' "$TMP/dup.json" >"$TMP/forged.json"
mosquitto_pub -h localhost -p "$MQTT_PORT" --cafile "$CT/ca/ca.crt" -u home-anna \
    -P "$(cat "$CT/home-anna.pass")" -t station/clinic-1/session -q 1 -f "$TMP/forged.json"
# ... and on its own topic, claiming to be clinic-1: the collector refuses it
mosquitto_pub -h localhost -p "$MQTT_PORT" --cafile "$CT/ca/ca.crt" -u home-anna \
    -P "$(cat "$CT/home-anna.pass")" -t station/home-anna/session -q 1 -f "$TMP/forged.json"
# and a program from a station: only clinic-web may write one
mosquitto_pub -h localhost -p "$MQTT_PORT" --cafile "$CT/ca/ca.crt" -u home-anna \
    -P "$(cat "$CT/home-anna.pass")" -t station/home-anna/program -q 1 -r \
    -m '{"v":1,"updated":"2026-11-28T10:00:00Z","people":[]}'
clinic_wait 5 'grep -q "refused a session from home-anna: station_id" "$TMP/collect.log"'
got=$(mosquitto_sub -h localhost -p "$MQTT_PORT" --cafile "$CT/ca/ca.crt" -u home-anna \
    -P "$(cat "$CT/home-anna.pass")" -t station/home-anna/program -C 1 -W 2 2>/dev/null)
if [ "$(clinic_sql "SELECT count(*) FROM sessions WHERE folder = '20261230-070000'")" = 0 ] &&
    grep -q "refused a session from home-anna: station_id is not the topic's station" "$TMP/collect.log" &&
    [ -z "$got" ]; then
    ok "a station cannot write another's topic, claim another's id, or set a program"
else
    not_ok "wrong topics are refused" "program read back: $got" "$(grep refused "$TMP/collect.log" | tail -2)"
fi
# a person_key that is not 16 hex digits, folders from before 2000 or more
# than a day ahead: refused, not stored, not truncated
future=$(date -u -d '+3 days' +%Y%m%d)-070000
for bad in "key:1b3cecb089fde2d2\n" "key:1B3CECB089FDE2D2" "folder:19991231-070000" "folder:$future"; do
    python3 - "$TMP/dup.json" "$bad" >"$TMP/bad.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
what, value = sys.argv[2].split(":", 1)
if what == "key":
    m["summary"]["person_key"] = value.replace("\\n", "\n")
else:
    m["folder"] = value
    m["session_id"] = "home-anna/" + value
print(json.dumps(m))
PY
    mosquitto_pub -h localhost -p "$MQTT_PORT" --cafile "$CT/ca/ca.crt" -u home-anna \
        -P "$(cat "$CT/home-anna.pass")" -t station/home-anna/session -q 1 -f "$TMP/bad.json"
done
clinic_wait 5 '[ "$(grep -c "refused a session from home-anna: .*\(person_key\|before 2000\)" "$TMP/collect.log")" -ge 4 ]'
if [ "$(grep -c "summary.person_key is not 16 hex digits" "$TMP/collect.log")" = 2 ] &&
    [ "$(grep -c "a session from before 2000 or more than a day ahead" "$TMP/collect.log")" = 2 ] &&
    [ "$(clinic_rows home-anna)" = 7 ] &&
    [ "$(clinic_sql "SELECT count(*) FROM patients WHERE person_key NOT SIMILAR TO '[0-9a-f]{16}'")" = 0 ]; then
    ok "a person_key not of 16 hex digits and a folder before 2000 or days ahead are refused"
else
    not_ok "bad keys and dates are refused" "rows $(clinic_rows home-anna)" \
        "$(grep refused "$TMP/collect.log" | tail -4)"
fi

clinic_mqtt_station stray-1
clinic_sessions "$TMP/stray" Cleo 1
clinic_station_cfg "$TMP/stray.cfg" stray-1 "$TMP/stray"
"$STATION" upload --config "$TMP/stray.cfg" --once --timeout 3 --scan 0.3 >"$TMP/up6" 2>&1
rc=$?
if [ $rc -eq 1 ] && [ "$(clinic_rows stray-1)" = 0 ] && [ "$(clinic_marked "$TMP/stray" .stored)" = 0 ] &&
    grep -q "station 'stray-1' is not known here" "$TMP/collect.log"; then
    ok "a station not added to a clinic is refused and not confirmed"
else
    not_ok "an unknown station is refused" "rc $rc, rows $(clinic_rows stray-1)"
fi

# a removed station: its sessions stay, new ones are refused and not confirmed
"$CLINIC" --config "$TMP/clinic.cfg" add-station --clinic Mitte gone-1 >/dev/null
clinic_mqtt_station gone-1
clinic_sessions "$TMP/gone" Gina 1
clinic_station_cfg "$TMP/gone.cfg" gone-1 "$TMP/gone"
"$STATION" upload --config "$TMP/gone.cfg" --once --timeout 10 --scan 0.3 >"$TMP/up-gone" 2>&1
rows1=$(clinic_rows gone-1)
"$CLINIC" --config "$TMP/clinic.cfg" remove-station gone-1 >"$TMP/o" 2>&1
rc=$?
"$CLINIC" --config "$TMP/clinic.cfg" remove-station gone-1 >"$TMP/o2" 2>&1
rc2=$?
clinic_sessions "$TMP/gone" Gina 1 20261110
"$STATION" upload --config "$TMP/gone.cfg" --once --timeout 3 --scan 0.3 >>"$TMP/up-gone" 2>&1
if [ "$rows1" = 1 ] && [ $rc -eq 0 ] && contains "$TMP/o" "mosquitto_passwd -D /etc/mosquitto/passwd gone-1" &&
    [ $rc2 -eq 1 ] && [ "$(clinic_rows gone-1)" = 1 ] && [ ! -f "$TMP/gone/20261110-070000/.stored" ] &&
    grep -q "station 'gone-1' is not known here .* or was removed" "$TMP/collect.log"; then
    ok "remove-station: the session it sent stays, a new one is refused and not confirmed"
else
    not_ok "remove-station" "rc $rc $rc2, rows $rows1 then $(clinic_rows gone-1)" "$(cat "$TMP/o" "$TMP/o2")" \
        "$(grep gone-1 "$TMP/collect.log" | tail -2)"
fi

# a broker that is not there: the station keeps trying (libmosquitto's
# asynchronous TLS connect to a closed port never reports it; a connection
# not made in time is tried again)
clinic_station_cfg "$TMP/closed.cfg" home-anna "$TMP/home" "port = $(free_port);"
"$STATION" upload --config "$TMP/closed.cfg" --once --timeout 8 --retry-max 1 >"$TMP/up13" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q 'no connection to the broker localhost:[0-9]* yet; trying again' "$TMP/up13"; then
    ok "no broker listening: the station tries again and says so once (exit 1 at --timeout)"
else
    not_ok "no broker listening" "rc $rc" "$(cat "$TMP/up13")"
fi

# ---- TLS: only the test CA ----
clinic_station_cfg "$TMP/otherca.cfg" home-anna "$TMP/home" "ca_file = \"$CT/other/ca.crt\";"
"$STATION" upload --config "$TMP/otherca.cfg" --once --timeout 3 >"$TMP/up7" 2>&1
rc=$?
if [ $rc -eq 1 ] && [ ! -f "$TMP/home/20261105-070000/.stored" ] && grep -q 'the TLS connection failed: .* not signed by ca_file, or it is not for the name in host' "$TMP/up7"; then
    ok "a station that trusts another CA does not talk to the broker (exit $rc, nothing sent); the message names both causes (CA, host name)"
else
    not_ok "a station that trusts another CA does not talk to the broker" "rc $rc" "$(cat "$TMP/up7")"
fi
pubc() {
    mosquitto_pub -h localhost -p "$MQTT_CERT_PORT" --cafile "$CT/ca/ca.crt" -u home-anna \
        -P "$(cat "$CT/home-anna.pass")" -t station/home-anna/session -q 1 -m '{}' "$@" 2>/dev/null
}
if pubc --cert "$CT/ca/client.crt" --key "$CT/ca/client.key" &&
    ! pubc --cert "$CT/other/client.crt" --key "$CT/other/client.key" && ! pubc; then
    ok "the broker's certificate listener takes the test CA's client certificate, refuses another CA's and none"
else
    not_ok "client certificates of another CA are refused"
fi
clinic_station_cfg "$TMP/cert.cfg" home-anna "$TMP/home" "port = $MQTT_CERT_PORT;" \
    "cert_file = \"$CT/ca/client.crt\";" "key_file = \"$CT/ca/client.key\";"
"$STATION" upload --config "$TMP/cert.cfg" --once --timeout 10 --scan 0.3 >"$TMP/up8" 2>&1
rc=$?
if [ $rc -eq 0 ] && [ -f "$TMP/home/20261105-070000/.stored" ]; then
    ok "a station with a client certificate sends over the certificate listener"
else
    not_ok "a station with a client certificate sends" "rc $rc" "$(tail -2 "$TMP/up8")"
fi

# ---- a replay stays on the station, and the summary says so ----
mkdir -p "$TMP/home/20261130-070000"
cp "$TMP/template/events.jsonl" "$TMP/home/20261130-070000/"
sed 's/"mode": "live"/"mode": "replay"/' "$TMP/home/20261102-070000/summary.json" >"$TMP/home/20261130-070000/summary.json"
"$STATION" upload --config "$TMP/home.cfg" --once --timeout 10 --scan 1 >"$TMP/up-replay" 2>&1
if grep -q '0 sent, 0 stored .* 0 not yet; 1 demo/replay session stays on the station' "$TMP/up-replay" &&
    [ ! -f "$TMP/home/20261130-070000/.sent" ]; then
    ok "a replay is not sent, and the uploader's summary says it stays on the station"
else
    not_ok "the replay kept is said" "$(tail -1 "$TMP/up-replay")"
fi

# ---- a program the clinic sets reaches the right station ----
bea=$(clinic_person_key "$TMP/clinic" Bea)
key=$(clinic_person_key "$TMP/home" Anna)
newkey=0123456789abcdef
cat >"$TMP/program.json" <<JSON
{"v": 1, "updated": "2026-11-28T10:00:00Z",
 "people": [{"person_key": "$key", "name": "Anna", "program": {"stage": "2", "backblock_s": "180+30/week..600"}},
            {"person_key": "$newkey", "name": "Dora", "program": {"rocking_s": "90"}}]}
JSON
mosquitto_pub -h localhost -p "$MQTT_PORT" --cafile "$CT/ca/ca.crt" -u clinic-web \
    -P "$(cat "$CT/clinic-web.pass")" -t station/home-anna/program -q 1 -r -f "$TMP/program.json"
printf '{"v": 1, "updated": "2026-11-28T10:00:00Z", "people": [{"person_key": "%s", "name": "Bea", "program": {"stage": "1", "stretch_reps": "4"}}]}' \
    "$bea" >"$TMP/program2.json"
mosquitto_pub -h localhost -p "$MQTT_PORT" --cafile "$CT/ca/ca.crt" -u clinic-web \
    -P "$(cat "$CT/clinic-web.pass")" -t station/clinic-1/program -q 1 -r -f "$TMP/program2.json"
"$STATION" upload --config "$TMP/home.cfg" --once --timeout 10 --scan 1 >"$TMP/up9" 2>&1
"$STATION" upload --config "$TMP/clinic.station.cfg" --once --timeout 10 --scan 1 >"$TMP/up10" 2>&1
"$STATION" person --storage "$TMP/home" show Anna >"$TMP/anna" 2>&1
"$STATION" person --storage "$TMP/home" show Dora >"$TMP/dora" 2>&1
"$STATION" person --storage "$TMP/clinic" show Bea >"$TMP/bea" 2>&1
if grep -q 'stage=2' "$TMP/anna" && grep -q 'backblock_s=180+30/week..600' "$TMP/anna" &&
    grep -q 'rocking_s=90' "$TMP/dora" && [ "$(clinic_person_key "$TMP/home" Dora)" = "$newkey" ] &&
    grep -q 'stretch_reps=4' "$TMP/bea" && ! grep -q 'stage=2' "$TMP/bea" &&
    [ -z "$(clinic_person_key "$TMP/clinic" Anna)" ]; then
    ok "a program set at the clinic reaches the right station (a new person added under her key)"
else
    not_ok "programs reach the right station" "$(cat "$TMP/anna" "$TMP/dora" "$TMP/bea" | head -8)" "$(grep program "$TMP/up9")"
fi
# applied again (every reconnect gets the retained message): nothing changes
cp "$TMP/home/station.db" "$TMP/before.db"
"$STATION" upload --config "$TMP/home.cfg" --once --timeout 10 --scan 1 >"$TMP/up11" 2>&1
"$STATION" person --storage "$TMP/home" show Anna >"$TMP/anna2" 2>&1
if grep -q 'programs: 0 applied, 2 applied before, 0 refused' "$TMP/up11" && cmp -s "$TMP/anna" "$TMP/anna2"; then
    ok "the same program taken again at a reconnect is not applied again"
else
    not_ok "a program applied again changes nothing" "$(diff "$TMP/anna" "$TMP/anna2")"
fi
# one person refused: the others of the message are applied
printf '{"v": 1, "updated": "2026-11-29T10:00:00Z", "people": [{"person_key": "%s", "name": "Anna", "program": {"stage": "1"}}, {"person_key": "%s", "name": "Dora", "program": {"stage": "7"}}]}' \
    "$key" "$newkey" >"$TMP/program3.json"
mosquitto_pub -h localhost -p "$MQTT_PORT" --cafile "$CT/ca/ca.crt" -u clinic-web \
    -P "$(cat "$CT/clinic-web.pass")" -t station/home-anna/program -q 1 -r -f "$TMP/program3.json"
"$STATION" upload --config "$TMP/home.cfg" --once --timeout 10 --scan 1 >"$TMP/up12" 2>&1
"$STATION" person --storage "$TMP/home" show Anna >"$TMP/anna3" 2>&1
"$STATION" person --storage "$TMP/home" show Dora >"$TMP/dora3" 2>&1
if grep -q "programs: 1 applied, 0 applied before, 1 refused" "$TMP/up12" &&
    grep -q "refused (the others are applied): Dora: stage=7 is out of range" "$TMP/up12" &&
    grep -q 'stage=1' "$TMP/anna3" && cmp -s "$TMP/dora" "$TMP/dora3"; then
    ok "one person's bad program is refused, saying whose and why; the others' are applied"
else
    not_ok "one refused person does not block the others" "$(grep program "$TMP/up12")" "$(cat "$TMP/anna3")"
fi
# and the station tells the clinic (retained program-status, stored by the collector)
clinic_wait 10 '[ -n "$(clinic_sql "SELECT 1 FROM program_status WHERE station_id = '"'home-anna'"'")" ]'
told=$(clinic_sql "SELECT (status->>'applied') || ' ' || (status->'refused'->0->>'person_key') || ' ' || (status->'refused'->0->>'why') FROM program_status WHERE station_id = 'home-anna'")
if [ "$told" = "1 $newkey stage=7 is out of range (1 or 2 (exercises 1-4 or 5-7))" ] ||
    printf '%s' "$told" | grep -q "^1 $newkey stage=7 is out of range"; then
    ok "the station reports the refusal to the clinic (station/<id>/program-status, stored by the collector)"
else
    not_ok "the station reports the refusal" "'$told'" "$(grep -i status "$TMP/collect.log" | tail -2)"
fi
# a change made on the station, and a person removed there, stay at the
# next connection (the retained message was applied before)
"$STATION" person --storage "$TMP/home" set Anna stage=2 >/dev/null
"$STATION" person --storage "$TMP/home" remove Dora >/dev/null
"$STATION" upload --config "$TMP/home.cfg" --once --timeout 10 --scan 1 >"$TMP/up13" 2>&1
"$STATION" person --storage "$TMP/home" show Anna >"$TMP/anna4" 2>&1
if grep -q 'stage=2' "$TMP/anna4" && [ -z "$(clinic_person_key "$TMP/home" Dora)" ] &&
    grep -q "programs: 0 applied, 1 applied before, 1 refused" "$TMP/up13"; then
    ok "a reconnect neither undoes a change made on the station nor brings back a person removed there"
else
    not_ok "local changes survive a reconnect" "$(cat "$TMP/anna4")" "$(grep program "$TMP/up13")"
fi

# ---- the same patient at home and in the clinic: one patient ----
"$STATION" person --storage "$TMP/clinic" add Anna --key "$key" >"$TMP/o" 2>&1
clinic_sessions "$TMP/clinic" Anna 2 20261120
"$STATION" upload --config "$TMP/clinic.station.cfg" --once --timeout 20 --scan 0.3 >"$TMP/up14" 2>&1
pats=$(clinic_sql "SELECT count(*) FROM patients WHERE person_key = '$key'")
where=$(clinic_sql "SELECT string_agg(DISTINCT s.station_id, ' ' ORDER BY s.station_id) FROM sessions s JOIN patients p ON p.id = s.patient_id WHERE p.person_key = '$key'")
"$STATION" person --storage "$TMP/clinic" add Anna2 --key "$key" >"$TMP/o2" 2>&1
rc=$?
if [ "$pats" = 1 ] && [ "$where" = "clinic-1 home-anna" ] && [ "$(clinic_person_key "$TMP/clinic" Anna)" = "$key" ] &&
    [ $rc -eq 2 ] && contains "$TMP/o2" "already has the key"; then
    ok "person add --key: her sessions from two stations land on one patient"
else
    not_ok "one patient from two stations" "patients $pats, stations '$where'" "$(cat "$TMP/o" "$TMP/o2")"
fi
# a patient's export written where it cannot be: the write error is said
pid=$(clinic_sql "SELECT id FROM patients WHERE person_key = '$key'")
says 1 "export-patient >/dev/full says the write failed (exit 1)" \
    "writing the export: No space left on device" -- \
    sh -c '"$1" --config "$2" export-patient "$3" >/dev/full' sh "$CLINIC" "$TMP/clinic.cfg" "$pid"
clinic_collect_stop
if grep -l 'not currently connected' "$TMP/collect.log" "$TMP"/up* >"$TMP/nc" 2>/dev/null; then
    not_ok "no 'not currently connected' before the first connection" "$(cat "$TMP/nc")"
else
    ok "the uploader and the collector say nothing of the harmless state before connecting"
fi
# with the ASan builds: neither end reported a memory error or a leak
if grep -l 'Sanitizer\|runtime error' "$TMP/collect.log" "$TMP"/up* >"$TMP/san" 2>/dev/null ||
    ! grep -q 'station-clinic: stopping: .* stored' "$TMP/collect.log"; then
    not_ok "the collector stops cleanly, no sanitizer reports" "$(cat "$TMP/san")" "$(tail -2 "$TMP/collect.log")"
else
    ok "the collector stopped cleanly; no sanitizer report from either end"
fi
finish
