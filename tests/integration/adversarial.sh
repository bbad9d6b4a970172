#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
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
assert s["status"] == "partial", s["status"]
PY
then ok "SIGHUP with @include of a directory, then a 10 MB file: both refused with FILE:LINE, old configuration kept, watchdog fed, summary written"
else not_ok "SIGHUP reload of hostile files"; fi

# --- session folders and records ------------------------------------------------
# #4: a storage path too long for the sessions' names is refused up front
long="$TMP/$(printf '%0580d' 0)"
"$STATION" run --headless --sensor emu --speed 20 --seconds 2 --mute --storage "$long" >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "--storage: the path is" && contains "$TMP/o" "at most 512 are allowed" \
   && [ ! -e "$long" ]; then
    ok "--storage of ${#long} characters: refused at start (exit 2), nothing written"
else not_ok "long --storage" "rc=$rc" "$(tail -3 "$TMP/o")"; fi

# #6: a second instance, or --no-record, never marks a live session incomplete
"$STATION" run --headless --sensor emu --speed 1 --seconds 30 --mute --storage "$TMP/live" \
    >/dev/null 2>"$TMP/live.e" &
live=$!
for i in 1 2 3 4 5 6 7 8 9 10; do [ -f "$TMP"/live/*/summary.json ] 2>/dev/null && break; sleep 0.5; done
"$STATION" run --replay tests/traces/settling.csv --storage "$TMP/live" --no-record >"$TMP/o" 2>&1; rc1=$?
"$STATION" run --headless --sensor emu --speed 20 --seconds 2 --mute --storage "$TMP/live" >"$TMP/o2" 2>&1; rc2=$?
kill -TERM $live; wait $live; rc3=$?
n=$(ls -d "$TMP"/live/*/ | wc -l)
if [ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] && [ $rc3 -eq 0 ] && [ "$n" -eq 2 ] \
   && ! contains "$TMP/o" "unfinished session" && ! contains "$TMP/o2" "unfinished session" \
   && ! grep -q incomplete "$TMP"/live/*/summary.json; then
    ok "a live session is locked: --no-record and a second instance leave it alone"
else not_ok "live session lock" "rc=$rc1 $rc2 $rc3 n=$n" "$(grep unfinished "$TMP/o" "$TMP/o2")"; fi

# #5: report never writes through a symlinked report.png; #16: write errors are errors
d=$(ls -d "$TMP"/live/*/ | head -1)
ln -s "$TMP/victim.png" "${d}report.png"
"$STATION" report "$d" >"$TMP/o" 2>&1; rc=$?
"$STATION" report --out /dev/full "$d" >"$TMP/o2" 2>&1; rc2=$?
if [ $rc -eq 1 ] && [ ! -e "$TMP/victim.png" ] && contains "$TMP/o" "is a symbolic link: not written through" \
   && [ $rc2 -eq 1 ] && contains "$TMP/o2" "/dev/full: No space left on device"; then
    ok "report: a symlinked report.png is not followed; --out /dev/full exits 1"
else not_ok "report symlink, /dev/full" "rc=$rc rc2=$rc2" "$(cat "$TMP/o" "$TMP/o2")"; fi

"$STATION" run --headless --sensor emu --speed 20 --seconds 1 --mute --no-record \
    --screenshot "$TMP/no/such/dir/x.png" >"$TMP/o" 2>&1; rc=$?
"$STATION" run --headless --sensor emu --speed 20 --seconds 1 --mute --no-record \
    --screenshot /dev/full >"$TMP/o2" 2>&1; rc2=$?
if [ $rc -eq 1 ] && [ $rc2 -eq 1 ] && contains "$TMP/o2" "/dev/full: No space left on device"; then
    ok "a screenshot that cannot be saved (no folder, or a full disk) exits 1"
else not_ok "failed --screenshot" "rc=$rc rc2=$rc2" "$(tail -2 "$TMP/o" "$TMP/o2")"; fi

