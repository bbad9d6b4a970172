/* SPDX-License-Identifier: GPL-3.0-or-later */
/* leg: a second, independent model of the leg, for an evaluation that is
 * not only the thigh model checking itself (sim.c).
 *
 * Two segments: the thigh turns at the hip, which rides on a pelvis that
 * tilts with the movement (knees rocking rolls the pelvis), and the shank
 * turns at the knee, which bends and straightens as the thigh swings. The
 * strap sits on the thigh's soft tissue: it rolls about the thigh a little
 * as the knee bends, and it sits at a random rotation. Movements are
 * strings of minimum-jerk strokes between turning points, so a cycle's two
 * halves can differ (a quick push and a slow return, a swing then a pause),
 * with the period and swing varying cycle to cycle as they do in people,
 * fading out at the end of a set; sway and micro-bounce are added on top.
 * The sensor: per-axis scale and cross-axis errors, a gyro bias (up to the
 * option's value) that drifts with temperature and wanders, noise, the
 * MPU-6050's steps and limits, a jittering sample clock and lost samples.
 *
 * Angular rate comes from the relative rotation across +-h (axis and angle),
 * not from sim.c's derivative of the rotation matrix. */
#include "leg.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define G0 9.80665
#define D2R (M_PI / 180.0)
#define R2D (180.0 / M_PI)
#define MAX_KNOTS 200000
#define MAX_OSC 64

/* xorshift128+: a different generator from sim.c's splitmix64 */
struct lrng {
    uint64_t a, b;
};

static uint64_t lr_next(struct lrng *r)
{
    uint64_t x = r->a, y = r->b;
    r->a = y;
    x ^= x << 23;
    r->b = x ^ y ^ (x >> 17) ^ (y >> 26);
    return r->b + y;
}

