#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make eval, stage-2 sessions against the truth: for each seed, the stage-2
# person of the thigh model (`station simulate --scenario stage2`) is
# analysed (`station analyze --json`: each micro-bounce round's start
# against the truth's) and replayed as a session (`station run --replay`,
# started at 0.5 s): is the session complete, with both rounds of the
# advanced stretch credited? Prints one table line and the goals; exits 1
# when one is missed. EVAL_VERBOSE=1 names each seed that misses.
set -eu
cd "$(dirname "$0")/../.."
STATION=${STATION:-build/station}
SEEDS=${EVAL_STAGE2_SEEDS:-$(seq 1 40)}
TOL=0.5
TMP=$(mktemp -d /tmp/station-stage2.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
echo '0.5 start' >"$TMP/script"
for seed in $SEEDS; do
    d="$TMP/$seed"
    mkdir -p "$d"
    "$STATION" simulate --scenario stage2 --seed "$seed" --out "$d/t.csv" >/dev/null 2>&1
    "$STATION" analyze --json "$d/t.csv" >"$d/analysis.json"
    "$STATION" run --replay "$d/t.csv" --script "$TMP/script" --stage 2 --storage "$d/s" \
        --mute >"$d/out" 2>&1 || true
done
python3 - "$TMP" "$TOL" "${EVAL_VERBOSE:-}" $SEEDS <<'PY'
import csv, glob, json, sys
tmp, tol, verbose, seeds = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4:]
rounds = found = off = complete = credited = 0
errs, bad_seeds = [], []
for seed in seeds:
    d = "%s/%s" % (tmp, seed)
    truth = [r for r in csv.DictReader(open(d + "/t.truth.csv")) if r["kind"] == "bounce"]
    got = json.load(open(d + "/analysis.json"))["bounces"]
    seed_off = False
    for r in truth:
        rounds += 1
        t0, t1 = float(r["start_s"]), float(r["end_s"])
        best = max(got, key=lambda b: min(b["end_s"], t1) - max(b["start_s"], t0), default=None)
        if best is None or min(best["end_s"], t1) - max(best["start_s"], t0) <= 0:
            seed_off = True
            if verbose:
                print("  seed %s: round %.1f-%.1f not found" % (seed, t0, t1))
            continue
        found += 1
        e = abs(best["start_s"] - t0)
        errs.append(e)
        if e > tol:
            off += 1
            seed_off = True
            if verbose:
                print("  seed %s: round %.1f-%.1f found from %.2f" % (seed, t0, t1, best["start_s"]))
    if seed_off:
        bad_seeds.append(seed)
    sums = glob.glob(d + "/s/*/summary.json")
    s = json.load(open(sums[0])) if sums else {}
    if s.get("status") == "complete":
        complete += 1
    step = [x for x in s.get("steps", []) if x.get("kind") == "bounce"]
    if step and step[0].get("done") and len(step[0].get("rounds_s", [])) == len(truth):
        credited += 1
    elif verbose:
        print("  seed %s: advanced stretch not credited (%s)" % (seed, s.get("status", "no record")))
n = len(seeds)
errs.sort()
mean = sum(errs) / len(errs) if errs else 0
p95 = errs[min(len(errs) - 1, int(0.95 * len(errs)))] if errs else 0
print("stage-2 sessions (thigh model, seeds %s-%s): analyze against the truth, and a replayed "
      "session started at 0.5 s" % (seeds[0], seeds[-1]))
print("sessions  complete  stretch_credited |  rounds  found  start_err  p95  off>%.1fs  seeds_off"
      % tol)
print("%8d  %8d  %16d | %7d  %5d  %9.2f  %4.2f  %8d  %9d" % (n, complete, credited, rounds, found,
      mean, p95, off, len(bad_seeds)))
ok = True
def goal(met, text):
    global ok
    ok = ok and met
    print("  %-6s %s" % ("MET" if met else "MISSED", text))
print("goals:")
goal(complete == n, "%d of %d stage-2 sessions complete (goal all)" % (complete, n))
goal(credited == n, "advanced stretch credited with every round in %d of %d (goal all)"
     % (credited, n))
within = found - off
goal(found == rounds and within >= 0.95 * rounds,
     "%d of %d rounds found, %d of them (%.1f%%) start within %.1f s of the truth (goal all found, "
     ">= 95%% within)" % (found, rounds, within, 100.0 * within / rounds if rounds else 0, tol))
sys.exit(0 if ok else 1)
PY