# #7: record never overwrites its own input
cp assets/demo.csv "$TMP/in.csv"
sum=$(md5sum <"$TMP/in.csv")
"$STATION" record --sensor replay --speed 0 --trace "$TMP/in.csv" --out "$TMP/in.csv" >"$TMP/o" 2>&1; rc=$?
ln -s "$TMP/in.csv" "$TMP/in-link.csv"
"$STATION" record --sensor emu --speed 20 --seconds 1 --trace "$TMP/in.csv" --out "$TMP/in-link.csv" >"$TMP/o2" 2>&1; rc2=$?
if [ $rc -eq 2 ] && [ $rc2 -eq 2 ] && [ "$(md5sum <"$TMP/in.csv")" = "$sum" ] \
   && contains "$TMP/o" "is the input trace"; then
    ok "record --trace X --out X (or a link to X): refused, exit 2, the input untouched"
else not_ok "record onto its input" "rc=$rc rc2=$rc2" "$(cat "$TMP/o")"; fi

# #8: the first auto-started session starts at the first sample
"$STATION" run --headless --sensor emu --speed 20 --seconds 4 --mute --storage "$TMP/st" >/dev/null 2>&1
if python3 - "$TMP"/st/*/summary.json <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
span = s["ended_s"] - s["started_s"]
assert 3.5 <= span <= 4.5, (s["started_s"], s["ended_s"])
assert 0 <= s["started_s"] < 0.5, s["started_s"]  # from the first sample read
assert sum(st["active_s"] for st in s["steps"]) <= 4.5, [st["active_s"] for st in s["steps"]]
PY
then ok "auto-started session: starts at the first sample, times from it, active_s the session's length"
else not_ok "session start time"; fi

# #9: killed in its first second, a session leaves a trace that reads
bad=0
for delay in 0.15 0.3 0.45 0.6 0.8; do
    rm -rf "$TMP/k9"
    "$STATION" run --headless --sensor emu --speed 1 --mute --storage "$TMP/k9" >/dev/null 2>&1 &
    pid=$!
    sleep $delay
    kill -9 $pid; wait $pid 2>/dev/null
    for t in "$TMP"/k9/*/trace.csv; do
        [ -e "$t" ] || continue
        head -1 "$t" | grep -q '^# station-trace' || bad=$((bad + 1))
    done
done
for delay in 0.1 0.3; do
    rm -f "$TMP/rec9.csv"
    "$STATION" record --sensor emu --out "$TMP/rec9.csv" >/dev/null 2>&1 &
    pid=$!
    sleep $delay
    kill -9 $pid; wait $pid 2>/dev/null
    [ -e "$TMP/rec9.csv" ] && { head -1 "$TMP/rec9.csv" | grep -q '^# station-trace' || bad=$((bad + 1)); }
done
if [ $bad -eq 0 ]; then ok "kill -9 in the first second: every trace.csv (run and record) has its header"
else not_ok "kill -9 early: $bad traces without a header"; fi

# #11: a reader that goes away does not kill the station before its summary
"$STATION" run --headless --sensor emu --speed 20 --seconds 4 --mute --storage "$TMP/pipe" 2>"$TMP/e" | head -1 >/dev/null
if grep -q '"status": "partial"' "$TMP"/pipe/*/summary.json 2>/dev/null && contains "$TMP/e" "session stored in"; then
    ok "stdout closed early (| head -1): no SIGPIPE death, the summary is written"
else not_ok "SIGPIPE" "$(tail -3 "$TMP/e")"; fi

# #10: a disk that is full at the end: the summary on disk and the log agree
mkdir -p "$TMP/full"
small_fs() {
    if [ "$(id -u)" -eq 0 ]; then
        mount -t tmpfs -o size=160k tmpfs "$TMP/full" && "$@"; rc=$?; umount "$TMP/full"; return $rc
    fi
    unshare -rm sh -c 'mount -t tmpfs -o size=160k tmpfs "$0" && shift && "$@"' "$TMP/full" "$@"
}
printf '0.5 start\n' >"$TMP/start.script"
check_full_end() {
    # a replay whose record could not be kept has failed: exit 1
    "$STATION" run --replay assets/demo.csv --script "$TMP/start.script" --storage "$TMP/full" \
        >"$TMP/o" 2>&1
    [ $? -eq 1 ] || return 1
    d=$(ls -d "$TMP"/full/*/ | head -1)
    ! grep -q '"in progress"' "${d}summary.json" || return 1
    grep -q '"status": "incomplete"' "${d}summary.json" || return 1
    python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "${d}summary.json" || return 1
    ! contains "$TMP/o" "session stored in" || return 1
    contains "$TMP/o" "but its record is incomplete: No space left on device"
}
if small_fs check_full_end; then
    ok "full disk at the end: summary.json says incomplete and the log says so, not 'stored'"
