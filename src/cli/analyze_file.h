/* SPDX-License-Identifier: GPL-3.0-or-later */
/* analyze_file: runs the motion core over a whole trace file, as fast as it
 * can, and collects the summary. Shared by `station analyze`, the
 * evaluation and the benchmarks, so all three measure the same code. */
#ifndef STATION_ANALYZE_FILE_H
#define STATION_ANALYZE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../motion/motion.h"
#include "../motion/summary.h"
#include "../trace/trace.h"

struct analyze_info {
    double t0;          /* first sample's t_s; the summary's times are on the
                           trace's clock, subtract t0 for "from the start" */
    double duration_s;
    size_t samples;
    double sample_rate_hz;
    size_t gaps;
    double missing_s;
    bool truncated;     /* the last row was cut off (a crashed recording) */
    size_t dropped;     /* glitches dropped: rows out of place in time,
                           NaN, infinite or out-of-range readings */
    struct trace_drops why; /* the same by kind (NaN samples reaching the
                           core from elsewhere count as not_finite) */
};

/* Returns 0, or -1 with "FILE:LINE: ..." in err. The summary is filled in
 * either case with what was found before the error. */
int analyze_file(const char *path, const struct motion_params *p,
                 struct motion_summary *sum, struct analyze_info *info,
                 char *err, size_t errlen);

/* The verdicts of a finished rocking set against the targets. */
void analyze_verdicts(const struct motion_params *p, const struct motion_event *set,
                      struct motion_live *l);

/* One line of JSON for a trace: the `station analyze --json` contract. */
void analyze_write_json(FILE *out, const char *path, const struct motion_params *p,
                        const struct motion_summary *s, const struct analyze_info *in);

#endif
