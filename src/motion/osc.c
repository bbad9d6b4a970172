/* SPDX-License-Identifier: GPL-3.0-or-later */
/* osc: turning points -> regular runs -> rocking and bounce sets. */
#include "osc.h"

#include <math.h>
#include <string.h>

/* A half cycle (turning point to turning point) of a set lasts this long:
 * up to 2 s for the slowest rocking the configuration allows (0.3 cycles/s,
 * or a lopsided cycle's slow half), down to a 6 per second bounce. */
#define HP_MIN 0.075
#define HP_MAX 2.2
/* Turning points need the angle to come back by this much (and by a share of
 * the recent swing): breathing and tremor do not turn. */
#define HYST_MIN_DEG 0.2
#define HYST_SHARE 0.25
#define HYST_CAP_DEG 4.0
/* Within this share of the swing of a turning point the thigh is "at" it:
 * it arrived there, or left it. */
#define NEAR_SHARE 0.08
#define NEAR_MIN_DEG 0.1
/* A lone turning point this long ago no longer sets the hysteresis. */
#define LONE_S 1.0
/* A half of a set is centred within this many swings of the centre of its
 * latest CENTRE_HALVES halves. */
#define CENTRE_SHIFT 0.9
#define CENTRE_HALVES 4
/* A cycle in which the leg turned this far about the vertical is the body
 * turning round (a turn while walking, a roll onto the side): a change of
 * movement, not the set. Rocking and walking swing about a level axis, so
 * over a whole cycle the turning about the vertical comes back to nought
 * (within 15 degrees on real strides). */
#define TURN_ROUND_DEG 45.0
/* A pause at a turning point this many times the set's mean pause there,
 * and at least PAUSE_MIN_S, ends the set. */
#define PAUSE_SHARE 2.5
#define PAUSE_MIN_S 0.8
/* A side of the cycle whose turning point dwells this many times longer than
 * the other's (and at least PAUSE_SIDE_MIN_S) is a pause: the rhythm is timed
 * at the other side. */
#define PAUSE_SIDE 1.5
#define PAUSE_SIDE_MIN_S 0.1
/* A turning point may take this long after its extreme to be confirmed
 * (or the run's mean half, when longer). */
#define ARRIVE_MIN_S 0.4
/* Smallest swing that still counts as part of a set. */
#define SWING_MIN_DEG 0.2
/* Rocking swings smaller or slower than these are sway, breathing or
 * fidgets, not a set: the mean swing and the mean angular speed
 * (2 x swing x rate) over the run. */
#define ROCK_SWING_MIN_DEG 3.5
#define ROCK_SPEED_MIN_DPS 5.0
/* Regularity that keeps a run going: each full cycle (a half and the one
 * before it, so a quick push and a slow return are one cycle) within this
 * factor of the run's mean, each half within a wide band of the mean half,
 * each swing at least this share of its mean. */
#define PER_RATIO 1.9
#define PER_RATIO_SET 2.4 /* once a set: split only on a real change */
#define HP_LO 0.22
#define HP_HI 3.2
#define SWING_SHARE 0.3
#define SWING_GROW 2.2
/* A set ends when its swing fades below FADE_SHARE of its mean swing for
 * two halves in a row (one small cycle out and back is uneven rocking, a
 * fade goes on shrinking), or for one half below FADE_HARD. The fade is not
 * counted. */
#define FADE_SHARE 0.45
#define FADE_HARD 0.3
/* A run that is not yet a set starts without its lead-in: a first half far
 * smaller or larger than its latest halves (FADE_SHARE either way: a
 * movement growing to its swing, a shift into position), or more than
 * LEAD_HP times as long or short as both the next two (a slow shift before
 * brisk rocking; a lopsided cycle's halves alternate, so the half after
 * the next is like the first). */
#define LEAD_HP 2.0
#define LEAD_LATEST 3 /* halves that give the swing it grew to */
/* A run becomes a set once it has this many turning points (two full
 * cycles), its latest swing is not a fading one, and its periods vary less
 * than this (uneven rocking varies up to about 25 %; fidgets far more). */
#define CONFIRM_TURNS 5
#define CONFIRM_CV 0.4
/* ... and its turning points come back to where they were (fidgets and
 * shifts wander): on average within this share of the swing; within the
 * tighter share when it has only two cycles (a fidget back and forth can
 * look like two rough ones, hardly like three). A micro-bounce's swing is
 * small next to the breathing it rides on, which moves both its sides
 * together: its turning points are taken against the other side's. */
#define WANDER_SHARE 0.35
#define WANDER_SHARE_TWO 0.25
/* Slow movement needs a cycle more before it is a set: a slow fidget can
 * look regular for two. */
#define SLOW_HZ 0.65
#define CONFIRM_TURNS_SLOW 7
/* Before a set is confirmed, a half this much quicker and bigger than the
 * one before starts the run afresh from its start. */