else not_ok "full disk at the end" "$(grep -i 'stored\|incomplete\|space' "$TMP/o" | tail -3)"; fi

# --- exit codes and messages (#13, #15, #17, #18) --------------------------------
printf '# station-trace 1\nt_s,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps\n0,0,0,1,0,0,0\n0.01,0,0,1,0,zero,0\n' >"$TMP/bad.csv"
printf '0 start\n1: next\n' >"$TMP/colon.script"
printf '0 start\n1\000 next\n' >"$TMP/nul.script"
expect2() { # DESCRIPTION TEXT COMMAND...: exit 2 and TEXT in the output
    desc=$1 text=$2
    shift 2
    timeout 20 "$@" >"$TMP/o" 2>&1; rc=$?
    if [ $rc -eq 2 ] && contains "$TMP/o" "$text"; then ok "exit 2: $desc"
    else not_ok "exit 2: $desc" "rc=$rc" "$(tail -3 "$TMP/o")"; fi
}
expect2 "run --replay of a bad trace" "bad.csv:4: gy_dps: 'zero' is not a number" \
    "$STATION" run --replay "$TMP/bad.csv" --no-record
expect2 "emu playing a bad trace" "bad.csv:4" \
    "$STATION" run --headless --sensor emu --trace "$TMP/bad.csv" --no-record --seconds 1 --mute
expect2 "record from a bad trace" "bad.csv:4" \
    "$STATION" record --sensor replay --speed 0 --trace "$TMP/bad.csv" --out "$TMP/r.csv"
expect2 "analyze of a bad trace" "bad.csv:4" "$STATION" analyze "$TMP/bad.csv"
expect2 "a directory as a trace is named so" "is a directory, not a trace file" "$STATION" analyze "$TMP"
expect2 "an empty fault script" "--faults: empty" \
    "$STATION" run --headless --sensor emu --faults , --no-record --seconds 1 --mute
expect2 "a fault at an infinite time" "is not of the form" \
    "$STATION" run --headless --sensor emu --faults disconnect@1e400+1 --no-record --seconds 1 --mute
expect2 "a bad fault script (run)" "--faults: 'explode' is not one of" \
    "$STATION" run --headless --sensor emu --faults explode@3 --no-record --seconds 1 --mute
expect2 "a bad fault script (record)" "--faults: 'explode' is not one of" \
    "$STATION" record --sensor emu --faults explode@3 --out "$TMP/r.csv" --seconds 1
expect2 "--faults with a sensor other than emu" "only the emulator takes a fault script" \
    "$STATION" run --headless --sensor replay --trace assets/demo.csv --faults nack@1x1 --no-record --seconds 1 --mute
expect2 "a fault script over 511 characters is refused, not cut" "at most 511 are allowed" \
    "$STATION" run --headless --sensor emu --faults "$(printf 'nack@1x1,%.0s' $(seq 80))nack@1x1" --no-record --seconds 1 --mute
expect2 "'1:' in a script is not a time" "colon.script:2: '1:' is not a time" \
    "$STATION" run --replay assets/demo.csv --script "$TMP/colon.script" --no-record
