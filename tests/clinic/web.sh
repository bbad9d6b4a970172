#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The clinicians' web page (station-clinic web) in a real browser: a real
# PostgreSQL and mosquitto (tests/clinic/lib.sh), real session records sent
# by the stations' uploaders and stored by the collector
# (tests/clinic/web_fixture.sh), the page over HTTPS with the test CA's
# certificate, and Debian's chromium driven by playwright-core
# (tests/clinic/web/drive.js): logging in, a patient, a session, a program
# that reaches the right stations as a retained message (and a station that
# applies it), and what is
# refused (a wrong password, a POST without or with a wrong CSRF token,
# another clinic's patient). SCREENS=docs/screens keeps the screenshots.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
. tests/clinic/lib.sh

CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser)}
# playwright-core from npm, as the lock file says: one cache entry per lock
# file ($STATION_CACHE/clinic-web-node-HASH), made whole or not at all, npm
# retried as every download is (scripts/fetch.sh)
. scripts/fetch.sh
npm_install() {
    cp tests/clinic/web/package.json tests/clinic/web/package-lock.json "$1/" &&
        fetch_retry "playwright-core from npm" sh -c 'cd "$1" && npm ci --no-audit --no-fund --loglevel=error' \
            sh "$1"
}
node_modules_ready() {
    lock=$(sha256sum tests/clinic/web/package-lock.json | cut -c1-12)
    NODE_DIR=$(fetch_cached "clinic-web-node-$lock" npm_install) && [ -d "$NODE_DIR/node_modules/playwright-core" ]
}

if [ ! -x "$CLINIC" ]; then
    not_ok "station-clinic is built" "make clinic builds $CLINIC"
    finish
    exit
fi
if [ -z "$CHROMIUM" ] || ! command -v node >/dev/null || ! node_modules_ready; then
    not_ok "chromium, node and playwright-core are there" "scripts/deps.sh check (make deps-check) installs chromium and npm"
    finish
    exit
fi
if ! clinic_start; then
    not_ok "PostgreSQL and mosquitto start"
    finish
    exit
fi
. tests/clinic/fixture.sh
. tests/clinic/web_fixture.sh
rows=$(clinic_sql "SELECT p.name || ':' || count(*) FROM sessions s JOIN patients p ON p.id = s.patient_id GROUP BY p.name ORDER BY 1" | tr '\n' ' ')
if [ "$rows" = "Anna:15 Bea:5 Cara:1 " ]; then
    ok "four stations sent their sessions; the collector stored them (Anna 15, Bea 5, Cara 1)"
else
    not_ok "four stations sent their sessions and the collector stored them" "$rows" \
        "$(tail -3 "$TMP/collect.log")"
fi

# ---- clinicians, from the command line ----
printf 'correct horse battery\n' | "$CLINIC" --config "$CFG" add-clinician maria \
    --clinic "Riverside Physio" >"$TMP/cmd.out" 2>&1
check "add-clinician reads the password from stdin" grep -q "clinician 'maria'" "$TMP/cmd.out"
printf 'staple battery horse\n' | "$CLINIC" --config "$CFG" add-clinician tom \
    --clinic "Hillside Clinic" >/dev/null 2>&1
hash=$(clinic_sql "SELECT pwhash FROM clinicians WHERE login = 'maria'")
case $hash in
'$argon2id$'*) ok "the password is stored as an argon2id hash" ;;
*) not_ok "the password is stored as an argon2id hash" "$hash" ;;
esac
printf 'short\n' | "$CLINIC" --config "$CFG" add-clinician ann --clinic "Riverside Physio" >"$TMP/cmd.out" 2>&1
check "a password under 10 characters is refused" grep -q 'allowed are 10..200' "$TMP/cmd.out"
printf 'long enough password\n' | "$CLINIC" --config "$CFG" add-clinician ann --clinic "Nowhere" >"$TMP/cmd.out" 2>&1
check "a clinician of an unknown clinic is refused" grep -q "no clinic 'Nowhere'" "$TMP/cmd.out"

