#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Converts trials of the IPOL 2023 healthy-gait data set (Voisard et al.,
# github.com/CyrilVoisard/ipol_dataset_1, AGPL-3.0: one XSens MTw Awinda IMU
# on each foot at 100 Hz, footsteps marked and checked by hand) into station
# traces and truth files for tests/traces/real/ (see SOURCES.md there).
#
#   scripts/real_ipol.py GAITDATA_DIR OUT_DIR TRIAL_FOOT...
#   e.g. scripts/real_ipol.py ipol_dataset_1/GaitData tests/traces/real 1-1_rf 2-1_lf
#
# The trace: t_s from the packet counter at 100 Hz, acceleration in g
# (m/s^2 / 9.80665), angular rate in deg/s (rad/s x 180/pi); the
# magnetometer is left out. The truth: the foot's stepping on each straight
# 10 m is a periodic segment ("rocking" in the truth format), one cycle per
# footstep (the metadata's LeftFootEvents or RightFootEvents, in samples),
# the segment runs from the first footstep's start to the last one's end,
# where the foot comes to rest, and rate_hz is the stride rate (footstep
# start to footstep start); footsteps marked outside the
# trial's boundaries are left out; the steps of the
# U-turn between them (UTurnBoundaries) are a change of movement, in
# neither; before the trial's first boundary and after its last the subject
# stands still ("rest").
import json
import math
import os
import sys

RATE = 100.0
G0 = 9.80665


def convert(src, out, name):
    code, foot = name.rsplit("_", 1)
    if foot not in ("rf", "lf"):
        sys.exit("real_ipol.py: %s: the foot must be rf or lf" % name)
    meta = json.load(open(os.path.join(src, code + ".json")))
    events = meta["RightFootEvents" if foot == "rf" else "LeftFootEvents"]
    bounds = meta["TrialBoundaries"]
    base = os.path.join(out, "ipol-foot_%s_%s" % (code, foot))
    rows = 0
    with open(os.path.join(src, "%s_%s.txt" % (code, foot))) as f, open(base + ".csv", "w") as w:
        w.write("# station-trace 1\n# sample_rate_hz=100\n# accel_range_g=16\n"
                "# gyro_range_dps=2000\n")
        w.write("# source=IPOL 2023 healthy gait data set (Voisard et al., "
                "github.com/CyrilVoisard/ipol_dataset_1, AGPL-3.0), trial %s, %s foot: "
                "XSens MTw Awinda, converted by scripts/real_ipol.py\n"
                % (code, "right" if foot == "rf" else "left"))
        w.write("# placement=foot\n")
        w.write("# quirks=a foot, not a thigh: a quick swing, then the foot flat through "
                "stance; standing still, 10 m walk, U-turn, 10 m back, standing still\n")
        w.write("t_s,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps\n")
        for line in f:
            p = line.split("\t")
            try:
                n = float(p[0])
                v = [float(x) for x in p[1:7]]
            except (ValueError, IndexError):
                continue  # the rate and column lines
            w.write("%.6f,%.5f,%.5f,%.5f,%.4f,%.4f,%.4f\n" % (
                n / RATE, v[0] / G0, v[1] / G0, v[2] / G0, math.degrees(v[3]),
                math.degrees(v[4]), math.degrees(v[5])))
            rows += 1
    end = (rows - 1) / RATE
    u0, u1 = meta["UTurnBoundaries"]
    # A footstep marked outside the trial's boundaries (one, in 4-1, comes 5 s
    # after the subject stopped) is not part of the walk.
    events = [e for e in events if bounds[0] <= e[0] and e[1] <= bounds[1]]
    legs = [[e for e in events if e[1] <= u0], [e for e in events if e[0] >= u1]]
    with open(base + ".truth.csv", "w") as w:
        w.write("start_s,end_s,kind,rate_hz,count\n")
        w.write("%.3f,%.3f,rest,0.0000,0\n" % (0, bounds[0] / RATE))
        last = 0
        for leg in legs:
            if len(leg) < 2:
                continue
            a = leg[0][0] / RATE
            # the foot is still from its last footstep's end: no stride after it
            b = leg[-1][1] / RATE
            stride = (leg[-1][0] - leg[0][0]) / RATE / (len(leg) - 1)
            w.write("%.3f,%.3f,rocking,%.4f,%d\n" % (a, b, 1 / stride, len(leg)))
            last = b
        w.write("%.3f,%.3f,rest,0.0000,0\n" % (max(bounds[1] / RATE, last), end))


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: real_ipol.py GAITDATA_DIR OUT_DIR TRIAL_FOOT...")
    for name in sys.argv[3:]:
        convert(sys.argv[1], sys.argv[2], name)


if __name__ == "__main__":
    main()