static double lr_unit(struct lrng *r)
{
    return (double)(lr_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static double lr_range(struct lrng *r, double lo, double hi)
{
    return lo + (hi - lo) * lr_unit(r);
}

/* Gaussian from the sum of four uniforms, clipped: no tails beyond 2.5 sd */
static double lr_norm(struct lrng *r)
{
    /* one draw a statement: C leaves the order of the operands of + open
     * (see sim_draw_order in sim.c) */
    double s = lr_unit(r);
    s += lr_unit(r);
    s += lr_unit(r);
    s += lr_unit(r);
    s -= 2.0;
    s *= sqrt(3.0); /* variance of the sum is 1/3 */
    return s > 2.5 ? 2.5 : s < -2.5 ? -2.5 : s;
}

/* A knot: the hip angle (deg of flexion from the set's base) reached at t,
 * approached by a minimum-jerk stroke from the previous knot. */
struct knot {
    double t, hip;
};

/* Added oscillations: sway and micro-bounce, with a per-cycle period and
 * amplitude table, faded in and out over a quarter cycle. */
struct addosc {
    double t0, t1;
    double per[512], amp[512];
    int n;
};

struct leg {
    struct knot *k;
    size_t nk;
    struct addosc osc[MAX_OSC];
    int nosc;
    double base;        /* posture the knots are relative to (deg) */
    double t;           /* end of the timeline */
    double hip;         /* hip angle at t */
    double breath_amp, breath_hz;
    struct lrng *r;
    struct sim_truth *truth;
    bool full;
};

static void knot(struct leg *L, double dt, double hip)
{
    if (L->nk == MAX_KNOTS) {
        L->full = true;
        return;
    }
    L->t += dt;
    L->hip = hip;
    L->k[L->nk++] = (struct knot){L->t, hip};
}

static void truth(struct leg *L, double t0, double t1, enum sim_kind k, int count)
{
    struct sim_truth *t = L->truth;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 32;
        struct sim_truth_seg *s = realloc(t->seg, cap * sizeof *s);
        if (!s) {
            L->full = true;
            return;
        }
        t->seg = s;
        t->cap = cap;
    }
    t->seg[t->n++] = (struct sim_truth_seg){t0, t1, k, count > 0 ? count / (t1 - t0) : 0,
                                            count};
}

/* Stillness: the hip stays where it is (breathing is added everywhere). */
static void rest(struct leg *L, double secs)
{
    knot(L, secs, L->hip);
}

/* Fidgeting: a few shifts of 3-12 degrees at uneven times. */
static void fidget(struct leg *L, double secs, double to);

/* Fidgeting for lo..hi seconds into a posture shifted by slo..shi degrees
 * (the draws in a fixed order: C leaves the order of a call's arguments
 * open, and the same seed must give the same trace on every machine). */
static void fidget_shift(struct leg *L, double lo, double hi, double slo, double shi)
{
    double secs = lr_range(L->r, lo, hi);
    double shift = lr_range(L->r, slo, shi);
    fidget(L, secs, L->hip + shift);
}

static void fidget(struct leg *L, double secs, double to)
{
    double t0 = L->t, end = L->t + secs;
    while (L->t < end - 2 && !L->full) {
        double dur = lr_range(L->r, 0.4, 1.2);
        knot(L, dur, L->hip + lr_range(L->r, -12, 12));
        if (lr_unit(L->r) < 0.5)
            rest(L, lr_range(L->r, 0.2, 1.0));
    }
    knot(L, fmax(end - L->t, 1.0), to);
    truth(L, t0, L->t, SIM_REST, 0);
}

struct set_shape {
    double hz, ratio;   /* rate; long half / short half (1..3) */
    double pause;       /* share of the long half spent still at its end (0..0.6) */
    bool push_long;     /* the push (first half) is the long one */
    double per_cv, swing_cv; /* cycle-to-cycle variation */
    double swing;       /* mean peak-to-peak, deg */
    int cycles;
    int fade;           /* cycles fading out after the set (not counted) */
};

/* One rocking set from rest at the current hip angle: each cycle goes out
 * by the swing and back (the rest position is one end of the swing, as
 * when the knees are drawn to the chest and let back). Truth: from the
 * first push to the end of the last counted cycle. */
static void rock(struct leg *L, const struct set_shape *sh)
{
    double home = L->hip, t0 = L->t;
    double dir = lr_unit(L->r) < 0.5 ? 1 : -1;
    double per_mean = 1 / sh->hz;
    for (int c = 0; c < sh->cycles + sh->fade && !L->full; c++) {
        double per = per_mean * (1 + sh->per_cv * lr_norm(L->r));
        if (per < 0.55 * per_mean)
            per = 0.55 * per_mean;
        double sw = sh->swing * (1 + sh->swing_cv * lr_norm(L->r));
        if (sw < 0.55 * sh->swing)
            sw = 0.55 * sh->swing;
        if (c >= sh->cycles)
            sw = sh->swing * 0.3 * pow(0.6, c - sh->cycles); /* fading */
        double shortp = per / (1 + sh->ratio), longp = per - shortp;
        double push = sh->push_long ? longp : shortp, back = per - push;
        if (sh->push_long) {
            double still = push * sh->pause;
            knot(L, push - still, home + dir * sw);
            knot(L, still, home + dir * sw);
            knot(L, back, home);
        } else {
            double still = back * sh->pause;
            knot(L, push, home + dir * sw);
            knot(L, back - still, home);
            knot(L, still, home);
        }
        if (c + 1 == sh->cycles)
            truth(L, t0, L->t, SIM_ROCKING, sh->cycles);
    }
}

/* An added oscillation (sway, bounce) of n cycles about hz from now; the
 * timeline is held still under it. */
static int add_osc(struct leg *L, double hz, double pp, double per_cv, double amp_cv,
                   double secs)
{
    if (L->nosc == MAX_OSC)
        return 0;
    struct addosc *o = &L->osc[L->nosc++];
    o->t0 = L->t;
    double t = 0;
    o->n = 0;
    while (t < secs && o->n < 512) {
        double per = (1 + per_cv * lr_norm(L->r)) / hz;
        o->per[o->n] = per;
        o->amp[o->n] = pp / 2 * (1 + amp_cv * lr_norm(L->r));
        t += per;
        o->n++;
    }
    o->t1 = o->t0 + t;
    rest(L, t);
    return o->n;
}

static double osc_at(const struct addosc *o, double t)
{
    if (t <= o->t0 || t >= o->t1)
        return 0;
    double u = t - o->t0;
    int i = 0;
    while (i < o->n - 1 && u > o->per[i]) {
        u -= o->per[i];
        i++;
    }
    double ph = u / o->per[i];
    double q0 = o->per[0] / 4, q1 = o->per[o->n - 1] / 4;
    double e0 = fmin(1, (t - o->t0) / q0), e1 = fmin(1, (o->t1 - t) / q1);
    double env = e0 * e0 * (3 - 2 * e0) * e1 * e1 * (3 - 2 * e1);
    return env * o->amp[i] * sin(2 * M_PI * ph);
}

static double breath_at(const struct leg *L, double t)
{
    return L->breath_amp * sin(2 * M_PI * L->breath_hz * t);
}

static double minjerk(double u)
{
    return u <= 0 ? 0 : u >= 1 ? 1 : u * u * u * (10 - 15 * u + 6 * u * u);
}

static double hip_at(const struct leg *L, double t)
{
    /* binary search for the stroke that contains t */
    size_t lo = 0, hi = L->nk;
    if (L->nk == 0 || t <= L->k[0].t)
        return L->nk ? L->k[0].hip : 0;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (L->k[mid].t <= t)
            lo = mid;
        else
            hi = mid;
    }
    if (lo + 1 >= L->nk)
        return L->k[L->nk - 1].hip;
    const struct knot *a = &L->k[lo], *b = &L->k[lo + 1];
    double v = a->hip + (b->hip - a->hip) * minjerk((t - a->t) / (b->t - a->t));
    for (int i = 0; i < L->nosc; i++)
        v += osc_at(&L->osc[i], t);
    return v;
}

