/* osc: turning points -> regular runs -> rocking and bounce sets. */
#include "osc.h"

#include <math.h>
#include <string.h>

/* A half cycle (turning point to turning point) of a set lasts this long:
 * 0.5 to about 4 cycles per second. */
#define HP_MIN 0.11
#define HP_MAX 1.0
/* Turning points need the angle to come back by this much (and by a share of
 * the recent swing): breathing and tremor do not turn. */
#define HYST_MIN_DEG 0.3
#define HYST_SHARE 0.25
/* Smallest swing that still counts as part of a set. */
#define SWING_MIN_DEG 0.5
/* Rocking swings smaller than this are fidgets, not a set. */
#define ROCK_SWING_MIN_DEG 2.0
/* Regularity that keeps a run going: each half cycle within this factor of
 * the run's mean, each swing at least this share of its mean. */
#define HP_RATIO 1.8
#define SWING_SHARE 0.3
/* Turning points before a run is a set (two full cycles). */
#define CONFIRM_TURNS 5
/* Above this rate a run is micro-bounce; between the two, small swings are
 * bounce and larger ones rocking. */
#define BOUNCE_HZ 2.0
#define ROCK_HZ 1.6
#define BOUNCE_SWING_DEG 5.0
/* Live figures use the last few cycles. */
#define LIVE_TURNS 9

void osc_init(struct osc *o)
{
    memset(o, 0, sizeof *o);
    o->dir = 1;
    o->cand_v = -INFINITY;
}

static void compute_live(struct osc *o);

static const struct osc_turn *turn_back(const struct osc *o, int k)
{
    /* k = 0: the latest turning point of the run */
    return &o->hist[(o->nturns - 1 - k + OSC_HISTORY * 4) % OSC_HISTORY];
}

static double mean_hp(const struct osc *o)
{
    return o->nturns > 1 ? o->sum_hp / (o->nturns - 1) : 0;
}

static enum osc_kind classify(double hz, double swing)
{
    if (hz >= BOUNCE_HZ)
        return OSC_BOUNCE;
    if (hz >= ROCK_HZ && swing < BOUNCE_SWING_DEG)
        return OSC_BOUNCE;
    return OSC_ROCKING;
}

/* Small slow swings are fidgeting or breathing, not an exercise. */
static bool is_exercise(double hz, double swing)
{
    return classify(hz, swing) == OSC_BOUNCE || swing >= ROCK_SWING_MIN_DEG;
}

static double run_rate(const struct osc *o)
{
    double span = turn_back(o, 0)->t - o->first_t;
    return span > 0 ? 0.5 * (o->nturns - 1) / span : 0;
}

static double run_cv(const struct osc *o)
{
    if (o->np < 2)
        return 0;
    double m = o->sum_p / o->np;
    double var = o->sum_p2 / o->np - m * m;
    return var > 0 && m > 0 ? sqrt(var) / m : 0;
}

static double run_jerk(const struct osc *o, double rate)
{
    /* RMS jerk against that of a sine with the same peak speed and rate:
     * 1 for a perfectly smooth swing, larger when jerky. */
    double peak = o->nswing ? o->sum_peak / o->nswing : 0;
    double w = 2 * M_PI * rate;
    if (o->sum_dur <= 0 || peak <= 0 || w <= 0)
        return 0;
    return sqrt(o->sum_jerk2 / o->sum_dur) * M_SQRT2 / (peak * w * w);
}

static void fill_set(const struct osc *o, struct motion_event *e, double t)
{
    double hp = mean_hp(o);
    memset(e, 0, sizeof *e);
    e->osc = o->kind;
    e->t = t;
    /* The movement began a quarter cycle before its first turning point and
     * ends a quarter cycle after its last. */
    e->start = o->first_t - hp / 2;
    e->end = turn_back(o, 0)->t + hp / 2;
    e->cycles = (o->nturns) / 2;
    e->rate_hz = run_rate(o);
    e->rhythm_cv = run_cv(o);
    e->swing_deg = o->nswing ? o->sum_swing / o->nswing : 0;
    e->peak_dps = o->nswing ? o->sum_peak / o->nswing : 0;
    e->jerk = run_jerk(o, e->rate_hz);
}

