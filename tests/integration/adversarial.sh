#!/bin/sh
# The adversarial cases of issue 14, one at a time: hostile configurations
# and reloads, session folders (collisions, symlinks, long paths, a second
# instance), records that must not destroy their input, exit codes, time
# jumps. Each case failed before its fix.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

# --- configurations and SIGHUP reloads ------------------------------------------
mkdir "$TMP/somedir"
printf '# a clinic file\n@include "%s"\n' "$TMP/somedir" >"$TMP/incdir.cfg"
"$STATION" check-config "$TMP/incdir.cfg" >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "$TMP/incdir.cfg:2: @include \"$TMP/somedir\": is a directory" \
   && ! contains "$TMP/o" "flex scanner"; then
    ok "check-config: @include of a directory is FILE:LINE and exit 2, not libconfig's scanner dying"
else not_ok "check-config @include directory" "rc=$rc" "$(cat "$TMP/o")"; fi

python3 -c "
import sys
with open(sys.argv[1], 'w') as f:
    for i in range(120000):
        f.write('# %s\n' % ('x' * 80))
" "$TMP/huge.cfg"
start=$(date +%s)
"$STATION" check-config "$TMP/huge.cfg" >"$TMP/o" 2>&1; rc=$?
took=$(( $(date +%s) - start ))
if [ $rc -eq 2 ] && [ $took -le 2 ] && contains "$TMP/o" "too large" && contains "$TMP/o" "at most 65536 bytes"; then
    ok "check-config: a 10 MB configuration is refused at once (${took} s) with the limit named"
else not_ok "huge configuration" "rc=$rc took=$took" "$(cat "$TMP/o")"; fi

cp config/station.cfg "$TMP/live.cfg"
if python3 - "$STATION" "$TMP" <<'PY'
import glob, json, os, signal, socket, subprocess, sys, time, shutil
station, tmp = sys.argv[1], sys.argv[2]
path = os.path.join(tmp, "notify.sock")
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
sock.settimeout(0.1)
env = dict(os.environ, NOTIFY_SOCKET=path, WATCHDOG_USEC="1000000")
cfg = os.path.join(tmp, "live.cfg")
p = subprocess.Popen([station, "run", "--headless", "--sensor", "emu", "--speed", "5",
                      "--mute", "--config", cfg, "--storage", os.path.join(tmp, "rl")],
                     env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
msgs = []
def collect(secs):
    end = time.time() + secs
    while time.time() < end:
        try:
            msgs.extend((time.time(), m) for m in sock.recv(4096).decode().split("\n"))
        except socket.timeout:
            pass
collect(1.5)
with open(cfg, "a") as f:
    f.write('@include "%s"\n' % os.path.join(tmp, "somedir"))
p.send_signal(signal.SIGHUP)
collect(1.0)
assert p.poll() is None, ("died on reload", p.returncode)
shutil.copy(os.path.join(tmp, "huge.cfg"), cfg)
t0 = time.time()
p.send_signal(signal.SIGHUP)
collect(2.0)
assert p.poll() is None, ("died on reload", p.returncode)
pings = [t for t, m in msgs if m == "WATCHDOG=1" and t > t0]
gaps = [b - a for a, b in zip([t0] + pings, pings)]
assert pings and max(gaps) < 1.0, gaps           # the watchdog kept being fed
p.send_signal(signal.SIGTERM)
out, err = p.communicate(timeout=10)
assert p.returncode == 0, (p.returncode, err[-400:])
assert "flex scanner" not in err, err
line = sum(1 for _ in open("config/station.cfg")) + 1
assert '%s:%d: @include "%s": is a directory' % (cfg, line, os.path.join(tmp, "somedir")) in err, err
assert "too large" in err, err
assert err.count("has errors: keeping the old configuration") == 2, err
s = json.load(open(glob.glob(os.path.join(tmp, "rl", "*", "summary.json"))[0]))
assert s["status"] == "stopped", s["status"]
PY
then ok "SIGHUP with @include of a directory, then a 10 MB file: both refused with FILE:LINE, old configuration kept, watchdog fed, summary written"
else not_ok "SIGHUP reload of hostile files"; fi

finish
