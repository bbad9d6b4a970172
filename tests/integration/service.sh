#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The headless service: the unit file (verified, hardening scored), install
# and uninstall, and the program's side of systemd: READY, STATUS, the
# watchdog, STOPPING; SIGHUP reload with a good and a bad file; SIGTERM.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

# --- the unit ----------------------------------------------------------------
if command -v systemd-analyze >/dev/null 2>&1; then
    for unit in station station-kiosk station-upload station-clinic-collect station-clinic-web; do
    sed "s|@BINDIR@|$PWD/build|; s|@DOCDIR@|$PWD/docs|" systemd/$unit.service.in >"$TMP/$unit.service"
    if systemd-analyze verify --man=no "$TMP/$unit.service" >"$TMP/o" 2>&1; then
        ok "systemd-analyze verify: $unit.service is valid"
    else not_ok "systemd-analyze verify $unit.service" "$(cat "$TMP/o")"; fi
    systemd-analyze security --offline=yes "$TMP/$unit.service" >"$TMP/o" 2>&1
    score=$(sed -n "s/.*Overall exposure level for $unit.service: \([0-9.]*\).*/\1/p" "$TMP/o")
    if [ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }'; then
        ok "systemd-analyze security: $unit.service exposure $score (goal <= 2.0)"
    else not_ok "systemd-analyze security: $unit.service exposure '$score' (goal <= 2.0)" "$(tail -3 "$TMP/o")"; fi
    done
    # the station's own service has no network; only its uploader does
    if grep -q '^PrivateNetwork=yes' systemd/station.service.in &&
        ! grep -q '^PrivateNetwork=yes' systemd/station-upload.service.in &&
        grep -q '^User=station$' systemd/station-upload.service.in; then
        ok "station.service has no network; station-upload.service has, as the station's user"
    else not_ok "the network is the uploader's only"; fi
    # it coaches by sound: the sound card is reachable
    if grep -q '^DeviceAllow=char-alsa rw' systemd/station.service.in \
       && grep -q '^SupplementaryGroups=.*audio' systemd/station.service.in; then
        ok "the service can reach the sound card (char-alsa, the audio group)"
    else not_ok "the service cannot reach the sound card"; fi
else
    not_ok "systemd-analyze is not installed (the systemd package brings it)"
fi

# --- make install / uninstall -------------------------------------------------
root="$TMP/root"
if make -s install DESTDIR="$root" PREFIX=/usr >"$TMP/o" 2>&1 \
   && [ -x "$root/usr/bin/station" ] && [ -f "$root/usr/lib/systemd/system/station.service" ] \
   && grep -q '^ExecStart=/usr/bin/station run --headless' "$root/usr/lib/systemd/system/station.service" \
   && [ -f "$root/etc/station/station.cfg" ] && [ -f "$root/usr/lib/udev/rules.d/60-station.rules" ] \
   && [ -f "$root/usr/share/man/man1/station.1" ] && [ -f "$root/usr/share/man/man5/station.cfg.5" ] \
   && [ -f "$root/usr/lib/sysusers.d/station.conf" ] && [ -f "$root/usr/share/station/demo.csv" ] \
   && [ -f "$root/usr/share/station/fonts/DejaVuSans.ttf" ] \
   && [ -f "$root/usr/share/station/phrases.cfg" ] && [ -f "$root/usr/share/station/phrases-de.cfg" ] \
   && grep -q '^ExecStart=/usr/bin/station run --fullscreen' "$root/usr/lib/systemd/system/station-kiosk.service"; then
    ok "make install DESTDIR: binary, configuration, units (service, kiosk), udev rules, sysusers, man pages, assets, phrase files"
else not_ok "make install DESTDIR" "$(tail -3 "$TMP/o")"; fi
echo "# changed by the clinic" >>"$root/etc/station/station.cfg"
make -s install DESTDIR="$root" PREFIX=/usr >"$TMP/o" 2>&1
if grep -q "changed by the clinic" "$root/etc/station/station.cfg" && [ -f "$root/etc/station/station.cfg.dist" ]; then
    ok "make install keeps a configuration the user changed (new default beside it)"