# ---- the page, over HTTPS ----
WEB_PORT=$(free_port)
cp "$CFG" "$CT/web.cfg"
cat >>"$CT/web.cfg" <<CFG
web = {
    listen = "127.0.0.1";
    port = $WEB_PORT;
    tls_cert = "$CT/ca/server.crt";
    tls_key = "$CT/ca/server.key";
    mqtt_username = "clinic-web";
    mqtt_password_file = "$CT/clinic-web.pass";
};
CFG
"$CLINIC" --config "$CT/web.cfg" web >"$CT/web.log" 2>&1 &
WEB_PID=$!
if clinic_wait 10 'grep -q listening "$CT/web.log"'; then
    ok "station-clinic web listens (HTTPS)"
else
    not_ok "station-clinic web listens (HTTPS)" "$(tail -3 "$CT/web.log")"
fi

# TLS 1.2 and 1.3 with AEAD ciphers only: TLS 1.0/1.1 and CBC are refused
tls_ok() {
    echo | timeout 10 openssl s_client -connect "127.0.0.1:$WEB_PORT" "$@" >/dev/null 2>&1
}
if ! tls_ok -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' && ! tls_ok -tls1 -cipher 'DEFAULT:@SECLEVEL=0' &&
    ! tls_ok -tls1_2 -cipher 'ECDHE-RSA-AES128-SHA:AES128-SHA:AES256-SHA256' &&
    tls_ok -tls1_2 -cipher 'ECDHE-RSA-AES128-GCM-SHA256' && tls_ok -tls1_3; then
    ok "HTTPS takes TLS 1.2 (AEAD) and 1.3, refuses TLS 1.0, 1.1 and CBC ciphers"
else
    not_ok "HTTPS versions and ciphers" "$(tail -3 "$CT/web.log")"
fi
# idle connections from one address cannot shut the page out: that address
# gets 16, the 17th is closed; they are closed when idle (15 s)
if python3 - "$WEB_PORT" "$CT/ca/ca.crt" <<'PY'
import socket, ssl, sys, time
port, ca = int(sys.argv[1]), sys.argv[2]
idle = [socket.create_connection(("127.0.0.1", port), 5) for _ in range(16)]
def page():
    ctx = ssl.create_default_context(cafile=ca)
    try:
        with ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), 5),
                             server_hostname="localhost") as s:
            s.sendall(b"GET /login HTTP/1.0\r\nHost: localhost\r\n\r\n")
            return s.recv(20).startswith(b"HTTP/1.")
    except OSError:
        return False
refused = not page()
time.sleep(17)  # the idle ones are closed by the server
answered = page()
def closed(s):  # the server's end: maybe a TLS alert, then EOF
    try:
        while s.recv(256):
            pass
        return True
    except OSError:
        return False
closed = all(closed(s) for s in idle)
sys.exit(0 if refused and answered and closed else 1)
PY
then
    ok "one address gets 16 connections, the 17th is refused; idle ones are closed after 15 s"
else
    not_ok "the per-address limit and the idle timeout" "$(tail -3 "$CT/web.log")"
fi

ANNA=$(clinic_sql "SELECT id FROM patients WHERE name = 'Anna'")
ANNA_KEY=$(clinic_sql "SELECT person_key FROM patients WHERE name = 'Anna'")
CARA=$(clinic_sql "SELECT id FROM patients WHERE name = 'Cara'")
ODD=$(clinic_sql "SELECT id FROM patients WHERE person_key = '00000000000000aa'")
ANNA_LATEST=$(clinic_sql "SELECT session_id FROM sessions WHERE patient_id = $ANNA ORDER BY started DESC LIMIT 1")
CARA_SESSION=$(clinic_sql "SELECT session_id FROM sessions WHERE patient_id = $CARA LIMIT 1")
BASE=https://127.0.0.1:$WEB_PORT

