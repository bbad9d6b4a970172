/* SPDX-License-Identifier: GPL-3.0-or-later */
/* source_replay: a recorded trace played back, paced by the clock (or as
 * fast as possible), looping for the demo, its gaps told as events. */
#include "source_priv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* A replayed trace whose clock jumps forward by more than this has a gap. */
#define REPLAY_GAP_S 1.0

struct replay {
    struct trace_reader *rd;
    char path[512];
    double speed;
    bool loop;
    double start_now;   /* monotonic time the replay started */
    double trace_t0;    /* first sample time of the current pass */
    double loop_offset; /* added to trace times on later passes */
    struct sample pending;
    bool have_pending;
    double last_t;
    unsigned long long dropped; /* by the readers of earlier passes */
};

static void fail(struct source *s, const char *err)
{
    snprintf(s->error, sizeof s->error, "%s", err);
    s->done = true;
}

/* The next sample into r->pending; false at the end or on an error. */
static bool next_sample(struct source *s, struct replay *r)
{
    for (;;) {
        char err[256];
        int rc = trace_reader_next(r->rd, &r->pending, err, sizeof err);
        if (rc < 0) {
            fail(s, err);
            return false;
        }
        if (rc > 0)
            break;
        if (!r->loop) {
            s->done = true;
            return false;
        }
        /* Start the recording again, continuing its clock. */
        r->dropped += trace_reader_dropped(r->rd);
        trace_reader_close(r->rd);
        r->rd = trace_reader_open(r->path, err, sizeof err);
        if (!r->rd) {
            fail(s, err);
            return false;
        }
        r->loop_offset = r->last_t + trace_reader_period(r->rd);
        r->trace_t0 = NAN;
    }
    if (isnan(r->trace_t0))
        r->trace_t0 = r->pending.t;
    r->pending.t = r->pending.t - r->trace_t0 + r->loop_offset;
    r->have_pending = true;
    double jump = r->pending.t - r->last_t, period = trace_reader_period(r->rd);
    if (isfinite(r->last_t) && jump > REPLAY_GAP_S && jump > 5 * period) {
        /* a jump in the trace's clock is a gap in its data, told once;
         * a real-time replay goes on at once rather than wait it out */
        char text[120];
        snprintf(text, sizeof text, "gap of %.2f s in the trace", jump - period);
        source_push(s, SOURCE_EV_GAP, r->last_t + period, jump - period, text);
        if (r->speed > 0)
            r->start_now -= (jump - period) / r->speed;
    }
    return true;
}

static size_t replay_read(struct source *s, double now, struct sample *out, size_t max)
{
    struct replay *r = s->impl;
    size_t n = 0;
    double elapsed = now - r->start_now;
    while (n < max && !s->done) {
        if (!r->have_pending && !next_sample(s, r))
            break;
        if (r->speed > 0 && r->pending.t / r->speed > elapsed)
            break;
        out[n++] = r->pending;
        r->last_t = r->pending.t; /* continuous across passes */
        r->have_pending = false;
    }
    return n;
}

static double replay_poll_interval(const struct source *s)
{
    const struct replay *r = s->impl;
    return r->speed <= 0 ? 0 : 0.02;
}

static void replay_stats(const struct source *s, struct source_stats *st)
{
    const struct replay *r = s->impl;
    st->dropped = r->dropped + (r->rd ? trace_reader_dropped(r->rd) : 0);
}

static void replay_close(struct source *s)
{
    struct replay *r = s->impl;
    if (r && r->rd)
        trace_reader_close(r->rd);
    free(r);
}

static const struct source_backend replay_backend = {
    replay_read, replay_poll_interval, NULL, replay_stats, NULL, replay_close,
};

int source_replay_open(struct source *s, const char *trace, double speed, bool loop,
                       double now, char *err, size_t errlen)
{
    struct replay *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    s->be = &replay_backend;
    s->impl = r;
    snprintf(r->path, sizeof r->path, "%s", trace);
    r->speed = speed;
    r->loop = loop;
    r->rd = trace_reader_open(trace, err, errlen);
    if (!r->rd)
        return -1;
    s->meta = *trace_reader_meta(r->rd);
    char src[600];
    snprintf(src, sizeof src, "replay of %s", trace);
    trace_meta_set(&s->meta, "source", src);
    r->start_now = now;
    r->trace_t0 = NAN;
    r->last_t = -INFINITY;
    return 0;
}