/* ---- scenarios ---- */

static void shape_default(struct leg *L, struct set_shape *sh)
{
    sh->hz = lr_range(L->r, 0.7, 1.4);
    sh->ratio = lr_range(L->r, 1.0, 1.4);
    sh->pause = 0;
    sh->push_long = lr_unit(L->r) < 0.5;
    sh->per_cv = lr_range(L->r, 0.02, 0.06);
    sh->swing_cv = lr_range(L->r, 0.03, 0.1);
    sh->swing = lr_range(L->r, 6, 25);
    sh->cycles = (int)lr_range(L->r, 15, 35);
    sh->fade = 0;
}

/* halves stay within 2 s: the slowest rate the configuration allows */
static void clamp_halves(struct set_shape *sh)
{
    double per = 1 / sh->hz, longp = per * sh->ratio / (1 + sh->ratio);
    if (longp > 2.0)
        sh->ratio = fmax(1.0, 2.0 / (per - 2.0));
}

static void sc_lopsided(struct leg *L)
{
    fidget_shift(L, 4, 8, -10, 10);
    for (int s = 0; s < 2; s++) {
        struct set_shape sh;
        shape_default(L, &sh);
        sh.hz = lr_range(L->r, 0.45, 1.4);
        sh.ratio = lr_range(L->r, 1.5, 3.0);
        if (lr_unit(L->r) < 0.4)
            sh.pause = lr_range(L->r, 0.2, 0.6); /* a swing, then a pause */
        clamp_halves(&sh);
        rock(L, &sh);
        rest(L, lr_range(L->r, 0.5, 2));
        fidget_shift(L, 4, 7, -8, 8);
    }
}