#define RESTART_HP 0.6
#define RESTART_SWING 1.5
#define RESTART_MIN_S 0.5
/* A departure from rest, or an arrival at it, is a turning point of the set
 * when it spans this share of the set's swing. */
#define REST_SHARE 0.7
/* A last half shorter and smaller than this share of the mean is the
 * movement easing out: it is counted but left out of the rate. */
#define EASE_SHARE 0.7
/* Above this rate a run is micro-bounce; between the two, small swings are
 * bounce and larger ones rocking. */
#define BOUNCE_HZ 2.0
#define ROCK_HZ 1.4
#define BOUNCE_SWING_DEG 5.0
/* A run too small to be a set that is still regular and at a rocking
 * tempo is a sway (knees rocked too little): at least this swing and rate,
 * so that breathing (a degree, under 0.35 per second) is none. */
#define SWAY_MIN_DEG 1.0
#define SWAY_MIN_HZ 0.4
/* Live figures use the last few cycles. */
#define LIVE_TURNS 9

static void set_limits(struct osc *o);

void osc_init(struct osc *o)
{
    memset(o, 0, sizeof *o);
    o->dir = 1;
    o->cand_v = -INFINITY;
    o->dep_v = NAN;
    o->mdir = 1;
    o->mcand_v = -INFINITY;
    o->main_t = -INFINITY;
    set_limits(o);
}

static void compute_live(struct osc *o);

static const struct osc_turn *turn_back(const struct osc *o, int k)
{
    /* k = 0: the latest turning point of the run */
    return &o->hist[(o->nturns - 1 - k + OSC_HISTORY * 4) % OSC_HISTORY];
}

static double mean_hp(const struct osc *o)
{
    return o->nhalf > 0 ? o->sum_hp / o->nhalf : 0;
}

static enum osc_kind classify(double hz, double swing)
{
    if (hz >= BOUNCE_HZ)
        return OSC_BOUNCE;
    if (hz >= ROCK_HZ && swing < BOUNCE_SWING_DEG)
        return OSC_BOUNCE;
    return OSC_ROCKING;
}

/* Small or slow swings are sway, fidgeting or breathing, not an exercise. */
static bool is_exercise(double hz, double swing)
{
    return classify(hz, swing) == OSC_BOUNCE ||
           (swing >= ROCK_SWING_MIN_DEG && 2 * swing * hz >= ROCK_SPEED_MIN_DPS);
}

/* The rate between the real turning points: a departure from rest or an
 * arrival at it is not placed as a turning point in the rhythm is. */
static double run_rate(const struct osc *o)
{
    int back = o->virt_end || o->eased_end ? 1 : 0;
    double span = turn_back(o, back)->t - o->real_first_t;
    return span > 0 && o->nhalf > 0 ? 0.5 * o->nhalf / span : 0;
}

/* The rhythm: how much each period differs from the one before it (of the
 * same kind of turning point), scaled to a coefficient of variation (for
 * independent periods, mean |difference| = 2 sd / sqrt(pi)). A tempo that
 * drifts slowly is still an even beat. */
static double run_rhythm(const struct osc *o)
{
    if (o->np < 1 || o->sum_p <= 0)
        return 0;
    /* the ends of a cycle can be timed more evenly than its middle (a
     * lopsided cycle's turn at rest): the rhythm is the less even of the
     * two, unless one side is a pause (a swing, then a rest): its end is
     * timed by whatever moves the thigh at rest (breathing), so the cycle
     * is timed at the other, sharp, turning point */
    double d = 0, dwell[2];
    for (int k = 0; k < 2; k++)
        dwell[k] = o->ndwell[k] ? o->sum_dwell[k] / o->ndwell[k] : 0;
    for (int k = 0; k < 2; k++) {
        bool pause = dwell[k] > PAUSE_SIDE * dwell[1 - k] && dwell[k] > PAUSE_SIDE_MIN_S;
        if (!pause && o->ndp[k] >= 2 && o->sum_dp[k] / o->ndp[k] > d)
            d = o->sum_dp[k] / o->ndp[k];
    }
    return d * (0.5 * sqrt(M_PI)) / (o->sum_p / o->np);
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
    e->start = o->nvirt ? o->first_t : o->first_t - hp / 2;
    e->end = o->virt_end ? turn_back(o, 0)->t : turn_back(o, 0)->t + hp / 2;
    e->cycles = (o->nturns - o->nvirt) / 2;
    e->rate_hz = run_rate(o);
    e->rhythm_cv = run_rhythm(o);
    e->swing_deg = o->nswing ? o->sum_swing / o->nswing : 0;
    e->peak_dps = o->nswing ? o->sum_peak / o->nswing : 0;
    e->jerk = run_jerk(o, e->rate_hz);
}

/* Cycle number c (1-based) completes at turning point 2c. */
static int report_cycles(struct osc *o, double t, struct motion_event *ev, int max)
{
    int n = 0;
    int done = (o->nturns - o->nvirt) / 2;
    while (o->cycles_reported < done && n < max) {
        int c = ++o->cycles_reported;
        int back = o->nturns - o->nvirt - 2 * c; /* turning points after the cycle's end */
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
        e->start = o->nvirt ? o->first_t : o->first_t - mean_hp(o) / 2;
        e->rate_hz = o->live.rate_hz;
    }
    return n;
}

