/* SPDX-License-Identifier: GPL-3.0-or-later */
/* orient: bias, swing axis, oscillation angle and thigh angle. */
#include "orient.h"

#include <string.h>

#include "filt.h"

/* Time constants, seconds. */
#define TAU_FAST 0.04   /* removes sensor noise, keeps a 4 Hz bounce */
#define TAU_MID 0.25    /* window of the variance tests */
#define TAU_COV 1.5     /* memory of the swing axis */
#define TAU_GRAV 1.0    /* accelerometer's pull on the gravity estimate */
#define TAU_BIAS 4.0    /* bias follows slow temperature drift */
#define TAU_LEAK 2.0    /* oscillation angle forgets offsets */
#define TAU_JERK 0.025  /* smoothing before each derivative */
#define TAU_SLOW 3.0    /* long-run gyro mean, twice: the bias before it is known */

/* Quiet enough to learn the gyro bias from: the gyro's own noise and the
 * breathing of a held posture pass, any real movement does not. */
#define QUIET_GYRO_SD 2.5    /* dps: breathing stays under it */
#define QUIET_ACCEL_SD 0.03  /* g: slow turning, no jolts */
#define QUIET_SPAN 20        /* snapshots: one second */
#define QUIET_TURN_DPS 1.5   /* dps: the thigh turned no faster across it */
#define BIAS_EVERY 4         /* snapshots between bias updates */
#define QUIET_VAR_FLOOR 0.05 /* dps^2: the gyro's own noise, about */
#define BIAS_AGE_S 10.0      /* a bias estimate is worth half after this */
/* The accelerometer's direction rate is measured over DIR_SPAN_S, from
 * snapshots every DIR_STEP_S: long enough to rise above its noise, short
 * enough to see a stop within a quarter second. */
#define DIR_STEP_S 0.05
#define DIR_SPAN 4

void orient_init(struct orient *o)
{
    memset(o, 0, sizeof *o);
    o->axis[0] = 1;
    o->grav[2] = 1;
}

void orient_restart(struct orient *o)
{
    o->started = false;
    o->ring_n = 0;
    o->osc = 0;
    o->w_s = o->al_s = o->jerk = 0;
}

static void set_alphas(struct orient *o, double dt)
{
    o->dt_cached = dt;
    o->al_fast = filt_alpha(dt, TAU_FAST);
    o->al_mid = filt_alpha(dt, TAU_MID);
    o->al_cov = filt_alpha(dt, TAU_COV);
    o->al_grav = filt_alpha(dt, TAU_GRAV);
    o->al_jerk = filt_alpha(dt, TAU_JERK);
    o->al_slow = filt_alpha(dt, TAU_SLOW);
    o->k_leak = 1.0 - filt_alpha(dt, TAU_LEAK);
    o->inv_dt = dt > 0 ? 1.0 / dt : 0;
}

static void first_sample(struct orient *o, const struct sample *s)
{
    memcpy(o->g_mid, s->g, sizeof o->g_mid);
    memcpy(o->g_fast, s->g, sizeof o->g_fast);
    if (!o->slow_started) {
        memcpy(o->g_slow, s->g, sizeof o->g_slow);
        memcpy(o->g_slow2, s->g, sizeof o->g_slow2);
        o->t_first = s->t;
        o->slow_started = true;
    }
    memcpy(o->a_fast, s->a, sizeof o->a_fast);
    o->g_var = 0;
    double a[3] = {s->a[0], s->a[1], s->a[2]};
    if (vec_normalize(a) == 0)
        memcpy(o->grav, a, sizeof a);
    o->started = true;
}

/* Gyro bias: the mean gyro reading while the thigh is provably still, i.e.
 * the last QUIET_SPAN snapshots hardly vary, gyro and accelerometer both.
 * Known a second after coming to rest; afterwards it follows slow drift. */
