/* SPDX-License-Identifier: GPL-3.0-or-later */
/* motion: wires orient, osc, hold and feedback into one sample-by-sample core. */
#include "motion.h"

#include <math.h>
#include <string.h>

#include "../util/timeline.h"
#include "hold.h"
#include "orient.h"
#include "osc.h"

/* A jump in time longer than this many typical sample periods (and at least
 * GAP_MIN_S) is a gap in the data; shorter dropouts are bridged. The same
 * jump that the timeline holds back until the next sample confirms it. */
#define GAP_PERIODS TIMELINE_JUMP_PERIODS
#define GAP_MIN_S TIMELINE_JUMP_MIN_S

struct motion {
    struct motion_params p;
    struct orient orient;
    struct osc osc;
    struct hold hold;
    struct motion_live live;
    double last_t;
    double period;  /* typical sample spacing, learnt */
    bool started;
    double t_first; /* the first sample's time: nothing starts before it */
    struct timeline timeline; /* clock glitches dropped, steps confirmed */
    unsigned long dropped;    /* glitches: readings not finite */
};

void motion_params_default(struct motion_params *p)
{
    p->rate_min_hz = 1.0;
    p->rate_max_hz = 1.3;
    p->rhythm_cv_max = 0.12;
    p->swing_min_deg = 4.0;
    p->swing_max_deg = 30.0;
    p->jerk_max = 2.5;
    p->hold_min_s = 4.0;
}

size_t motion_size(void)
{
    return sizeof(struct motion);
}

struct motion *motion_init(void *mem, const struct motion_params *p)
{
    struct motion *m = mem;
    memset(m, 0, sizeof *m);
    m->p = *p;
    orient_init(&m->orient);
    osc_init(&m->osc);
    hold_init(&m->hold);
    timeline_init(&m->timeline);
    return m;
}

static int end_all(struct motion *m, double t, struct motion_event *ev, int max)
{
    int n = osc_finish(&m->osc, t, ev, max);
    n += hold_finish(&m->hold, t, &m->p, ev + n, max - n);
    return n;
}

/* One sample in time order, dt after the one before (0 for the first and
 * after a gap). Inlined in both callers: a call costs the hot path about
 * 25 instructions a sample (make bench). */
static inline __attribute__((always_inline)) int feed_one(struct motion *m, const struct sample *s, double dt,
                    struct motion_event *ev, int max)
{
    int n = 0;
    m->last_t = s->t;
    struct orient *o = &m->orient;
    orient_update(o, s, dt);
    if (dt > 0) {
        n += osc_update(&m->osc, s->t, o->turned, o->omega, o->jerk, o->yaw, dt, &m->p,
                         ev + n, max - n);
        n += hold_update(&m->hold, o, s->t, &m->p, ev + n, max - n);
    }

    struct motion_live *l = &m->live;
    l->t = s->t;
    l->angle_deg = o->angle;
    l->osc_deg = o->osc;
    l->speed_dps = o->omega;
    l->bias_known = o->bias_known;
    if (m->osc.changed) {
        osc_live(&m->osc, l);
        motion_judge(&m->p, l);
        m->osc.changed = false;
    }
    l->holding = m->hold.holding;
    l->hold_start = m->hold.holding ? m->hold.start : 0;
    l->hold_s = m->hold.holding ? s->t - m->hold.start : 0;
    return n;
}

/* A set found from the first sample back-dates its start to where the
 * movement left rest, which may lie before the data: it starts at the
 * first sample then. */
static void clamp_starts(const struct motion *m, struct motion_event *ev, int n)
{
    for (int i = 0; i < n; i++)
        if (ev[i].start < m->t_first)
            ev[i].start = m->t_first;
}

static void learn_period(struct motion *m, double dt)
{
    m->period = m->period > 0 ? m->period + 0.01 * (dt - m->period) : dt;
}

/* A sample from the timeline's slow path: the first, or one of the two let
 * through together, after a step of the clock that may be a gap. */
static int feed_stepped(struct motion *m, const struct sample *s, struct motion_event *ev,
                        int max)
{
    int n = 0;
    double dt = 0;
    if (m->started) {
        dt = s->t - m->last_t;
        if (dt > GAP_MIN_S && dt > m->period * GAP_PERIODS) {
            /* Whatever was going on is cut off at the last sample we had;
             * no movement is invented across the gap. */
            n += end_all(m, m->last_t, ev + n, max - n);
            if (n < max) {
                memset(&ev[n], 0, sizeof ev[n]);
                ev[n].kind = MOTION_EV_GAP;
                ev[n].t = m->last_t;
                ev[n].start = m->last_t;
                ev[n].end = s->t;
                n++;
            }
            orient_restart(&m->orient);
            dt = 0;
        } else {
            learn_period(m, dt);
        }
    }
    if (!m->started)
        m->t_first = s->t;
    m->started = true;
    return n + feed_one(m, s, dt, ev + n, max - n);
}

int motion_feed(struct motion *m, const struct sample *s, struct motion_event *ev, int max)
{
    bool finite = isfinite(s->t);
    for (int i = 0; i < 3; i++)
        finite = finite && isfinite(s->a[i]) && isfinite(s->g[i]);
    if (!finite) {
        m->dropped++;
        return 0;
    }
    /* nearly always: in place after the last, not a gap */
    double dt = timeline_pass(&m->timeline, s, m->period);
    if (dt > 0) {
        learn_period(m, dt);
        int n = feed_one(m, s, dt, ev, max);
        if (n) /* rarely */
            clamp_starts(m, ev, n);
        return n;
    }
    const struct sample *use[2];
    int k = timeline_push(&m->timeline, s, m->period, use);
    int n = 0;
    for (int i = 0; i < k; i++)
        n += feed_stepped(m, use[i], ev + n, max - n);
    clamp_starts(m, ev, n);
    return n;
}

int motion_finish(struct motion *m, struct motion_event *ev, int max)
{
    timeline_finish(&m->timeline);
    if (!m->started)
        return 0;
    int n = end_all(m, m->last_t, ev, max);
    clamp_starts(m, ev, n);
    return n;
}

unsigned long motion_dropped(const struct motion *m)
{
    return m->dropped + timeline_dropped(&m->timeline);
}

const struct motion_live *motion_live(const struct motion *m)
{
    return &m->live;
}