else not_ok "make install keeps a changed configuration"; fi
make -s uninstall DESTDIR="$root" PREFIX=/usr >"$TMP/o" 2>&1
left=$(find "$root" -type f | grep -v '/etc/station/station.cfg$' | wc -l)
if [ "$left" -eq 0 ] && [ -f "$root/etc/station/station.cfg" ]; then
    ok "make uninstall removes everything but the user's configuration"
else not_ok "make uninstall" "left: $(find "$root" -type f)"; fi

# --- the journal: one line per event, a status line a minute ------------------
# 150 s of the demo at 20x: on a terminal a status line a second; under
# systemd (JOURNAL_STREAM set) the events and one summary line a minute.
JOURNAL_STREAM=8:1234 "$STATION" run --headless --sensor replay --trace assets/demo.csv \
    --speed 20 --seconds 150 --mute --no-record >"$TMP/j.out" 2>"$TMP/j.err"; rc=$?
"$STATION" run --headless --sensor replay --trace assets/demo.csv \
    --speed 20 --seconds 150 --mute --no-record >"$TMP/t.out" 2>"$TMP/t.err"
js=$(grep -c ' | ' "$TMP/j.out"); ts=$(grep -c ' | ' "$TMP/t.out")
if [ $rc -eq 0 ] && [ "$js" -ge 2 ] && [ "$js" -le 3 ] && [ "$ts" -ge 140 ] \
   && grep -q 'Step 1 of 6: Child pose' "$TMP/j.out" && grep -q '1 of 1: target reached' "$TMP/j.out"; then
    ok "journal: events one line each and a status line a minute ($js), not a second ($ts on a terminal)"
else not_ok "journal status lines" "rc=$rc journal=$js terminal=$ts"; fi

# --- systemd's protocol, signals, reload --------------------------------------
cp config/station.cfg "$TMP/live.cfg"
if python3 - "$STATION" "$TMP" <<'PY'
import os, signal, socket, subprocess, sys, time, json, glob
station, tmp = sys.argv[1], sys.argv[2]
path = os.path.join(tmp, "notify.sock")
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
sock.settimeout(0.2)
env = dict(os.environ, NOTIFY_SOCKET=path, WATCHDOG_USEC="400000")
cfg = os.path.join(tmp, "live.cfg")
p = subprocess.Popen([station, "run", "--headless", "--sensor", "replay", "--trace",
                      "assets/demo.csv", "--speed", "5", "--config", cfg, "--storage",
                      os.path.join(tmp, "svc")], env=env, stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, text=True)
msgs = []
def collect(secs):
    end = time.time() + secs
    while time.time() < end:
        try:
            msgs.extend(sock.recv(4096).decode().split("\n"))
        except socket.timeout:
            pass
collect(2.0)
assert "READY=1" in msgs, msgs[:5]
assert any(m.startswith("STATUS=sensor REPLAY; Child pose;") and "samples; recording to" in m
           for m in msgs), msgs[:5]
assert msgs.count("WATCHDOG=1") >= 3, msgs.count("WATCHDOG=1")
# reload: a good file, then a bad one
with open(cfg, "w") as f:
    f.write("rocking = { rate_max_hz = 1.4; };\n")
p.send_signal(signal.SIGHUP)
collect(0.8)
assert "RELOADING=1" in msgs
with open(cfg, "w") as f:
    f.write("sensor = { sample_rate_hz = 5000; };\n")
p.send_signal(signal.SIGHUP)
collect(0.8)
t0 = time.time()
p.send_signal(signal.SIGTERM)
out, err = p.communicate(timeout=10)
took = time.time() - t0
collect(0.3)
assert p.returncode == 0, (p.returncode, err[-500:])
assert took < 3, took
assert "STOPPING=1" in msgs
assert "reload: configuration reloaded from" in err, err
assert "sensor.sample_rate_hz: 5000 is out of range" in err, err
assert "has errors: keeping the old configuration" in err, err
assert "Terminated: ending the session" in err, err
s = json.load(open(glob.glob(os.path.join(tmp, "svc", "*", "summary.json"))[0]))
assert s["status"] == "partial", s["status"]  # not every exercise was done
assert s["early_stop"] is False  # the service was stopped, not the person
PY
then ok "service: READY, STATUS, watchdog pings, RELOADING; SIGHUP good and bad file; SIGTERM ends cleanly, summary written"
else not_ok "service protocol and signals"; fi

finish