expect2 "a NUL byte in a script" "nul.script:2: a NUL byte" \
    "$STATION" run --replay assets/demo.csv --script "$TMP/nul.script" --no-record
expect2 "--stage 1.5" "--stage: '1.5' is not 1 or 2" "$STATION" run --stage 1.5 --replay assets/demo.csv --no-record

# #13: --script /dev/zero is refused at once (it spun for minutes, deaf to SIGTERM)
start=$(date +%s)
expect2 "--script /dev/zero, at once" "not a regular file" \
    "$STATION" run --replay assets/demo.csv --script /dev/zero --no-record
[ $(( $(date +%s) - start )) -le 3 ] || not_ok "--script /dev/zero took $(( $(date +%s) - start )) s"

# #13: SIGTERM ends a setup that takes long (the emulator loading a big trace):
# seconds at most (it was minutes), with room for a loaded machine and ASan
python3 -c "
import sys
with open(sys.argv[1], 'w') as f:
    f.write('# station-trace 1\n# sample_rate_hz=100\nt_s,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps\n')
    for i in range(400000):
        f.write('%.2f,0,0,1,0,0,0\n' % (i / 100))
" "$TMP/long.csv"
"$STATION" run --headless --sensor emu --trace "$TMP/long.csv" --no-record --mute >/dev/null 2>&1 &
pid=$!
sleep 0.2
t0=$(date +%s%N)
{ kill -TERM $pid; wait $pid; } 2>/dev/null; rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
if [ $ms -lt 8000 ]; then ok "SIGTERM during setup ends the station in ${ms} ms (rc $rc)"
else not_ok "SIGTERM during setup took ${ms} ms"; fi

# #15: the emulator at its documented maximum speed delivers every sample
timeout 20 "$STATION" run --headless --sensor emu --speed 1000 --seconds 60 --no-record --mute >"$TMP/o" 2>&1; rc=$?
n=$(sed -n 's/.*sensor: \([0-9]*\) samples read, 0 FIFO overflows.*/\1/p' "$TMP/o")
if [ $rc -eq 0 ] && [ "${n:-0}" -ge 5900 ]; then ok "--speed 1000: 60 s of samples ($n), no overflow, --seconds reached"
else not_ok "--speed 1000" "rc=$rc" "$(grep 'samples read' "$TMP/o")"; fi

# --- time jumps (#12) ---------------------------------------------------------------
python3 - "$TMP" <<'PY'
import sys
tmp = sys.argv[1]
def trace(name, parts):
    with open(tmp + "/" + name, "w") as f:
        f.write("# station-trace 1\n# sample_rate_hz=100\nt_s,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps\n")
        for t0, n in parts:
            for i in range(n):
                f.write("%r,0,0,1,0,0,0\n" % (t0 + i / 100))
trace("jump.csv", [(0, 2000), (1e6, 2000)])
trace("span.csv", [(0, 500), (1e9, 500)])
trace("huge.csv", [(0, 500), (1e308, 1)])
PY
printf '0 start\n' >"$TMP/start0.script"
start=$(date +%s)
"$STATION" run --replay "$TMP/jump.csv" --script "$TMP/start0.script" --storage "$TMP/j" >"$TMP/o" 2>"$TMP/e"; rc=$?
took=$(( $(date +%s) - start ))
lines=$(wc -l <"$TMP/o")
if [ $rc -eq 0 ] && [ $took -le 3 ] && [ "$lines" -lt 100 ] && contains "$TMP/e" "gap of 999980.00 s in the trace" \
   && grep -q '"type": "sensor_gap", "length_s": 999980.000' "$TMP"/j/*/events.jsonl; then
    ok "a +1e6 s jump in a replayed trace: one gap, noted; $lines status lines, ${took} s"
else not_ok "time jump in a replay" "rc=$rc took=$took lines=$lines" "$(tail -2 "$TMP/e")"; fi

d=$(ls -d "$TMP"/j/*/)
cp "$TMP/span.csv" "${d}trace.csv"
start=$(date +%s)
"$STATION" report --out "$TMP/span.png" "$d" >"$TMP/o" 2>&1; rc=$?
took=$(( $(date +%s) - start ))
cp "$TMP/huge.csv" "${d}trace.csv"
"$STATION" report --out "$TMP/huge.png" "$d" >"$TMP/o2" 2>&1; rc2=$?
if [ $rc -eq 0 ] && [ $took -le 5 ] && [ -s "$TMP/span.png" ] && [ $rc2 -eq 0 ] && [ -s "$TMP/huge.png" ]; then
    ok "report on traces spanning 1e9 s (${took} s) and 1e308 s: drawn, a dozen axis labels at most"
