/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hold: rest detection with hysteresis and back-dated edges. */
#include "hold.h"

#include <math.h>
#include <string.h>

#include "filt.h"

/* Turning speed (deg/s) under which the thigh is at rest, and over which a
 * hold is broken. Breathing moves a held thigh well under 1 deg/s. */
#define REST_DPS 4.0
#define MOVE_DPS 8.0
/* A hold's end is dated back to the last moment the thigh turned slower
 * than this, before it crossed REST_DPS: the start of the movement. */
#define STILL_DPS 1.5
/* How long the thigh must stay under REST_DPS before the hold is announced
 * (back-dated to when it came to rest), and how long over MOVE_DPS ends it. */
#define REST_CONFIRM_S 0.3
#define MOVE_CONFIRM_S 0.08
/* A slower shift ends the hold once it has turned the thigh this far since
 * it was last still for STILL_RESET_S. */
#define MOVE_DEG 2.0
#define STILL_RESET_S 0.3
/* The posture may wander this far from where the hold began, and beyond
 * CONE_SLOW_DEG only slower than DRIFT_DPS on average: breathing rocks a
 * held thigh by a degree or two, a leg sinking steadily is not held. */
#define CONE_DEG 10.0
#define CONE_SLOW_DEG 4.0
#define DIR0_S 1.0
#define COS_CONE_SLOW 0.99756405026 /* cos(CONE_SLOW_DEG) */
#define DRIFT_DPS 0.8
/* Steady turning of the gravity direction (accel only) that is not rest. */
#define DIR_RATE_DPS 4.0

void hold_init(struct hold *h)
{
    memset(h, 0, sizeof *h);
    h->rest_since = -1;
    h->moving_since = -1;
    h->last_end = -INFINITY;
}

static int end_hold(struct hold *h, double end, const struct motion_params *p,
                    struct motion_event *ev, int max)
{
    int n = 0;
    if (h->announced && max > 0) {
        struct motion_event *e = &ev[0];
        memset(e, 0, sizeof *e);
        e->kind = MOTION_EV_HOLD_END;
        e->t = end;
        e->start = h->start;
        e->end = end;
        e->duration_s = end - h->start;
        /* wobble: RMS angle between the posture and its mean direction,
         * from the resultant of the unit vectors (1 - |mean| ~ theta^2 / 2) */
        double r = h->n > 0 ? vec_norm(h->dir_sum) / h->n : 1;
        e->angle_deg = h->angle;
        e->steadiness_deg = r < 1 ? sqrt(2 * (1 - r)) * DEG : 0;
        e->counted = e->duration_s >= p->hold_min_s && !h->creeping;
        n = 1;
    }
    h->holding = false;
    h->announced = false;
    h->creeping = false;
    h->moved_deg = 0;
    h->last_end = end;
    h->moving_since = -1;
    return n;
}

/* When the thigh came to rest: looked up in the recent gyro history (so a
 * bias learnt only now still dates it right), never before the last hold
 * ended. */
static double rest_onset(const struct hold *h, const struct orient *o, double t)
{
    double since = o->bias_known ? orient_rest_since(o, t, REST_DPS) : t;
    return since > h->last_end ? since : h->last_end;
}

static double cone_deg(const double a[3], const double b[3])
{
    double na = vec_norm(a), nb = vec_norm(b);
    if (na <= 0 || nb <= 0)
        return 0;
    double c = vec_dot(a, b) / (na * nb);
    return acos(c > 1 ? 1 : c < -1 ? -1 : c) * DEG;
}

