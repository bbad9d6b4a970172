/* SPDX-License-Identifier: GPL-3.0-or-later */
/* osc: turning points of the oscillating thigh angle, grouped into sets of
 * rocking (about 0.25-2 cycles/s, larger swings; the two halves of a cycle
 * may differ up to 3:1, each up to 2 s) or micro-bounce (1.5-5 per second,
 * a fraction of a degree to a few). A set needs five regular turning points
 * (two full cycles) before it counts, so fidgets and repositioning never
 * make cycles. */
#ifndef STATION_OSC_H
#define STATION_OSC_H

#include <stdbool.h>

#include "motion.h"

#define OSC_HISTORY 16 /* turning points kept for the live rate and rhythm */
#define OSC_MICRO 5    /* small turning points that reveal a hidden bounce */

struct osc_turn {
    double t, v;      /* time and angle of the turning point */
    double t_in, t_out; /* when the angle came within reach of it and left:
                           a pause at a turning point lies between */
    double peak_dps;  /* largest speed on the way to it */
    double jerk2;     /* integral of jerk^2 on the way to it */
    double dur;       /* time integrated over */
    double yaw;       /* the turning about the vertical so far, deg (NaN
                         for a turning point put in, not found) */
};

struct osc {
    /* turning-point finder */
    int dir;               /* +1 looking for a maximum, -1 for a minimum */
    double cand_v, cand_t; /* best candidate so far */
    double cand_prev, cand_next, cand_dt; /* neighbours, for a parabola */
    bool need_next;
    double prev_v, prev_t;
    double near_in, near_out; /* the candidate's dwell: first and last time
                                 within reach of it */
    double dep_v, dep_out; /* the opposite extreme since the last turning
                              point, and when the angle left it */
    double cdep_v, cdep_out; /* the same, as it was at the candidate */
    double peak_dps, jerk2, dur; /* since the last turning point */
    double swing_ref;      /* recent swing, scales the hysteresis */
    double hyst, eps;      /* hysteresis and reach, from swing_ref */
    double t_stop, t_check; /* the run has stopped after t_stop; t_check is
                              when to look at it next */
    double dt_typ;         /* typical sample spacing */
    bool dropout;          /* samples were lost since the last turning point */
    double main_t;         /* the finder's last turning point */

    /* a second finder with the smallest hysteresis: a micro-bounce begun
     * right after a big move, which the first finder's hysteresis (set by
     * that move) hides until the move's run has stopped */
    int mdir;
    double mcand_v, mcand_t;
    double micro_t[OSC_MICRO], micro_v[OSC_MICRO]; /* latest first */
    int nmicro;

    /* the run of regular turning points in progress */
    struct osc_turn hist[OSC_HISTORY]; /* ring of the latest turning points */
    int nturns;            /* turning points in the run, virtual ones included */
    double first_t, first_hp; /* first turning point of the run */
    double sum_hp;         /* sum of half periods in the run (between real
                              turning points) */
    int nhalf;             /* half periods summed */
    double real_first_t;   /* first real turning point */
    int nvirt;             /* 1 when the run starts with its departure from
                              rest, a virtual turning point */
    bool virt_end;         /* the run ended with its arrival at rest */
    bool eased_end;        /* its last half eased out: not in the rate */
    struct osc_turn pend, pend_pre; /* a small half of a set, held back
                              until the next half says whether it fades */
    bool has_pend;
    double fade_ref;       /* swing of a set that faded out, until a pause:
                              what follows is its fade, not a new set */
    struct osc_turn pre;   /* where the movement left rest, before the run's
                              first turning point */
    bool pre_ok;
    double max_swing;
    double sum_wander;     /* |angle - angle two turning points before|: a
                              rocking thigh comes back to where it was */
    double sum_wander_b;   /* the same less the other side's move (bounce) */
    int nwander;
    double sum_p, sum_p2;  /* full periods (turn i to i+2): sum, sum of squares */
    int np;
    double sum_dp[2], last_dp; /* |period - the period before it|: the
                              rhythm, for maxima and minima apart */
    int ndp[2], last_par;
    double sum_dwell[2];   /* time spent at the turning points (within reach
                              of each), for maxima and minima apart */
    int ndwell[2];
    double sum_swing, sum_peak, sum_jerk2, sum_dur;
    int nswing;
    bool confirmed;        /* the run is a set */
    double sway;           /* not a set: the swing of its regular sway, or 0 */
    enum osc_kind kind;
    int cycles_reported;
    struct motion_live live; /* the live figures, as of the last turn */
    bool changed;          /* live figures changed since motion last read them */
};

void osc_init(struct osc *o);

/* One sample of the oscillating angle (deg), speed (deg/s), jerk and the
 * turning about the vertical so far (deg). Appends events; returns how
 * many. */
int osc_update(struct osc *o, double t, double v, double speed, double jerk, double yaw,
               double dt,
               const struct motion_params *p, struct motion_event *ev, int max);

/* Ends the run in progress (end of data, gap). */
int osc_finish(struct osc *o, double t, struct motion_event *ev, int max);

/* Live figures over the last few cycles of the run in progress. */
void osc_live(const struct osc *o, struct motion_live *live);

#endif