# ---- the broker and the database away (curl, before the browser test,
# whose last step makes this address wait for its wrong passwords) ----
J=$TMP/cookies
csrf_of() { sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$1" | head -1; }
curl -sk -c "$J" -b "$J" -o "$TMP/login.html" "$BASE/login"
curl -sk -c "$J" -b "$J" -o /dev/null \
    --data "csrf=$(csrf_of "$TMP/login.html")&login=maria&password=correct+horse+battery" "$BASE/login"
curl -sk -b "$J" -o "$TMP/anna.html" "$BASE/patient/$ANNA"
clinic_mqtt_stop
code=$(curl -sk -b "$J" -o "$TMP/stored.html" -w '%{http_code}' \
    --data "csrf=$(csrf_of "$TMP/anna.html")&stage=1" "$BASE/patient/$ANNA/program")
if [ "$code" = 422 ] && grep -q 'it is stored, but not sent' "$TMP/stored.html" &&
    [ "$(clinic_sql "SELECT program->>'stage' FROM programs WHERE patient_id = $ANNA")" = 1 ]; then
    ok "the broker away: the program is stored and the page says it was not sent"
else
    not_ok "the broker away: the program is stored and the page says it was not sent" "$code" \
        "$(grep -o 'class="error"[^<]*' "$TMP/stored.html")"
fi
clinic_mqtt_start || echo "# mosquitto did not start again"
# a band given by one end: the other would be the station's configuration,
# which the page does not know, so it is refused
code=$(curl -sk -b "$J" -o "$TMP/oneend.html" -w '%{http_code}' \
    --data "csrf=$(csrf_of "$TMP/anna.html")&stage=1&rate_min_hz=1.5" "$BASE/patient/$ANNA/program")
if [ "$code" = 422 ] && grep -q 'give both ends of her rocking band' "$TMP/oneend.html" &&
    [ -z "$(clinic_sql "SELECT program->>'rate_min_hz' FROM programs WHERE patient_id = $ANNA")" ]; then
    ok "a rocking band given by one end only is refused by the page, nothing stored"
else
    not_ok "a band given by one end is refused" "$code" "$(grep -o 'class="error"[^<]*' "$TMP/oneend.html")"
fi
clinic_pg_stop
code=$(curl -sk -b "$J" -o "$TMP/down.html" -w '%{http_code}' "$BASE/")
clinic_pg_start
code2=$(curl -sk -b "$J" -o "$TMP/up.html" -w '%{http_code}' "$BASE/")
if [ "$code" = 503 ] && grep -q 'The database is not answering' "$TMP/down.html" &&
    [ "$code2" = 200 ] && grep -q '>Anna<' "$TMP/up.html"; then
    ok "the database away: 503 and says so; back: the next page is served (connected again)"
else
    not_ok "the database away and back" "codes $code $code2" "$(tail -3 "$CT/web.log")"
fi

# ---- her printable report (the station's person report, from the
# database): for her clinic's clinician, not for another clinic's ----
FROM=$(clinic_sql "SELECT to_char(min(started) - interval '1 day', 'YYYY-MM-DD') FROM sessions WHERE patient_id = $ANNA")
TO=$(date +%F)
ANNA_LIVE=$(clinic_sql "SELECT count(*) FROM sessions WHERE patient_id = $ANNA AND mode = 'live'")
ANNA_STATION=$(clinic_sql "SELECT station_id FROM sessions WHERE patient_id = $ANNA ORDER BY started DESC LIMIT 1")
code=$(curl -sk -b "$J" -o "$TMP/report.pdf" -D "$TMP/report.h" -w '%{http_code}' \
    "$BASE/patient/$ANNA/report.pdf?from=$FROM&to=$TO")
pages=$(pdfinfo "$TMP/report.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
pdftotext -layout "$TMP/report.pdf" "$TMP/report.txt" 2>/dev/null
if [ "$code" = 200 ] && grep -qi '^content-type: application/pdf' "$TMP/report.h" &&
    grep -qi '^content-disposition: attachment; filename="report-patient-' "$TMP/report.h" &&
    grep -qi '^cache-control: no-store' "$TMP/report.h" && [ "${pages:-0}" -ge 1 ] &&
    grep -q 'Anna' "$TMP/report.txt" && grep -q "$FROM to $TO" "$TMP/report.txt" &&
    grep -q "$ANNA_STATION" "$TMP/report.txt" && grep -q "[^0-9]$ANNA_LIVE sessions on" "$TMP/report.txt"; then
    ok "her printable report downloads as a PDF ($pages pages): her name, the period, her station, her $ANNA_LIVE sessions; no-store"
else
    not_ok "her printable report downloads as a PDF" "code $code, pages '$pages'" "$(head -5 "$TMP/report.h")" \
        "$(head -12 "$TMP/report.txt")"
fi
[ -n "${SCREENS:-}" ] && mkdir -p "$SCREENS" && pdftoppm -png -r 60 -f 1 -l 1 -singlefile \
    "$TMP/report.pdf" "$SCREENS/clinic-report"
grep -q "action=\"/patient/$ANNA/report.pdf\"" "$TMP/anna.html" &&
    grep -q 'Printable report (PDF)' "$TMP/anna.html" &&
    code=$(curl -sk -b "$J" -o "$TMP/report2.pdf" -w '%{http_code}' "$BASE/patient/$ANNA/report.pdf") &&
    [ "$code" = 200 ] && pdftotext "$TMP/report2.pdf" - 2>/dev/null |
    grep -q "$(date -d '27 days ago' +%F) to $TO"
check "her page offers the report; without dates it covers the last four weeks" test $? -eq 0
bad=""
for q in "from=2026-02-30&to=$TO" "from=26-01-01&to=$TO" "from=$TO&to=$FROM" "to=2026-13-01" \
    "from=2026-01-01x&to=$TO"; do
    bad="$bad $(curl -sk -b "$J" -o /dev/null -w '%{http_code}' "$BASE/patient/$ANNA/report.pdf?$q")"
done
curl -sk -c "$TMP/tomj" -b "$TMP/tomj" -o "$TMP/tlogin.html" "$BASE/login"
curl -sk -c "$TMP/tomj" -b "$TMP/tomj" -o /dev/null \
    --data "csrf=$(csrf_of "$TMP/tlogin.html")&login=tom&password=staple+battery+horse" "$BASE/login"
other=$(curl -sk -b "$TMP/tomj" -o "$TMP/tom.pdf" -w '%{http_code}' "$BASE/patient/$ANNA/report.pdf?from=$FROM&to=$TO")
out=$(curl -sk -o /dev/null -w '%{http_code}' "$BASE/patient/$ANNA/report.pdf")
if [ "$bad" = " 400 400 400 400 400" ] && [ "$other" = 404 ] && ! grep -q '%PDF' "$TMP/tom.pdf" &&
    [ "$out" = 303 ]; then
    ok "a bad or reversed period is refused (400); another clinic's clinician gets 404; logged out: to the login"
else
    not_ok "the report's refusals" "bad periods:$bad, other clinic $other, logged out $out"
fi

# ---- behind a reverse proxy: plain HTTP on 127.0.0.1, the proxy's
# X-Real-IP counted by the login limit, cookies still Secure ----
PROXY_PORT=$(free_port)
sed -e "s/port = $WEB_PORT;/port = $PROXY_PORT;/" -e '/tls_cert/d' -e '/tls_key/d' \
    -e 's/^web = {/web = {\n    behind_proxy = true;/' "$CT/web.cfg" >"$CT/proxy.cfg"
"$CLINIC" --config "$CT/proxy.cfg" web >"$CT/proxy.log" 2>&1 &
PROXY_PID=$!
clinic_wait 10 'grep -q listening "$CT/proxy.log"'
P=http://127.0.0.1:$PROXY_PORT
curl -s -c "$TMP/pj" -b "$TMP/pj" -o "$TMP/plogin.html" -D "$TMP/plogin.h" "$P/login"
pcsrf=$(csrf_of "$TMP/plogin.html")
codes=""
for i in 1 2 3 4 5 6; do
    codes="$codes $(curl -s -b "$TMP/pj" -H 'X-Real-IP: 203.0.113.7' -o /dev/null -w '%{http_code}' \
        --data "csrf=$pcsrf&login=nobody$i&password=wrong+password" "$P/login")"
done
other=$(curl -s -b "$TMP/pj" -H 'X-Real-IP: 203.0.113.8' -o /dev/null -w '%{http_code}' \
    -D "$TMP/plogin2.h" --data "csrf=$pcsrf&login=maria&password=correct+horse+battery" "$P/login")
if [ "$codes" = " 401 401 401 401 401 429" ] && [ "$other" = 303 ] &&
    grep -qi '^set-cookie: sid=.*; Secure' "$TMP/plogin2.h"; then
    ok "behind a proxy: its X-Real-IP is the address the login limit counts; cookies stay Secure"
else
    not_ok "behind a proxy" "codes$codes, other address $other" "$(grep -i set-cookie "$TMP/plogin2.h")"
fi

# ---- taking access away: passwd and remove-clinician end her logins ----
# a clinician of her own for this (the browser test logs in as the others)
printf 'staple battery horse\n' | "$CLINIC" --config "$CFG" add-clinician zoe \
    --clinic "Hillside Clinic" >/dev/null 2>&1
# zoe_login PASSWORD JAR: the status of a login as zoe (303: in)
zoe_login() {
    curl -s -c "$2" -b "$TMP/pj" -H 'X-Real-IP: 203.0.113.9' -o /dev/null -w '%{http_code}' \
        --data "csrf=$pcsrf&login=zoe&password=$1" "$P/login"
}
home_as() { curl -s -b "$1" -H 'X-Real-IP: 203.0.113.9' -o /dev/null -w '%{http_code}' "$P/"; }
cp "$TMP/pj" "$TMP/tj"
cp "$TMP/pj" "$TMP/tj2"
in1=$(zoe_login 'staple+battery+horse' "$TMP/tj")
home1=$(home_as "$TMP/tj")
printf 'horse staple battery two\n' | "$CLINIC" --config "$CFG" passwd zoe >"$TMP/cmd.out" 2>&1
rc1=$?
home2=$(home_as "$TMP/tj")
old=$(zoe_login 'staple+battery+horse' /dev/null)
in2=$(zoe_login 'horse+staple+battery+two' "$TMP/tj2")
"$CLINIC" --config "$CFG" remove-clinician zoe >"$TMP/cmd.out2" 2>&1
rc2=$?
home3=$(home_as "$TMP/tj2")
gone=$(zoe_login 'horse+staple+battery+two' /dev/null)
printf 'long enough password\n' | "$CLINIC" --config "$CFG" passwd nobody-here >"$TMP/cmd.out3" 2>&1
rc3=$?
if [ "$in1 $home1" = "303 200" ] && [ $rc1 -eq 0 ] && [ "$home2" != 200 ] && [ "$old" = 401 ] &&
    [ "$in2" = 303 ] && [ $rc2 -eq 0 ] && [ "$home3" != 200 ] && [ "$gone" = 401 ] &&
    [ $rc3 -eq 1 ] && grep -q "no clinician 'nobody-here'" "$TMP/cmd.out3"; then
    ok "passwd ends her logins and the old password; remove-clinician ends her access"
else
    not_ok "passwd and remove-clinician" "in $in1 $home1, passwd rc $rc1 then $home2, old $old, new $in2" \
        "removed rc $rc2 then $home3, login $gone; unknown rc $rc3" "$(cat "$TMP/cmd.out" "$TMP/cmd.out2" "$TMP/cmd.out3")"
fi
kill "$PROXY_PID" 2>/dev/null
wait "$PROXY_PID" 2>/dev/null

[ -n "${SCREENS:-}" ] && mkdir -p "$SCREENS"
BASE=$BASE ANNA=$ANNA CARA=$CARA ODD=$ODD ANNA_LATEST=$ANNA_LATEST \
    CARA_SESSION=$CARA_SESSION SCREENS=${SCREENS:-} CHROMIUM=$CHROMIUM \
    NODE_PATH=$NODE_DIR/node_modules timeout 300 node tests/clinic/web/drive.js >"$TMP/drive.out" 2>&1
sed -n '/^ok /p;/^# /p;/^not ok /,/^[^#]/p' "$TMP/drive.out" | grep -v '^$'
PASSES=$((PASSES + $(grep -c '^ok ' "$TMP/drive.out")))
FAILS=$((FAILS + $(grep -c '^not ok ' "$TMP/drive.out")))
grep -q '^ok ' "$TMP/drive.out" || not_ok "the browser test ran" "$(tail -5 "$TMP/drive.out")"

# ---- the program on the broker: retained, for her stations only ----
# program_of STATION: the retained program message a station gets
program_of() {
    timeout 10 mosquitto_sub -h localhost -p "$MQTT_PORT" --cafile "$CT/ca/ca.crt" -u "$1" \
        -P "$(cat "$CT/$1.pass")" -V mqttv311 -t "station/$1/program" -C 1 -W 3 2>/dev/null
}
# has_program FILE: the message names Anna by her key, with the page's program
has_program() {
    python3 - "$1" "$ANNA_KEY" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
p = [x for x in m["people"] if x["person_key"] == sys.argv[2]]
want = {"stage": "2", "backblock_s": "180+30/week..600", "rate_min_hz": "0.9", "rate_max_hz": "1.2"}
sys.exit(0 if m["v"] == 1 and len(p) == 1 and p[0]["name"] == "Anna" and p[0]["program"] == want else 1)
PY
}
for s in home-anna clinic-room; do
    program_of "$s" >"$TMP/prog.$s"
    if has_program "$TMP/prog.$s"; then
        ok "station $s (she has sessions there) gets her program, retained"
    else
        not_ok "station $s (she has sessions there) gets her program, retained" "$(cat "$TMP/prog.$s")"
    fi
done
program_of home-bea >"$TMP/prog.home-bea"
if [ ! -s "$TMP/prog.home-bea" ]; then
    ok "station home-bea (none of her sessions) gets no program"
else
    not_ok "station home-bea (none of her sessions) gets no program" "$(cat "$TMP/prog.home-bea")"
fi
# and the station itself takes it at its next connection
"$STATION" upload --config "$TMP/home-anna.cfg" --once --timeout 10 --scan 0.3 >"$TMP/up-prog" 2>&1
"$STATION" person --storage "$TMP/st-home-anna" show Anna >"$TMP/anna.show" 2>&1
"$STATION" upload --config "$TMP/home-bea.cfg" --once --timeout 10 --scan 0.3 >"$TMP/up-prog2" 2>&1
"$STATION" person --storage "$TMP/st-home-bea" show Anna >"$TMP/anna.bea" 2>&1
if grep -q 'stage=2' "$TMP/anna.show" && grep -q 'backblock_s=180+30/week..600' "$TMP/anna.show" &&
    grep -q 'rate_min_hz=0.9' "$TMP/anna.show" && ! grep -q 'stage=2' "$TMP/anna.bea"; then
    ok "station home-anna applies her program at its next connection; home-bea does not"
else
    not_ok "the program reaches the station" "$(cat "$TMP/anna.show")" "$(grep -i program "$TMP/up-prog")"
fi
# ---- her program sent to another station of the clinic: one patient ----
curl -sk -b "$J" -o "$TMP/anna2.html" "$BASE/patient/$ANNA"
code1=$(curl -sk -b "$J" -o "$TMP/link-bad.html" -w '%{http_code}' \
    --data "csrf=$(csrf_of "$TMP/anna2.html")&station=hill-1" "$BASE/patient/$ANNA/station")
code2=$(curl -sk -b "$J" -o /dev/null -w '%{http_code}' \
    --data "csrf=$(csrf_of "$TMP/anna2.html")&station=home-bea" "$BASE/patient/$ANNA/station")
if grep -q "Her key is <code>$ANNA_KEY</code>" "$TMP/anna2.html" &&
    grep -q '<option>home-bea</option>' "$TMP/anna2.html" && ! grep -q '<option>hill-1</option>' "$TMP/anna2.html" &&
    [ "$code1" = 422 ] && grep -q 'is not a station of your clinic' "$TMP/link-bad.html" && [ "$code2" = 303 ]; then
    ok "her page shows her key and offers the clinic's other stations; another clinic's is refused"
else
    not_ok "sending her program to another station" "codes $code1 $code2" "$(grep -o 'class="error"[^<]*' "$TMP/link-bad.html")"
fi
program_of home-bea >"$TMP/prog.home-bea2"
"$STATION" upload --config "$TMP/home-bea.cfg" --once --timeout 10 --scan 0.3 >"$TMP/up-link" 2>&1
clinic_sessions "$TMP/st-home-bea" Anna 1 20261125
"$STATION" upload --config "$TMP/home-bea.cfg" --once --timeout 20 --scan 0.3 >"$TMP/up-link2" 2>&1
pats=$(clinic_sql "SELECT count(*) FROM patients WHERE person_key = '$ANNA_KEY'")
where=$(clinic_sql "SELECT count(*) FROM sessions WHERE patient_id = $ANNA AND station_id = 'home-bea'")
if has_program "$TMP/prog.home-bea2" && [ "$(clinic_person_key "$TMP/st-home-bea" Anna)" = "$ANNA_KEY" ] &&
    [ "$pats" = 1 ] && [ "$where" = 1 ]; then
    ok "the station sent her program adds her under her key; her session there lands on the same patient"
else
    not_ok "one patient across stations from the web page" "patients $pats, home-bea sessions $where" \
        "$(cat "$TMP/prog.home-bea2"; grep -i program "$TMP/up-link")"
fi
# a station that refuses her program: her page says which and why
printf '{"v": 1, "updated": "2030-01-01T00:00:00Z", "people": [{"person_key": "%s", "name": "Anna", "program": {"stage": "9"}}]}' \
    "$ANNA_KEY" >"$TMP/bad-program.json"
mosquitto_pub -h localhost -p "$MQTT_PORT" --cafile "$CT/ca/ca.crt" -u clinic-web \
    -P "$(cat "$CT/clinic-web.pass")" -t station/home-bea/program -q 1 -r -f "$TMP/bad-program.json"
"$STATION" upload --config "$TMP/home-bea.cfg" --once --timeout 10 --scan 0.3 >"$TMP/up-bad" 2>&1
clinic_wait 10 '[ -n "$(clinic_sql "SELECT 1 FROM program_status WHERE station_id = '"'home-bea'"' AND status->'"'refused'"' <> '"'[]'"'")" ]'
curl -sk -b "$J" -o "$TMP/anna3.html" "$BASE/patient/$ANNA"
if grep -q 'Station <strong>home-bea</strong> refused her program ([0-9: -]*): stage=9 is out of range' "$TMP/anna3.html"; then
    ok "her page shows a station's refusal of her program, with why"
else
    not_ok "her page shows a station's refusal" "$(grep -o 'refused her[^<]*' "$TMP/anna3.html")" "$(grep -i program "$TMP/up-bad")"
fi
by=$(clinic_sql "SELECT c.login FROM programs g JOIN clinicians c ON c.id = g.updated_by WHERE g.patient_id = $ANNA")
[ "$by" = maria ] && ok "the database keeps who set the program" || not_ok "the database keeps who set the program" "$by"
n=$(clinic_sql "SELECT count(*) FROM sessions WHERE patient_id = $CARA")
left=$(clinic_sql "SELECT count(*) FROM patients WHERE id = $CARA")
[ "$n$left" = 00 ] && ok "the deleted patient's sessions and row are gone from the database" ||
    not_ok "the deleted patient's sessions and row are gone from the database" "$n sessions, $left rows"
program_of hill-1 >"$TMP/prog.hill-1"
if python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["people"] != [])' "$TMP/prog.hill-1" 2>/dev/null; then
    ok "her station's retained program no longer names her"
else
    not_ok "her station's retained program no longer names her" "$(cat "$TMP/prog.hill-1")"
fi

# ---- export and delete from the command line ----
"$CLINIC" --config "$CFG" export-patient "$ANNA" >"$TMP/anna.json" 2>"$TMP/cmd.err"
check "export-patient writes her sessions as JSON (16: 15, and 1 from the station sent her program)" python3 -c \
    'import json,sys; d = json.load(open(sys.argv[1])); sys.exit(len(d["sessions"]) != 16)' "$TMP/anna.json"
# a patient whose sessions with their traces come to more than jsonb's
# 256 MB: exported session by session, whole
BIG=$(clinic_sql "INSERT INTO patients (clinic_id, person_key, name) SELECT clinic_id, 'b16b16b16b16b16b', 'Big' FROM patients WHERE id = $ANNA RETURNING id" | head -1)
clinic_sql "INSERT INTO sessions (session_id, station_id, patient_id, folder, started, mode, status, summary, events, trace)
    SELECT station_id || '/big-' || g, station_id, $BIG, folder, started + g * interval '1 day', mode, status, summary, events,
        repeat('0.01,0.02,0.03,9.81,0.1,0.2,0.3' || chr(10), 950000)
    FROM sessions, generate_series(1, 9) g WHERE session_id = '$ANNA_LATEST'" >/dev/null
"$CLINIC" --config "$CFG" export-patient "$BIG" >"$TMP/big.json" 2>"$TMP/cmd.err"
rc=$?
if [ $rc -eq 0 ] && [ "$(stat -c %s "$TMP/big.json")" -gt 268435456 ] &&
    python3 -c 'import json,sys; d = json.load(open(sys.argv[1])); sys.exit(len(d["sessions"]) != 9 or d["patient"]["name"] != "Big")' "$TMP/big.json"; then
    ok "export-patient writes a patient of $(($(stat -c %s "$TMP/big.json") / 1048576)) MB (over jsonb's 256 MB) whole"
else
    not_ok "export-patient over 256 MB" "rc $rc, $(stat -c %s "$TMP/big.json") bytes" "$(cat "$TMP/cmd.err")"
fi
rm -f "$TMP/big.json"
clinic_sql "DELETE FROM patients WHERE id = $BIG"
# writing errors are said as what they are: a full disk, a reader gone
"$CLINIC" --config "$CFG" export-patient "$ANNA" >/dev/full 2>"$TMP/cmd.err"
rc=$?
gone=$(python3 -c 'import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE)
print(p.returncode, p.stderr.decode().strip())' "$CLINIC" --config "$CFG" export-patient "$ANNA")
"$CLINIC" --config "$CFG" export-patient 99999 >/dev/null 2>"$TMP/cmd.err2"
rc3=$?
if [ $rc -eq 1 ] && grep -q "writing the export: No space left on device" "$TMP/cmd.err" &&
    [ "${gone%% *}" = 1 ] && case $gone in *"writing the export: Broken pipe"*) true ;; *) false ;; esac &&
    [ $rc3 -eq 1 ] && grep -q "no patient 99999" "$TMP/cmd.err2"; then
    ok "export-patient says a full disk, a closed pipe and an unknown patient as what they are (exit 1)"
