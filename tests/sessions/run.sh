#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The session tests: every line of tests/sessions/cases.txt replayed end to
# end (`station run --replay TRACE --script FILE --stage N --mute`) and its
# summary.json, events.jsonl and cue log checked against the truth of what
# the person did. Prints one ok / not ok line a case.
cd "$(dirname "$0")/../.." || exit 1
STATION=${STATION:-build/station}
TMP=$(mktemp -d /tmp/station-sessions.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
n=0
grep -v '^#' tests/sessions/cases.txt | grep -v '^[[:space:]]*$' | while IFS='|' read -r name trace stage script checks; do
    n=$((n + 1))
    name=$(echo "$name" | sed 's/^ *//; s/ *$//')
    trace=$(echo "$trace" | tr -d ' ')
    stage=$(echo "$stage" | tr -d ' ')
    d="$TMP/$n"
    mkdir -p "$d"
    case "$trace" in
    sim:*)
        sc=$(echo "$trace" | cut -d: -f2)
        seed=$(echo "$trace" | cut -d: -f3)
        "$STATION" simulate --scenario "$sc" --seed "$seed" --out "$d/t.csv" >/dev/null 2>&1 ||
            { echo "not ok - $name: cannot simulate $trace"; continue; }
        tr="$d/t.csv"; truth="$d/t.truth.csv" ;;
    demo|emu:*) tr=assets/demo.csv; truth=tests/sessions/demo.truth.csv ;;
    demo-cut:*) # the demo with the samples from..to seconds missing (a sensor gap)
        from=$(echo "$trace" | cut -d: -f2)
        to=$(echo "$trace" | cut -d: -f3)
        awk -F, -v a="$from" -v b="$to" '/^[0-9]/ && $1 >= a && $1 < b { next } { print }' \
            assets/demo.csv >"$d/t.csv"
        tr="$d/t.csv"; truth=tests/sessions/demo.truth.csv ;;
    *) tr=$trace; truth=${trace%.csv}.truth.csv ;;
    esac
    echo "$script" | tr ';' '\n' >"$d/script"
    case "$trace" in
    emu:*) # the demo through the register-level emulator with scripted faults,
           # 40x real time; nobody presses anything: the session starts by itself
        timeout 60 "$STATION" run --headless --sensor emu --trace assets/demo.csv --speed 40 \
            --seconds 240 --faults "${trace#emu:}" --stage "$stage" --storage "$d/s" --mute \
            >"$d/out" 2>&1 ;;
    *)
        "$STATION" run --replay "$tr" --script "$d/script" --stage "$stage" --storage "$d/s" \
            --mute >"$d/out" 2>&1 ;;
    esac
    rc=$?
    dir=$(ls -d "$d"/s/*/ 2>/dev/null | head -1)
    if [ $rc -ne 0 ] || [ -z "$dir" ]; then
        echo "not ok - $name: run exited $rc"
        tail -3 "$d/out" | sed 's/^/#   /'
        continue
    fi
    if msg=$(python3 - "$dir" "$truth" "$checks" 2>&1 <<'PY'
import csv, json, sys
d, truth_path, checks = sys.argv[1], sys.argv[2], sys.argv[3]
s = json.load(open(d + "summary.json"))
ev = [json.loads(l) for l in open(d + "events.jsonl")]
said = [e["text"] for e in ev if e["type"] == "cue" and e.get("sound") == "speech"]
truth = list(csv.DictReader(open(truth_path)))
def seg(kind):
    return [float(r["end_s"]) - float(r["start_s"]) for r in truth if r["kind"] == kind]
def holds(): return seg("hold")
def rocking(): return seg("rocking")
def bounces(): return seg("bounce")
def truth_start(kind): return [float(r["start_s"]) for r in truth if r["kind"] == kind][0]
def truth_end(kind, i=0): return [float(r["end_s"]) for r in truth if r["kind"] == kind][i]
def st(i): return s["steps"][i - 1]
def near(a, b, tol): return abs(a - b) <= tol
def matched(xs, ts, tol): return all(any(abs(x - t) <= tol for t in ts) for x in xs)
for c in checks.split(";"):
    c = c.strip()
    if c and not eval(c):
        print("failed: " + c)
        print("steps: " + "; ".join("%s done=%s holds=%s rock=%s" % (x["exercise"], x["done"],
              x.get("holds_s", x.get("rounds_s")), x.get("rocking_s")) for x in s["steps"]))
        sys.exit(1)
PY
    ); then
        echo "ok - session: $name"
    else
        echo "not ok - session: $name"
        echo "$msg" | sed 's/^/#   /'
    fi
done