static int report_cycles(struct osc *o, double t, struct motion_event *ev, int max);

/* Ends the run. When at_rest, the set stopped (no turning point for too
 * long, or the data ended): if the angle came back from its last turning
 * point by most of a swing, that arrival is the set's last turning point,
 * so a last cycle that ends at rest is counted. */
static int end_run_at(struct osc *o, double t, bool at_rest, struct motion_event *ev,
                      int max)
{
    int n = 0;
    bool pend = o->has_pend; /* a small last half: the set faded out */
    o->has_pend = false;
    if (o->confirmed && o->nhalf > 2 && o->np > 2 && o->nturns - 3 >= o->nvirt) {
        /* A last half that is short and small is the movement easing out:
         * counted, but not timed as a half of the rhythm. */
        const struct osc_turn *l0 = turn_back(o, 0), *l1 = turn_back(o, 1), *l2 = turn_back(o, 2);
        double hp = l0->t - l1->t, sw = fabs(l0->v - l1->v);
        if (hp < EASE_SHARE * mean_hp(o) && sw < EASE_SHARE * o->sum_swing / o->nswing) {
            double per = l0->t - l2->t;
            o->sum_p -= per;
            o->sum_p2 -= per * per;
            if (o->ndp[o->last_par] > 2) {
                o->sum_dp[o->last_par] -= o->last_dp;
                o->ndp[o->last_par]--;
            }
            o->np--;
            o->sum_hp -= hp;
            o->nhalf--;
            o->eased_end = true;
        }
    }
    if (o->confirmed && at_rest && !pend && !o->eased_end && o->nturns > 0 && o->nhalf > 0 &&
        isfinite(o->cand_v)) {
        const struct osc_turn *last = turn_back(o, 0);
        double sw = fabs(o->cand_v - last->v), ms = o->sum_swing / o->nswing;
        double arrive = o->near_in;
        if (sw >= REST_SHARE * ms && sw <= ms / SWING_SHARE && arrive > last->t &&
            arrive - last->t <= HP_HI * mean_hp(o) && arrive - last->t <= HP_MAX) {
            struct osc_turn v = {arrive, o->cand_v, arrive, arrive, o->peak_dps, 0, 0, NAN};
            o->hist[o->nturns % OSC_HISTORY] = v;
            o->nturns++;
            o->virt_end = true;
            compute_live(o);
            n += report_cycles(o, t, ev, max);
        }
    }
    if (o->confirmed && n < max) {
        fill_set(o, &ev[n], t);
        ev[n].kind = MOTION_EV_SET_END;
        n++;
    }
    o->nturns = 0;
    o->nhalf = 0;
    o->nvirt = 0;
    o->virt_end = false;
    o->eased_end = false;
    o->pre_ok = false;
    o->max_swing = 0;
    o->sum_wander = o->sum_wander_b = 0;
    o->nwander = 0;
    o->confirmed = false;
    o->sway = 0;
    o->cycles_reported = 0;
    o->sum_hp = o->sum_p = o->sum_p2 = 0;
    o->sum_dp[0] = o->sum_dp[1] = 0;
    o->ndp[0] = o->ndp[1] = 0;
    o->sum_dwell[0] = o->sum_dwell[1] = 0;
    o->ndwell[0] = o->ndwell[1] = 0;
    o->sum_swing = o->sum_peak = o->sum_jerk2 = o->sum_dur = 0;
    o->np = o->nswing = 0;
    compute_live(o);
    return n;
}

static int end_run(struct osc *o, double t, struct motion_event *ev, int max)
{
    return end_run_at(o, t, false, ev, max);
}

/* Starts a run at turning point tp. pre is where the angle left the
 * opposite extreme on its way to tp: when the run turns out to have
 * started from rest there, it is the run's first turning point. */
static void begin_run(struct osc *o, const struct osc_turn *tp, const struct osc_turn *pre,
                      bool pre_ok)
{
    /* the swing of whatever came before does not set the hysteresis */
    o->swing_ref = 0;
    o->has_pend = false;
    o->nturns = 1;
    o->nhalf = 0;
    o->nvirt = 0;
    o->hist[0] = *tp;
    o->first_t = tp->t;
    o->real_first_t = tp->t;
    o->pre = *pre;
    o->pre_ok = pre_ok && tp->t - pre->t >= HP_MIN && tp->t - pre->t <= HP_MAX &&
                fabs(tp->v - pre->v) >= SWING_MIN_DEG;
}

/* The run's second real turning point is known: if the movement started
 * from rest at one end of the swing, rather than from its middle, the
 * departure is the run's first turning point (its first cycle counts). */
