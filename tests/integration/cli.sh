#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The station's command line contracts: check-config, record, analyze,
# simulate, run; exit codes and the messages a person reads.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

# --- check-config ---------------------------------------------------------
"$STATION" check-config config/station.cfg >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && contains "$TMP/o" "config/station.cfg: ok"; then ok "check-config: shipped file is ok"
else not_ok "check-config: shipped file is ok" "rc=$rc" "$(cat "$TMP/o")"; fi

printf '# test\nsensor = {\n  sample_rate_hz = 3000;\n  adress = 0x68;\n};\nbuttons = { debounce_ms = "x"; };\n' >"$TMP/bad.cfg"
"$STATION" check-config "$TMP/bad.cfg" >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "$TMP/bad.cfg:3: sensor.sample_rate_hz: 3000 is out of range 10..1000" \
   && contains "$TMP/o" "$TMP/bad.cfg:4: sensor.adress: unknown key (did you mean sensor.address?)" \
   && contains "$TMP/o" "$TMP/bad.cfg:6: buttons.debounce_ms: expected a whole number (1..500)"; then
    ok "check-config: every error with file, line, key and what is allowed; exit 2"
else not_ok "check-config: every error with file, line, key and what is allowed; exit 2" "rc=$rc" "$(cat "$TMP/o")"; fi

"$STATION" check-config config/station.cfg "$TMP/bad.cfg" >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "config/station.cfg: ok"; then ok "check-config: several files, exit 2 if any is bad"
else not_ok "check-config: several files, exit 2 if any is bad" "rc=$rc"; fi

"$STATION" run --config "$TMP/bad.cfg" --seconds 1 >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "sensor.sample_rate_hz: 3000 is out of range" \
   && contains "$TMP/o" "configuration has errors; not starting"; then ok "run: refuses a bad configuration with the same message, exit 2"
else not_ok "run: refuses a bad configuration with the same message, exit 2" "rc=$rc" "$(cat "$TMP/o")"; fi

"$STATION" check-config /nonexistent.cfg >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "/nonexistent.cfg: cannot open"; then ok "check-config: missing file"
else not_ok "check-config: missing file" "rc=$rc"; fi

# --- simulate ---------------------------------------------------------------
"$STATION" simulate --scenario rocking --seed 5 --rate 100 --out "$TMP/rock.csv" 2>"$TMP/o"; rc=$?
if [ $rc -eq 0 ] && [ "$(head -1 "$TMP/rock.csv")" = "# station-trace 1" ] \
   && [ "$(head -1 "$TMP/rock.truth.csv")" = "start_s,end_s,kind,rate_hz,count" ] \
   && grep -q ',rocking,' "$TMP/rock.truth.csv"; then ok "simulate: trace and truth file"
else not_ok "simulate: trace and truth file" "rc=$rc"; fi

"$STATION" simulate --scenario nap --out "$TMP/x.csv" >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "no scenario 'nap'"; then ok "simulate: unknown scenario"
else not_ok "simulate: unknown scenario" "rc=$rc"; fi

# --- analyze ---------------------------------------------------------------
"$STATION" analyze --json "$TMP/rock.csv" >"$TMP/a.json" 2>"$TMP/o"; rc=$?
if [ $rc -eq 0 ] && python3 - "$TMP/a.json" "$TMP/rock.truth.csv" <<'PY'
import json, sys, csv
d = json.loads(open(sys.argv[1]).read())
truth = [r for r in csv.DictReader(open(sys.argv[2])) if r["kind"] == "rocking"][0]
assert d["trace"].endswith("rock.csv")
for k in ("duration_s", "rocking", "holds", "bounces"):
    assert k in d, k
r = d["rocking"][0]
for k in ("start_s", "end_s", "cycles", "rate_hz", "rhythm_cv", "swing_deg"):
    assert k in r, k
assert abs(r["rate_hz"] - float(truth["rate_hz"])) < 0.01, (r["rate_hz"], truth["rate_hz"])
assert abs(r["cycles"] - int(truth["count"])) <= 1
PY
then ok "analyze --json: the contract's fields, rate and cycles against the truth"
else not_ok "analyze --json: the contract's fields, rate and cycles against the truth" "rc=$rc" "$(cat "$TMP/a.json")"; fi

"$STATION" analyze --json "$TMP/rock.csv" "$TMP/rock.csv" >"$TMP/two.json"; rc=$?
if [ $rc -eq 0 ] && [ "$(wc -l <"$TMP/two.json")" -eq 2 ] && python3 -c '
import json, sys
for line in open(sys.argv[1]): json.loads(line)' "$TMP/two.json"; then ok "analyze --json: one object per trace, one per line"
else not_ok "analyze --json: one object per trace, one per line" "rc=$rc"; fi