else not_ok "report on huge spans" "rc=$rc took=$took rc2=$rc2" "$(tail -2 "$TMP/o" "$TMP/o2")"; fi

# --- garbage in, no garbage out (#19) ---------------------------------------------------
printf '{"status": 5, "stage": "x", "steps": [{"name": "a\\u001b[31mred", "kind": "rocking", "rate_hz": "x", "cycles": 1e300},\n {"kind": "hold", "reps_done": null, "target_reps": -1e308, "holds_s": ["a", 1]}]}\n' >"${d}summary.json"
cp "$TMP/span.csv" "${d}trace.csv"
"$STATION" report --out "$TMP/g.png" "$d" >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && ! grep -q -- '-2147483648\|(null)\|nan' "$TMP/o" && ! grep -q "$(printf '\033')" "$TMP/o" \
   && contains "$TMP/o" "a?[31mred: ? s rocking, ? cycles at ?/s (?, ?, ?)" && contains "$TMP/o" "?: ? of ? (?, 1.0 s)"; then
    ok "report on a summary with missing, mistyped and huge fields: '?', no garbage, no control characters"
else not_ok "report on a bad summary" "rc=$rc" "$(cat -v "$TMP/o")"; fi

printf 'phrases = { hold_start = "Ho\377ld."; };\n' >"$TMP/utf.cfg"
printf 'phrases = { hold_start = "Ho\\x1b[31mld."; };\n' >"$TMP/ctl.cfg"
# the same through libconfig's escapes: a stray byte and a C1 control
printf 'phrases = { hold_start = "\\xff\\xfe";\n paused = "\\xc2\\x9b2J"; };\n' >"$TMP/esc.cfg"
"$STATION" check-config --phrases "$TMP/utf.cfg" >"$TMP/o" 2>&1; rc=$?
"$STATION" check-config --phrases "$TMP/ctl.cfg" >"$TMP/o2" 2>&1; rc2=$?
"$STATION" check-config --phrases "$TMP/esc.cfg" >"$TMP/o3" 2>&1; rc3=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "utf.cfg:1: byte 0xff is not UTF-8" \
   && [ $rc2 -eq 2 ] && contains "$TMP/o2" "ctl.cfg:1: phrases.hold_start: a control character" \
   && [ $rc3 -eq 2 ] && contains "$TMP/o3" "esc.cfg:1: phrases.hold_start: a control character" \
   && contains "$TMP/o3" "esc.cfg:2: phrases.paused: a control character"; then
    ok "check-config --phrases: invalid UTF-8 and control characters are refused with FILE:LINE"
else not_ok "phrases: UTF-8, control characters" "rc=$rc rc2=$rc2" "$(cat "$TMP/o" "$TMP/o2")"; fi

bad="$TMP/$(printf 'caf\351.csv')"
cp assets/demo.csv "$bad"
"$STATION" analyze --json "$bad" >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]' "$TMP/o"; then
    ok "analyze --json on a file name that is not UTF-8: valid JSON (U+FFFD)"
else not_ok "analyze --json, non-UTF-8 name" "rc=$rc"; fi

# --- installation (#20) -----------------------------------------------------------
mkdir -p "$TMP/stubs"
for tool in systemd-sysusers udevadm; do
    printf '#!/bin/sh\necho "%s $*" >>"%s/postinst.log"\n' "$tool" "$TMP" >"$TMP/stubs/$tool"
    chmod +x "$TMP/stubs/$tool"
