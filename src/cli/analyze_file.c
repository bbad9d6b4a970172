/* analyze_file: trace -> motion core -> summary. */
#include "analyze_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../trace/trace.h"

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
    free(mem);
    trace_reader_close(r);
    return rc < 0 ? -1 : 0;
}
