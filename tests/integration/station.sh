#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The live station end to end: a whole stage-1 session replayed from the
# demo recording and checked against its truth; a kill -9 in the middle of
# a session and the recovery at the next start; a full disk.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

# --- a whole session against the truth ---------------------------------------
printf '# one press of start, then the station leads\n0.5 start\n' >"$TMP/start.script"
"$STATION" run --replay assets/demo.csv --script "$TMP/start.script" --storage "$TMP/s" >"$TMP/o" 2>&1; rc=$?
dir=$(ls -d "$TMP"/s/*/ 2>/dev/null | head -1)
if [ $rc -eq 0 ] && [ -n "$dir" ] && python3 - "$dir" assets/demo.truth.csv <<'PY'
import csv, json, sys
d = sys.argv[1]
s = json.load(open(d + "summary.json"))
truth = list(csv.DictReader(open(sys.argv[2])))
holds = [float(r["end_s"]) - float(r["start_s"]) for r in truth if r["kind"] == "hold"]
rock = [r for r in truth if r["kind"] == "rocking"][0]
assert s["status"] == "complete", s["status"]
steps = s["steps"]
assert [x["exercise"] for x in steps] == ["child_pose", "knees_rocking", "child_pose",
    "table_stretch", "nerve_root_stretch", "nerve_root_stretch"]
assert all(x["done"] for x in steps), [x["done"] for x in steps]
got = []
for x in steps:
    if x["kind"] == "hold":
        assert x["reps_done"] == x["target_reps"], x
        got += x["holds_s"]
assert len(got) == len(holds), (got, holds)
for g, h in zip(got, holds):
    assert abs(g - h) < 1.0, (g, h)
r = steps[1]
assert r["rocking_s"] >= 60
assert abs(r["rate_hz"] - float(rock["rate_hz"])) < 0.02, (r["rate_hz"], rock["rate_hz"])
assert r["rate"] == "on target" or not (1.0 <= float(rock["rate_hz"]) <= 1.3)
ev = [json.loads(l) for l in open(d + "events.jsonl")]
types = {e["type"] for e in ev}
for t in ("session_started", "step", "rep", "step_done", "finished", "cycle", "command"):
    assert t in types, t
assert sum(1 for e in ev if e["type"] == "step_done") == 6
PY
then ok "stage-1 session replayed: summary.json matches the truth (holds, rocking rate, every step done)"
else not_ok "stage-1 session replayed against the truth" "rc=$rc dir=$dir" "$(tail -5 "$TMP/o")"; fi
if [ -n "$dir" ] && "$STATION" analyze "${dir}trace.csv" >/dev/null 2>&1 \
   && [ "$(grep -vc '^#\|^t_s' "${dir}trace.csv")" -gt 40000 ]; then
    ok "the session's trace.csv is a full, valid trace"
else not_ok "the session's trace.csv is a full, valid trace"; fi

# --- what it said, and when ---------------------------------------------------------
if [ -n "$dir" ] && python3 - "$dir" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1] + "events.jsonl")]
cues = [e for e in ev if e["type"] == "cue" and e["sound"] == "speech"]
said = [c["text"] for c in cues]
# each exercise is named when it starts, at the step's own time
steps = [e for e in ev if e["type"] == "step"]
for s in steps:
    name = s["text"].split(": ", 1)[1].split(",")[0]
    if "right leg" in s["text"]:
        name = None
    match = [c for c in cues if 0 <= c["t"] - s["t"] <= 1.0]  # said within a second of it
    want = "Now the other leg." if name is None else name + "."
    if s["step"] == 3:  # the child pose again: named, its how-to not repeated
        want = name + ", once more."
    assert any(c["text"] == want for c in match), (s, match)
# the count: three, two, one in the last seconds before each hold's target
reps = [e for e in ev if e["type"] == "rep" and "rocking" not in e["text"]]
assert len(reps) == 9, len(reps)  # 1 + 1 + 3 + 2 + 2
for r in reps:
    before = [c for c in cues if r["t"] - 3.05 <= c["t"] < r["t"]]
    assert [c["text"] for c in before] == ["Three", "Two", "One"], (r, before)
    assert any(e["type"] == "cue" and e["sound"] == "chime" and abs(e["t"] - r["t"]) < 0.01
               for e in ev)
assert "1 of 3." in said and "All done: come out." in said
assert said[-1] == "That's the session done: all 4 exercises. Well done.", said[-1]
assert "Hold." in said
PY
then ok "spoken cues of the whole session in events.jsonl: exercise names, the count before every target, reps, the other leg, the end"
else not_ok "spoken cues of the session"; fi
"$STATION" say --out "$TMP/hold.wav" "Hold." >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && [ "$(head -c 4 "$TMP/hold.wav")" = "RIFF" ] && [ "$(stat -c %s "$TMP/hold.wav")" -gt 8000 ]; then
    ok "say: a phrase spoken into a WAV file"
else not_ok "say" "rc=$rc" "$(cat "$TMP/o")"; fi
printf 'phrases = { hodl = "x"; };\n' >"$TMP/bad-phrases.cfg"
"$STATION" check-config --phrases assets/phrases.cfg "$TMP/bad-phrases.cfg" >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && contains "$TMP/o" "assets/phrases.cfg: ok" \
   && contains "$TMP/o" "$TMP/bad-phrases.cfg:1: phrases.hodl: unknown phrase"; then
    ok "check-config --phrases: the phrase file is checked like the configuration"
else not_ok "check-config --phrases" "rc=$rc" "$(cat "$TMP/o")"; fi

# --- the clinician's report ------------------------------------------------------
dir=$(ls -d "$TMP"/s/*/ 2>/dev/null | head -1)
"$STATION" report "$dir" >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && contains "$TMP/o" "complete session" \
   && grep -qE "Knees rocking: 7[01] s rocking" "$TMP/o" && contains "$TMP/o" "Table stretch: 3 of 3" \
   && python3 - "${dir}report.png" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