static void take_departure(struct osc *o, double swing)
{
    if (!o->pre_ok || o->nturns != 2 || o->nvirt)
        return;
    const struct osc_turn *first = turn_back(o, 1);
    if (fabs(first->v - o->pre.v) < REST_SHARE * swing ||
        fabs(first->v - o->pre.v) > swing / REST_SHARE)
        return;
    o->hist[2 % OSC_HISTORY] = o->hist[1];
    o->hist[1] = o->hist[0];
    o->hist[0] = o->pre;
    o->nturns = 3;
    o->nvirt = 1;
    o->first_t = o->pre.t;
}

static bool fits_run(const struct osc *o, double hp, double swing)
{
    if (hp < HP_MIN || hp > HP_MAX || swing < SWING_MIN_DEG)
        return false;
    if (o->nhalf < 1)
        return true;
    double m = mean_hp(o);
    if (hp > m * HP_HI || hp < m * HP_LO)
        return false;
    if (o->nhalf >= 2 && o->nturns - 2 >= o->nvirt) {
        /* the full cycle that ends here: this half and the one before */
        double per = hp + (turn_back(o, 0)->t - turn_back(o, 1)->t);
        double r = o->confirmed ? PER_RATIO_SET : PER_RATIO;
        if (per > 2 * m * r || per < 2 * m / r)
            return false;
    }
    double ms = o->sum_swing / o->nswing;
    /* a set's swing varies, but does not suddenly double: that is a move */
    double hi = o->confirmed ? SWING_GROW : 1 / SWING_SHARE;
    return swing >= ms * SWING_SHARE && swing <= ms * hi;
}

/* Rocking swings about a steady centre (uneven rocking moves it by a
 * fraction of the swing; a drifting gyro, slowly): a half whose centre
 * lies more than CENTRE_SHIFT swings from the centre of the set's latest
 * halves is a shift of posture or a change of movement, not the set.
 * (A micro-bounce rides on breathing, which moves its centre by more than
 * its small swing.) */
static bool centre_moved(const struct osc *o, const struct osc_turn *tp)
{
    int m = o->nturns - 1 < CENTRE_HALVES ? o->nturns - 1 : CENTRE_HALVES;
    if (!o->confirmed || o->kind != OSC_ROCKING || m < 2)
        return false;
    double ref = 0;
    for (int k = 0; k < m; k++)
        ref += turn_back(o, k)->v + turn_back(o, k + 1)->v;
    ref /= 2 * m;
    double centre = 0.5 * (tp->v + turn_back(o, 0)->v);
    return fabs(centre - ref) > CENTRE_SHIFT * o->sum_swing / o->nswing;
}

/* Did the cycle ending at tp (it and the half before) turn the body round?
 * Turning points put in, not found, carry no turning (NaN: false). */
static bool turned_round(const struct osc *o, const struct osc_turn *tp)
{
    return o->nturns >= 2 && fabs(tp->yaw - turn_back(o, 1)->yaw) > TURN_ROUND_DEG;
}

/* Samples lost in a dropout can hide a pair of turning points of a fast
 * bounce, or misplace one: a step across a dropout is taken as one half
 * cycle, or as three with the two missing turning points put in, as long
 * as its length fits either. The run's total time stays exact, so its rate
 * does not suffer. */
static bool bridge_dropout(struct osc *o, const struct osc_turn *tp)
{
    /* the run's rhythm must be known from real halves first */
    if (!o->dropout || o->nhalf < 3)
        return false;
    const struct osc_turn last = *turn_back(o, 0);
    double hp = tp->t - last.t, m = mean_hp(o);
    double sw = fabs(tp->v - last.v);
    if (hp < m / 2.5 || hp > 3.8 * m || sw < SWING_MIN_DEG)
        return false;
    if (hp < 2.2 * m)
        return true; /* one half cycle, a little out of shape */
    for (int k = 1; k <= 2; k++) {
        double tv = last.t + hp * k / 3;
        struct osc_turn v = {tv, k == 1 ? tp->v : last.v, tv, tv, 0, 0, 0, NAN};
        o->sum_hp += hp / 3;
        o->nhalf++;
        o->sum_swing += sw;
        o->nswing++;
        o->hist[o->nturns % OSC_HISTORY] = v;
        o->nturns++;
    }
    return true;
}

/* How many turning points at the start of a run that is not yet a set are
 * a lead-in (tp the turning point about to be added): up to the last of its
 * earlier halves whose swing is out of line with its latest ones, or just
 * the first when its half is out of time with the next two. */