/* Cycle number c (1-based) completes at turning point 2c. */
static int report_cycles(struct osc *o, double t, struct motion_event *ev, int max)
{
    int n = 0;
    int done = o->nturns / 2;
    while (o->cycles_reported < done && n < max) {
        int c = ++o->cycles_reported;
        int back = o->nturns - 2 * c; /* turning points after the cycle's end */
        struct motion_event *e = &ev[n++];
        memset(e, 0, sizeof *e);
        e->kind = MOTION_EV_CYCLE;
        e->osc = o->kind;
        e->t = t;
        e->cycles = c;
        if (back + 2 < o->nturns && back + 2 < OSC_HISTORY) {
            const struct osc_turn *end = turn_back(o, back), *beg = turn_back(o, back + 2);
            e->period_s = end->t - beg->t;
            e->swing_deg = (fabs(end->v - turn_back(o, back + 1)->v) +
                            fabs(turn_back(o, back + 1)->v - beg->v)) / 2;
        } else if (back + 1 < o->nturns && back + 1 < OSC_HISTORY) {
            /* the first cycle has only its second half inside the run */
            const struct osc_turn *end = turn_back(o, back), *mid = turn_back(o, back + 1);
            e->period_s = 2 * (end->t - mid->t);
            e->swing_deg = fabs(end->v - mid->v);
        }
        if (back < OSC_HISTORY) {
            const struct osc_turn *end = turn_back(o, back);
            e->peak_dps = end->peak_dps;
            if (back + 1 < OSC_HISTORY && back + 1 < o->nturns &&
                turn_back(o, back + 1)->peak_dps > e->peak_dps)
                e->peak_dps = turn_back(o, back + 1)->peak_dps;
        }
        e->start = o->first_t - mean_hp(o) / 2;
        e->rate_hz = o->live.rate_hz;
    }
    return n;
}

static int end_run(struct osc *o, double t, struct motion_event *ev, int max)
{
    int n = 0;
    if (o->confirmed && max > 0) {
        fill_set(o, &ev[0], t);
        ev[0].kind = MOTION_EV_SET_END;
        n = 1;
    }
    o->nturns = 0;
    o->confirmed = false;
    o->cycles_reported = 0;
    o->sum_hp = o->sum_p = o->sum_p2 = 0;
    o->sum_swing = o->sum_peak = o->sum_jerk2 = o->sum_dur = 0;
    o->np = o->nswing = 0;
    compute_live(o);
    return n;
}

/* Starts a run at turning point tp. */
static void begin_run(struct osc *o, const struct osc_turn *tp)
{
    o->nturns = 1;
    o->hist[0] = *tp;
    o->first_t = tp->t;
}

static bool fits_run(const struct osc *o, double hp, double swing)
{
    if (hp < HP_MIN || hp > HP_MAX || swing < SWING_MIN_DEG)
        return false;
    if (o->nturns < 2)
        return true;
    double m = mean_hp(o);
    if (hp > m * HP_RATIO || hp < m / HP_RATIO)
        return false;
    double ms = o->sum_swing / o->nswing;
    return swing >= ms * SWING_SHARE && swing <= ms / SWING_SHARE;
}

/* Samples lost in a dropout can hide a pair of turning points of a fast
 * bounce, or misplace one: a step across a dropout is taken as one half
 * cycle, or as three with the two missing turning points put in, as long
 * as its length fits either. The run's total time stays exact, so its rate
 * does not suffer. */
