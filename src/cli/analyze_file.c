/* SPDX-License-Identifier: GPL-3.0-or-later */
/* analyze_file: trace -> motion core -> summary. */
#include "analyze_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../trace/trace.h"
#include "../util/json.h"

#define EVMAX 64

int analyze_file(const char *path, const struct motion_params *p,
                 struct motion_summary *sum, struct analyze_info *info,
                 char *err, size_t errlen)
{
    memset(info, 0, sizeof *info);
    summary_init(sum);
    struct trace_reader *r = trace_reader_open(path, err, errlen);
    if (!r)
        return -1;
    void *mem = malloc(motion_size());
    if (!mem) {
        snprintf(err, errlen, "%s: out of memory", path);
        trace_reader_close(r);
        return -1;
    }
    struct motion *m = motion_init(mem, p);
    struct motion_event ev[EVMAX];
    struct sample s;
    int rc, ne;
    double last = 0;
    while ((rc = trace_reader_next(r, &s, err, errlen)) == 1) {
        if (info->samples == 0)
            info->t0 = s.t;
        last = s.t;
        info->samples++;
        ne = motion_feed(m, &s, ev, EVMAX);
        for (int i = 0; i < ne; i++)
            summary_add(sum, &ev[i]);
    }
    ne = motion_finish(m, ev, EVMAX);
    for (int i = 0; i < ne; i++)
        summary_add(sum, &ev[i]);
    info->duration_s = info->samples ? last - info->t0 : 0;
    double per = trace_reader_period(r);
    info->sample_rate_hz = per > 0 ? 1.0 / per : 0;
    info->gaps = trace_reader_gaps(r, &info->missing_s);
    info->truncated = trace_reader_truncated(r);
    trace_reader_drops(r, &info->why);
    /* the reader has dropped every glitch the core would: this is 0 */
    info->why.not_finite += motion_dropped(m);
    info->dropped = info->why.time + info->why.not_finite + info->why.out_of_range;
    free(mem);
    trace_reader_close(r);
    return rc < 0 ? -1 : 0;
}

void analyze_verdicts(const struct motion_params *p, const struct motion_event *e,
                             struct motion_live *l)
{
    motion_judge_set(p, e->rate_hz, e->rhythm_cv, e->swing_deg, e->jerk, l);
}

void analyze_write_json(FILE *out, const char *path, const struct motion_params *p,
                        const struct motion_summary *s, const struct analyze_info *in)
{
    double t0 = in->t0;
    char q[1100];
    fprintf(out, "{\"trace\": %s", json_quote(path, q, sizeof q));
    fprintf(out, ", \"duration_s\": %.3f, \"samples\": %zu, \"sample_rate_hz\": %.2f, "
           "\"gaps\": %zu, \"missing_s\": %.3f, \"truncated\": %s, \"dropped\": %zu, "
           "\"dropped_why\": {\"time\": %zu, \"not_finite\": %zu, \"out_of_range\": %zu}, "
           "\"rocking\": [",
           in->duration_s, in->samples, in->sample_rate_hz, in->gaps, in->missing_s,
           in->truncated ? "true" : "false", in->dropped, in->why.time, in->why.not_finite,
           in->why.out_of_range);
    for (size_t i = 0; i < s->rocking.n; i++) {
        const struct motion_event *e = &s->rocking.v[i];
        struct motion_live l;
        analyze_verdicts(p, e, &l);
        fprintf(out, "%s{\"start_s\": %.3f, \"end_s\": %.3f, \"cycles\": %d, \"rate_hz\": %.4f, "
               "\"rhythm_cv\": %.4f, \"swing_deg\": %.2f, \"peak_speed_dps\": %.1f, "
               "\"jerk\": %.2f, \"rate\": \"%s\", \"rhythm\": \"%s\", \"effort\": \"%s\"}",
               i ? ", " : "", e->start - t0, e->end - t0, e->cycles, e->rate_hz,
               e->rhythm_cv, e->swing_deg, e->peak_dps, e->jerk, verdict_name(l.rate_v, 0),
               verdict_name(l.rhythm_v, 1), verdict_name(l.effort_v, 2));
    }
    fprintf(out, "], \"holds\": [");
    for (size_t i = 0; i < s->holds.n; i++) {
        const struct motion_event *e = &s->holds.v[i];
        fprintf(out, "%s{\"start_s\": %.3f, \"end_s\": %.3f, \"duration_s\": %.3f, "
               "\"angle_deg\": %.1f, \"steadiness_deg\": %.2f}",
               i ? ", " : "", e->start - t0, e->end - t0, e->duration_s, e->angle_deg,
               e->steadiness_deg);
    }
    fprintf(out, "], \"bounces\": [");
    for (size_t i = 0; i < s->bounces.n; i++) {
        const struct motion_event *e = &s->bounces.v[i];
        fprintf(out, "%s{\"start_s\": %.3f, \"end_s\": %.3f, \"duration_s\": %.3f, "
               "\"rate_hz\": %.3f, \"count\": %d, \"swing_deg\": %.2f}",
               i ? ", " : "", e->start - t0, e->end - t0, e->end - e->start, e->rate_hz,
               e->cycles, e->swing_deg);
    }
    fprintf(out, "]}\n");
}

