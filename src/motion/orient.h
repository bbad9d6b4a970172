/* SPDX-License-Identifier: GPL-3.0-or-later */
/* orient: from raw accel+gyro to the quantities the detectors use, with no
 * assumption about how the sensor sits on the thigh.
 *  - gyro bias, calibrated whenever the thigh is still (bias-free tests:
 *    low gyro and accel variance);
 *  - the swing axis, the principal direction of the gyro's varying part;
 *  - the angular speed about that axis and its oscillating angle (a leaky
 *    integral: offsets from bias and posture changes fade out);
 *  - a gravity direction tracked by gyro and corrected by the accelerometer,
 *    and from it the thigh angle about the swing axis (no drift);
 *  - a motion level for the hold detector. */
#ifndef STATION_ORIENT_H
#define STATION_ORIENT_H

#include <stdbool.h>

#include "../sensor/sample.h"

#define ORIENT_RING 64 /* snapshots every 50 ms: 3.2 s of history (a power of 2) */

struct orient {
    bool started;
    double t;            /* last sample */
    double dt_cached;    /* alphas below are for this dt */
    double al_fast, al_mid, al_cov, al_grav, al_jerk, al_slow;
    double k_leak;       /* leaky integrator decay per sample */
    double inv_dt;
    bool snapshot;       /* this sample took a snapshot (every DIR_STEP_S) */

    double g_mid[3];     /* gyro, mid-speed mean (bias-free variance) */
    double g_var;        /* gyro variance about g_mid, (dps)^2 */
    double g_fast[3];    /* gyro, lightly smoothed */
    double g_slow[3];    /* gyro, long-run mean */
    double g_slow2[3];   /* the same smoothed again: the bias until it is known */
    double t_first;      /* first sample since the start (warm-up of the mean) */
    bool slow_started;
    double acc_turn[3];  /* minus the turning the accelerometer saw between
                            the last two snapshots, deg/s */
    double a_fast[3];
    /* accel direction every DIR_STEP_S, to measure how fast it turns */
    double ring[ORIENT_RING][3], ring_g[ORIENT_RING][3], ring_t[ORIENT_RING];
    int ring_n;
    double bias[3];
    bool bias_known;
    double bias_var;     /* gyro variance of the window the bias came from */
    double bias_t;       /* when it was last updated */

    double cov[6];       /* EMA of high-passed gyro outer product: xx yy zz xy xz yz */
    double axis[3];      /* unit swing axis in the sensor frame */

    double grav[3];      /* unit gravity direction in the sensor frame */
    double ref[3];       /* reference gravity for the thigh angle */
    bool have_ref;

    /* outputs */
    double omega;        /* deg/s about the axis, bias removed */
    double osc;          /* oscillating angle, deg (leaky: for display) */
    double turned;       /* integral of omega, deg: turning points are found on
                            it; its offset and slow drift do not matter */
    double angle;        /* thigh angle about the axis, deg (per snapshot) */
    double yaw;          /* integral of the turning about gravity (the
                            vertical), deg: the body turning round */
    double motion;       /* deg/s: how much the thigh is turning (holds) */
    double dir_rate;     /* deg/s: how fast the gravity direction moves (accel only) */
    double jerk;         /* deg/s^3 about the axis, smoothed */
    double w_s, al_s;    /* smoothed omega and angular acceleration (for jerk) */
};

void orient_init(struct orient *o);

/* Restarts the filters after a gap, keeping what is slow to learn (bias,
 * axis, reference). */
void orient_restart(struct orient *o);

/* Takes one sample; dt is the time since the previous one (0 for the first). */
void orient_update(struct orient *o, const struct sample *s, double dt);

/* When did the thigh come to rest? Looks back through the last seconds for
 * the start of the stretch in which it turned slower than dps (with the
 * current bias). Returns t when it is not at rest now. Lets a hold be dated
 * from the moment of rest even when the bias was learnt only later. */
double orient_rest_since(const struct orient *o, double t, double dps);

#endif