"$STATION" analyze "$TMP/rock.csv" >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && contains "$TMP/o" "knees rocking" && contains "$TMP/o" "rate/s"; then ok "analyze: readable table"
else not_ok "analyze: readable table" "rc=$rc"; fi

printf '# station-trace 1\nt_s,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps\n0,0,0,1,0,0,0\n0.01,0,0,1,0,zero,0\n' >"$TMP/bad.csv"
"$STATION" analyze "$TMP/bad.csv" >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "$TMP/bad.csv:4: gy_dps: 'zero' is not a number"; then ok "analyze: a bad row is named by file and line"
else not_ok "analyze: a bad row is named by file and line" "rc=$rc" "$(cat "$TMP/o")"; fi

"$STATION" analyze /nonexistent.csv >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "/nonexistent.csv: cannot open"; then ok "analyze: missing file"
else not_ok "analyze: missing file" "rc=$rc"; fi

# --- record ----------------------------------------------------------------
"$STATION" record --sensor replay --trace assets/demo.csv --speed 0 --seconds 20 --out "$TMP/r.csv" 2>"$TMP/o"; rc=$?
rows=$(grep -vc '^#\|^t_s' "$TMP/r.csv")
if [ $rc -eq 0 ] && [ "$rows" -ge 1940 ] && [ "$rows" -le 2000 ] && "$STATION" analyze "$TMP/r.csv" >/dev/null; then
    ok "record: 20 s of a replay, $rows rows, a valid trace"
else not_ok "record: 20 s of a replay" "rc=$rc rows=$rows" "$(cat "$TMP/o")"; fi

"$STATION" record --sensor emu --trace assets/demo.csv --seconds 1.5 --out "$TMP/e.csv" 2>"$TMP/o"; rc=$?
if [ $rc -eq 0 ] && python3 - "$TMP/e.csv" <<'PY'
import sys
rows = [l.split(",") for l in open(sys.argv[1]) if not l.startswith(("#", "t_s"))]
t = [float(r[0]) for r in rows]
assert 120 <= len(t) <= 151, len(t)
d = [b - a for a, b in zip(t, t[1:])]
assert all(abs(x - 0.01) < 0.002 for x in d), (min(d), max(d))
assert "# sample_rate_hz=100" in open(sys.argv[1]).read()
PY
then ok "record: the emulated MPU-6050 in real time, 100 Hz sample clock"
else not_ok "record: the emulated MPU-6050 in real time" "rc=$rc" "$(cat "$TMP/o")"; fi

"$STATION" record --sensor emu --trace assets/demo.csv --out "$TMP/t.csv" 2>"$TMP/o" &
pid=$!
sleep 2.5
kill -TERM $pid
wait $pid; rc=$?
rows=$(grep -vc '^#\|^t_s' "$TMP/t.csv")
if [ $rc -eq 0 ] && [ "$rows" -ge 200 ] && "$STATION" analyze --json "$TMP/t.csv" | grep -q '"truncated": false'; then
    ok "record: SIGTERM ends it cleanly with every row ($rows)"
else not_ok "record: SIGTERM ends it cleanly" "rc=$rc rows=$rows" "$(cat "$TMP/o")"; fi

"$STATION" record --sensor emu --trace assets/demo.csv --out "$TMP/k.csv" 2>"$TMP/o" &
pid=$!
sleep 3.3
kill -KILL $pid
wait $pid 2>/dev/null
rows=$(grep -vc '^#\|^t_s' "$TMP/k.csv")
# 3.3 s minus the chip's start-up: at most the last second may be lost
if [ "$rows" -ge 200 ] && "$STATION" analyze "$TMP/k.csv" >/dev/null 2>&1; then
    ok "record: after kill -9 the file parses and holds all but the last second ($rows rows)"
else not_ok "record: after kill -9" "rows=$rows"; fi

if [ -w /dev/full ]; then
    "$STATION" record --sensor replay --trace assets/demo.csv --speed 0 --seconds 60 --out /dev/full >"$TMP/o" 2>&1; rc=$?
    if [ $rc -eq 1 ] && contains "$TMP/o" "No space left on device" && contains "$TMP/o" "recording stopped"; then
        ok "record: a full disk is a clear error"
    else not_ok "record: a full disk is a clear error" "rc=$rc" "$(cat "$TMP/o")"; fi