static bool bridge_dropout(struct osc *o, const struct osc_turn *tp)
{
    if (!o->dropout || o->nturns < 3)
        return false;
    const struct osc_turn last = *turn_back(o, 0);
    double hp = tp->t - last.t, m = mean_hp(o);
    double sw = fabs(tp->v - last.v);
    if (hp < m / 2.5 || hp > 3.8 * m || sw < SWING_MIN_DEG)
        return false;
    if (hp < 2.2 * m)
        return true; /* one half cycle, a little out of shape */
    for (int k = 1; k <= 2; k++) {
        struct osc_turn v = {last.t + hp * k / 3, k == 1 ? tp->v : last.v, 0, 0, 0};
        o->sum_hp += hp / 3;
        o->sum_swing += sw;
        o->nswing++;
        o->hist[o->nturns % OSC_HISTORY] = v;
        o->nturns++;
    }
    return true;
}

static int add_turn(struct osc *o, const struct osc_turn *tp, const struct motion_params *p,
                    struct motion_event *ev, int max)
{
    (void)p;
    int n = 0;
    if (o->nturns > 0) {
        bool bridged = bridge_dropout(o, tp);
        const struct osc_turn *last = turn_back(o, 0);
        double hp = tp->t - last->t, swing = fabs(tp->v - last->v);
        if (!bridged && !fits_run(o, hp, swing)) {
            n += end_run(o, last->t, ev + n, max - n);
            begin_run(o, tp);
            return n;
        }
        if (o->nturns >= 2) {
            double per = tp->t - turn_back(o, 1)->t;
            o->sum_p += per;
            o->sum_p2 += per * per;
            o->np++;
        }
        o->sum_hp += hp;
        o->sum_swing += swing;
        o->sum_peak += tp->peak_dps;
        o->sum_jerk2 += tp->jerk2;
        o->sum_dur += tp->dur;
        o->nswing++;
        o->hist[o->nturns % OSC_HISTORY] = *tp;
        o->nturns++;
    } else {
        begin_run(o, tp);
        return 0;
    }
    double hz = 0.5 / mean_hp(o);
    double swing = o->sum_swing / o->nswing;
    if (!o->confirmed && o->nturns >= CONFIRM_TURNS && is_exercise(hz, swing)) {
        o->confirmed = true;
        o->kind = classify(hz, swing);
        if (n < max) {
            fill_set(o, &ev[n], tp->t);
            ev[n].kind = MOTION_EV_SET_START;
            n++;
        }
    }
    compute_live(o);
    if (o->confirmed) {
        o->kind = classify(hz, swing);
        o->live.osc = o->kind;
        n += report_cycles(o, tp->t, ev + n, max - n);
    }
    return n;
}

int osc_update(struct osc *o, double t, double v, double speed, double jerk, double dt,
               const struct motion_params *p, struct motion_event *ev, int max)
{
    int n = 0;
    if (o->dt_typ > 0 && dt > 2.5 * o->dt_typ)
        o->dropout = true;
    else
        o->dt_typ = o->dt_typ > 0 ? o->dt_typ + 0.01 * (dt - o->dt_typ) : dt;
    double as = fabs(speed);
    if (as > o->peak_dps)
        o->peak_dps = as;
    o->jerk2 += jerk * jerk * dt;
    o->dur += dt;

    if (o->need_next) {
        o->cand_next = v;
        o->need_next = false;
    }
    if ((o->dir > 0 && v > o->cand_v) || (o->dir < 0 && v < o->cand_v)) {
        o->cand_v = v;
        o->cand_t = t;
        o->cand_prev = o->prev_v;
        o->cand_dt = dt;
        o->need_next = true;
    }
    double h = fmax(HYST_MIN_DEG, HYST_SHARE * o->swing_ref);
    if (o->dir * (o->cand_v - v) > h) {
        /* Confirmed. A parabola through the peak and its neighbours places
         * it between samples, which matters at low sample rates. */
        struct osc_turn tp = {o->cand_t, o->cand_v, o->peak_dps, o->jerk2, o->dur};
        double den = o->cand_prev - 2 * o->cand_v + o->cand_next;
        if (!o->need_next && fabs(den) > 1e-12) {
            double off = 0.5 * (o->cand_prev - o->cand_next) / den;
            if (off > -0.5 && off < 0.5)
                tp.t += off * o->cand_dt;
        }
        if (o->nturns > 0) {
            double swing = fabs(tp.v - turn_back(o, 0)->v);
            o->swing_ref = o->swing_ref > 0 ? 0.5 * (o->swing_ref + swing) : swing;
        }
        n += add_turn(o, &tp, p, ev + n, max - n);
        o->dropout = false;
        o->dir = -o->dir;
        o->cand_v = v;
        o->cand_t = t;
        o->cand_prev = o->prev_v;
        o->cand_dt = dt;
        o->need_next = true;
        o->peak_dps = as;
        o->jerk2 = 0;
        o->dur = 0;
    }
    o->prev_v = v;

    /* No turning point for too long: the run has stopped. */
    if (o->nturns > 0) {
        double limit = o->nturns > 1 ? fmax(HP_MAX, mean_hp(o) * 2.5) : HP_MAX;
        limit = fmin(limit, 2.5 * HP_MAX);
        if (t - turn_back(o, 0)->t > limit) {
            n += end_run(o, t, ev + n, max - n);
            o->swing_ref = 0;
        }
    }
    return n;
}

