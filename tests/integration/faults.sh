#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Faults through the register-level emulator, end to end: what the person
# sees (status lines, messages), what the log and the session record hold
# (gaps with their lengths, never glued data).
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

"$STATION" run --headless --sensor emu --speed 10 --seconds 45 --storage "$TMP/f" --mute \
    --faults disconnect@8+3,stall@18+2,nack@25x2,stuck@30+2,corrupt@38,chip=mpu6500 \
    >"$TMP/o" 2>"$TMP/e"; rc=$?
dir=$(ls -d "$TMP"/f/*/ 2>/dev/null | head -1)

if [ $rc -eq 0 ] && contains "$TMP/e" "sensor answers as MPU-6500 (WHO_AM_I 0x70)"; then
    ok "clone: a sensor answering as MPU-6500 is named in a warning and works"
else not_ok "clone warning" "rc=$rc" "$(head -5 "$TMP/e")"; fi

if [ "$(grep -c 'sensor lost (' "$TMP/e")" -eq 2 ] && [ "$(grep -c 'sensor answers again' "$TMP/e")" -eq 2 ] \
   && grep -q '^\[SENSOR LOST' "$TMP/o" && grep -q 'Sensor lost: check its cable' "$TMP/o"; then
    ok "unplug and a stuck bus: lost (shown and logged), then back by itself, twice"
else not_ok "unplug and stuck bus" "$(grep -i 'lost\|again' "$TMP/e")"; fi

if contains "$TMP/e" "FIFO overflow: samples lost, FIFO reset" && contains "$TMP/e" "FIFO count corrupted"; then
    ok "FIFO overflow and a corrupted FIFO count: reset and reported"
else not_ok "FIFO overflow" "$(cat "$TMP/e")"; fi

if [ -n "$dir" ] && python3 - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
ev = [json.loads(l) for l in open(d + "events.jsonl")]
gaps = [e for e in ev if e["type"] == "sensor_gap"]
lens = [round(g["length_s"], 2) for g in gaps]
# unplugged 3 s (+ up to a second to notice it is back), stalled 2 s,
# stuck 2 s (+ up to a second), the corrupted count a few samples
assert len(gaps) == 4, lens
assert 3.0 <= lens[0] <= 4.3 and 1.9 <= lens[1] <= 2.3 and 2.0 <= lens[2] <= 3.3, lens
assert lens[3] < 0.5, lens
# the trace shows the same gaps, noted where they are, and no glued data
rows, notes = [], []
for line in open(d + "trace.csv"):
    if line.startswith("# gap"):
        notes.append(float(line.split("length_s=")[1].split(":")[0]))
    elif line[0].isdigit():
        rows.append(float(line.split(",")[0]))
assert [round(n, 2) for n in notes] == lens, (notes, lens)
jumps = [round(b - a - 0.01, 2) for a, b in zip(rows, rows[1:]) if b - a > 0.05]
assert all(b > a for a, b in zip(rows, rows[1:]))
for g in lens[:3]:
    assert any(abs(j - g) <= 0.02 for j in jumps), (g, jumps)
# NACKs at 25 s were retried: no gap there
assert not any(24 < g["t"] < 27 for g in gaps)
PY
then ok "the session record holds every gap with its length, in events.jsonl and trace.csv; NACKs retried without a gap"
else not_ok "gaps in the record" "dir=$dir"; fi

if grep -q "sensor: [0-9]* samples read, 2 FIFO overflows, 2 losses" "$TMP/e"; then
    ok "the driver's counts at exit: 2 overflows (stall, corrupted count), 2 losses"
else not_ok "driver counts" "$(grep 'samples read' "$TMP/e")"; fi

"$STATION" run --headless --sensor emu --faults explode@3 --seconds 1 --no-record >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "--faults: 'explode' is not one of"; then
    ok "a bad fault script is a clear error"
else not_ok "bad fault script" "rc=$rc" "$(cat "$TMP/o")"; fi

# A chip that loses power for less than a read comes back asleep with its
# FIFO off: reads succeed, nothing comes. The data-flow watchdog notices,
# re-initialises it, and the record says so; the run ends when asked.
for spec in disconnect@5+0.001 disconnect@5+3,disconnect@6+3 brownout@5; do
    rm -rf "$TMP/w"
    timeout 30 "$STATION" run --headless --sensor emu --speed 4 --seconds 12 --storage "$TMP/w" \
        --mute --faults "$spec" >"$TMP/o" 2>"$TMP/e"; rc=$?
    wdir=$(ls -d "$TMP"/w/*/ 2>/dev/null | head -1)
    if [ $rc -eq 0 ] && [ -n "$wdir" ] && python3 - "$wdir" "$spec" <<'PY'
import json, sys
d, spec = sys.argv[1], sys.argv[2]
ev = [json.loads(l) for l in open(d + "events.jsonl")]
kinds = [e["type"] for e in ev]
gaps = [e["length_s"] for e in ev if e["type"] == "sensor_gap"]
assert len(gaps) == 1, gaps
if spec.startswith("disconnect@5+3"):
    assert 3.9 <= gaps[0] <= 5.3, gaps          # off the bus from 5 to 9 s