w, h = struct.unpack(">II", data[16:24])
assert (w, h) == (1600, 1000), (w, h)
assert len(data) > 20000
PY
then ok "report: a 1600x1000 PNG and a text summary of the stored session"
else not_ok "report" "rc=$rc" "$(cat "$TMP/o")"; fi
"$STATION" report "$TMP" >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 1 ] && contains "$TMP/o" "summary.json: cannot open"; then ok "report: not a session folder is a clear error"
else not_ok "report: not a session folder" "rc=$rc"; fi

# --- kill -9 mid-session, then the next start ----------------------------------
"$STATION" run --sensor replay --trace assets/demo.csv --speed 40 --headless --storage "$TMP/k" \
    >"$TMP/o" 2>&1 &
pid=$!
sleep 3
kill -KILL $pid
wait $pid 2>/dev/null
dir=$(ls -d "$TMP"/k/*/ 2>/dev/null | head -1)
if [ -n "$dir" ] && grep -q '"status": "in progress"' "${dir}summary.json" \
   && "$STATION" analyze "${dir}trace.csv" >/dev/null 2>&1 \
   && python3 - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
rows = [l for l in open(d + "trace.csv") if l[0].isdigit()]
last_t = float(rows[-1].split(",")[0])
s = json.load(open(d + "summary.json"))
# the summary (written each second) is at most a second older than the trace
assert last_t - s["ended_s"] < 1.5 + 0.001, (last_t, s["ended_s"])
for l in open(d + "events.jsonl"):
    json.loads(l)
PY
then ok "kill -9: every stored file parses, summary at most a second behind"
else not_ok "kill -9: stored files" "dir=$dir"; fi

"$STATION" run --replay tests/traces/settling.csv --storage "$TMP/k" --no-record >"$TMP/o" 2>&1; rc=$?
if [ $rc -eq 0 ] && contains "$TMP/o" "closed 1 unfinished session (marked incomplete)" \
   && grep -q '"status": "incomplete"' "${dir}summary.json"; then
    ok "next start closes the unfinished session as incomplete"
else not_ok "next start closes the unfinished session" "rc=$rc" "$(head -3 "$TMP/o")"; fi

# --- a full disk -----------------------------------------------------------------
mkdir -p "$TMP/full"
small_fs() {
    if [ "$(id -u)" -eq 0 ]; then
        mount -t tmpfs -o size=160k tmpfs "$TMP/full" && "$@"; rc=$?; umount "$TMP/full"; return $rc
    fi
    unshare -rm sh -c 'mount -t tmpfs -o size=160k tmpfs "$0" && shift && "$@"' "$TMP/full" "$@"
}
check_full() {
    # the session goes on; a replay whose record could not be kept exits 1
    "$STATION" run --replay assets/demo.csv --script "$TMP/start.script" --storage "$TMP/full" \
        >"$TMP/o" 2>&1
    [ $? -eq 1 ] || return 1
    contains "$TMP/o" "No space left on device" || return 1
    contains "$TMP/o" "recording stopped; what was stored is kept" || return 1
    d=$(ls -d "$TMP"/full/*/ | head -1)
    "$STATION" analyze "${d}trace.csv" >/dev/null || return 1
    python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "${d}summary.json" || return 1
    contains "$TMP/o" "Session complete" # the session itself went on to the end
}
if small_fs check_full; then
    ok "full disk: a clear error, the session goes on, what is stored still parses"
else not_ok "full disk" "$(tail -4 "$TMP/o")"; fi

finish