static void learn_bias(struct orient *o, int newest)
{
    /* every BIAS_EVERY-th snapshot is plenty for a quantity that drifts
     * over minutes */
    if (o->ring_n < QUIET_SPAN || o->ring_n % BIAS_EVERY != 0)
        return;
    double gm[3] = {0, 0, 0}, am[3] = {0, 0, 0}, g2 = 0, a2 = 0;
    for (int k = 0; k < QUIET_SPAN; k++) {
        const double *g = o->ring_g[(newest - k) & (ORIENT_RING - 1)];
        const double *a = o->ring[(newest - k) & (ORIENT_RING - 1)];
        for (int c = 0; c < 3; c++) {
            gm[c] += g[c];
            am[c] += a[c];
            g2 += g[c] * g[c];
            a2 += a[c] * a[c];
        }
    }
    const double inv = 1.0 / QUIET_SPAN;
    for (int c = 0; c < 3; c++) {
        gm[c] *= inv;
        am[c] *= inv;
    }
    double gv = g2 * inv - vec_dot(gm, gm), av = a2 * inv - vec_dot(am, am);
    if (gv > QUIET_GYRO_SD * QUIET_GYRO_SD || av > QUIET_ACCEL_SD * QUIET_ACCEL_SD)
        return;
    /* Slow enough that the accelerometer reads gravity alone: whatever
     * turning it saw across the window (breathing, a slow drift) is real
     * rotation, and what the gyro read beyond that is its bias. Gravity
     * seen from the sensor turns as dv/dt = -w x v, so the rotation rate
     * across gravity is -(v_old x v_new) / T. */
    int i_new = newest, i_new2 = (newest + ORIENT_RING - 1) % ORIENT_RING;
    int i_old = (newest - QUIET_SPAN + 1 + ORIENT_RING) % ORIENT_RING;
    int i_old2 = (i_old + 1) % ORIENT_RING;
    double v_new[3], v_old[3], c[3];
    for (int k = 0; k < 3; k++) {
        v_new[k] = o->ring[i_new][k] + o->ring[i_new2][k];
        v_old[k] = o->ring[i_old][k] + o->ring[i_old2][k];
    }
    double span = 0.5 * (o->ring_t[i_new] + o->ring_t[i_new2] - o->ring_t[i_old] -
                         o->ring_t[i_old2]);
    if (vec_normalize(v_new) < 0 || vec_normalize(v_old) < 0 || !(span > 0))
        return;
    vec_cross(v_old, v_new, c);
    /* Turning steadily is not still: what the accelerometer cannot see
     * (turning about gravity) would go into the bias. */
    if (vec_norm(c) / span * DEG > QUIET_TURN_DPS)
        return;
    for (int k = 0; k < 3; k++)
        gm[k] += c[k] / span * DEG;
    /* A window that was barely still (a pause in a fidget) gives a rough
     * bias; a stiller one replaces it, weighed by how still each was (the
     * older estimate trusted less as the bias drifts); otherwise the bias
     * follows slow drift. */
    double q = gv + QUIET_VAR_FLOOR, t = o->ring_t[i_new];
    if (!o->bias_known) {
        memcpy(o->bias, gm, sizeof o->bias);
        o->bias_known = true;
        o->bias_var = q;
    } else {
        double old = o->bias_var * (1 + (t - o->bias_t) / BIAS_AGE_S);
        double k = BIAS_EVERY * DIR_STEP_S / TAU_BIAS;
        if (q < old) {
            k = fmax(k, old / (old + q));
            o->bias_var = q;
        } else {
            o->bias_var = old;
        }
        filt_ema3(o->bias, gm, k);
    }
    o->bias_t = t;
}

/* Takes a snapshot of the smoothed readings every DIR_STEP_S (returns true
 * when it did), learns the bias from them, and measures the direction rate
 * from the accelerometer alone: that catches a slow steady turn a gyro with
 * unknown bias cannot tell from its bias. */
static bool snapshot(struct orient *o, double t)
{
    int last = (o->ring_n + ORIENT_RING - 1) % ORIENT_RING;
    if (o->ring_n > 0 && t - o->ring_t[last] < DIR_STEP_S)
        return false;
    int i = o->ring_n % ORIENT_RING;
    memcpy(o->ring[i], o->a_fast, sizeof o->ring[i]);
    memcpy(o->ring_g[i], o->g_fast, sizeof o->ring_g[i]);
    o->ring_t[i] = t;
    o->ring_n++;
    if (o->ring_n > 1) {
        int k = (o->ring_n - 2) % ORIENT_RING;
        double a0[3], a1[3], c[3];
        memcpy(a0, o->ring[k], sizeof a0);
        memcpy(a1, o->ring[i], sizeof a1);
        double span = t - o->ring_t[k];
        if (vec_normalize(a0) == 0 && vec_normalize(a1) == 0 && span > 0) {
            vec_cross(a0, a1, c);
            for (int j = 0; j < 3; j++)
                o->acc_turn[j] = c[j] / span * DEG;
        }
    }
    learn_bias(o, i);
    if (o->ring_n <= DIR_SPAN)
        return true;
    int j = (o->ring_n - 1 - DIR_SPAN) % ORIENT_RING;
    double c[3];
    vec_cross(o->ring[i], o->ring[j], c);
    double n = vec_norm(o->ring[i]) * vec_norm(o->ring[j]);
    double span = t - o->ring_t[j];
    o->dir_rate = n > 0 && span > 0 ? asin(fmin(1, vec_norm(c) / n)) * DEG / span : 0;
    return true;
}