else
    not_ok "record: a full disk is a clear error" "/dev/full is not available"
fi

"$STATION" record --out "$TMP/x.csv" --sensor usb >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "--sensor: 'usb' is not one of auto, replay, emu, emu:CHIP or a chip (mpu6050, "; then ok "record: bad option value"
else not_ok "record: bad option value" "rc=$rc"; fi

"$STATION" record --sensor mpu6050 --config config/station.cfg --seconds 1 --out "$TMP/x.csv" >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 1 ] && contains "$TMP/o" "/dev/i2c-1"; then ok "record: no real sensor here is a clear error naming the bus"
else
    # on a machine with a sensor wired this would record instead
    if [ -e /dev/i2c-1 ]; then ok "record: real sensor bus present (skipping the no-sensor message)"; else not_ok "record: no real sensor" "rc=$rc" "$(cat "$TMP/o")"; fi
fi

# --- run ---------------------------------------------------------------------
printf '0.2 start\n1 next\n' >"$TMP/rock.script"
"$STATION" run --replay "$TMP/rock.csv" --script "$TMP/rock.script" --storage "$TMP/sessions" >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && contains "$TMP/o" "[REPLAY" && contains "$TMP/o" "Step 2 of 6: Knees rocking" \
   && grep -q 'Knees rocking 2/6 | [0-9.]*/s on target' "$TMP/o" && grep -q 'cycles in [0-9]* s at' "$TMP/o" \
   && [ -s "$(ls -d "$TMP"/sessions/*/ | head -1)summary.json" ]; then
    ok "run --replay --script: session events and status lines, labelled REPLAY, a stored session"
else not_ok "run --replay --script" "rc=$rc" "$(tail -5 "$TMP/o")"; fi

printf '0.2 start\n1 jump\n' >"$TMP/bad.script"
"$STATION" run --replay "$TMP/rock.csv" --script "$TMP/bad.script" --no-record >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "$TMP/bad.script:2: 'jump' is not one of start, next, back, stop"; then
    ok "run: a bad button script is named by file and line"
else not_ok "run: a bad button script" "rc=$rc" "$(cat "$TMP/o")"; fi

timeout 10 "$STATION" run --speed 50 --seconds 20 --storage "$TMP/demo" >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && contains "$TMP/o" "showing the DEMO recording" && contains "$TMP/o" "[DEMO"; then
    ok "run: no sensor answers, so the labelled demo plays"
else not_ok "run: demo fallback" "rc=$rc" "$(head -3 "$TMP/o")"; fi
if grep -q '"mode": "demo"' "$TMP"/demo/*/summary.json 2>/dev/null \
   && grep -q '"type": "session_started".*"mode": "demo"' "$TMP"/demo/*/events.jsonl; then
    ok "run: a demo session kept with --storage says DEMO in summary.json and events.jsonl"
else not_ok "run: demo session marked" "$(ls "$TMP"/demo)"; fi
printf 'storage = { directory = "%s"; };\n' "$TMP/default" >"$TMP/default.cfg"
timeout 10 "$STATION" run --config "$TMP/default.cfg" --speed 50 --seconds 20 >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && [ -z "$(ls -A "$TMP/default" 2>/dev/null)" ] \
   && contains "$TMP/o" "this DEMO session is not recorded: demo sessions are recorded only with --storage DIR" \
   && ! contains "$TMP/o" "name a folder with --storage"; then
    ok "run: the demo goes into no one's history unless --storage names a folder"
else not_ok "run: demo not recorded by default" "rc=$rc" "$(ls -A "$TMP/default")"; fi

# issue 15 (tester): options that contradict each other are refused, and
# what record plays and counted is said
"$STATION" record --out "$TMP/c1.csv" --seconds 1 --sensor emu:lsm6dso --faults chip=mpu6050 >"$TMP/o" 2>&1; rc=$?
"$STATION" record --out "$TMP/c2.csv" --seconds 1 --sensor auto --trace assets/demo.csv >"$TMP/o2" 2>&1; rc2=$?
"$STATION" run --headless --no-record --seconds 1 --sensor lsm6dso --trace assets/demo.csv >"$TMP/o3" 2>&1; rc3=$?
if [ $rc -eq 2 ] && [ $rc2 -eq 2 ] && [ $rc3 -eq 2 ] && [ ! -e "$TMP/c1.csv" ] \
   && contains "$TMP/o" "--faults chip=mpu6050 and --sensor emu:lsm6dso name two different chips" \
   && contains "$TMP/o2" "--trace assets/demo.csv: only --sensor emu and --sensor replay play a trace, not --sensor auto" \
   && contains "$TMP/o3" "not --sensor lsm6dso"; then
    ok "two chips named differently, or --trace with a real sensor or auto: refused, exit 2"