static void sc_slow(struct leg *L)
{
    fidget(L, lr_range(L->r, 4, 8), L->hip);
    for (int s = 0; s < 2; s++) {
        struct set_shape sh;
        shape_default(L, &sh);
        sh.hz = lr_range(L->r, 0.3, 0.6);
        sh.ratio = lr_range(L->r, 1.0, 2.0);
        sh.swing = lr_range(L->r, 12, 35);
        sh.cycles = (int)lr_range(L->r, 8, 16);
        clamp_halves(&sh);
        rock(L, &sh);
        rest(L, lr_range(L->r, 0.5, 2));
        fidget_shift(L, 4, 7, -8, 8);
    }
}

static void sc_uneven(struct leg *L)
{
    fidget(L, lr_range(L->r, 4, 8), L->hip);
    struct set_shape sh;
    shape_default(L, &sh);
    sh.hz = lr_range(L->r, 0.7, 1.3);
    sh.per_cv = lr_range(L->r, 0.15, 0.25);
    sh.swing_cv = 0.3;
    sh.swing = lr_range(L->r, 8, 25);
    sh.cycles = (int)lr_range(L->r, 25, 45);
    rock(L, &sh);
    rest(L, lr_range(L->r, 0.5, 2));
    fidget(L, lr_range(L->r, 4, 7), L->hip);
}

static void sc_fade(struct leg *L)
{
    fidget(L, lr_range(L->r, 4, 8), L->hip);
    for (int s = 0; s < 2; s++) {
        struct set_shape sh;
        shape_default(L, &sh);
        sh.hz = lr_range(L->r, 0.8, 1.3);
        sh.fade = (int)lr_range(L->r, 2, 5);
        rock(L, &sh);
        rest(L, lr_range(L->r, 1, 3));
        fidget_shift(L, 4, 7, -8, 8);
    }
}

static void sc_sway(struct leg *L)
{
    /* knees up, resting between exercises: a small periodic sway, no set */
    fidget(L, lr_range(L->r, 4, 8), L->hip);
    for (int s = 0; s < 2; s++) {
        double t0 = L->t;
        rest(L, lr_range(L->r, 1, 3));
        double hz = lr_range(L->r, 0.6, 0.75), pp = lr_range(L->r, 1.5, 2.5);
        add_osc(L, hz, pp, 0.05, 0.15, lr_range(L->r, 20, 40));
        rest(L, lr_range(L->r, 1, 3));
        truth(L, t0, L->t, SIM_REST, 0);
        fidget_shift(L, 4, 7, -8, 8);
    }
}

static void sc_bounce(struct leg *L)
{
    fidget(L, lr_range(L->r, 4, 8), L->hip);
    for (int s = 0; s < 2; s++) {
        rest(L, lr_range(L->r, 1, 2));
        double t0 = L->t;
        double hz = lr_range(L->r, 1.5, 5.0), pp = lr_range(L->r, 0.5, 4.0);
        int n = add_osc(L, hz, pp, 0.04, 0.12, lr_range(L->r, 25, 32));
        truth(L, t0, L->t, SIM_BOUNCE, n);
        rest(L, lr_range(L->r, 1, 2));
        fidget_shift(L, 4, 7, -8, 8);
    }
}

/* Rocking from the first sample (a recording started mid-movement): no
 * stillness to learn the bias from before it. */
static void sc_cold(struct leg *L)
{
    struct set_shape sh;
    shape_default(L, &sh);
    sh.ratio = lr_range(L->r, 1.0, 2.0);
    sh.cycles = (int)lr_range(L->r, 25, 45);
    knot(L, 0.05, L->hip);
    rock(L, &sh);
    rest(L, lr_range(L->r, 1, 3));
    fidget(L, lr_range(L->r, 4, 7), L->hip);
}

struct leg_scenario {
    const char *name, *help;
    void (*build)(struct leg *L);
};