/* One power-iteration step a <- C a / |C a| per sample: the axis follows the
 * dominant rotation and, C being positive semi-definite, never flips sign.
 * Power iteration cannot leave a start orthogonal to the true axis, so when
 * the current axis explains less than the largest diagonal term of C, it
 * restarts from that coordinate axis. */
static void track_axis(struct orient *o, const double gh[3])
{
    double *c = o->cov;
    const double prod[6] = {gh[0] * gh[0], gh[1] * gh[1], gh[2] * gh[2],
                            gh[0] * gh[1], gh[0] * gh[2], gh[1] * gh[2]};
    for (int i = 0; i < 6; i++)
        c[i] += o->al_cov * (prod[i] - c[i]);
    /* Only steer by real rotation, not by the noise of a still sensor. */
    if (c[0] + c[1] + c[2] <= 1.0)
        return;
    double *a = o->axis;
    double v[3] = {c[0] * a[0] + c[3] * a[1] + c[4] * a[2],
                   c[3] * a[0] + c[1] * a[1] + c[5] * a[2],
                   c[4] * a[0] + c[5] * a[1] + c[2] * a[2]};
    int k = c[0] >= c[1] ? (c[0] >= c[2] ? 0 : 2) : (c[1] >= c[2] ? 1 : 2);
    if (vec_dot(a, v) < c[k]) {
        double e[3] = {0, 0, 0};
        e[k] = a[k] < 0 ? -1 : 1;
        v[0] = c[0] * e[0] + c[3] * e[1] + c[4] * e[2];
        v[1] = c[3] * e[0] + c[1] * e[1] + c[5] * e[2];
        v[2] = c[4] * e[0] + c[5] * e[1] + c[2] * e[2];
    }
    if (vec_normalize(v) == 0)
        memcpy(o->axis, v, sizeof v);
}

/* Gravity as seen from the sensor turns opposite to the sensor's own
 * rotation; the accelerometer pulls it back, but only when it reads close
 * to 1 g, i.e. when it is mostly gravity. */
static void track_gravity(struct orient *o, const double w_dps[3], const double a[3],
                          double dt)
{
    const double k_rad = RAD * dt;
    double w[3] = {w_dps[0] * k_rad, w_dps[1] * k_rad, w_dps[2] * k_rad};
    double d[3];
    vec_cross(w, o->grav, d);
    for (int i = 0; i < 3; i++)
        o->grav[i] -= d[i];
    double an = vec_norm(a);
    if (an > 0.85 && an < 1.15) {
        double k = 1.0 / an;
        for (int i = 0; i < 3; i++)
            o->grav[i] += o->al_grav * (a[i] * k - o->grav[i]);
    }
    double gn = vec_norm(o->grav);
    if (gn > 1e-9) {
        double k = 1.0 / gn;
        for (int i = 0; i < 3; i++)
            o->grav[i] *= k;
    }
}

/* The thigh angle: gravity's direction about the swing axis, measured from
 * the direction it had when the thigh was first still. */
static double thigh_angle(struct orient *o)
{
    const double *ax = o->axis;
    double e1[3], e2[3];
    double k = vec_dot(o->ref, ax);
    for (int i = 0; i < 3; i++)
        e1[i] = o->ref[i] - k * ax[i];
    if (vec_normalize(e1) < 0)
        return o->angle;
    vec_cross(ax, e1, e2);
    return atan2(vec_dot(o->grav, e2), vec_dot(o->grav, e1)) * DEG;
}