int hold_update(struct hold *h, const struct orient *o, double t,
                const struct motion_params *p, struct motion_event *ev, int max)
{
    int n = 0;
    double dt = h->last_t > 0 && t > h->last_t ? t - h->last_t : 0;
    h->last_t = t;
    /* Until the gyro bias is known its readings cannot tell a slow turn
     * from bias, so the accelerometer's direction rate must agree. */
    bool calm = o->motion < REST_DPS && (o->bias_known || o->dir_rate < DIR_RATE_DPS);
    bool moving = o->motion > MOVE_DPS || (!o->bias_known && o->dir_rate > 2 * DIR_RATE_DPS);

    if (!h->holding) {
        if (!calm) {
            h->rest_since = -1;
            return 0;
        }
        if (h->rest_since < 0)
            h->rest_since = rest_onset(h, o, t);
        if (t - h->rest_since >= REST_CONFIRM_S) {
            /* the bias may have been learnt during the wait: date the rest
             * with it */
            double since = rest_onset(h, o, t);
            if (since < h->rest_since)
                h->rest_since = since;
            h->holding = true;
            h->announced = true;
            h->start = h->rest_since;
            memset(h->dir0, 0, sizeof h->dir0);
            h->dir0_t = t;
            memset(h->dir_sum, 0, sizeof h->dir_sum);
            h->n = 0;
            if (n < max) {
                struct motion_event *e = &ev[n++];
                memset(e, 0, sizeof *e);
                e->kind = MOTION_EV_HOLD_START;
                e->t = t;
                e->start = h->start;
                e->angle_deg = o->angle;
            }
        }
        return n;
    }

    /* Posture bookkeeping on the orient's snapshots (every 50 ms): plenty
     * for a wobble and a mean direction, and the same at any sample rate. */
    if (o->snapshot) {
        double u[3] = {o->a_fast[0], o->a_fast[1], o->a_fast[2]};
        if (vec_normalize(u) == 0) {
            for (int i = 0; i < 3; i++)
                h->dir_sum[i] += u[i];
            h->n += 1;
        }
    }
    h->angle = o->angle;
    /* The hold ends where the movement began: the last time the thigh was
     * still calm before it crossed the exit level. */
    if (o->motion < STILL_DPS)
        h->still_t = t;
    /* How far the thigh has turned since it was last really still:
     * breathing never adds up to much between its pauses, a shift does. */
    if (o->motion > STILL_DPS) {
        h->moved_deg += o->motion * dt;
        h->still_run = 0;
    } else if ((h->still_run += dt) > STILL_RESET_S) {
        h->moved_deg = 0;
    }
    if (calm) {
        h->moving_since = -1;
    } else if (h->moving_since < 0) {
        h->moving_since = h->still_t > h->start ? h->still_t : t;
    }
    /* The posture is the mean direction over the hold's first second, so
     * a breath caught at its top or bottom does not skew it. */
    if (t - h->dir0_t < DIR0_S && o->snapshot)
        for (int i = 0; i < 3; i++)
            h->dir0[i] += o->a_fast[i];
    /* acos only once the posture has moved past the smallest limit */
    double cone = 0;
    double na = vec_norm(o->a_fast) * vec_norm(h->dir0);
    if (na > 0 && vec_dot(o->a_fast, h->dir0) < na * COS_CONE_SLOW)
        cone = cone_deg(o->a_fast, h->dir0);
    /* A posture that creeps away from the start at DRIFT_DPS or more was
     * never held: such a stillness ends and does not count. */
    bool creeping = calm && cone > CONE_SLOW_DEG && cone > DRIFT_DPS * (t - h->dir0_t);
    h->creeping = creeping;
    bool drifted = cone > CONE_DEG || creeping;
    if (drifted || (moving && t - h->moving_since >= MOVE_CONFIRM_S) ||
        (!calm && h->moved_deg > MOVE_DEG) ||
        (h->moving_since >= 0 && t - h->moving_since > 1.0)) {
        double end = h->moving_since >= 0 ? h->moving_since : t;
        n += end_hold(h, end, p, ev + n, max - n);
        h->rest_since = -1;
    }
    return n;
}

int hold_finish(struct hold *h, double t, const struct motion_params *p,
                struct motion_event *ev, int max)
{
    int n = 0;
    if (h->holding)
        n = end_hold(h, t, p, ev, max);
    h->rest_since = -1;
    return n;
}