static int lead_len(const struct osc *o, const struct osc_turn *tp)
{
    int nt = o->nturns;
    if (o->confirmed || nt < 3 || nt >= OSC_HISTORY)
        return 0;
    /* the swing the movement has grown to: its latest halves */
    int m = nt - 1 < LEAD_LATEST ? nt - 1 : LEAD_LATEST;
    double rest = fabs(tp->v - turn_back(o, 0)->v);
    for (int k = 0; k + 1 < m; k++)
        rest += fabs(turn_back(o, k)->v - turn_back(o, k + 1)->v);
    rest /= m;
    /* the earlier halves: from turning point j to j + 1 (j = 0 the first) */
    for (int j = nt - m - 1; j >= 0; j--) {
        double s = fabs(turn_back(o, nt - 2 - j)->v - turn_back(o, nt - 1 - j)->v);
        if (s < FADE_SHARE * rest || FADE_SHARE * s > rest)
            return j + 1;
    }
    const struct osc_turn *p0 = turn_back(o, nt - 1), *p1 = turn_back(o, nt - 2),
                          *p2 = turn_back(o, nt - 3), *p3 = nt >= 4 ? turn_back(o, nt - 4) : tp;
    double h1 = p1->t - p0->t, h2 = p2->t - p1->t, h3 = p3->t - p2->t;
    return h1 > LEAD_HP * fmax(h2, h3) || LEAD_HP * h1 < fmin(h2, h3);
}

static int add_turn(struct osc *o, const struct osc_turn *tp, const struct osc_turn *pre,
                    bool fresh, bool may_hold, const struct motion_params *p,
                    struct motion_event *ev, int max);

/* Drops the first lead turning points of a run that is not yet a set and
 * adds the others again (what the run found so far is recomputed without
 * them). */
static int drop_lead(struct osc *o, int lead, const struct motion_params *p,
                     struct motion_event *ev, int max)
{
    struct osc_turn keep[OSC_HISTORY];
    int k = o->nturns - lead;
    if (k < 1) { /* lead_len keeps at least the last turning point */
        lead = o->nturns - 1;
        k = 1;
    }
    for (int i = 0; i < k; i++)
        keep[i] = *turn_back(o, k - 1 - i);
    double ref = o->swing_ref, fade = o->fade_ref;
    end_run(o, keep[0].t, ev, 0); /* not a set: nothing to report */
    begin_run(o, &keep[0], &keep[0], false);
    int n = 0;
    for (int i = 1; i < k; i++)
        n += add_turn(o, &keep[i], &keep[i], false, false, p, ev + n, max - n);
    o->swing_ref = ref;
    o->fade_ref = fade;
    return n;
}