int osc_finish(struct osc *o, double t, struct motion_event *ev, int max)
{
    int n = end_run(o, t, ev, max);
    o->swing_ref = 0;
    o->dir = 1;
    o->cand_v = -INFINITY;
    o->need_next = false;
    return n;
}

/* Live figures change only when a turning point is added or a run ends:
 * computed then, not every sample. */
static void compute_live(struct osc *o)
{
    struct motion_live *live = &o->live;
    o->changed = true;
    live->in_set = o->confirmed;
    live->osc = o->kind;
    live->cycles = o->confirmed ? o->nturns / 2 : 0;
    live->rate_hz = live->rhythm_cv = live->swing_deg = live->jerk = 0;
    live->set_rate_hz = live->set_cv = live->set_swing_deg = 0;
    if (!o->confirmed)
        return;
    live->set_rate_hz = run_rate(o);
    live->set_cv = run_cv(o);
    live->set_swing_deg = o->nswing ? o->sum_swing / o->nswing : 0;
    int k = o->nturns < LIVE_TURNS ? o->nturns : LIVE_TURNS;
    if (k > OSC_HISTORY)
        k = OSC_HISTORY;
    const struct osc_turn *last = turn_back(o, 0), *first = turn_back(o, k - 1);
    double span = last->t - first->t;
    live->rate_hz = span > 0 ? 0.5 * (k - 1) / span : 0;
    double sp = 0, sp2 = 0, sw = 0;
    int np = 0;
    for (int i = 0; i + 2 < k; i++) {
        double per = turn_back(o, i)->t - turn_back(o, i + 2)->t;
        sp += per;
        sp2 += per * per;
        np++;
    }
    for (int i = 0; i + 1 < k; i++)
        sw += fabs(turn_back(o, i)->v - turn_back(o, i + 1)->v);
    if (np >= 2) {
        double m = sp / np, var = sp2 / np - m * m;
        live->rhythm_cv = var > 0 ? sqrt(var) / m : 0;
    }
    live->swing_deg = k > 1 ? sw / (k - 1) : 0;
    live->jerk = run_jerk(o, live->rate_hz);
}

void osc_live(const struct osc *o, struct motion_live *live)
{
    live->in_set = o->live.in_set;
    live->osc = o->live.osc;
    live->cycles = o->live.cycles;
    live->rate_hz = o->live.rate_hz;
    live->rhythm_cv = o->live.rhythm_cv;
    live->swing_deg = o->live.swing_deg;
    live->jerk = o->live.jerk;
    live->set_rate_hz = o->live.set_rate_hz;
    live->set_cv = o->live.set_cv;
    live->set_swing_deg = o->live.set_swing_deg;
}