else not_ok "conflicting source options" "rc=$rc rc2=$rc2 rc3=$rc3" "$(cat "$TMP/o" "$TMP/o2" "$TMP/o3")"; fi

printf 'sensor = {\n  chip = "mpu6050";\n};\n' >"$TMP/mpu.cfg"
cp assets/demo.csv "$TMP/hi.csv"
"$STATION" record --config "$TMP/mpu.cfg" --out "$TMP/c3.csv" --seconds 1 --speed 5 \
    --sensor emu:lsm6ds3 --trace "$TMP/hi.csv" >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] \
   && contains "$TMP/o" 'emulating the LSM6DS3 (--sensor emu:lsm6ds3); sensor.chip = "mpu6050" in the configuration is for a real sensor and not used here' \
   && contains "$TMP/o" "recording samples from emulated LSM6DS3 playing $TMP/hi.csv to" \
   && ! contains "$TMP/o" "DEMO" \
   && grep -q "^station: sensor: [1-9][0-9]* samples read, 0 FIFO overflows, 0 losses, 0 I2C errors, 0 resets$" "$TMP/o"; then
    ok "record: the emulator over sensor.chip is logged, its trace is named (not DEMO), the sensor's counts printed"
else not_ok "record: what is emulated and counted" "rc=$rc" "$(cat "$TMP/o")"; fi

"$STATION" record --help >"$TMP/o"
if contains "$TMP/o" "emu: X times real time (0 is taken as 1)" && contains "$TMP/o" "--seconds N       stop after N seconds of the sensor's clock"; then
    ok "record --help: what --speed 0 does with emu, and what --seconds counts"
else not_ok "record --help" "$(cat "$TMP/o")"; fi

# issue 15 (tester): record writes a new file, never through a symbolic link
echo "keep me" >"$TMP/target.txt"
ln -s "$TMP/target.txt" "$TMP/link.csv"
"$STATION" record --out "$TMP/link.csv" --seconds 0.2 --sensor replay --speed 0 >"$TMP/o" 2>&1; rc=$?
"$STATION" record --out "$TMP/link.csv" --force --seconds 0.2 --sensor replay --speed 0 >"$TMP/o2" 2>&1; rc2=$?
"$STATION" record --out "$TMP/target.txt" --seconds 0.2 --sensor replay --speed 0 >"$TMP/o3" 2>&1; rc3=$?
if [ $rc -eq 2 ] && [ $rc2 -eq 2 ] && [ $rc3 -eq 2 ] && [ "$(cat "$TMP/target.txt")" = "keep me" ] \
   && contains "$TMP/o" "link.csv is a symbolic link: record does not write through one" \
   && contains "$TMP/o2" "is a symbolic link" \
   && contains "$TMP/o3" "target.txt exists; name a new file, or add --force to replace it"; then
    ok "record --out: a symbolic link is not followed (not even with --force), an existing file not replaced"
else not_ok "record --out onto a link or a file" "rc=$rc rc2=$rc2 rc3=$rc3" "$(cat "$TMP/o" "$TMP/o2" "$TMP/o3")"; fi
"$STATION" record --out "$TMP/target.txt" --force --seconds 0.2 --sensor replay --speed 0 >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && head -1 "$TMP/target.txt" | grep -q '^# station-trace' && "$STATION" analyze "$TMP/target.txt" >/dev/null; then
    ok "record --force replaces an existing plain file with a whole trace"
else not_ok "record --force" "rc=$rc" "$(cat "$TMP/o")"; fi

# issue 15 (tester): the shipped configuration stays valid when a user names
# her chip (it wrote out the MPU-6050's address, rate and filter)
bad=""
for chip in mpu6050 lsm6ds3 lsm6dso; do
    sed "s/^  chip = \"auto\";/  chip = \"$chip\";/" config/station.cfg >"$TMP/$chip.cfg"
    grep -q "^  chip = \"$chip\";" "$TMP/$chip.cfg" || bad="$bad $chip:not-set"
    "$STATION" check-config "$TMP/$chip.cfg" >"$TMP/o" 2>&1 || bad="$bad $chip:$(cat "$TMP/o")"
done
if [ -z "$bad" ]; then
    ok "the shipped station.cfg with chip = mpu6050, lsm6ds3 or lsm6dso passes check-config"
else not_ok "shipped station.cfg per chip" "$bad"; fi

finish