void orient_update(struct orient *o, const struct sample *s, double dt)
{
    if (!o->started) {
        first_sample(o, s);
        o->t = s->t;
        return;
    }
    o->t = s->t;
    /* Timestamps printed to the microsecond jitter a little: recompute the
     * filter constants only when the spacing really changes. */
    if (fabs(dt - o->dt_cached) > 1e-3 * dt)
        set_alphas(o, dt);

    /* The gyro's varying part needs no bias: it steers the swing axis, and
     * its variance stands in for motion until the bias is known. */
    double dg[3];
    for (int i = 0; i < 3; i++)
        dg[i] = s->g[i] - o->g_mid[i];
    filt_ema3(o->g_mid, s->g, o->al_mid);
    filt_ema(&o->g_var, vec_dot(dg, dg), o->al_mid);
    filt_ema3(o->g_fast, s->g, o->al_fast);
    filt_ema3(o->a_fast, s->a, o->al_fast);

    /* Slow work (bias, direction rate, thigh angle) on snapshots every
     * DIR_STEP_S, whatever the sample rate. */
    o->snapshot = snapshot(o, s->t);

    track_axis(o, dg);

    /* Until the bias is known (rocking from the first sample, no still
     * moment yet), the gyro's long-run mean stands in for it: over several
     * cycles of an oscillation the thigh's own rotation averages out. */
    /* A start in motion: the mean since the first sample until TAU_SLOW
     * has passed, then a moving one, of the gyro less the turning the
     * accelerometer saw (what the thigh really turned across gravity: a
     * shift of posture, and most of an oscillation); smoothed twice, so
     * that what is left of an oscillation leaves a ripple of
     * (1 / (w tau))^2 of its speed, not 1 / (w tau). */
    if (!o->bias_known) {
        double since = s->t - o->t_first;
        double al = since > TAU_SLOW ? o->al_slow : dt / (since > dt ? since : dt);
        double gc[3] = {s->g[0] + o->acc_turn[0], s->g[1] + o->acc_turn[1],
                        s->g[2] + o->acc_turn[2]};
        filt_ema3(o->g_slow, gc, al);
        filt_ema3(o->g_slow2, o->g_slow, al);
    }
    const double *off = o->bias_known ? o->bias : o->g_slow2;
    double w[3];
    for (int i = 0; i < 3; i++)
        w[i] = s->g[i] - off[i];
    /* The trapezoid between this sample's speed and the last one's: across
     * a few lost samples the angle then moves by their mean, not by a whole
     * step at the new speed (which, in a fast bounce, shifts it by more
     * than the bounce's swing). */
    double prev = o->omega;
    o->omega = vec_dot(w, o->axis);
    double step = 0.5 * (prev + o->omega) * dt;
    o->osc = o->osc * o->k_leak + step;
    o->turned += step;

    double wf[3] = {o->g_fast[0] - o->bias[0], o->g_fast[1] - o->bias[1],
                    o->g_fast[2] - o->bias[2]};
    o->motion = o->bias_known ? vec_norm(wf) : 2.0 * sqrt(o->g_var);

    track_gravity(o, w, s->a, dt);
    o->yaw += vec_dot(w, o->grav) * dt;
    if (!o->have_ref && o->bias_known) {
        memcpy(o->ref, o->grav, sizeof o->ref);
        o->have_ref = true;
    }
    if (o->snapshot)
        o->angle = o->have_ref ? thigh_angle(o) : 0;

    /* Jerk about the axis: smoothed before each derivative so sensor noise
     * at high sample rates does not swamp it. */
    double w_prev = o->w_s, al_prev = o->al_s;
    filt_ema(&o->w_s, o->omega, o->al_jerk);
    filt_ema(&o->al_s, (o->w_s - w_prev) * o->inv_dt, o->al_jerk);
    filt_ema(&o->jerk, (o->al_s - al_prev) * o->inv_dt, o->al_jerk);
}

double orient_rest_since(const struct orient *o, double t, double dps)
{
    double since = t;
    int n = o->ring_n < ORIENT_RING ? o->ring_n : ORIENT_RING;
    for (int k = 0; k < n; k++) {
        int i = (o->ring_n - 1 - k) % ORIENT_RING;
        double w[3] = {o->ring_g[i][0] - o->bias[0], o->ring_g[i][1] - o->bias[1],
                       o->ring_g[i][2] - o->bias[2]};
        if (vec_norm(w) >= dps)
            break;
        since = o->ring_t[i];
    }
    return since;
}
