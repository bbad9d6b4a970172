#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# make eval, real recordings at the rocking tempo: replays a recorded trace
# faster, so that the mean rate of its truth's periodic segments lands on
# TARGET_HZ (the knees-rocking tempo), and writes the trace and its truth
# file, scaled alike, into OUT_DIR under the same name.
#
#   tests/eval/tempo.py TARGET_HZ OUT_DIR TRACE.csv...
#
# Sped up k times: the time k times shorter (the sample rate k times
# higher), the angular rate k times larger; the accelerometer's gravity
# (its centred 1 s mean) is kept and what moves around it (the foot's own
# acceleration) is k^2 times larger, as it would be done faster. The truth:
# start and end divided by k, rate_hz times k, counts kept.
import os
import sys

GRAV_S = 1.0  # the window of the gravity estimate, in the recording's time


def read_trace(path):
    head, rows = [], []
    with open(path) as f:
        for ln, line in enumerate(f, 1):
            if line.startswith("#") or line.startswith("t_s"):
                head.append(line)
                continue
            try:
                rows.append([float(x) for x in line.split(",")])
            except ValueError:
                sys.exit("tempo.py: %s:%d: not a sample row" % (path, ln))
    return head, rows


def read_truth(path):
    with open(path) as f:
        lines = f.read().splitlines()
    segs = []
    for ln, line in enumerate(lines[1:], 2):
        p = line.split(",")
        if len(p) != 5:
            sys.exit("tempo.py: %s:%d: want start_s,end_s,kind,rate_hz,count" % (path, ln))
        segs.append((float(p[0]), float(p[1]), p[2], float(p[3]), int(p[4])))
    return lines[0], segs


def gravity(rows, rate):
    """The centred running mean of each accelerometer axis over GRAV_S."""
    half = max(1, int(GRAV_S * rate / 2))
    n = len(rows)
    out = []
    for c in (1, 2, 3):
        pre = [0.0]
        for r in rows:
            pre.append(pre[-1] + r[c])
        out.append([(pre[min(n, i + half + 1)] - pre[max(0, i - half)]) /
                    (min(n, i + half + 1) - max(0, i - half)) for i in range(n)])
    return out


def speed_up(target, out_dir, trace):
    truth_path = trace[:-4] + ".truth.csv"
    head, rows = read_trace(trace)
    theader, segs = read_truth(truth_path)
    moving = [s for s in segs if s[2] == "rocking" and s[3] > 0]
    if not moving or len(rows) < 2:
        sys.exit("tempo.py: %s: no periodic segment to set the tempo by" % truth_path)
    k = target / (sum(s[3] for s in moving) / len(moving))
    rate = (len(rows) - 1) / (rows[-1][0] - rows[0][0])
    grav = gravity(rows, rate)
    base = os.path.join(out_dir, os.path.basename(trace)[:-4])
    with open(base + ".csv", "w") as w:
        for line in head:
            if line.startswith("# sample_rate_hz="):
                line = "# sample_rate_hz=%g\n" % round(rate * k, 3)
            elif line.startswith("# source="):
                line = line.rstrip("\n") + "; replayed %.3f times faster by tests/eval/tempo.py\n" % k
            w.write(line)
        for i, r in enumerate(rows):
            a = [grav[c][i] + k * k * (r[1 + c] - grav[c][i]) for c in range(3)]
            w.write("%.6f,%.5f,%.5f,%.5f,%.4f,%.4f,%.4f\n" % (
                r[0] / k, a[0], a[1], a[2], r[4] * k, r[5] * k, r[6] * k))
    with open(base + ".truth.csv", "w") as w:
        w.write(theader + "\n")
        for s in segs:
            w.write("%.3f,%.3f,%s,%.4f,%d\n" % (s[0] / k, s[1] / k, s[2], s[3] * k, s[4]))


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: tempo.py TARGET_HZ OUT_DIR TRACE.csv...")
    target = float(sys.argv[1])
    os.makedirs(sys.argv[2], exist_ok=True)
    for trace in sys.argv[3:]:
        speed_up(target, sys.argv[2], trace)


if __name__ == "__main__":
    main()
