#!/bin/sh
# The headless service: the unit file (verified, hardening scored), install
# and uninstall, and the program's side of systemd: READY, STATUS, the
# watchdog, STOPPING; SIGHUP reload with a good and a bad file; SIGTERM.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

# --- the unit ----------------------------------------------------------------
if command -v systemd-analyze >/dev/null 2>&1; then
    sed "s|@BINDIR@|$PWD/build|" systemd/station.service.in >"$TMP/station.service"
    if systemd-analyze verify --man=no "$TMP/station.service" >"$TMP/o" 2>&1; then
        ok "systemd-analyze verify: the unit is valid"
    else not_ok "systemd-analyze verify" "$(cat "$TMP/o")"; fi
    systemd-analyze security --offline=yes "$TMP/station.service" >"$TMP/o" 2>&1
    score=$(sed -n 's/.*Overall exposure level for station.service: \([0-9.]*\).*/\1/p' "$TMP/o")
    if [ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }'; then
        ok "systemd-analyze security: exposure $score (goal <= 2.0)"
    else not_ok "systemd-analyze security: exposure '$score' (goal <= 2.0)" "$(tail -3 "$TMP/o")"; fi
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
   && [ -f "$root/usr/share/station/fonts/DejaVuSans.ttf" ]; then
    ok "make install DESTDIR: binary, configuration, unit, udev rules, sysusers, man pages, assets"
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