elif spec.startswith("brownout"):
    assert "sensor_reset" in kinds, kinds       # answered, sent nothing: reset
    assert 1.0 <= gaps[0] <= 2.0, gaps
else:   # a read may fall in the 1 ms: then it is a loss, retried a second on
    assert "sensor_reset" in kinds or "sensor_lost" in kinds, kinds
    assert 0 < gaps[0] <= 2.5, gaps
rows = [float(l.split(",")[0]) for l in open(d + "trace.csv") if l[0].isdigit()]
assert rows[-1] - rows[0] > 11.5, rows[-1]      # samples flowed again to the end
PY
    then ok "$spec: noticed (a sensor reset or a loss), gap recorded, samples flow again, the run ends"
    else not_ok "$spec" "rc=$rc" "$(grep -v says "$TMP/e" | tail -4)"; fi
done
if grep -q "sensor reset: no samples for 1.0 s while it answers (asleep, PWR_MGMT_1 0x40" "$TMP/e" \
   && grep -q "0 losses, 0 I2C errors, 1 resets" "$TMP/e"; then
    ok "brownout: the log names what was found (asleep) and counts the reset"
else not_ok "brownout log" "$(grep -v says "$TMP/e" | tail -4)"; fi

# systemd's watchdog is fed only while samples flow (or the sensor is known
# lost): a loop that spins with no data stops feeding it, and is restarted.
if python3 - "$STATION" "$TMP" <<'PY'
import os, socket, subprocess, sys, time
station, tmp = sys.argv[1], sys.argv[2]
path = os.path.join(tmp, "wd.sock")
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
sock.settimeout(0.1)
env = dict(os.environ, NOTIFY_SOCKET=path, WATCHDOG_USEC="400000")
p = subprocess.Popen([station, "run", "--headless", "--sensor", "emu", "--speed", "10",
                      "--mute", "--no-record", "--faults", "stall@10+200"], env=env,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
pings = []
end = time.time() + 9
while time.time() < end:
    try:
        if b"WATCHDOG=1" in sock.recv(4096):
            pings.append(time.time())
    except socket.timeout:
        pass
p.terminate()
p.wait(timeout=10)
start = end - 9
early = [t for t in pings if t - start < 1.0]
late = [t for t in pings if t - start > 8.0]
assert len(early) >= 1, pings
assert not late, [round(t - start, 1) for t in pings]
PY
then ok "systemd watchdog: fed while samples flow, not while the loop runs without data"
else not_ok "systemd watchdog gated on data"; fi

# issue 15 (tester): a cable parted for good still ends --seconds on the
# sensor's clock, and the trace ends with the loss, not as a clean recording.
start=$(date +%s)
timeout 30 "$STATION" record --out "$TMP/lost.csv" --seconds 8 --speed 4 --sensor emu:lsm6dso \
    --faults disconnect@1+100 >"$TMP/o" 2>&1; rc=$?
took=$(($(date +%s) - start))
if [ $rc -eq 0 ] && [ $took -le 5 ] && grep -q '^# gap start_s=0\.[0-9]* length_s=7\.[0-9]*: sensor lost until the end$' "$TMP/lost.csv"; then
    ok "record --seconds 8 --speed 4 with the sensor lost from 1 s ends in ${took} s; its trace ends with the loss"
else not_ok "record with the sensor lost to the end" "rc=$rc took=${took}s" "$(tail -3 "$TMP/o")" "$(tail -2 "$TMP/lost.csv")"; fi
start=$(date +%s)
timeout 30 "$STATION" record --out "$TMP/nack.csv" --seconds 8 --speed 4 --sensor emu \
    --faults nack@1x50 >"$TMP/o" 2>&1; rc=$?
took=$(($(date +%s) - start))
if [ $rc -eq 0 ] && [ $took -le 5 ]; then
    ok "record --seconds 8 through 50 NACKs ends on time (${took} s at --speed 4)"
else not_ok "record through 50 NACKs" "rc=$rc took=${took}s" "$(tail -3 "$TMP/o")"; fi
rm -rf "$TMP/rl"
start=$(date +%s)
timeout 30 "$STATION" run --headless --mute --sensor emu:lsm6ds3 --speed 4 --seconds 8 \
    --storage "$TMP/rl" --faults disconnect@1+100 >"$TMP/o" 2>"$TMP/e"; rc=$?
took=$(($(date +%s) - start))
if [ $rc -eq 0 ] && [ $took -le 5 ] && grep -q '^# gap start_s=[0-9.]* length_s=7\.[0-9]*: sensor lost until the end$' "$TMP"/rl/*/trace.csv; then
    ok "run --seconds 8 with the sensor lost from 1 s ends in ${took} s; the session's trace ends with the loss"
else not_ok "run with the sensor lost to the end" "rc=$rc took=${took}s" "$(tail -3 "$TMP/e")" "$(tail -2 "$TMP"/rl/*/trace.csv)"; fi

finish
