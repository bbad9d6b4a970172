/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sim: scenario timeline -> thigh pose -> sensor physics -> MPU-6050 readings. */
#include "sim.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leg.h"

#define G0 9.80665
#define D2R (M_PI / 180.0)
#define R2D (180.0 / M_PI)
#define MAX_PIECES 4096
#define MAX_CYCLES 65536

/* ---- random numbers: splitmix64, reproducible on every platform ---- */

/* sim_draw_order: C leaves the order in which a call's arguments are
 * evaluated unspecified, and GCC evaluates them right to left on x86-64
 * but left to right on aarch64 and arm. A call with two draws among its
 * arguments therefore gave a different person on a Raspberry Pi for the
 * same seed. Every draw is a statement of its own, in the order x86-64
 * has always used (last argument first), so that the people, the
 * goldens and make eval stay what they were; never put two draws in one
 * call's arguments, or in one expression. */

struct rng {
    uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double rng_unit(struct rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static double rng_range(struct rng *r, double lo, double hi)
{
    return lo + (hi - lo) * rng_unit(r);
}

static double rng_gauss(struct rng *r)
{
    double u = rng_unit(r), v = rng_unit(r);
    if (u < 1e-300)
        u = 1e-300;
    return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

/* ---- the timeline ---- */

struct pose {
    double pitch, yaw, roll; /* degrees: flexion, abduction, twist of the thigh */
};

enum piece_type { P_STILL, P_MOVE, P_OSC, P_REPS };

struct piece {
    enum piece_type type;
    double t0, t1;
    struct pose a, b;        /* start and end posture (equal except for moves) */
    /* P_OSC: cycles in [c0, c1) of the cycle table; oscillation direction */
    size_t c0, c1;
    double mix_pitch, mix_yaw;
    /* P_REPS */
    int reps;
    double depth;
    /* breathing and tremor while still */
    double breath_amp, breath_hz, breath_ph;
    double tremor_amp;
};

struct cycle {
    double t0, t1, amp; /* one full oscillation: start, end, half swing (deg) */
};

struct timeline {
    struct piece p[MAX_PIECES];
    size_t np;
    struct cycle *cyc;
    size_t nc;
    double t;           /* end of the last piece */
    struct pose at;     /* posture at that time */
    struct rng *r;
    struct sim_truth *truth;
    bool full;
};

static struct piece *add_piece(struct timeline *tl, enum piece_type type, double dur)
{
    if (tl->np == MAX_PIECES) {
        tl->full = true;
        return NULL;
    }
    struct piece *p = &tl->p[tl->np++];
    memset(p, 0, sizeof *p);
    p->type = type;
    p->t0 = tl->t;
    p->t1 = tl->t + dur;
    p->a = p->b = tl->at;
    tl->t = p->t1;
    return p;
}

static void truth(struct timeline *tl, double t0, double t1, enum sim_kind k, int count)
{
    struct sim_truth *t = tl->truth;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 32;
        struct sim_truth_seg *s = realloc(t->seg, cap * sizeof *s);
        if (!s) {
            tl->full = true;
            return;
        }
        t->seg = s;
        t->cap = cap;
    }
    struct sim_truth_seg *s = &t->seg[t->n++];
    s->start_s = t0;
    s->end_s = t1;
    s->kind = k;
    s->count = count;
    s->rate_hz = count > 0 && t1 > t0 ? count / (t1 - t0) : 0;
}

/* A still posture with breathing (0.2-0.35 breaths/s moves a held thigh by
 * a fraction of a degree to a degree) and a faint tremor. */
static void still(struct timeline *tl, double dur, double breath_scale)
{
    struct piece *p = add_piece(tl, P_STILL, dur);
    if (!p)
        return;
    p->breath_amp = rng_range(tl->r, 0.1, 0.8) * breath_scale;
    p->breath_hz = rng_range(tl->r, 0.2, 0.35);
    p->breath_ph = rng_range(tl->r, 0, 2 * M_PI);
    p->tremor_amp = rng_range(tl->r, 0.001, 0.005);
}

/* A smooth (minimum-jerk) move to a new posture. */
static void move_to(struct timeline *tl, struct pose to, double dur)
{
    struct piece *p = add_piece(tl, P_MOVE, dur);
    if (!p)
        return;
    p->b = to;
    tl->at = to;
}

/* Settling or fidgeting between exercises: small shifts and short pauses,
 * never still long enough to be a hold. */
static void settle(struct timeline *tl, double dur, struct pose to)
{
    double t0 = tl->t, end = tl->t + dur;
    while (tl->t < end - 1.5 && !tl->full) {
        /* a real shift of the leg: 4-15 degrees of rotation, any direction
         * (flexion and twist are orthogonal whatever the posture; yaw is
         * left out, as it is nearly a twist when the thigh is upright) */
        struct pose q = tl->at;
        double sz = rng_range(tl->r, 4, 15), dir = rng_range(tl->r, 0, 2 * M_PI);
        q.pitch += sz * cos(dir);
        q.roll += sz * sin(dir);
        move_to(tl, q, rng_range(tl->r, 0.4, 1.4));
        if (rng_unit(tl->r) < 0.6)
            still(tl, rng_range(tl->r, 0.2, 1.4), 1);
    }
    /* the last move into the exercise's posture, at a natural speed */
    double dist = fabs(to.pitch - tl->at.pitch) + fabs(to.yaw - tl->at.yaw) +
                  fabs(to.roll - tl->at.roll);
    move_to(tl, to, fmax(end - tl->t, 0.6 + dist / 60.0));
    truth(tl, t0, tl->t, SIM_REST, 0);
}

/* Oscillation about the posture: n cycles at about hz, the period drifting
 * by `drift` over the set and jittering by `jitter` (coefficient of
 * variation) cycle to cycle; swing (deg, peak to peak) varies by `uneven`. */
static void oscillate(struct timeline *tl, enum sim_kind kind, double hz, double secs,
                      double drift, double jitter, double swing, double uneven,
                      double mix_pitch, double mix_yaw)
{
    size_t c0 = tl->nc;
    double t = tl->t, t_end_goal = tl->t + secs;
    double amp = swing / 2;
    int n = 0;
    while (t < t_end_goal - 0.5 / hz && tl->nc < MAX_CYCLES) {
        double frac = (t - tl->t) / secs;
        double f = hz * (1 + drift * (frac - 0.5));
        double per = 1 / f * (1 + jitter * rng_gauss(tl->r));
        if (per < 0.5 / f)
            per = 0.5 / f;
        double a = amp * (1 + uneven * rng_gauss(tl->r));
        if (a < amp * 0.3)
            a = amp * 0.3;
        tl->cyc[tl->nc++] = (struct cycle){t, t + per, a};
        t += per;
        n++;
    }
    double t0 = tl->t;
    struct piece *p = add_piece(tl, P_OSC, t - tl->t);
    if (!p)
        return;
    p->c0 = c0;
    p->c1 = tl->nc;
    p->mix_pitch = mix_pitch;
    p->mix_yaw = mix_yaw;
    truth(tl, t0, tl->t, kind, n);
}

static void hold(struct timeline *tl, double secs)
{
    double t0 = tl->t;
    still(tl, secs, 1);
    truth(tl, t0, tl->t, SIM_HOLD, 0);
}

static void reps(struct timeline *tl, int n, double rep_s, double depth)
{
    double t0 = tl->t;
    struct piece *p = add_piece(tl, P_REPS, n * rep_s);
    if (!p)
        return;
    p->reps = n;
    p->depth = depth;
    truth(tl, t0, tl->t, SIM_REPS, n);
}

/* ---- postures (degrees; pitch 0 = thigh level, 90 = pointing up) ---- */

static struct pose posture(struct rng *r, const char *which)
{
    /* pitch, yaw and roll ranges, drawn in that order (sim_draw_order) */
    static const struct {
        const char *name;
        double lo[3], hi[3];
    } poses[] = {
        {"knees_to_chest", {95, -8, -10}, {125, 8, 10}},
        {"child_pose", {-25, 15, -10}, {5, 35, 10}},
        {"standing_bend", {-95, -5, -5}, {-75, 5, 5}},
        {"thigh_vertical", {80, -5, -5}, {100, 5, 5}},
        {"twist", {60, -50, 20}, {90, -30, 45}},
        {"lying", {0, -5, -8}, {40, 5, 8}},
        {"standing", {-92, -4, -4}, {-85, 4, 4}},
    };
    double d[3] = {0, 0, 0};
    for (size_t i = 0; i < sizeof poses / sizeof poses[0]; i++)
        if (strcmp(which, poses[i].name) == 0) {
            for (int k = 0; k < 3; k++)
                d[k] = rng_range(r, poses[i].lo[k], poses[i].hi[k]);
            break;
        }
    return (struct pose){d[0], d[1], d[2]};
}

/* ---- scenarios ---- */

/* The ranges an oscillation is drawn from (lo, hi each); a mix_pitch range
 * of one value is that value, not drawn. */
struct osc_draw {
    double hz[2], secs[2], drift[2], jitter[2], swing[2], uneven[2], mix_pitch[2], mix_yaw[2];
};

/* Draws an oscillation from g, last argument first (sim_draw_order: the
 * order x86-64 has always evaluated them in), and adds it. */
static void oscillate_drawn(struct timeline *tl, enum sim_kind kind, const struct osc_draw *g)
{
    struct rng *r = tl->r;
    double mix_yaw = rng_range(r, g->mix_yaw[0], g->mix_yaw[1]);
    double mix_pitch = g->mix_pitch[0] < g->mix_pitch[1]
                           ? rng_range(r, g->mix_pitch[0], g->mix_pitch[1])
                           : g->mix_pitch[0];
    double uneven = rng_range(r, g->uneven[0], g->uneven[1]);
    double swing = rng_range(r, g->swing[0], g->swing[1]);
    double jitter = rng_range(r, g->jitter[0], g->jitter[1]);
    double drift = rng_range(r, g->drift[0], g->drift[1]);
    double secs = rng_range(r, g->secs[0], g->secs[1]);
    double hz = rng_range(r, g->hz[0], g->hz[1]);
    oscillate(tl, kind, hz, secs, drift, jitter, swing, uneven, mix_pitch, mix_yaw);
}

/* Settles for lo..hi seconds into a posture drawn here (the posture is
 * drawn first, then the time: the order the scenarios have always had). */
static void settle_into(struct timeline *tl, double lo, double hi, const char *which)
{
    struct pose to = posture(tl->r, which);
    settle(tl, rng_range(tl->r, lo, hi), to);
}

static void sc_rocking(struct timeline *tl, double hz_lo, double hz_hi, int sets,
                       double jitter_hi, double uneven_hi)
{
    struct rng *r = tl->r;
    struct pose base = posture(r, "knees_to_chest");
    settle(tl, rng_range(r, 4, 8), base);
    for (int i = 0; i < sets; i++) {
        oscillate_drawn(tl, SIM_ROCKING,
                        &(struct osc_draw){{hz_lo, hz_hi}, {20, 70}, {-0.1, 0.1}, {0.01, jitter_hi},
                                           {6, 24}, {0.02, uneven_hi}, {1, 1}, {-0.15, 0.15}});
        if (i + 1 < sets) {
            struct pose q = base;
            q.pitch += rng_range(r, -5, 5);
            settle(tl, rng_range(r, 3, 6), q);
        }
    }
    settle_into(tl, 4, 8, "lying");
}

static void sc_holds(struct timeline *tl, const char *where, int n, double lo, double hi)
{
    struct rng *r = tl->r;
    struct pose base = posture(r, where);
    settle(tl, rng_range(r, 4, 8), base);
    for (int i = 0; i < n; i++) {
        hold(tl, rng_range(r, lo, hi));
        if (i + 1 < n) {
            /* release and come back: the stretch is let go in between */
            struct pose rel = base;
            rel.pitch += rng_range(r, -35, -15);
            double t0 = tl->t;
            move_to(tl, rel, rng_range(r, 0.8, 1.5));
            still(tl, rng_range(r, 0.5, 1.5), 1);
            move_to(tl, base, rng_range(r, 0.8, 1.5));
            truth(tl, t0, tl->t, SIM_REST, 0);
        }
    }
    settle_into(tl, 4, 8, "lying");
}

static void sc_bounce(struct timeline *tl)
{
    struct rng *r = tl->r;
    struct pose tw = posture(r, "twist");
    settle(tl, rng_range(r, 4, 8), tw);
    for (int i = 0; i < 2; i++) {
        still(tl, rng_range(r, 1, 2), 1);
        oscillate_drawn(tl, SIM_BOUNCE,
                        &(struct osc_draw){{2.0, 4.0}, {28, 32}, {-0.1, 0.1}, {0.02, 0.08},
                                           {1.0, 4.0}, {0.05, 0.2}, {0.3, 1}, {-1, 1}});
        still(tl, rng_range(r, 1, 2), 1);
        if (i == 0)
            settle(tl, rng_range(r, 4, 8), tw);
    }
    settle_into(tl, 4, 8, "lying");
}

static void sc_session(struct timeline *tl)
{
    struct rng *r = tl->r;
    /* The default stage-1 program, done as asked: 1 child pose, 2 knees
     * rocking, the child pose again, 3 table stretch three times, 4
     * nerve-root stretch twice on each leg; settling in between. */
    struct pose cp = posture(r, "child_pose");
    settle(tl, rng_range(r, 5, 10), cp);
    hold(tl, rng_range(r, 122, 135));
    struct pose kc = posture(r, "knees_to_chest");
    settle(tl, rng_range(r, 6, 12), kc);
    oscillate_drawn(tl, SIM_ROCKING,
                    &(struct osc_draw){{0.9, 1.4}, {64, 75}, {-0.08, 0.08}, {0.02, 0.06},
                                       {8, 20}, {0.05, 0.15}, {1, 1}, {-0.1, 0.1}});
    settle(tl, rng_range(r, 6, 12), cp);
    hold(tl, rng_range(r, 122, 135));
    struct pose sb = posture(r, "standing_bend");
    settle(tl, rng_range(r, 8, 14), sb);
    for (int i = 0; i < 3; i++) {
        hold(tl, rng_range(r, 5.5, 7));
        struct pose sh = sb;
        sh.roll += rng_range(r, -12, 12);
        sh.pitch += rng_range(r, 10, 20);
        double t0 = tl->t;
        move_to(tl, sh, rng_range(r, 1, 2));
        still(tl, rng_range(r, 0.3, 1.2), 1);
        move_to(tl, sb, rng_range(r, 1, 2));
        truth(tl, t0, tl->t, SIM_REST, 0);
    }
    struct pose tv = posture(r, "thigh_vertical");
    for (int leg = 0; leg < 2; leg++) {
        settle(tl, rng_range(r, 6, 12), tv);
        for (int i = 0; i < 2; i++) {
            hold(tl, rng_range(r, 5.5, 7));
            struct pose rel = tv;
            rel.pitch -= rng_range(r, 20, 40);
            double t0 = tl->t;
            move_to(tl, rel, rng_range(r, 1, 2));
            still(tl, rng_range(r, 0.5, 1.5), 1);
            if (i == 0)
                move_to(tl, tv, rng_range(r, 1, 2));
            truth(tl, t0, tl->t, SIM_REST, 0);
        }
    }
    settle_into(tl, 5, 10, "lying");
}

static void sc_stage2(struct timeline *tl)
{
    struct rng *r = tl->r;
    struct pose st = posture(r, "standing");
    settle(tl, rng_range(r, 5, 10), st);
    double depth = rng_range(r, 15, 35); /* drawn last argument first */
    reps(tl, 2, rng_range(r, 7, 11), depth);
    settle_into(tl, 6, 12, "twist");
    sc_bounce(tl);
    struct pose bb = posture(r, "lying");
    settle(tl, rng_range(r, 6, 12), bb);
    hold(tl, rng_range(r, 120, 200));
    settle_into(tl, 5, 10, "lying");
}

/* Stage 1 done wrong, for the session tests: every hold and the rocking
 * too short (half the target or less). The station must credit nothing. */
/* Stage 1's first three steps (child pose, knees rocking, child pose),
 * each held or rocked for the lengths given, settling between. */
static void stage1_opening(struct timeline *tl, double hold_lo, double hold_hi, double rock_lo,
                           double rock_hi)
{
    struct rng *r = tl->r;
    struct pose cp = posture(r, "child_pose");
    settle(tl, rng_range(r, 5, 10), cp);
    hold(tl, rng_range(r, hold_lo, hold_hi));
    struct pose kc = posture(r, "knees_to_chest");
    settle(tl, rng_range(r, 6, 12), kc);
    oscillate_drawn(tl, SIM_ROCKING,
                    &(struct osc_draw){{0.95, 1.3}, {rock_lo, rock_hi}, {-0.05, 0.05}, {0.02, 0.05},
                                       {8, 20}, {0.05, 0.1}, {1, 1}, {-0.1, 0.1}});
    settle(tl, rng_range(r, 6, 12), cp);
    hold(tl, rng_range(r, hold_lo, hold_hi));
}

static void sc_session_short(struct timeline *tl)
{
    stage1_opening(tl, 40, 60, 20, 28);
    settle_into(tl, 5, 10, "lying");
}

/* Stage 1 with the table stretch done in the wrong posture: lying on the
 * back with the thigh level, still, three times; the rest done right. The
 * station must not credit the table stretch. */
static void sc_session_wrong_posture(struct timeline *tl)
{
    struct rng *r = tl->r;
    stage1_opening(tl, 122, 135, 64, 75);
    struct pose flat = posture(r, "lying");
    flat.pitch = rng_range(r, -5, 5);
    settle(tl, rng_range(r, 8, 14), flat);
    for (int i = 0; i < 3; i++) {
        hold(tl, rng_range(r, 6, 8));
        struct pose sh = flat;
        sh.pitch += rng_range(r, 15, 25);
        double t0 = tl->t;
        move_to(tl, sh, rng_range(r, 1, 2));
        still(tl, rng_range(r, 0.3, 1.0), 1);
        move_to(tl, flat, rng_range(r, 1, 2));
        truth(tl, t0, tl->t, SIM_REST, 0);
    }
    settle_into(tl, 5, 10, "lying");
}

static void sc_settling(struct timeline *tl)
{
    settle_into(tl, 50, 70, "lying");
}

static void sc_drift(struct timeline *tl)
{
    /* A leg lowered slowly (1.5-4 deg/s) is movement, not a hold. */
    struct rng *r = tl->r;
    struct pose a = posture(r, "thigh_vertical");
    settle(tl, rng_range(r, 4, 8), a);
    for (int i = 0; i < 3; i++) {
        double rate = rng_range(r, 1.5, 4), dur = rng_range(r, 8, 15);
        struct pose b = tl->at;
        b.pitch -= rate * dur;
        double t0 = tl->t;
        struct piece *p = add_piece(tl, P_MOVE, dur);
        if (p) {
            p->b = b;
            p->breath_amp = -1; /* linear: a steady drift, not a min-jerk move */
        }
        tl->at = b;
        truth(tl, t0, tl->t, SIM_REST, 0);
        settle(tl, rng_range(r, 3, 5), a);
    }
}

struct scenario {
    const char *name;
    const char *help;
    void (*build)(struct timeline *tl);
    double drop_prob;
};

/* Rocking from the first sample, no still moment to learn the gyro bias
 * from, over the whole range of rates and swings, drifting and jittering. */
static void sc_rock_cold(struct timeline *tl)
{
    struct rng *r = tl->r;
    tl->at = posture(r, "knees_to_chest");
    struct piece *p = add_piece(tl, P_MOVE, 0.3);
    if (p)
        p->b = tl->at;
    oscillate_drawn(tl, SIM_ROCKING,
                    &(struct osc_draw){{0.6, 1.8}, {30, 60}, {-0.2, 0.2}, {0.02, 0.08},
                                       {5, 35}, {0.05, 0.2}, {1, 1}, {-0.3, 0.3}});
    settle_into(tl, 4, 8, "lying");
}

/* Holds while breathing deeply: the thigh rises and falls by up to 3 degrees. */
static void sc_deep_breath(struct timeline *tl)
{
    struct rng *r = tl->r;
    struct pose base = posture(r, "child_pose");
    settle(tl, rng_range(r, 4, 8), base);
    for (int i = 0; i < 3; i++) {
        double t0 = tl->t;
        still(tl, rng_range(r, 8, 30), 2);
        truth(tl, t0, tl->t, SIM_HOLD, 0);
        struct pose q = base;
        q.pitch += rng_range(r, 15, 30);
        settle(tl, rng_range(r, 4, 8), q);
        base = q;
    }
    settle_into(tl, 4, 8, "lying");
}

static void sc_rock_target(struct timeline *tl) { sc_rocking(tl, 1.0, 1.3, 1, 0.04, 0.1); }
static void sc_rock_slow(struct timeline *tl) { sc_rocking(tl, 0.6, 1.0, 1, 0.05, 0.1); }
static void sc_rock_fast(struct timeline *tl) { sc_rocking(tl, 1.3, 1.8, 1, 0.05, 0.1); }
static void sc_rock_uneven(struct timeline *tl) { sc_rocking(tl, 0.7, 1.6, 3, 0.10, 0.25); }
static void sc_table(struct timeline *tl) { sc_holds(tl, "standing_bend", 4, 5, 7); }
static void sc_nerve(struct timeline *tl) { sc_holds(tl, "thigh_vertical", 2, 5, 6); }
static void sc_child(struct timeline *tl) { sc_holds(tl, "child_pose", 1, 100, 130); }
static void sc_backblock(struct timeline *tl) { sc_holds(tl, "lying", 1, 120, 240); }

static const struct scenario scenarios[] = {
    {"rocking", "knees rocking on target (1.0-1.3 cycles/s), one set", sc_rock_target, 0.002},
    {"rocking-slow", "knees rocking too slow (0.6-1.0 cycles/s)", sc_rock_slow, 0.002},
    {"rocking-fast", "knees rocking too fast (1.3-1.8 cycles/s)", sc_rock_fast, 0.002},
    {"rocking-uneven", "three uneven rocking sets with pauses (0.7-1.6/s)", sc_rock_uneven, 0.005},
    {"table-stretch", "four 5-7 s holds bent forward standing, released between", sc_table, 0.002},
    {"nerve-root", "two 5-6 s holds with the thigh vertical", sc_nerve, 0.002},
    {"child-pose", "one child pose of about 2 minutes, breathing", sc_child, 0.002},
    {"backblock", "lying still on the block for 2-4 minutes", sc_backblock, 0.002},
    {"bounce", "advanced stretch: two 30 s rounds of micro-bounce (2-4/s)", sc_bounce, 0.002},
    {"settling", "a minute of fidgeting and shifting: no holds, no cycles", sc_settling, 0.002},
    {"drift", "a leg lowered slowly three times: no holds", sc_drift, 0.002},
    {"rocking-cold", "rocking from the first sample, 0.6-1.8/s, 5-35 deg, drifting", sc_rock_cold, 0.003},
    {"deep-breath", "three holds breathing deeply (thigh moves up to 3 deg)", sc_deep_breath, 0.002},
    {"session", "a whole stage-1 session as programmed, settling between", sc_session, 0.003},
    {"stage2", "stage 2: curl downs, advanced stretch, BackBlock", sc_stage2, 0.003},
    {"session-short", "stage 1 done too short: holds and rocking well under target",
     sc_session_short, 0.003},
    {"session-wrong-posture", "stage 1 with the table stretch held lying flat",
     sc_session_wrong_posture, 0.003},
};

#define NSCEN (sizeof scenarios / sizeof scenarios[0])

const char *const sim_scenarios[] = {
    "rocking", "rocking-slow", "rocking-fast", "rocking-uneven", "table-stretch",
    "nerve-root", "child-pose", "backblock", "bounce", "settling", "drift", "rocking-cold",
    "deep-breath", "session", "stage2", "session-short", "session-wrong-posture",
    /* the second family (leg.c) */
    "leg-lopsided", "leg-slow", "leg-uneven", "leg-fade", "leg-sway", "leg-bounce",
    "leg-cold", NULL,
};

const char *sim_scenario_help(const char *name)
{
    for (size_t i = 0; i < NSCEN; i++)
        if (strcmp(scenarios[i].name, name) == 0)
            return scenarios[i].help;
    return leg_scenario_help(name);
}

static const char *kind_names[SIM_KIND_COUNT] = {"rocking", "hold", "bounce", "reps", "rest"};

const char *sim_kind_name(enum sim_kind k)
{
    return k < SIM_KIND_COUNT ? kind_names[k] : "?";
}

int sim_kind_parse(const char *s, enum sim_kind *out)
{
    for (int i = 0; i < SIM_KIND_COUNT; i++)
        if (strcmp(s, kind_names[i]) == 0) {
            *out = (enum sim_kind)i;
            return 0;
        }
    return -1;
}

/* ---- pose at any time ---- */

static double minjerk(double u)
{
    if (u <= 0)
        return 0;
    if (u >= 1)
        return 1;
    return u * u * u * (10 - 15 * u + 6 * u * u);
}

static double smoothstep(double u)
{
    if (u <= 0)
        return 0;
    if (u >= 1)
        return 1;
    return u * u * (3 - 2 * u);
}

static size_t find_piece(const struct timeline *tl, double t)
{
    size_t lo = 0, hi = tl->np;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (tl->p[mid].t0 <= t)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static double osc_value(const struct timeline *tl, const struct piece *p, double t)
{
    size_t lo = p->c0, hi = p->c1;
    if (lo == hi)
        return 0;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (tl->cyc[mid].t0 <= t)
            lo = mid;
        else
            hi = mid;
    }
    const struct cycle *c = &tl->cyc[lo];
    double u = (t - c->t0) / (c->t1 - c->t0);
    if (u < 0 || u > 1)
        return 0;
    /* Amplitude blends into the next cycle's so swings change smoothly;
     * the set eases in over its first quarter cycle and out over its last. */
    double amp = c->amp;
    if (lo + 1 < p->c1)
        amp += (tl->cyc[lo + 1].amp - c->amp) * smoothstep(u);
    double env = 1;
    double ts = tl->cyc[p->c0].t0, te = tl->cyc[p->c1 - 1].t1;
    double q0 = (tl->cyc[p->c0].t1 - ts) / 4, q1 = (te - tl->cyc[p->c1 - 1].t0) / 4;
    env = smoothstep((t - ts) / q0) * smoothstep((te - t) / q1);
    return amp * env * sin(2 * M_PI * u);
}

static struct pose pose_at(const struct timeline *tl, double t)
{
    const struct piece *p = &tl->p[find_piece(tl, t)];
    double u = p->t1 > p->t0 ? (t - p->t0) / (p->t1 - p->t0) : 1;
    struct pose q = p->a;
    switch (p->type) {
    case P_STILL: {
        /* faded in and out so the posture joins the moves either side
         * smoothly: a jump, however small, would be an impossible jolt */
        double fade = smoothstep((t - p->t0) / 0.4) * smoothstep((p->t1 - t) / 0.4);
        q.pitch += fade * (p->breath_amp * sin(2 * M_PI * p->breath_hz * (t - p->t0) + p->breath_ph) +
                           p->tremor_amp * sin(2 * M_PI * 9.3 * t) * sin(2 * M_PI * 0.7 * t));
        break;
    }
    case P_MOVE: {
        double s = p->breath_amp < 0 ? (u < 0 ? 0 : u > 1 ? 1 : u) : minjerk(u);
        q.pitch += s * (p->b.pitch - p->a.pitch);
        q.yaw += s * (p->b.yaw - p->a.yaw);
        q.roll += s * (p->b.roll - p->a.roll);
        break;
    }
    case P_OSC: {
        double v = osc_value(tl, p, t);
        q.pitch += v * p->mix_pitch;
        q.yaw += v * p->mix_yaw;
        break;
    }
    case P_REPS: {
        /* each repetition: roll down (40 %), pause (15 %), unfurl (40 %),
         * stand (5 %); the thigh tips forward as the knees soften */
        double per = (p->t1 - p->t0) / p->reps;
        double ph = fmod(t - p->t0, per) / per;
        double d = ph < 0.4 ? minjerk(ph / 0.4) : ph < 0.55 ? 1
                 : ph < 0.95 ? 1 - minjerk((ph - 0.55) / 0.4) : 0;
        q.pitch += p->depth * d;
        break;
    }
    }
    return q;
}

/* ---- rotations ---- */

typedef double mat3[3][3];

static void mat_mul(const mat3 a, const mat3 b, mat3 out)
{
    mat3 r;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            r[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
    memcpy(out, r, sizeof r);
}

static void rot_axis(int axis, double deg, mat3 m)
{
    double c = cos(deg * D2R), s = sin(deg * D2R);
    memset(m, 0, sizeof(mat3));
    int i = (axis + 1) % 3, j = (axis + 2) % 3;
    m[axis][axis] = 1;
    m[i][i] = c;
    m[j][j] = c;
    m[i][j] = -s;
    m[j][i] = s;
}

/* Thigh frame to world: yaw about up (z), flexion about the hip axis (y,
 * pitch up positive), twist about the thigh (x). */
static void thigh_rot(const struct pose *q, mat3 m)
{
    mat3 rz, ry, rx;
    rot_axis(2, q->yaw, rz);
    rot_axis(1, -q->pitch, ry);
    rot_axis(0, q->roll, rx);
    mat_mul(rz, ry, m);
    mat_mul(m, rx, m);
}

static void random_rotation(struct rng *r, mat3 m)
{
    /* uniform random unit quaternion (Shoemake) */
    double u1 = rng_unit(r), u2 = rng_unit(r) * 2 * M_PI, u3 = rng_unit(r) * 2 * M_PI;
    double a = sqrt(1 - u1), b = sqrt(u1);
    double w = a * sin(u2), x = a * cos(u2), y = b * sin(u3), z = b * cos(u3);
    m[0][0] = 1 - 2 * (y * y + z * z);
    m[0][1] = 2 * (x * y - z * w);
    m[0][2] = 2 * (x * z + y * w);
    m[1][0] = 2 * (x * y + z * w);
    m[1][1] = 1 - 2 * (x * x + z * z);
    m[1][2] = 2 * (y * z - x * w);
    m[2][0] = 2 * (x * z - y * w);
    m[2][1] = 2 * (y * z + x * w);
    m[2][2] = 1 - 2 * (x * x + y * y);
}

static double quantise(double v, double range, double lsb)
{
    double r = round(v * lsb);
    double lim = 32767.0;
    (void)range;
    if (r > lim)
        r = lim;
    if (r < -lim - 1)
        r = -lim - 1;
    return r / lsb;
}

static int build(const char *name, struct timeline *tl, double *drop)
{
    for (size_t i = 0; i < NSCEN; i++)
        if (strcmp(scenarios[i].name, name) == 0) {
            scenarios[i].build(tl);
            if (*drop < 0)
                *drop = scenarios[i].drop_prob;
            return 0;
        }
    return -1;
}

int sim_generate(const struct sim_options *opt, sim_sink sink, void *ctx,
                 struct sim_truth *tr)
{
    memset(tr, 0, sizeof *tr);
    if (leg_scenario_help(opt->scenario))
        return leg_generate(opt, sink, ctx, tr);
    if (!(opt->rate_hz >= 10 && opt->rate_hz <= 1000))
        return -1;
    struct rng rng = {opt->seed * 0x2545F4914F6CDD1Dull + 1};
    struct timeline *tl = calloc(1, sizeof *tl);
    if (!tl)
        return -1;
    tl->cyc = malloc(MAX_CYCLES * sizeof *tl->cyc);
    if (!tl->cyc) {
        free(tl);
        return -1;
    }
    tl->r = &rng;
    tl->truth = tr;
    tl->at = posture(&rng, "lying");
    double drop = opt->drop_prob;
    if (build(opt->scenario, tl, &drop) < 0 || tl->full || tl->np == 0) {
        free(tl->cyc);
        free(tl);
        sim_truth_free(tr);
        return -1;
    }
    tr->duration_s = tl->t;

    /* The strap: sensor 12-30 cm down the thigh, 4-8 cm off the bone, at
     * any rotation. */
    mat3 mount;
    random_rotation(&rng, mount);
    double arm[3]; /* one draw a statement (sim_draw_order) */
    arm[0] = rng_range(&rng, 0.12, 0.30);
    arm[1] = rng_range(&rng, -0.02, 0.02);
    arm[2] = rng_range(&rng, 0.04, 0.08);
    double bias[3], bias_walk = rng_range(&rng, 0.0005, 0.003);
    for (int i = 0; i < 3; i++)
        bias[i] = rng_range(&rng, -1, 1) * (opt->bias_dps > 0 ? opt->bias_dps : 3);
    double noise = opt->noise > 0 ? opt->noise : 1;
    double ascale[4] = {16384, 8192, 4096, 2048}, gscale[4] = {131, 65.5, 32.8, 16.4};
    int ai = opt->accel_range_g == 4 ? 1 : opt->accel_range_g == 8 ? 2
           : opt->accel_range_g == 16 ? 3 : 0;
    int gi = opt->gyro_range_dps == 500 ? 1 : opt->gyro_range_dps == 1000 ? 2
           : opt->gyro_range_dps == 2000 ? 3 : 0;
    snprintf(tr->description, sizeof tr->description,
             "sensor %.0f cm down the thigh, %.0f cm off the bone, random mounting; "
             "gyro bias %.1f/%.1f/%.1f dps; %.2f%% samples dropped",
             arm[0] * 100, arm[2] * 100, bias[0], bias[1], bias[2], drop * 100);

    const double h = 1e-3;
    double dt = 1.0 / opt->rate_hz;
    long nsamples = (long)floor(tl->t / dt);
    int rc = 0;
    int burst = 0;
    for (long k = 0; k <= nsamples && rc == 0; k++) {
        double t = k * dt;
        for (int i = 0; i < 3; i++)
            bias[i] += bias_walk * sqrt(dt) * rng_gauss(&rng);
        /* numeric derivatives of the thigh's rotation and the sensor's path */
        mat3 rm, r0, rp;
        double tm = t - h < 0 ? 0 : t - h, tp = t + h;
        struct pose qm = pose_at(tl, tm), q0 = pose_at(tl, t), qp = pose_at(tl, tp);
        thigh_rot(&qm, rm);
        thigh_rot(&q0, r0);
        thigh_rot(&qp, rp);
        double pm[3], p0[3], pp[3];
        for (int i = 0; i < 3; i++) {
            pm[i] = rm[i][0] * arm[0] + rm[i][1] * arm[1] + rm[i][2] * arm[2];
            p0[i] = r0[i][0] * arm[0] + r0[i][1] * arm[1] + r0[i][2] * arm[2];
            pp[i] = rp[i][0] * arm[0] + rp[i][1] * arm[1] + rp[i][2] * arm[2];
        }
        double span = tp - tm;
        double acc_w[3];
        for (int i = 0; i < 3; i++)
            acc_w[i] = (pp[i] - 2 * p0[i] + pm[i]) / ((span / 2) * (span / 2));
        acc_w[2] += G0; /* specific force: what an accelerometer reads */
        /* body rate: R^T dR/dt is the skew matrix of the thigh's angular velocity */
        mat3 dr, s;
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                dr[i][j] = (rp[i][j] - rm[i][j]) / span;
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                s[i][j] = r0[0][i] * dr[0][j] + r0[1][i] * dr[1][j] + r0[2][i] * dr[2][j];
        double w_body[3] = {(s[2][1] - s[1][2]) / 2, (s[0][2] - s[2][0]) / 2,
                            (s[1][0] - s[0][1]) / 2};
        /* into the sensor frame: sensor = mount^T * thigh */
        double f_thigh[3];
        for (int i = 0; i < 3; i++)
            f_thigh[i] = r0[0][i] * acc_w[0] + r0[1][i] * acc_w[1] + r0[2][i] * acc_w[2];
        struct sample smp = {.t = t};
        for (int i = 0; i < 3; i++) {
            double f = mount[0][i] * f_thigh[0] + mount[1][i] * f_thigh[1] +
                       mount[2][i] * f_thigh[2];
            double w = mount[0][i] * w_body[0] + mount[1][i] * w_body[1] +
                       mount[2][i] * w_body[2];
            double a_g = f / G0 + 0.004 * noise * rng_gauss(&rng);
            double g_dps = w * R2D + bias[i] + 0.05 * noise * rng_gauss(&rng);
            smp.a[i] = quantise(a_g, opt->accel_range_g, ascale[ai]);
            smp.g[i] = quantise(g_dps, opt->gyro_range_dps, gscale[gi]);
        }
        /* dropped samples: single losses and the odd burst */
        if (burst > 0) {
            burst--;
            continue;
        }
        if (k > 0 && rng_unit(&rng) < drop) {
            if (rng_unit(&rng) < 0.1)
                burst = (int)rng_range(&rng, 2, 0.1 * opt->rate_hz + 3);
            continue;
        }
        rc = sink(ctx, &smp);
    }
    free(tl->cyc);
    free(tl);
    return rc;
}

void sim_truth_free(struct sim_truth *t)
{
    free(t->seg);
    t->seg = NULL;
    t->n = t->cap = 0;
}