static int add_turn(struct osc *o, const struct osc_turn *tp, const struct osc_turn *pre,
                    bool fresh, bool may_hold, const struct motion_params *p,
                    struct motion_event *ev, int max)
{
    int n = 0;
    if (o->nturns == 0) {
        begin_run(o, tp, pre, fresh);
        return 0;
    }
    if (o->has_pend) {
        /* A small half was held back: two small halves in a row are the
         * set fading out (it ended before them); one alone is just uneven. */
        o->has_pend = false;
        struct osc_turn pend = o->pend, pend_pre = o->pend_pre;
        double ms = o->sum_swing / o->nswing;
        if (o->confirmed && fabs(tp->v - pend.v) < FADE_SHARE * ms) {
            o->fade_ref = ms;
            n += end_run(o, turn_back(o, 0)->t, ev, max);
            begin_run(o, tp, pre, false);
            return n;
        }
        n += add_turn(o, &pend, &pend_pre, false, false, p, ev, max);
        return n + add_turn(o, tp, pre, fresh, true, p, ev + n, max - n);
    }
    double ms0 = o->confirmed ? o->sum_swing / o->nswing : 0;
    double sw_new = fabs(tp->v - turn_back(o, 0)->v);
    /* one small half may be uneven rocking (a small cycle is two: out and
     * back), a fade goes on: only a far smaller half ends the set at once */
    if (o->confirmed && sw_new < FADE_HARD * ms0) {
        /* far smaller than the set's swing: it has faded out */
        o->fade_ref = ms0;
        n += end_run(o, turn_back(o, 0)->t, ev, max);
        begin_run(o, tp, pre, false);
        return n;
    }
    if (o->confirmed && may_hold && sw_new < FADE_SHARE * ms0) {
        o->pend = *tp;
        o->pend_pre = *pre;
        o->has_pend = true;
        return 0;
    }
    int lead = lead_len(o, tp);
    if (lead > 0) {
        n = drop_lead(o, lead, p, ev, max);
        return n + add_turn(o, tp, pre, fresh, may_hold, p, ev + n, max - n);
    }
    bool bridged = bridge_dropout(o, tp);
    const struct osc_turn *last = turn_back(o, 0);
    double hp = tp->t - last->t, swing = fabs(tp->v - last->v);
    if (!o->confirmed && o->nhalf >= 1 && o->nhalf <= 3 && o->nturns >= 2 &&
        o->nturns - 2 >= o->nvirt) {
        /* a quicker, bigger swing after a slow small one: the run so far
         * was a shift into position, the movement starts here */
        double hp0 = last->t - turn_back(o, 1)->t, sw0 = fabs(last->v - turn_back(o, 1)->v);
        if (hp0 > RESTART_MIN_S && hp < RESTART_HP * hp0 && swing > RESTART_SWING * sw0) {
            struct osc_turn keep = *last;
            end_run(o, last->t, ev, 0); /* not a set: nothing to report */
            begin_run(o, &keep, &keep, false);
            return add_turn(o, tp, pre, fresh, may_hold, p, ev, max);
        }
    }
    if (!bridged && (!fits_run(o, hp, swing) || centre_moved(o, tp) || turned_round(o, tp))) {
        /* a confirmed set that stops fitting has ended at its last turning
         * point; what follows starts afresh */
        bool was_set = o->confirmed;
        n += end_run(o, last->t, ev + n, max - n);
        begin_run(o, tp, pre, fresh && !was_set);
        return n;
    }
    if (o->nturns - o->nvirt >= 2) {
        double per = tp->t - turn_back(o, 1)->t;
        o->sum_p += per;
        o->sum_p2 += per * per;
        if (o->nturns - 4 >= o->nvirt) {
            int par = (o->nturns - o->nvirt) & 1;
            o->last_dp = fabs(per - (turn_back(o, 1)->t - turn_back(o, 3)->t));
            o->last_par = par;
            o->sum_dp[par] += o->last_dp;
            o->ndp[par]++;
        }
        o->np++;
    }
    if (o->nturns >= 2) {
        double w = fabs(tp->v - turn_back(o, 1)->v);
        o->sum_wander += w;
        /* a micro-bounce rides on breathing: both sides move with it */
        if (o->nturns >= 3)
            w = fmin(w, fabs(tp->v - turn_back(o, 1)->v - turn_back(o, 0)->v +
                             turn_back(o, 2)->v));
        o->sum_wander_b += w;
        o->nwander++;
    }
    o->sum_hp += hp;
    o->nhalf++;
    o->sum_swing += swing;
    o->sum_peak += tp->peak_dps;
    o->sum_jerk2 += tp->jerk2;
    o->sum_dur += tp->dur;
    o->nswing++;
    if (swing > o->max_swing)
        o->max_swing = swing;
    /* a pause at a turning point far longer than the set's own pauses there
     * (a swing then a pause recurs every cycle) is a real pause: the set
     * ends at this turning point, and what follows starts from it */
    int side = (o->nturns - o->nvirt) & 1;
    double dwell = tp->t_out - tp->t_in;
    bool paused = o->confirmed && o->kind == OSC_ROCKING && o->ndwell[side] >= 2 &&
                  dwell > fmax(PAUSE_MIN_S, PAUSE_SHARE * o->sum_dwell[side] / o->ndwell[side]);
    if (dwell > 0) {
        o->sum_dwell[side] += dwell;
        o->ndwell[side]++;
    }
    o->hist[o->nturns % OSC_HISTORY] = *tp;
    o->nturns++;
    take_departure(o, swing);
    double hz = 0.5 / mean_hp(o);
    double ms = o->sum_swing / o->nswing;
    int need = hz < SLOW_HZ ? CONFIRM_TURNS_SLOW : CONFIRM_TURNS;
    double wander = o->nturns - o->nvirt >= CONFIRM_TURNS + 2 ? WANDER_SHARE : WANDER_SHARE_TWO;
    double wandered = classify(hz, ms) == OSC_BOUNCE ? o->sum_wander_b : o->sum_wander;
    if (!o->confirmed && o->nturns - o->nvirt >= need && is_exercise(hz, ms) &&
        swing >= FADE_SHARE * o->max_swing && run_cv(o) <= CONFIRM_CV &&
        wandered <= wander * ms * o->nwander && ms >= FADE_SHARE * o->fade_ref) {
        o->confirmed = true;
        o->kind = classify(hz, ms);
        if (n < max) {
            fill_set(o, &ev[n], tp->t);
            ev[n].kind = MOTION_EV_SET_START;
            n++;
        }
    }
    /* regular enough for a set, but too small: a sway (small next to the
     * breathing it rides on, like a micro-bounce) */
    o->sway = !o->confirmed && o->nturns - o->nvirt >= CONFIRM_TURNS &&
                      classify(hz, ms) == OSC_ROCKING && !is_exercise(hz, ms) &&
                      ms >= SWAY_MIN_DEG && hz >= SWAY_MIN_HZ && run_cv(o) <= CONFIRM_CV &&
                      o->sum_wander_b <= WANDER_SHARE * ms * o->nwander
                  ? ms
                  : 0;
    compute_live(o);
    if (o->confirmed) {
        o->kind = classify(hz, ms);
        o->live.osc = o->kind;
        n += report_cycles(o, tp->t, ev + n, max - n);
    }
    if (paused) {
        n += end_run(o, tp->t, ev + n, max - n);
        begin_run(o, tp, tp, false);
    }
    return n;
}

/* The hysteresis, the reach of a turning point, and when the run in
 * progress has stopped: they change only at a turning point or a reset. */