else
    not_ok "export-patient's errors" "rc $rc: $(cat "$TMP/cmd.err")" "pipe: $gone" "$(cat "$TMP/cmd.err2")"
fi
"$CLINIC" --config "$CFG" delete-patient "$ODD" >"$TMP/cmd.out" 2>&1
check "delete-patient wants --yes" grep -q -- '--yes' "$TMP/cmd.out"
"$CLINIC" --config "$CFG" delete-patient "$ODD" --yes >"$TMP/cmd.out" 2>&1
check "delete-patient ID --yes deletes her" test "$(clinic_sql "SELECT count(*) FROM patients WHERE id = $ODD")" = 0

# plain HTTP to the HTTPS port: libmicrohttpd's bare "received handshake
# message out of context" is said with what it means
curl -s -o /dev/null --max-time 5 "http://127.0.0.1:$WEB_PORT/" 2>/dev/null
clinic_wait 5 'grep -q "TLS handshake failed" "$CT/web.log"'
if grep -q "a client's TLS handshake failed .*plain HTTP sent to the HTTPS port" "$CT/web.log" &&
    ! grep -q '^Error: received handshake' "$CT/web.log"; then
    ok "a failed TLS handshake is logged with what it means"
else
    not_ok "a failed TLS handshake is logged with what it means" "$(grep -i handshake "$CT/web.log" | head -3)"
fi
kill "$WEB_PID" 2>/dev/null
wait "$WEB_PID" 2>/dev/null
check "station-clinic web stops on SIGTERM" grep -q stopping "$CT/web.log"
if grep -q 'Sanitizer' "$CT/web.log"; then
    not_ok "the server's log has no sanitizer report" "$(grep -A5 Sanitizer "$CT/web.log" | head -8)"
else
    ok "the server's log has no sanitizer report"
fi
finish
