/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hold: still postures. A hold starts when the thigh comes to rest and ends
 * when it moves; breathing and tremor stay under the thresholds, and the
 * posture must stay within a small cone, so a slow drift ends a hold
 * before it is long enough to count. */
#ifndef STATION_HOLD_H
#define STATION_HOLD_H

#include <stdbool.h>

#include "motion.h"
#include "orient.h"

struct hold {
    double rest_since;   /* motion under the entry level since, or -1 */
    double moving_since; /* moving since (while holding), or -1 */
    double still_t;      /* last time the thigh was really still */
    double moved_deg;    /* turned since it was last still for a while */
    double still_run;    /* how long it has been still, up to now */
    bool holding;
    bool announced;
    double start;
    double dir0[3];      /* posture (accel direction) when announced */
    double dir0_t;
    double last_end;     /* end of the previous hold */
    bool creeping;       /* ended by a steady creep: not a hold */
    double dir_sum[3];   /* sum of unit posture vectors, for the wobble */
    double n;
    double angle;        /* thigh angle, latest */
    double last_t;
};

void hold_init(struct hold *h);

int hold_update(struct hold *h, const struct orient *o, double t,
                const struct motion_params *p, struct motion_event *ev, int max);

/* Ends a hold in progress at t. */
int hold_finish(struct hold *h, double t, const struct motion_params *p,
                struct motion_event *ev, int max);

#endif
