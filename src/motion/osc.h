/* osc: turning points of the oscillating thigh angle, grouped into sets of
 * rocking (about 0.5-2 cycles/s, larger swings) or micro-bounce (2-4 per
 * second, a few degrees). A set needs five regular turning points (two
 * full cycles) before it counts, so fidgets and repositioning never make
 * cycles. */
#ifndef STATION_OSC_H
#define STATION_OSC_H

#include <stdbool.h>

#include "motion.h"

#define OSC_HISTORY 16 /* turning points kept for the live rate and rhythm */

struct osc_turn {
    double t, v;      /* time and angle of the turning point */
    double peak_dps;  /* largest speed on the way to it */
    double jerk2;     /* integral of jerk^2 on the way to it */
    double dur;       /* time integrated over */
};

struct osc {
    /* turning-point finder */
    int dir;               /* +1 looking for a maximum, -1 for a minimum */
    double cand_v, cand_t; /* best candidate so far */
    double cand_prev, cand_next, cand_dt; /* neighbours, for a parabola */
    bool need_next;
    double prev_v;
    double peak_dps, jerk2, dur; /* since the last turning point */
    double swing_ref;      /* recent swing, scales the hysteresis */
    double dt_typ;         /* typical sample spacing */
    bool dropout;          /* samples were lost since the last turning point */

    /* the run of regular turning points in progress */
    struct osc_turn hist[OSC_HISTORY]; /* ring of the latest turning points */
    int nturns;            /* turning points in the run */
    double first_t, first_hp; /* first turning point of the run */
    double sum_hp;         /* sum of half periods in the run */
    double sum_p, sum_p2;  /* full periods (turn i to i+2): sum, sum of squares */
    int np;
    double sum_swing, sum_peak, sum_jerk2, sum_dur;
    int nswing;
    bool confirmed;        /* the run is a set */
    enum osc_kind kind;
    int cycles_reported;
    struct motion_live live; /* the live figures, as of the last turn */
    bool changed;          /* live figures changed since motion last read them */
};

void osc_init(struct osc *o);

/* One sample of the oscillating angle (deg), speed (deg/s) and jerk. Appends
 * events; returns how many. */
int osc_update(struct osc *o, double t, double v, double speed, double jerk, double dt,
               const struct motion_params *p, struct motion_event *ev, int max);

/* Ends the run in progress (end of data, gap). */
int osc_finish(struct osc *o, double t, struct motion_event *ev, int max);

/* Live figures over the last few cycles of the run in progress. */
void osc_live(const struct osc *o, struct motion_live *live);

#endif