static void set_limits(struct osc *o)
{
    /* Until a run has two halves its swing is not known: a big move
     * before it must not hide the turning points of a smaller rocking. */
    double ref = o->nhalf >= 2 ? o->swing_ref : fmin(o->swing_ref, HYST_CAP_DEG);
    o->hyst = fmax(HYST_MIN_DEG, HYST_SHARE * ref);
    o->eps = fmax(NEAR_MIN_DEG, NEAR_SHARE * o->swing_ref);
    o->t_stop = o->t_check = INFINITY;
    if (o->nturns > 0) {
        /* a small half held back is movement too */
        double last = o->has_pend ? o->pend.t : turn_back(o, 0)->t;
        /* after one half, the other may be three times as long */
        double limit = o->nhalf >= 2 ? fmin(fmax(1.0, 2.6 * mean_hp(o)), 2 * HP_MAX)
                     : o->nhalf == 1 ? fmin(fmax(1.0, 3.0 * mean_hp(o)), HP_MAX) : HP_MAX;
        o->t_stop = last + limit;
        o->t_check = o->t_stop;
        if (!o->confirmed && o->nhalf <= 1 && o->swing_ref > 0 && last + LONE_S < o->t_check)
            o->t_check = last + LONE_S;
    }
}

/* How long after its extreme a turning point may take to be confirmed:
 * the angle must come back by the hysteresis, after a pause there. */
static double arrive_wait(const struct osc *o)
{
    return fmax(ARRIVE_MIN_S, mean_hp(o));
}

/* The half in progress is timed to its extreme so far (the candidate), not
 * to when that is confirmed: a long half that reached its end within the
 * limit is still part of the run while the angle may yet come back. */
static bool half_arriving(const struct osc *o, double t)
{
    const struct osc_turn *last = turn_back(o, 0);
    return o->nhalf >= 1 && o->cand_t > last->t + HP_MIN && o->cand_t <= o->t_stop &&
           t <= o->cand_t + arrive_wait(o) && fabs(o->cand_v - last->v) >= o->hyst;
}

/* The last OSC_MICRO small turning points are a micro-bounce the finder
 * cannot see: all after its last turning point, fast, each swing at least
 * SWING_MIN_DEG and within the finder's hysteresis, none far from their
 * mean. */
static bool hidden_bounce(const struct osc *o, double *swing)
{
    if (o->nmicro < OSC_MICRO || o->micro_t[OSC_MICRO - 1] <= o->main_t)
        return false;
    double sum = 0, lo = INFINITY;
    for (int i = 0; i + 1 < OSC_MICRO; i++) {
        double hp = o->micro_t[i] - o->micro_t[i + 1];
        double sw = fabs(o->micro_v[i] - o->micro_v[i + 1]);
        if (hp < HP_MIN || hp > 0.5 / ROCK_HZ || sw < SWING_MIN_DEG || sw >= o->hyst)
            return false;
        sum += sw;
        lo = fmin(lo, sw);
    }
    *swing = sum / (OSC_MICRO - 1);
    return lo >= SWING_SHARE * *swing;
}

/* The second finder (a fixed, smallest hysteresis). When it has found a
 * hidden micro-bounce, the run in progress ends at its last turning point,
 * the bounce's turning points start a new one (so its start is dated from
 * its first), and the finder carries on at the bounce's scale. */
static int micro_turn(struct osc *o, double t, double v, double dt,
                      const struct motion_params *p, struct motion_event *ev, int max)
{
    memmove(o->micro_t + 1, o->micro_t, (OSC_MICRO - 1) * sizeof o->micro_t[0]);
    memmove(o->micro_v + 1, o->micro_v, (OSC_MICRO - 1) * sizeof o->micro_v[0]);
    o->micro_t[0] = o->mcand_t;
    o->micro_v[0] = o->mcand_v;
    if (o->nmicro < OSC_MICRO)
        o->nmicro++;
    o->mdir = -o->mdir;
    o->mcand_v = v;
    o->mcand_t = t;
    double swing;
    if (!hidden_bounce(o, &swing))
        return 0;
    int n = o->nturns > 0 ? end_run(o, turn_back(o, 0)->t, ev, max) : 0;
    o->fade_ref = 0; /* a new movement, not a fade */
    for (int i = OSC_MICRO - 1; i >= 0; i--) {
        double tt = o->micro_t[i];
        struct osc_turn tp = {tt, o->micro_v[i], tt, tt, 0, 0, 0, NAN};
        if (i == OSC_MICRO - 1)
            begin_run(o, &tp, &tp, false);
        else
            n += add_turn(o, &tp, &tp, false, false, p, ev + n, max - n);
    }
    /* the finder goes on from the bounce's latest turning point */
    o->main_t = o->micro_t[0];
    o->dir = o->mdir;
    o->cand_v = o->cand_prev = o->cand_next = o->mcand_v;
    o->cand_t = o->mcand_t;
    o->near_in = o->near_out = t;
    o->cand_dt = dt;
    o->need_next = false;
    o->dep_v = o->cdep_v = o->micro_v[0];
    o->dep_out = o->cdep_out = o->micro_t[0];
    o->peak_dps = o->jerk2 = o->dur = 0;
    o->swing_ref = swing;
    set_limits(o);
    return n;
}