static const struct leg_scenario leg_scenarios[] = {
    {"leg-lopsided", "leg model: two lopsided rocking sets (halves up to 3:1, some a swing then a pause)", sc_lopsided},
    {"leg-slow", "leg model: two slow rocking sets, 0.3-0.6 cycles/s, halves up to 2 s", sc_slow},
    {"leg-uneven", "leg model: uneven rocking (period +-15-25 %, swing +-30 %)", sc_uneven},
    {"leg-fade", "leg model: two rocking sets that fade out rather than stop", sc_fade},
    {"leg-sway", "leg model: knees up at rest with a 2 deg sway at 0.6-0.75/s: no set", sc_sway},
    {"leg-bounce", "leg model: two rounds of micro-bounce, 1.5-5/s, 0.5-4 deg", sc_bounce},
    {"leg-cold", "leg model: rocking from the first sample, no still start", sc_cold},
};

#define NLEG (sizeof leg_scenarios / sizeof leg_scenarios[0])

const char *leg_scenario_help(const char *name)
{
    for (size_t i = 0; i < NLEG; i++)
        if (strcmp(leg_scenarios[i].name, name) == 0)
            return leg_scenarios[i].help;
    return NULL;
}

/* ---- the body and the sensor ---- */

typedef double m3[3][3];