done
PATH="$TMP/stubs:$PATH" make -s install DESTDIR="$TMP/inst" PREFIX=/usr POSTINST=yes >"$TMP/o" 2>&1
make -s install DESTDIR="$TMP/inst2" PREFIX=/usr >/dev/null 2>&1
if grep -q "^systemd-sysusers $TMP/inst/usr/lib/sysusers.d/station.conf" "$TMP/postinst.log" \
   && grep -q "^udevadm control --reload" "$TMP/postinst.log" \
   && grep -q '^g gpio -' "$TMP/inst/usr/lib/sysusers.d/station.conf" \
   && grep -q '^g i2c -' "$TMP/inst/usr/lib/sysusers.d/station.conf" \
   && [ "$(grep -c . "$TMP/postinst.log")" -eq 3 ]; then
    ok "make install into the system runs systemd-sysusers (the i2c and gpio groups) and reloads udev; not into a DESTDIR"
else not_ok "make install: sysusers, udev" "$(cat "$TMP/postinst.log" "$TMP/o")"; fi

case $STATION in /*) abs=$STATION ;; *) abs=$PWD/$STATION ;; esac
(cd "$TMP" && STATION_CONFIG= "$abs" run --headless --sensor emu --speed 20 --seconds 2 --no-record --mute) >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && ! contains "$TMP/o" "demo.csv: cannot open" && grep -q "samples read" "$TMP/o"; then
    ok "the station built in the tree, run from another directory, finds its assets beside itself"
else not_ok "assets from another directory" "rc=$rc" "$(grep -i cannot "$TMP/o")"; fi

# --- more messages and exit codes (#16, #18) ----------------------------------------
"$STATION" analyze assets/demo.csv >/dev/full 2>"$TMP/e"; rc=$?
if [ $rc -eq 1 ] && contains "$TMP/e" "writing the output: No space left on device"; then
    ok "analyze > /dev/full exits 1 and says so"
else not_ok "analyze > /dev/full" "rc=$rc" "$(cat "$TMP/e")"; fi
printf 'sensor = { i2c_bus = 99999999999999999999; };\n' >"$TMP/big.cfg"
printf 'sensor = { i2c_bus = 4294967297; };\n' >"$TMP/wrap.cfg"
expect2 "a number past 64 bits is named, not called -1" "big.cfg:1: 99999999999999999999: too large a whole number" \
    "$STATION" check-config "$TMP/big.cfg"
expect2 "a number past 32 bits is refused, not wrapped to 1 by libconfig" "wrap.cfg:1: 4294967297: too large" \
    "$STATION" check-config "$TMP/wrap.cfg"
printf '# station-trace 1\nt_s,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps\n0,0,0,1,0,0,0\n0.01,0,0\000,1,0,0,0\n' >"$TMP/nul.csv"
expect2 "a NUL byte in a trace is named" "nul.csv:4: a NUL byte" "$STATION" analyze "$TMP/nul.csv"
printf '\357\273\277sensor = { i2c_bus = 1; };\n' >"$TMP/bom.cfg"
expect2 "a byte-order mark is named" "bom.cfg:1: starts with a byte-order mark" "$STATION" check-config "$TMP/bom.cfg"

# #16: report on a full disk: exit 1, and no half-written picture left behind
d=$(ls -d "$TMP"/j/*/)
check_report_full() {
    dd if=/dev/zero of="$TMP/full/fill" bs=1k count=1000 2>/dev/null
    "$STATION" report --out "$TMP/full/r.png" "$d" >"$TMP/o" 2>&1
    [ $? -eq 1 ] && [ ! -e "$TMP/full/r.png" ] && contains "$TMP/o" "r.png: No space left on device"
}
if small_fs check_report_full; then ok "report --out on a full disk: exit 1, no 0-byte picture left"
else not_ok "report on a full disk" "$(tail -2 "$TMP/o")"; fi

finish