int osc_update(struct osc *o, double t, double v, double speed, double jerk, double yaw,
               double dt, const struct motion_params *p, struct motion_event *ev, int max)
{
    /* the second finder: cheap per sample, the rest at its turning points */
    int n = 0;
    if (o->mdir * (v - o->mcand_v) > 0) {
        o->mcand_v = v;
        o->mcand_t = t;
    } else if (o->mdir * (o->mcand_v - v) > HYST_MIN_DEG) {
        n = micro_turn(o, t, v, dt, p, ev, max);
    }
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
    const double eps = o->eps;
    if ((o->dir > 0 && v > o->cand_v) || (o->dir < 0 && v < o->cand_v)) {
        /* a new extreme: the angle arrived within reach of it now, unless
         * the old extreme was within reach already */
        if (o->dir * (v - o->cand_v) > eps)
            o->near_in = t;
        o->cand_v = v;
        o->cand_t = t;
        o->cand_prev = o->prev_v;
        o->cand_dt = dt;
        o->need_next = true;
        o->cdep_v = o->dep_v;
        o->cdep_out = o->dep_out;
    }
    if (o->dir * (v - o->cand_v) + eps >= 0)
        o->near_out = t;
    /* the opposite extreme since the last turning point: where a movement
     * from rest departed (NaN before the first sample compares false) */
    double back = -o->dir * (v - o->dep_v);
    if (!(back <= 0)) {
        o->dep_v = v;
        o->dep_out = t;
    } else if (back + eps >= 0) {
        o->dep_out = t;
    }
    if (o->dir * (o->cand_v - v) > o->hyst) {
        /* Confirmed. A parabola through the peak and its neighbours places
         * it between samples, which matters at low sample rates. */
        struct osc_turn tp = {o->cand_t, o->cand_v, o->near_in, o->near_out, o->peak_dps,
                              o->jerk2, o->dur, yaw};
        double den = o->cand_prev - 2 * o->cand_v + o->cand_next;
        if (!o->need_next && fabs(den) > 1e-12) {
            double off = 0.5 * (o->cand_prev - o->cand_next) / den;
            if (off > -0.5 && off < 0.5)
                tp.t += off * o->cand_dt;
        }
        struct osc_turn pre = {o->cdep_out, o->cdep_v, o->cdep_out, o->cdep_out, 0, 0, 0, NAN};
        if (o->nturns > 0) {
            double swing = fabs(tp.v - turn_back(o, 0)->v);
            o->swing_ref = o->swing_ref > 0 ? 0.5 * (o->swing_ref + swing) : swing;
        }
        n += add_turn(o, &tp, &pre, true, true, p, ev + n, max - n);
        o->main_t = tp.t;
        o->dropout = false;
        o->dir = -o->dir;
        o->dep_v = o->cdep_v = o->cand_v;
        o->dep_out = o->cdep_out = o->near_out;
        o->cand_v = v;
        o->cand_t = t;
        o->near_in = o->near_out = t;
        o->cand_prev = o->prev_v;
        o->cand_dt = dt;
        o->need_next = true;
        o->peak_dps = as;
        o->jerk2 = 0;
        o->dur = 0;
        set_limits(o);
    }
    o->prev_v = v;

    /* No turning point for too long: the run has stopped. */
    if (o->nturns > 0 && t > o->t_check) {
        if (t > o->t_stop && half_arriving(o, t)) {
            /* the half in progress reached its end in time: its turning
             * point is confirmed once the angle comes back */
            o->t_check = o->cand_t + arrive_wait(o);
        } else if (t > o->t_stop) {
            /* a pause: what follows is new, unless the set was fading */
            double fade = o->confirmed && o->has_pend ? o->sum_swing / o->nswing : 0;
            n += end_run_at(o, t, true, ev + n, max - n);
            o->swing_ref = 0;
            o->fade_ref = fade;
        } else {
            /* a lone turning point (the end of a move) long ago: its swing
             * no longer sets the hysteresis for what comes next */
            o->swing_ref = 0;
        }
        set_limits(o);
    }
    return n;
}

int osc_finish(struct osc *o, double t, struct motion_event *ev, int max)
{
    int n = end_run_at(o, t, true, ev, max);
    o->fade_ref = 0;
    o->swing_ref = 0;
    o->dir = 1;
    o->cand_v = -INFINITY;
    o->dep_v = NAN;
    o->need_next = false;
    o->mdir = 1;
    o->mcand_v = -INFINITY;
    o->nmicro = 0;
    set_limits(o);
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
    live->cycles = o->confirmed ? (o->nturns - o->nvirt) / 2 : 0;
    live->rate_hz = live->rhythm_cv = live->swing_deg = live->jerk = 0;
    live->set_rate_hz = live->set_cv = live->set_swing_deg = 0;
    live->sway_deg = o->sway;
    if (!o->confirmed)
        return;
    live->set_rate_hz = run_rate(o);
    live->set_cv = run_rhythm(o);
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
    live->sway_deg = o->live.sway_deg;
}