static void m3_mul(const m3 a, const m3 b, m3 out)
{
    m3 r;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            r[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
    memcpy(out, r, sizeof r);
}

/* rotation by deg about unit axis u (Rodrigues) */
static void m3_axis(const double u[3], double deg, m3 m)
{
    double c = cos(deg * D2R), s = sin(deg * D2R), k = 1 - c;
    m[0][0] = c + u[0] * u[0] * k;
    m[0][1] = u[0] * u[1] * k - u[2] * s;
    m[0][2] = u[0] * u[2] * k + u[1] * s;
    m[1][0] = u[1] * u[0] * k + u[2] * s;
    m[1][1] = c + u[1] * u[1] * k;
    m[1][2] = u[1] * u[2] * k - u[0] * s;
    m[2][0] = u[2] * u[0] * k - u[1] * s;
    m[2][1] = u[2] * u[1] * k + u[0] * s;
    m[2][2] = c + u[2] * u[2] * k;
}

struct body {
    double base_elev;   /* thigh elevation at hip angle 0, deg */
    double abduct;      /* thigh out to the side, deg */
    double pelvis_gain; /* pelvis tilt per degree of hip movement */
    double knee_gain;   /* knee bend per degree of hip movement */
    double slip;        /* strap roll per degree of knee bend */
    double hip_off;     /* hip joint from the pelvis's pivot, m */
    double sensor[3];   /* sensor on the thigh: along, across, off the bone, m */
};

/* The thigh's rotation (thigh frame to world: x along the thigh, hip to
 * knee; y across; z out of the front) and the sensor's position. */
static void body_at(const struct body *b, double hip, m3 R, double pos[3])
{
    static const double ey[3] = {0, 1, 0}, ez[3] = {0, 0, 1};
    double tilt = b->pelvis_gain * hip;
    double knee = 90 + b->knee_gain * hip;
    m3 rz, ry, rx, pel;
    m3_axis(ez, b->abduct, rz);
    m3_axis(ey, -(b->base_elev + hip + tilt), ry);
    double ex[3] = {1, 0, 0};
    m3_axis(ex, b->slip * (knee - 90), rx);
    m3_mul(rz, ry, R);
    m3_mul(R, rx, R);
    /* the hip rides on the tilting pelvis */
    m3_axis(ey, -tilt, pel);
    double hipv[3] = {b->hip_off, 0, 0.05};
    double hp[3];
    for (int i = 0; i < 3; i++)
        hp[i] = pel[i][0] * hipv[0] + pel[i][1] * hipv[1] + pel[i][2] * hipv[2];
    for (int i = 0; i < 3; i++)
        pos[i] = hp[i] + R[i][0] * b->sensor[0] + R[i][1] * b->sensor[1] +
                 R[i][2] * b->sensor[2];
}

static double mpu(double v, double lsb)
{
    double r = round(v * lsb);
    return (r > 32767 ? 32767 : r < -32768 ? -32768 : r) / lsb;
}

int leg_generate(const struct sim_options *opt, sim_sink sink, void *ctx,
                 struct sim_truth *tr)
{
    memset(tr, 0, sizeof *tr);
    const struct leg_scenario *sc = NULL;
    for (size_t i = 0; i < NLEG; i++)
        if (strcmp(leg_scenarios[i].name, opt->scenario) == 0)
            sc = &leg_scenarios[i];
    if (!sc || !(opt->rate_hz >= 10 && opt->rate_hz <= 1000))
        return -1;
    struct lrng rng = {opt->seed * 0x9E3779B97F4A7C15ull ^ 0x1234567u,
                       opt->seed + 0x5851F42D4C957F2Dull};
    for (int i = 0; i < 20; i++)
        lr_next(&rng);
    struct leg *L = calloc(1, sizeof *L);
    if (!L)
        return -1;
    L->k = malloc(MAX_KNOTS * sizeof *L->k);
    if (!L->k) {
        free(L);
        return -1;
    }
    L->r = &rng;
    L->truth = tr;
    L->k[L->nk++] = (struct knot){0, 0};
    sc->build(L);
    if (L->full) {
        free(L->k);
        free(L);
        sim_truth_free(tr);
        return -1;
    }
    rest(L, 2);
    tr->duration_s = L->t;

    struct body b;
    b.base_elev = lr_range(&rng, 60, 110); /* lying, knees drawn up */
    b.abduct = lr_range(&rng, -15, 15);
    b.pelvis_gain = lr_range(&rng, 0.05, 0.2);
    b.knee_gain = lr_range(&rng, -0.6, 0.6);
    b.slip = lr_range(&rng, 0.02, 0.1);
    b.hip_off = lr_range(&rng, 0.08, 0.15);
    b.sensor[0] = lr_range(&rng, 0.15, 0.35);
    b.sensor[1] = lr_range(&rng, -0.03, 0.03);
    b.sensor[2] = lr_range(&rng, 0.05, 0.09);
    L->breath_amp = lr_range(&rng, 0.1, 0.6);
    L->breath_hz = lr_range(&rng, 0.2, 0.33);
    /* the strap at any rotation: a random axis and angle */
    m3 mount;
    double ax[3];
    for (int i = 0; i < 3; i++)
        ax[i] = lr_norm(&rng);
    double an = sqrt(ax[0] * ax[0] + ax[1] * ax[1] + ax[2] * ax[2]);
    if (an < 1e-6) {
        ax[0] = 1;
        an = 1;
    }
    for (int i = 0; i < 3; i++)
        ax[i] /= an;
    m3_axis(ax, lr_range(&rng, 0, 360), mount);
    /* sensor errors */
    double bmax = opt->bias_dps > 0 ? opt->bias_dps : 3, noise = opt->noise > 0 ? opt->noise : 1;
    double bias[3], drift[3], scale[3], cross[3][3];
    for (int i = 0; i < 3; i++) {
        bias[i] = lr_range(&rng, -bmax, bmax);
        drift[i] = lr_range(&rng, -0.3, 0.3) / 60; /* dps per second, warming up */
        scale[i] = 1 + lr_range(&rng, -0.02, 0.02);
        for (int j = 0; j < 3; j++)
            cross[i][j] = i == j ? 0 : lr_range(&rng, -0.01, 0.01);
    }
    double drop = opt->drop_prob >= 0 ? opt->drop_prob : 0.003;
    double ascale[4] = {16384, 8192, 4096, 2048}, gscale[4] = {131, 65.5, 32.8, 16.4};
    int ai = opt->accel_range_g == 4 ? 1 : opt->accel_range_g == 8 ? 2
           : opt->accel_range_g == 16 ? 3 : 0;
    int gi = opt->gyro_range_dps == 500 ? 1 : opt->gyro_range_dps == 1000 ? 2
           : opt->gyro_range_dps == 2000 ? 3 : 0;
    snprintf(tr->description, sizeof tr->description,
             "leg model: sensor %.0f cm down the thigh, random strap rotation; pelvis "
             "tilt %.2f, knee %.2f deg/deg; gyro bias %.1f/%.1f/%.1f dps",
             b.sensor[0] * 100, b.pelvis_gain, b.knee_gain, bias[0], bias[1], bias[2]);

    const double h = 1.5e-3;
    double dt = 1.0 / opt->rate_hz;
    long n = (long)floor(L->t / dt);
    int rc = 0;
    double last_t = -1;
    for (long k = 0; k <= n && rc == 0; k++) {
        /* the sample clock jitters by up to 2 % of a period */
        double t = k * dt + (k > 0 ? lr_range(&rng, -0.02, 0.02) * dt : 0);
        /* breathing moves the hip angle a little everywhere: at each of
         * the three instants, so that the gyro sees it as the
         * accelerometer does (a real gyro turns with every breath) */
        double hp = hip_at(L, t + h) + breath_at(L, t + h), h0 = hip_at(L, t) + breath_at(L, t),
               hm = hip_at(L, t - h) + breath_at(L, t - h);
        m3 Rp, R0, Rm;
        double pp[3], p0[3], pm[3];
        body_at(&b, hp, Rp, pp);
        body_at(&b, h0, R0, p0);
        body_at(&b, hm, Rm, pm);
        /* angular rate in the thigh frame: log of Rm^T Rp over 2h */
        m3 rel;
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                rel[i][j] = Rm[0][i] * Rp[0][j] + Rm[1][i] * Rp[1][j] + Rm[2][i] * Rp[2][j];
        double tr3 = rel[0][0] + rel[1][1] + rel[2][2];
        double ang = acos(fmax(-1, fmin(1, (tr3 - 1) / 2)));
        double v[3] = {rel[2][1] - rel[1][2], rel[0][2] - rel[2][0], rel[1][0] - rel[0][1]};
        double vs = sin(ang);
        double w_thigh[3] = {0, 0, 0};
        if (vs > 1e-12)
            for (int i = 0; i < 3; i++)
                w_thigh[i] = v[i] / (2 * vs) * ang / (2 * h) * R2D;
        /* the sensor's specific force, in the thigh frame */
        double f_w[3], f_thigh[3];
        for (int i = 0; i < 3; i++)
            f_w[i] = (pp[i] - 2 * p0[i] + pm[i]) / (h * h);
        f_w[2] += G0;
        for (int i = 0; i < 3; i++)
            f_thigh[i] = R0[0][i] * f_w[0] + R0[1][i] * f_w[1] + R0[2][i] * f_w[2];
        double w_s[3], f_s[3];
        for (int i = 0; i < 3; i++) {
            w_s[i] = mount[0][i] * w_thigh[0] + mount[1][i] * w_thigh[1] + mount[2][i] * w_thigh[2];
            f_s[i] = mount[0][i] * f_thigh[0] + mount[1][i] * f_thigh[1] + mount[2][i] * f_thigh[2];
        }
        struct sample s = {.t = t};
        for (int i = 0; i < 3; i++) {
            bias[i] += 0.002 * sqrt(dt) * lr_norm(&rng);
            double g = w_s[i] * scale[i];
            for (int j = 0; j < 3; j++)
                g += cross[i][j] * w_s[j];
            g += bias[i] + drift[i] * t + 0.06 * noise * lr_norm(&rng);
            double a = f_s[i] / G0 * scale[i] + 0.005 * noise * lr_norm(&rng);
            s.g[i] = mpu(g, gscale[gi]);
            s.a[i] = mpu(a, ascale[ai]);
        }
        if (k > 0 && lr_unit(&rng) < drop)
            continue;
        if (!(t > last_t))
            continue;
        last_t = t;
        rc = sink(ctx, &s);
    }
    free(L->k);
    free(L);
    return rc;
}
