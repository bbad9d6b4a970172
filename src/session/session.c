/* SPDX-License-Identifier: GPL-3.0-or-later */
/* session: steps, targets and the person's commands.
 *
 * Each kind of step (hold, rocking, bounce, guided repetitions) is one row
 * of handlers (kind_ops below): what a motion event does, what time does,
 * how live work is booked when the step is paused or left, and whether the
 * target was met. The flow (pause, next, back, stop, timeouts, moving on)
 * is the same for every kind and lives in the functions above the table. */
#include "session.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Bounce rounds shorter than this are not worth listing. */
#define ROUND_MIN_S 3.0
/* Low-pass of the accelerometer for the posture, seconds. */
#define UP_TAU_S 0.5
/* A step with no progress waits its own expected time plus this (a tired
 * person may rest a couple of minutes between exercises) before it
 * is left (unless step_timeout_s says otherwise). */
#define TIMEOUT_EXTRA_S 120.0
/* The weekly-limit question left unanswered this long: the stretch is left out. */
#define CONFIRM_WAIT_S 120.0

static const char *cmd_names[CMD_COUNT] = {"start", "next", "back", "stop"};
static const char *ev_names[SEV_COUNT] = {
    "session_started", "step", "hold_start", "rep", "hold_short", "hold_end",
    "set_end", "step_done", "step_skipped", "paused", "resumed", "confirm",
    "override", "finished", "posture", "timeout", "moved_on", "rest", "limit_skip",
    "get_ready",
};
static const char *kind_names[] = {"hold", "rocking", "bounce", "reps"};

const char *session_cmd_name(enum session_cmd c)
{
    return c < CMD_COUNT ? cmd_names[c] : "?";
}

int session_cmd_parse(const char *name, enum session_cmd *out)
{
    for (int i = 0; i < CMD_COUNT; i++)
        if (strcmp(name, cmd_names[i]) == 0) {
            *out = (enum session_cmd)i;
            return 0;
        }
    return -1;
}

const char *session_event_name(enum session_event_kind k)
{
    return k < SEV_COUNT ? ev_names[k] : "?";
}

struct out {
    struct session_event *ev;
    int n, max;
    int step;
};

__attribute__((format(printf, 5, 6)))
static void emit(struct out *o, enum session_event_kind kind, double t, double value,
                 const char *fmt, ...)
{
    if (o->n >= o->max)
        return;
    struct session_event *e = &o->ev[o->n++];
    e->kind = kind;
    e->t = t;
    e->step = o->step;
    e->value = value;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->text, sizeof e->text, fmt, ap);
    va_end(ap);
}

static const struct step *cur(const struct session *s)
{
    return &s->prog.steps[s->step];
}

static const struct exercise *cur_ex(const struct session *s)
{
    return exercise_get(cur(s)->ex);
}

static struct step_result *cur_res(struct session *s)
{
    return &s->res[s->step];
}

static double tol_target(const struct session *s)
{
    return cur(s)->counts_s;
}

void session_init(struct session *s, const struct program *p,
                  const struct motion_params *mp, int advanced_done, int limit)
{
    memset(s, 0, sizeof *s);
    s->prog = *p;
    s->mp = *mp;
    s->state = SS_IDLE;
    s->advanced_done = advanced_done;
    s->advanced_limit = limit;
    s->limit_applies = true;
    s->held_at_pause = -1;
    s->set_idx = -1;
}

void session_set_context(struct session *s, bool limit_applies, bool unattended)
{
    s->limit_applies = limit_applies;
    s->unattended = unattended;
}

void session_seed(struct session *s, const struct motion_live *l)
{
    if (!l)
        return;
    s->last_live = *l;
    s->live_holding = l->holding;
    s->live_hold_start = l->hold_start;
    s->live_in_set = l->in_set;
    s->live_osc = l->osc;
    s->live_set_start = l->t; /* its own start is not known here: from now */
}

void session_set_origin(struct session *s, double origin)
{
    s->origin = origin;
}

void session_accel(struct session *s, double t, const double a[3])
{
    double m = sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
    if (!(m > 0.3 && m < 3)) /* free fall or a knock: no posture in it */
        return;
    double k = s->have_up ? 1 - exp(-fmax(0, t - s->t) / UP_TAU_S) : 1;
    if (s->have_up && t <= s->t)
        k = 0.01;
    double n = 0;
    for (int i = 0; i < 3; i++) {
        s->up[i] += k * (a[i] / m - s->up[i]);
        n += s->up[i] * s->up[i];
    }
    n = sqrt(n);
    for (int i = 0; i < 3; i++)
        s->up[i] /= n > 1e-9 ? n : 1;
    s->have_up = true;
}

/* Whether the thigh is where exercise ex puts it, as far as the station has
 * learnt; true while it cannot tell. */
static bool in_posture(const struct session *s, enum exercise_id ex, enum exercise_id *against,
                       double *angle)
{
    if (!s->prog.rules.posture_check || !s->have_up)
        return true;
    return posture_fits(&s->refs, ex, s->up, s->prog.rules.posture_slack_deg, against, angle);
}

static void learn_posture(struct session *s, const double up[3])
{
    if (s->have_up)
        posture_learn(&s->refs, cur(s)->ex, up);
}

static void record_hold(struct step_result *r, double secs)
{
    if (r->nholds < SESSION_MAX_HOLDS)
        r->holds[r->nholds++] = secs;
}

static void reset_live(struct session *s)
{
    s->holding = s->credited = s->in_set = s->round_open = s->off_posture = false;
    s->held_at_pause = -1;
    s->set_idx = -1;
    s->rest_until = 0;
    s->closed_valid = s->bridging = false;
}

/* A countdown on the screen (and a word from the coach): rest before the
 * next hold or round, or get ready for the next exercise. Measuring goes on
 * through it: work started early still counts from its own start. */
static void start_rest(struct session *s, double t, struct out *o, enum session_event_kind kind)
{
    double r = s->prog.rules.rest_s;
    if (r <= 0)
        return;
    s->rest_until = t + r;
    if (kind == SEV_REST)
        emit(o, kind, t, r, "Rest: the next %s in %.0f s",
             cur(s)->kind == STEP_BOUNCE ? "round" : "hold", r);
    else
        emit(o, kind, t, r, "Get ready: %s in %.0f s", cur_ex(s)->name, r);
}

/* One more hold, round or repetition done in this attempt. */
static void count_rep(struct step_result *r)
{
    r->reps++;
    if (r->reps > r->best_reps)
        r->best_reps = r->reps;
}

/* ---- what each kind of step does ---- */

/* holds */

static void hold_credit(struct session *s, double t, struct out *o)
{
    struct step_result *r = cur_res(s);
    s->credited = true;
    count_rep(r);
    learn_posture(s, s->up);
    if (s->holding)
        emit(o, SEV_REP, t, r->reps, "%d of %d: target reached", r->reps, cur(s)->reps);
    else /* counted as it ended: close enough to the target, or the BackBlock's minimum */
        emit(o, SEV_REP, t, r->reps, "%d of %d: counted (%.0f s held, target %.0f s)", r->reps,
             cur(s)->reps, t - s->hold_start, cur(s)->target_s);
}

/* A hold ends (the thigh moved, or the step is left): its length is kept,
 * and it counts if it came within the tolerance of the target. */
static void hold_close(struct session *s, double t, double secs, struct out *o)
{
    struct step_result *r = cur_res(s);
    s->holding = false;
    s->held_at_pause = -1;
    if (!s->credited && secs >= tol_target(s)) {
        s->hold_start = t - secs; /* for the words: how long it was */
        hold_credit(s, t, o);
    }
    if (!s->credited && secs < s->mp.hold_min_s)
        return; /* a stillness too short to be a hold is no news */
    record_hold(r, secs);
    if (s->credited)
        emit(o, SEV_HOLD_END, t, secs, "Held %.1f s", secs);
    else
        emit(o, SEV_HOLD_SHORT, t, secs, "Held %.1f s of %.0f", secs, cur(s)->target_s);
    s->credited = false;
    s->last_progress = t;
}

static void hold_begin(struct session *s, double raw_start, double from)
{
    s->holding = true;
    s->credited = false;
    s->off_posture = false;
    s->hold_raw_start = raw_start;
    s->hold_start = from;
    s->held_at_pause = -1;
}

/* rocking */

static struct session_set *set_entry(struct session *s)
{
    struct step_result *r = cur_res(s);
    if (s->set_idx < 0) {
        if (r->nsets == SESSION_MAX_SETS) /* the last entry takes the rest */
            r->nsets--;
        s->set_idx = r->nsets++;
        struct session_set *e = &r->sets[s->set_idx];
        memset(e, 0, sizeof *e);
        e->start = s->set_start;
    }
    return &r->sets[s->set_idx];
}

/* Books the live set up to t with `cycles` cycles in all so far and the
 * given set figures. */
static void set_book(struct session *s, double t, int cycles, double rate, double cv,
                     double swing, double jerk)
{
    struct step_result *r = cur_res(s);
    double secs = fmax(0, t - s->set_start);
    int c = cycles - s->set_cycles_booked;
    if (c < 0)
        c = 0;
    struct session_set *e = set_entry(s);
    e->end = t;
    e->secs += secs;
    e->cycles += c;
    if (rate > 0) {
        e->rate_hz = rate;
        e->rhythm_cv = cv;
        e->swing_deg = swing;
        e->jerk = jerk;
    }
    r->rock_s += secs;
    r->attempt_rock_s += secs;
    r->cycles += c;
    s->set_start = t;
    s->set_cycles_booked = cycles;
    if (s->have_up)
        for (int i = 0; i < 3; i++)
            s->up_sum[i] += s->up[i] * secs;
}

static void set_book_live(struct session *s, double t)
{
    const struct motion_live *l = &s->last_live;
    bool same = l->in_set && l->osc == OSC_ROCKING;
    set_book(s, t, same ? l->cycles : s->set_cycles_booked, same ? l->set_rate_hz : 0,
             l->set_cv, l->set_swing_deg, l->jerk);
}

static void set_learn(struct session *s)
{
    double n = sqrt(s->up_sum[0] * s->up_sum[0] + s->up_sum[1] * s->up_sum[1] +
                    s->up_sum[2] * s->up_sum[2]);
    if (n > 1e-9) {
        double u[3] = {s->up_sum[0] / n, s->up_sum[1] / n, s->up_sum[2] / n};
        learn_posture(s, u);
    }
    memset(s->up_sum, 0, sizeof s->up_sum);
}

static void judge_set(const struct session *s, const struct session_set *e, struct motion_live *l)
{
    motion_judge_set(&s->mp, e->rate_hz, e->rhythm_cv, e->swing_deg, e->jerk, l);
}

/* bounce rounds */

static double round_len(const struct session *s, double t)
{
    double end = s->in_set ? t : s->round_last_end;
    return fmax(0, end - s->round_start - s->round_paused_s);
}

static void round_credit(struct session *s, double t, struct out *o)
{
    struct step_result *r = cur_res(s);
    s->credited = true;
    count_rep(r);
    learn_posture(s, s->up);
    emit(o, SEV_REP, t, r->reps, "Round %d of %d done%s", r->reps, cur(s)->reps,
         r->reps >= cur(s)->reps ? "" : ": rest");
}

static void round_close(struct session *s, double t, struct out *o)
{
    struct step_result *r = cur_res(s);
    double len = round_len(s, t);
    s->round_open = s->in_set = false;
    if (len >= ROUND_MIN_S)
        record_hold(r, len);
    if (!s->credited && len >= tol_target(s)) {
        round_credit(s, t, o);
    } else if (!s->credited && len >= ROUND_MIN_S) {
        emit(o, SEV_HOLD_SHORT, t, len, "Bounced %.0f s of %.0f", len, cur(s)->target_s);
    }
    s->credited = false;
    s->last_progress = t;
}

/* ---- the kinds ---- */

struct kind_ops {
    /* books live work up to t (pause, leaving); closing: the step is left */
    void (*freeze)(struct session *s, double t, bool closing, struct out *o);
    /* carries on after a pause that began at pause_t */
    void (*thaw)(struct session *s, double t, struct out *o);
    /* time passes; returns true when the step's target was met */
    bool (*tick)(struct session *s, double t, struct out *o);
    bool (*met)(const struct session *s, int i);
    void (*missing)(const struct session *s, int i, char *buf, size_t len);
};

static bool reps_met(const struct session *s, int i)
{
    return s->res[i].reps >= s->prog.steps[i].reps;
}

static void reps_missing(const struct session *s, int i, char *buf, size_t len)
{
    const char *what = s->prog.steps[i].kind == STEP_BOUNCE ? "rounds" : "holds";
    snprintf(buf, len, "%d of %d %s", s->res[i].reps, s->prog.steps[i].reps, what);
}

static void hold_freeze(struct session *s, double t, bool closing, struct out *o)
{
    if (!s->holding)
        return;
    double held = s->held_at_pause >= 0 ? s->held_at_pause : t - s->hold_start;
    if (closing)
        hold_close(s, t, held, o);
    else
        s->held_at_pause = held;
}

static void hold_thaw(struct session *s, double t, struct out *o)
{
    if (s->holding && s->held_at_pause >= 0) {
        if (s->live_holding && s->live_hold_start == s->hold_raw_start) {
            /* still in the same stillness: the hold goes on, the pause left out */
            s->hold_start = t - s->held_at_pause;
            s->held_at_pause = -1;
            return;
        }
        /* it ended while paused: it counts as it stood */
        hold_close(s, t, s->held_at_pause, o);
    }
    /* still when the pause ended (got into position during it): from now,
     * unless the one that just closed was the last one wanted */
    if (!s->holding && s->live_holding && !reps_met(s, s->step) &&
        in_posture(s, cur(s)->ex, NULL, NULL)) {
        hold_begin(s, s->live_hold_start, t);
        emit(o, SEV_HOLD_START, t, cur_res(s)->reps + 1, "Hold %d of %d started",
             cur_res(s)->reps + 1, cur(s)->reps);
    }
}

static bool hold_tick(struct session *s, double t, struct out *o)
{
    if (s->holding) {
        s->last_progress = t;
        if (!s->credited && t - s->hold_start >= cur(s)->target_s)
            hold_credit(s, t, o);
    }
    return false; /* a hold step is done when its last hold ends */
}

static void rock_freeze(struct session *s, double t, bool closing, struct out *o)
{
    (void)o;
    if (!s->in_set)
        return;
    if (s->state != SS_PAUSED) /* a pause already booked the set up to its start */
        set_book_live(s, t);
    if (closing) {
        s->set_idx = -1;
        s->in_set = false;
        set_learn(s);
    }
}

static void rock_thaw(struct session *s, double t, struct out *o)
{
    (void)o;
    if (!s->in_set) {
        if (s->live_in_set && s->live_osc == OSC_ROCKING) { /* began in the pause */
            s->in_set = true;
            s->set_first_start = s->live_set_start;
            s->set_start = t;
            s->set_cycles_booked = s->last_live.cycles;
            s->set_idx = -1;
            memset(s->up_sum, 0, sizeof s->up_sum);
        }
        return;
    }
    if (s->live_in_set && s->live_osc == OSC_ROCKING &&
        s->live_set_start == s->set_first_start) {
        s->set_start = t; /* the pause is not rocking time */
        s->set_cycles_booked = s->last_live.cycles;
    } else {
        s->in_set = false;
        s->set_idx = -1;
        set_learn(s);
    }
}

static double rock_attempt(const struct session *s, double t)
{
    const struct step_result *r = &s->res[s->step];
    return r->attempt_rock_s + (s->in_set && s->state == SS_ACTIVE ? fmax(0, t - s->set_start) : 0);
}

/* The target reached mid-set is said at once; the step ends with the set,
 * so the whole set is booked (the person eases off in their own time). */
static bool rock_tick(struct session *s, double t, struct out *o)
{
    if (s->in_set)
        s->last_progress = t;
    double done = rock_attempt(s, t);
    if (done < cur(s)->target_s) /* a set that ended within the tolerance is enough */
        return !s->in_set && done >= cur(s)->counts_s;
    if (!s->credited) {
        s->credited = true;
        count_rep(cur_res(s));
        emit(o, SEV_REP, t, 1, "%.0f s of rocking: target reached", cur(s)->target_s);
    }
    return !s->in_set;
}

static bool rock_met(const struct session *s, int i)
{
    const struct step_result *r = &s->res[i];
    return r->attempt_rock_s >= s->prog.steps[i].counts_s;
}

static void rock_missing(const struct session *s, int i, char *buf, size_t len)
{
    snprintf(buf, len, "%.0f of %.0f s of rocking", s->res[i].attempt_rock_s,
             s->prog.steps[i].target_s);
}

static void bounce_freeze(struct session *s, double t, bool closing, struct out *o)
{
    if (!s->round_open)
        return;
    if (closing) {
        round_close(s, t, o);
    } else if (s->in_set) {
        s->round_last_end = t; /* the pause is no bouncing */
        s->in_set = false;
    }
}

static void bounce_thaw(struct session *s, double t, struct out *o)
{
    (void)o;
    if (!s->round_open) {
        if (s->live_in_set && s->live_osc == OSC_BOUNCE) { /* began in the pause */
            s->round_open = s->in_set = true;
            s->credited = false;
            s->round_start = t;
            s->round_paused_s = 0;
        }
        return;
    }
    s->round_paused_s += t - s->pause_t;
    s->in_set = s->live_in_set && s->live_osc == OSC_BOUNCE;
    s->round_last_end = t;
}

static bool bounce_tick(struct session *s, double t, struct out *o)
{
    if (!s->round_open)
        return false;
    s->last_progress = t;
    struct step_result *r = cur_res(s);
    if (s->in_set && !s->credited && round_len(s, t) >= cur(s)->target_s)
        round_credit(s, t, o);
    if (!s->in_set && t - s->round_last_end > s->prog.rules.bridge_s) {
        bool was = s->credited;
        round_close(s, t, o);
        if (reps_met(s, s->step))
            return true;
        if (was || r->reps > 0)
            start_rest(s, t, o, SEV_REST);
    }
    return false;
}

/* Curl downs: the thigh sees too little of them to count, so the station
 * paces them and says so in the record (guided, not measured). */
static void guided_freeze(struct session *s, double t, bool closing, struct out *o)
{
    (void)closing;
    (void)o;
    s->guided_start = t - s->guided_start; /* time into the repetition, kept */
}

static void guided_thaw(struct session *s, double t, struct out *o)
{
    (void)o;
    s->guided_start = t - s->guided_start;
}

static bool guided_tick(struct session *s, double t, struct out *o)
{
    struct step_result *r = cur_res(s);
    r->guided = true;
    s->last_progress = t;
    if (t - s->guided_start >= s->prog.rules.curl_rep_s) {
        s->guided_start = t;
        count_rep(r);
        emit(o, SEV_REP, t, r->reps, "%d of %d (paced by time, not measured)", r->reps,
             cur(s)->reps);
    }
    return reps_met(s, s->step);
}

static void guided_missing(const struct session *s, int i, char *buf, size_t len)
{
    snprintf(buf, len, "%d of %d repetitions (paced by time)", s->res[i].reps,
             s->prog.steps[i].reps);
}

static const struct kind_ops kinds[] = {
    [STEP_HOLD] = {hold_freeze, hold_thaw, hold_tick, reps_met, reps_missing},
    [STEP_ROCKING] = {rock_freeze, rock_thaw, rock_tick, rock_met, rock_missing},
    [STEP_BOUNCE] = {bounce_freeze, bounce_thaw, bounce_tick, reps_met, reps_missing},
    [STEP_REPS] = {guided_freeze, guided_thaw, guided_tick, reps_met, guided_missing},
};

static const struct kind_ops *ops(const struct session *s)
{
    return &kinds[cur(s)->kind];
}

/* ---- the flow ---- */

/* Time in the step is booked when it is left or paused. */
static void book_time(struct session *s, double t)
{
    if (s->state == SS_ACTIVE)
        s->res[s->step].active_s += t - s->step_t;
    s->step_t = t;
}

static void finish(struct session *s, double t, bool by_stop, struct out *o);
static void bridge_drop(struct session *s);
static void enter_step(struct session *s, int i, double t, struct out *o);

/* Work already under way when a step is entered (the person got into
 * position before pressing next, or moved on without pressing) counts from
 * its own start, unless the step before had it. */
static void carry_in(struct session *s, double floor_t)
{
    const struct step *st = cur(s);
    if (st->kind == STEP_HOLD && s->live_holding && s->live_hold_start > floor_t &&
        in_posture(s, st->ex, NULL, NULL)) {
        hold_begin(s, s->live_hold_start, s->live_hold_start);
    } else if (st->kind == STEP_ROCKING && s->live_in_set && s->live_osc == OSC_ROCKING) {
        /* a set under way: what came before floor_t was booked elsewhere */
        bool clipped = s->live_set_start < floor_t;
        s->in_set = true;
        s->set_first_start = s->live_set_start;
        s->set_start = clipped ? floor_t : s->live_set_start;
        s->set_cycles_booked = clipped ? s->last_live.cycles : 0;
        s->set_idx = -1;
        memset(s->up_sum, 0, sizeof s->up_sum);
    } else if (st->kind == STEP_BOUNCE && s->live_in_set && s->live_osc == OSC_BOUNCE) {
        s->round_open = s->in_set = true;
        s->round_start = fmax(s->live_set_start, floor_t);
        s->round_paused_s = 0;
    }
}

/* Leaves the current step: live work is booked, the step is done if its
 * target was met, else it is marked skipped with what was missing. */
static double leave_step(struct session *s, double t, const char *why, struct out *o)
{
    double floor_t = (s->holding || s->in_set || s->round_open) ? t : -1e300;
    book_time(s, t);
    ops(s)->freeze(s, t, true, o);
    bridge_drop(s);
    struct step_result *r = cur_res(s);
    if (!r->done && ops(s)->met(s, s->step)) {
        r->done = true;
        r->skipped = false;
        emit(o, SEV_STEP_DONE, t, r->reps, "%s: done", cur_ex(s)->name);
    } else if (!r->done) {
        char miss[120];
        ops(s)->missing(s, s->step, miss, sizeof miss);
        r->skipped = true;
        emit(o, SEV_STEP_SKIPPED, t, r->reps, "%s left (%s): %s done", cur_ex(s)->name, why,
             miss);
    }
    reset_live(s);
    s->step_left = true;
    return floor_t;
}

static void go_to(struct session *s, int i, double t, double floor_t, struct out *o)
{
    if (i >= s->prog.nsteps) {
        finish(s, t, false, o);
        return;
    }
    enter_step(s, i, t, o);
    s->work_floor = floor_t;
    if (s->state == SS_ACTIVE)
        carry_in(s, floor_t);
}

static void complete_step(struct session *s, double t, struct out *o)
{
    double floor_t = leave_step(s, t, "done", o);
    int next = s->step + 1;
    if (next < s->prog.nsteps) {
        go_to(s, next, t, floor_t, o);
        if (s->state == SS_ACTIVE)
            start_rest(s, t, o, SEV_GET_READY);
    } else {
        finish(s, t, false, o);
    }
}

static void enter_step(struct session *s, int i, double t, struct out *o)
{
    s->step = i;
    o->step = i;
    s->entry_t = t;
    s->step_t = t;
    s->last_progress = t;
    s->guided_start = t;
    s->step_left = false;
    reset_live(s);
    struct step_result *r = &s->res[i];
    r->started = true;
    r->entries++;
    /* going back to a step that was done is doing it again: a fresh count,
     * what was done before is kept */
    if (r->done) {
        r->reps = 0;
        r->attempt_rock_s = 0;
    }
    const struct exercise *ex = cur_ex(s);
    emit(o, SEV_STEP, t, r->entries, "Step %d of %d: %s%s%s%s", i + 1, s->prog.nsteps,
         ex->name, cur(s)->side ? ", " : "", cur(s)->side ? cur(s)->side : "",
         r->entries > 1 ? " (again)" : "");
    s->state = SS_ACTIVE;
    if (ex->id != EX_ADVANCED_STRETCH || !s->limit_applies ||
        s->advanced_done < s->advanced_limit || r->overridden)
        return;
    if (!s->unattended) {
        s->state = SS_CONFIRM;
        emit(o, SEV_CONFIRM, t, s->advanced_done,
             "Done %d times in the last 7 days: at most %d a week is advised",
             s->advanced_done, s->advanced_limit);
    } else if (s->prog.rules.unattended_over_limit) {
        r->overridden = true;
        emit(o, SEV_OVERRIDE, t, s->advanced_done,
             "Done %d times this week; doing it anyway (session.unattended_over_limit)",
             s->advanced_done);
    } else {
        r->limit_skipped = r->skipped = true;
        emit(o, SEV_LIMIT_SKIP, t, s->advanced_done,
             "Advanced stretch left out: done %d times in the last 7 days, at most %d a "
             "week is advised, and nobody is here to confirm",
             s->advanced_done, s->advanced_limit);
        s->state = SS_PAUSED; /* not measuring: leave it at once */
        s->step_t = t;
        go_to(s, i + 1, t, -1e300, o);
    }
}

int session_exercises(const struct session *s, int *done)
{
    bool seen[EX_COUNT] = {false}, all[EX_COUNT];
    int n = 0;
    for (int i = 0; i < EX_COUNT; i++)
        all[i] = true;
    for (int i = 0; i < s->prog.nsteps; i++) {
        enum exercise_id e = s->prog.steps[i].ex;
        if (!seen[e])
            n++;
        seen[e] = true;
        all[e] = all[e] && s->res[i].done;
    }
    int d = 0;
    for (int i = 0; i < EX_COUNT; i++)
        d += seen[i] && all[i];
    if (done)
        *done = d;
    return n;
}

const char *session_status(const struct session *s)
{
    if (s->state != SS_FINISHED)
        return "in progress";
    int done, n = session_exercises(s, &done);
    return done == n ? "complete" : "partial";
}

static void finish(struct session *s, double t, bool by_stop, struct out *o)
{
    if (!s->step_left &&
        (s->state == SS_ACTIVE || s->state == SS_PAUSED || s->state == SS_CONFIRM)) {
        leave_step(s, t, by_stop ? "stopped" : "end", o);
    }
    s->stopped_early = by_stop;
    s->state = SS_FINISHED;
    s->end_t = t;
    int done, n = session_exercises(s, &done);
    if (done == n)
        emit(o, SEV_FINISHED, t, done, "Session complete: all %d exercises done", n);
    else
        emit(o, SEV_FINISHED, t, done, "Session %s: %d of %d exercises done",
             by_stop ? "stopped early" : "ended", done, n);
}

int session_command(struct session *s, enum session_cmd cmd, double t,
                    struct session_event *ev, int max)
{
    struct out o = {ev, 0, max, s->step};
    s->t = t;
    if (s->state == SS_FINISHED || s->prog.nsteps == 0)
        return 0;
    if (s->state == SS_IDLE) {
        if (cmd == CMD_STOP)
            return 0;
        s->start_t = t;
        int ne = session_exercises(s, NULL);
        emit(&o, SEV_STARTED, t, s->prog.stage, "Session started: stage %d, %d exercises",
             s->prog.stage, ne);
        go_to(s, 0, t, -1e300, &o);
        /* a hold already under way counts from the press, not from before it */
        if (s->holding && s->hold_start < t)
            s->hold_start = t;
        return o.n;
    }
    switch (cmd) {
    case CMD_START_PAUSE:
        if (s->state == SS_ACTIVE) {
            book_time(s, t);
            ops(s)->freeze(s, t, false, &o);
            s->pause_t = t;
            s->state = SS_PAUSED;
            emit(&o, SEV_PAUSED, t, 0, "Paused");
        } else if (s->state == SS_PAUSED) {
            s->state = SS_ACTIVE;
            s->step_t = t;
            s->last_progress = t;
            emit(&o, SEV_RESUMED, t, 0, "Resumed");
            ops(s)->thaw(s, t, &o);
            if (!s->holding && !s->in_set && !s->round_open && cur(s)->kind != STEP_REPS &&
                ops(s)->met(s, s->step))
                complete_step(s, t, &o);
        } else if (s->state == SS_CONFIRM) {
            s->res[s->step].overridden = true;
            s->state = SS_ACTIVE;
            s->step_t = t;
            s->last_progress = t;
            emit(&o, SEV_OVERRIDE, t, s->advanced_done,
                 "Confirmed: advanced stretch although done %d times this week",
                 s->advanced_done);
        }
        break;
    case CMD_NEXT: {
        double floor_t = leave_step(s, t, "next", &o);
        go_to(s, s->step + 1, t, floor_t, &o);
        break;
    }
    case CMD_BACK:
        if (s->step > 0) {
            leave_step(s, t, "back", &o);
            go_to(s, s->step - 1, t, t, &o);
        }
        break;
    case CMD_STOP:
        finish(s, t, true, &o);
        break;
    default:
        break;
    }
    return o.n;
}

int session_end(struct session *s, double t, struct session_event *ev, int max)
{
    struct out o = {ev, 0, max, s->step};
    s->t = t;
    if (s->state == SS_FINISHED || s->state == SS_IDLE || s->prog.nsteps == 0)
        return 0;
    finish(s, t, false, &o);
    return o.n;
}

/* The person is plainly doing the next step's exercise: follow them. */
static void move_on(struct session *s, double t, const char *what, struct out *o)
{
    int next = s->step + 1;
    emit(o, SEV_MOVED_ON, t, next + 1, "%s seen: moving on to %s", what,
         exercise_get(s->prog.steps[next].ex)->name);
    /* what began after this step was entered belongs to the next one */
    double floor_t = s->entry_t;
    leave_step(s, t, "moved on", o);
    s->res[next - 1].moved_on = true;
    go_to(s, next, t, floor_t, o);
}

static const struct step *next_step(const struct session *s)
{
    return s->step + 1 < s->prog.nsteps ? &s->prog.steps[s->step + 1] : NULL;
}

/* A sensor gap (a loose cable, a brown-out) ends the motion core's hold,
 * but the person may well have stayed put. The hold is kept open across
 * the gap, like a pause: if the thigh is still, in the same posture, as soon
 * as data flows again, it carries on (the gap left out); else it counts as
 * it stood. */
#define BRIDGE_FIND_S 2.5   /* after the gap, to be found still again */
#define BRIDGE_SAME_DEG 8.0 /* and this close to the posture before it */

static void gap_bridge(struct session *s, const struct motion_event *me, struct out *o)
{
    /* nothing was measured in a gap: it is no active time, no idle time */
    double len = me->end - me->start;
    if (len > 0) {
        s->step_t += len;
        s->last_progress += len;
        if (s->rest_until > me->start)
            s->rest_until += len;
    }
    if (cur(s)->kind != STEP_HOLD || !s->closed_valid || fabs(me->start - s->closed_end) > 0.05)
        return;
    struct step_result *r = cur_res(s);
    if (s->closed_recorded && r->nholds > 0)
        r->nholds--;
    s->closed_valid = false;
    s->bridging = true;
    s->bridge_len = s->closed_len;
    s->bridge_gap_end = me->end;
    memcpy(s->bridge_up, s->up, sizeof s->bridge_up);
    s->last_progress = me->t;
    emit(o, SEV_HOLD_SHORT, me->t, s->closed_len,
         "Sensor gap of %.1f s after %.0f s held: the hold carries on if you stay put",
         me->end - me->start, s->closed_len);
}

/* The bridged hold was not found again: it counts as it stood. */
static void bridge_drop(struct session *s)
{
    if (!s->bridging)
        return;
    s->bridging = false;
    record_hold(cur_res(s), s->bridge_len);
}

static void on_hold_start(struct session *s, const struct motion_event *me, struct out *o)
{
    const struct step *st = cur(s);
    if (st->kind != STEP_HOLD || s->holding)
        return;
    if (s->bridging) {
        s->bridging = false;
        if (me->start <= s->bridge_gap_end + BRIDGE_FIND_S &&
            posture_angle(s->up, s->bridge_up) <= BRIDGE_SAME_DEG) {
            hold_begin(s, me->start, me->start - s->bridge_len);
            s->last_progress = me->t;
            emit(o, SEV_HOLD_START, me->t, cur_res(s)->reps + 1,
                 "Still in position after the sensor gap: the hold carries on from %.0f s",
                 s->bridge_len);
            return;
        }
        record_hold(cur_res(s), s->bridge_len);
    }
    enum exercise_id against = EX_COUNT;
    double angle = 0;
    if (in_posture(s, st->ex, &against, &angle)) {
        hold_begin(s, me->start, fmax(me->start, s->work_floor));
        s->last_progress = me->t;
        emit(o, SEV_HOLD_START, me->t, cur_res(s)->reps + 1, "Hold %d of %d started",
             cur_res(s)->reps + 1, st->reps);
        return;
    }
    /* said and counted once it has lasted as long as a hold: a pause while
     * getting into position is no news */
    s->off_posture = true;
    s->off_told = false;
    s->off_against = against;
    s->off_angle = angle;
    s->hold_raw_start = me->start;
}

/* Rocking or bouncing that goes on in a step before the one it belongs to
 * (a set under way when back was pressed, or one that began unnoticed):
 * after a few seconds the station follows the person. */
#define FOLLOW_SET_S 5.0
static void follow_set(struct session *s, double t, struct out *o)
{
    const struct step *nx = next_step(s);
    if (!nx || s->holding || s->in_set || s->round_open || !s->live_in_set)
        return;
    enum step_kind want = s->live_osc == OSC_ROCKING ? STEP_ROCKING : STEP_BOUNCE;
    if (cur(s)->kind == want || nx->kind != want ||
        t - fmax(s->entry_t, s->live_set_start) < FOLLOW_SET_S)
        return;
    move_on(s, t, want == STEP_ROCKING ? "Rocking" : "Micro-bounce", o);
}

/* Still for a long while in a rocking, bounce or paced step, in the posture
 * of a hold step that comes next (the BackBlock after the advanced
 * stretch): the person has moved on. Long, so a rest between rounds is not
 * taken for it. */
#define FOLLOW_HOLD_S 15.0
static void follow_hold(struct session *s, double t, struct out *o)
{
    const struct step *nx = next_step(s);
    if (!nx || nx->kind != STEP_HOLD || cur(s)->kind == STEP_HOLD || !s->live_holding ||
        s->in_set || s->round_open || t - fmax(s->entry_t, s->live_hold_start) < FOLLOW_HOLD_S ||
        !in_posture(s, nx->ex, NULL, NULL))
        return;
    move_on(s, t, "A still hold", o);
}

static void off_posture_tick(struct session *s, double t, struct out *o)
{
    if (!s->off_posture || s->off_told || !s->live_holding ||
        t - s->hold_raw_start < s->mp.hold_min_s)
        return;
    /* a real hold in the next exercise's posture: the person has moved on */
    const struct step *nx = next_step(s);
    if (nx && nx->kind == STEP_HOLD && nx->ex != cur(s)->ex && in_posture(s, nx->ex, NULL, NULL)) {
        move_on(s, t, "A hold in its position", o);
        return;
    }
    s->off_told = true;
    cur_res(s)->posture_refused++;
    emit(o, SEV_POSTURE, t, s->off_angle,
         "Still, but not in the %s position (%.0f degrees from the %s one): not counted",
         cur_ex(s)->name, s->off_angle, exercise_get(s->off_against)->name);
}

static void on_set_start(struct session *s, const struct motion_event *me, struct out *o)
{
    const struct step *st = cur(s);
    enum step_kind want = me->osc == OSC_ROCKING ? STEP_ROCKING : STEP_BOUNCE;
    if (st->kind != want) {
        const struct step *nx = next_step(s);
        if (nx && nx->kind == want && !s->holding && !s->round_open && !s->in_set) {
            move_on(s, me->t, want == STEP_ROCKING ? "Rocking" : "Micro-bounce", o);
            on_set_start(s, me, o);
        }
        return;
    }
    if (s->in_set)
        return; /* carried in when the step began */
    if (want == STEP_ROCKING) {
        if (!in_posture(s, st->ex, NULL, NULL)) {
            emit(o, SEV_POSTURE, me->t, 0, "Rocking, but not lying with the knees up: not counted");
            return;
        }
        s->in_set = true;
        s->set_first_start = me->start;
        s->set_start = fmax(me->start, s->work_floor);
        s->set_cycles_booked = 0;
        s->set_idx = -1;
        memset(s->up_sum, 0, sizeof s->up_sum);
    } else {
        s->in_set = true;
        if (!s->round_open) {
            s->round_open = true;
            s->credited = false;
            s->round_start = fmax(me->start, s->work_floor);
            s->round_paused_s = 0;
        }
    }
    s->last_progress = me->t;
}

static void on_set_end(struct session *s, const struct motion_event *me, struct out *o)
{
    const struct step *st = cur(s);
    if (st->kind == STEP_ROCKING && me->osc == OSC_ROCKING && s->in_set) {
        set_book(s, fmax(me->end, s->set_start), me->cycles, me->rate_hz, me->rhythm_cv,
                 me->swing_deg, me->jerk);
        s->in_set = false;
        s->set_idx = -1;
        set_learn(s);
        struct step_result *r = cur_res(s);
        const struct session_set *e = &r->sets[r->nsets - 1];
        struct motion_live l;
        judge_set(s, e, &l);
        emit(o, SEV_SET_END, me->t, e->cycles,
             "%d cycles in %.0f s at %.2f a second: rate %s, rhythm %s, effort %s", e->cycles,
             e->secs, me->rate_hz, verdict_name(l.rate_v, 0), verdict_name(l.rhythm_v, 1),
             verdict_name(l.effort_v, 2));
        s->last_progress = me->t;
    } else if (st->kind == STEP_BOUNCE && me->osc == OSC_BOUNCE && s->round_open) {
        struct step_result *r = cur_res(s);
        r->bounce_rate_sum += me->rate_hz;
        r->bounce_sets++;
        s->in_set = false;
        s->round_last_end = me->end;
        emit(o, SEV_SET_END, me->t, me->end - me->start, "Micro-bounce for %.0f s at %.1f a second",
             me->end - me->start, me->rate_hz);
        s->last_progress = me->t;
    }
}

int session_motion(struct session *s, const struct motion_event *me,
                   struct session_event *ev, int max)
{
    struct out o = {ev, 0, max, s->step};
    /* what the motion core is in, kept whatever the state, so a resume or a
     * step change can tell whether a hold or set is still the same one */
    switch (me->kind) {
    case MOTION_EV_HOLD_START:
        s->live_holding = true;
        s->live_hold_start = me->start;
        break;
    case MOTION_EV_HOLD_END:
        s->live_holding = false;
        break;
    case MOTION_EV_SET_START:
        s->live_in_set = true;
        s->live_osc = me->osc;
        s->live_set_start = me->start;
        break;
    case MOTION_EV_SET_END:
    case MOTION_EV_GAP:
        s->live_in_set = false;
        if (me->kind == MOTION_EV_GAP)
            s->live_holding = false;
        break;
    default:
        break;
    }
    if (s->state != SS_ACTIVE)
        return 0;
    switch (me->kind) {
    case MOTION_EV_HOLD_START:
        on_hold_start(s, me, &o);
        break;
    case MOTION_EV_HOLD_END:
        if (cur(s)->kind == STEP_HOLD && s->holding) {
            struct step_result *r = cur_res(s);
            bool was = s->credited;
            int reps = r->reps, nholds = r->nholds;
            double len = me->end - s->hold_start;
            hold_close(s, me->t, len, &o);
            bool counted = was || r->reps > reps;
            /* kept in case a sensor gap is what ended it (see MOTION_EV_GAP) */
            s->closed_valid = !was && r->reps == reps;
            s->closed_end = me->end;
            s->closed_len = len;
            s->closed_recorded = r->nholds > nholds;
            if (reps_met(s, s->step))
                complete_step(s, me->t, &o);
            else if (counted)
                start_rest(s, me->t, &o, SEV_REST);
        }
        s->off_posture = false;
        break;
    case MOTION_EV_SET_START:
        on_set_start(s, me, &o);
        break;
    case MOTION_EV_SET_END:
        on_set_end(s, me, &o);
        break;
    case MOTION_EV_GAP:
        gap_bridge(s, me, &o);
        break;
    default:
        break;
    }
    return o.n;
}

static double step_timeout(const struct session *s)
{
    if (s->prog.rules.step_timeout_s > 0)
        return s->prog.rules.step_timeout_s;
    return program_step_expected_s(&s->prog, s->step) + TIMEOUT_EXTRA_S;
}

int session_tick(struct session *s, double t, const struct motion_live *live,
                 struct session_event *ev, int max)
{
    struct out o = {ev, 0, max, s->step};
    if (live)
        s->last_live = *live;
    s->t = t;
    if (s->state == SS_CONFIRM && t - s->entry_t > CONFIRM_WAIT_S) {
        struct step_result *r = cur_res(s);
        r->limit_skipped = r->skipped = true;
        emit(&o, SEV_LIMIT_SKIP, t, s->advanced_done,
             "No answer in %.0f s: the advanced stretch is left out (done %d times in the "
             "last 7 days)", CONFIRM_WAIT_S, s->advanced_done);
        s->step_left = true;
        go_to(s, s->step + 1, t, -1e300, &o);
        return o.n;
    }
    if (s->state != SS_ACTIVE)
        return 0;
    off_posture_tick(s, t, &o);
    follow_set(s, t, &o);
    follow_hold(s, t, &o);
    if (s->bridging && t > s->bridge_gap_end + BRIDGE_FIND_S + s->mp.hold_min_s + 1)
        bridge_drop(s);
    if (ops(s)->tick(s, t, &o)) {
        complete_step(s, t, &o);
        return o.n;
    }
    if (t - s->last_progress > step_timeout(s)) {
        char miss[120];
        ops(s)->missing(s, s->step, miss, sizeof miss);
        emit(&o, SEV_TIMEOUT, t, t - s->last_progress,
             "No progress on %s for %.0f s: moving on (%s done)", cur_ex(s)->name,
             t - s->last_progress, miss);
        cur_res(s)->timed_out = true;
        double floor_t = leave_step(s, t, "timeout", &o);
        go_to(s, s->step + 1, t, floor_t, &o);
    }
    return o.n;
}

static const char *step_message(const struct session *s, double t)
{
    switch (s->state) {
    case SS_IDLE: return "Press start when you are ready";
    case SS_PAUSED: return "Paused: press start to carry on";
    case SS_CONFIRM: return "Already done enough this week: start to do it anyway, next to skip";
    case SS_FINISHED: {
        int done, n = session_exercises(s, &done);
        return done == n ? "Every exercise done. Well done!"
             : done == 0 ? "Session ended: no exercise was finished this time"
                         : "Session ended: some exercises were not finished";
    }
    case SS_ACTIVE: break;
    }
    if (s->rest_until > t && !s->holding && !s->in_set)
        return "Rest, then get ready for the next one";
    switch (cur(s)->kind) {
    case STEP_HOLD:
        if (s->credited)
            return "Done: come out of it gently";
        if (s->off_posture)
            return "Not in the position for this exercise yet";
        return s->holding ? "Keep still and breathe" : "Get into position and keep still";
    case STEP_ROCKING:
        if (s->last_live.in_set && s->last_live.osc == OSC_ROCKING && s->last_live.cue != CUE_NONE)
            return motion_cue_text(s->last_live.cue);
        return "Start rocking gently";
    case STEP_BOUNCE:
        if (s->credited)
            return "Round done: let the leg rest";
        return s->in_set ? "Tiny bounces, keep going" : "Into the twist, then tiny bounces";
    case STEP_REPS:
        return fmod(t - s->guided_start, s->prog.rules.curl_rep_s) < s->prog.rules.curl_rep_s / 2
                   ? "Roll down slowly" : "Now unroll slowly, head last";
    }
    return "";
}

void session_view(const struct session *s, double t, struct session_view *v)
{
    memset(v, 0, sizeof *v);
    v->state = s->state;
    v->nsteps = s->prog.nsteps;
    v->step = s->step;
    if (s->prog.nsteps == 0)
        return;
    v->exercises_total = session_exercises(s, &v->exercises_done);
    v->complete = s->state == SS_FINISHED && v->exercises_done == v->exercises_total;
    const struct step *st = cur(s);
    const struct step_result *r = &s->res[s->step];
    v->ex = cur_ex(s);
    v->st = st;
    v->target_s = st->target_s;
    v->reps_target = st->reps;
    v->reps_done = r->reps;
    v->off_posture = s->off_posture && s->state == SS_ACTIVE;
    bool active = s->state == SS_ACTIVE;
    if (active && s->rest_until > t)
        v->rest_left = s->rest_until - t;
    switch (st->kind) {
    case STEP_HOLD:
        v->holding = s->holding && s->state != SS_FINISHED;
        v->hold_s = !v->holding ? 0 : s->held_at_pause >= 0 ? s->held_at_pause : t - s->hold_start;
        v->progress = (r->reps + (v->holding && !s->credited
                                      ? fmin(1, v->hold_s / st->target_s) : 0)) / st->reps;
        break;
    case STEP_ROCKING:
        v->rock_s = rock_attempt(s, t);
        v->progress = v->rock_s / st->target_s;
        break;
    case STEP_BOUNCE:
        v->holding = s->round_open && s->state != SS_FINISHED;
        v->hold_s = v->holding ? (active ? round_len(s, t) : round_len(s, s->pause_t)) : 0;
        v->progress = (r->reps + (v->holding && !s->credited
                                      ? fmin(1, v->hold_s / st->target_s) : 0)) / st->reps;
        break;
    case STEP_REPS:
        v->progress = (double)r->reps / st->reps;
        break;
    }
    if (v->progress > 1)
        v->progress = 1;
    if (s->state == SS_FINISHED)
        v->progress = v->exercises_total ? (double)v->exercises_done / v->exercises_total : 0;
    v->thigh_known = s->have_up && posture_thigh_angle(&s->refs, s->up, &v->thigh_deg);
    v->message = step_message(s, t);
}

/* ---- summary ---- */

struct buf {
    char *p;
    size_t len, used;
};

__attribute__((format(printf, 2, 3)))
static void put(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->used < b->len ? b->p + b->used : NULL,
                      b->used < b->len ? b->len - b->used : 0, fmt, ap);
    va_end(ap);
    if (n > 0)
        b->used += (size_t)n;
}

static const char *tf(bool b)
{
    return b ? "true" : "false";
}

/* One verdict for a step's sets: theirs when they agree, "mixed" when not. */
static const char *sets_verdict(const struct session *s, const struct step_result *r, int which)
{
    const char *v = NULL;
    for (int k = 0; k < r->nsets; k++) {
        if (r->sets[k].cycles == 0 || r->sets[k].rate_hz <= 0)
            continue;
        struct motion_live l;
        judge_set(s, &r->sets[k], &l);
        const char *x = verdict_name(which == 0 ? l.rate_v : which == 1 ? l.rhythm_v
                                                                       : l.effort_v, which);
        if (v && strcmp(v, x) != 0)
            return "mixed";
        v = x;
    }
    return v ? v : "none";
}

static void put_rocking(struct buf *b, const struct session *s, const struct step_result *r)
{
    put(b, ", \"rocking_s\": %.1f, \"cycles\": %d", r->rock_s, r->cycles);
    double rate = 0, cv = 0, swing = 0;
    int c = 0;
    for (int k = 0; k < r->nsets; k++)
        if (r->sets[k].rate_hz > 0) {
            c += r->sets[k].cycles;
            rate += r->sets[k].rate_hz * r->sets[k].cycles;
            cv += r->sets[k].rhythm_cv * r->sets[k].cycles;
            swing += r->sets[k].swing_deg * r->sets[k].cycles;
        }
    if (c > 0)
        put(b, ", \"rate_hz\": %.3f, \"rhythm_cv\": %.3f, \"swing_deg\": %.1f, "
               "\"rate\": \"%s\", \"rhythm\": \"%s\", \"effort\": \"%s\"",
            rate / c, cv / c, swing / c, sets_verdict(s, r, 0), sets_verdict(s, r, 1),
            sets_verdict(s, r, 2));
    put(b, ", \"sets\": [");
    for (int k = 0; k < r->nsets; k++) {
        const struct session_set *e = &r->sets[k];
        struct motion_live l;
        judge_set(s, e, &l);
        put(b, "%s{\"start_s\": %.2f, \"end_s\": %.2f, \"seconds\": %.1f, \"cycles\": %d, "
               "\"rate_hz\": %.3f, \"rhythm_cv\": %.3f, \"swing_deg\": %.1f",
            k ? ", " : "", e->start - s->origin, e->end - s->origin, e->secs,
            e->cycles, e->rate_hz,
            e->rhythm_cv, e->swing_deg);
        if (e->rate_hz > 0)
            put(b, ", \"rate\": \"%s\", \"rhythm\": \"%s\", \"effort\": \"%s\"",
                verdict_name(l.rate_v, 0), verdict_name(l.rhythm_v, 1),
                verdict_name(l.effort_v, 2));
        put(b, "}");
    }
    put(b, "]");
}

int session_summary_json(const struct session *s, const char *status, const char *mode,
                         char *out, size_t len)
{
    struct buf b = {out, len, 0};
    bool adv_done = false, adv_override = false;
    int done, n = session_exercises(s, &done);
    put(&b, "{\n  \"status\": \"%s\",\n  \"mode\": \"%s\",\n  \"stage\": %d,\n"
            "  \"started_s\": %.3f,\n  \"ended_s\": %.3f,\n  \"early_stop\": %s,\n"
            "  \"dropped_samples\": %lu,\n"
            "  \"exercises_total\": %d,\n  \"exercises_done\": %d,\n  \"steps\": [",
        status ? status : session_status(s), mode ? mode : "live", s->prog.stage,
        s->start_t - s->origin, (s->state == SS_FINISHED ? s->end_t : s->t) - s->origin,
        tf(s->stopped_early), s->dropped, n, done);
    for (int i = 0; i < s->prog.nsteps; i++) {
        const struct step *st = &s->prog.steps[i];
        const struct step_result *r = &s->res[i];
        const struct exercise *ex = exercise_get(st->ex);
        double active = r->active_s + (i == s->step && s->state == SS_ACTIVE ? s->t - s->step_t : 0);
        bool is_cur = i == s->step && s->state != SS_FINISHED && s->state != SS_IDLE;
        bool met = r->done || (is_cur && kinds[st->kind].met(s, i));
        put(&b, "%s\n    {\"step\": %d, \"exercise\": \"%s\", \"number\": %d, \"name\": \"%s\", "
                "\"side\": %s%s%s, \"kind\": \"%s\", \"target_s\": %.1f, \"target_reps\": %d, "
                "\"started\": %s, \"done\": %s, \"skipped\": %s, \"partial\": %s, "
                "\"reps_done\": %d, \"entries\": %d, \"active_s\": %.1f, \"timed_out\": %s, "
                "\"moved_on\": %s, \"posture_refused\": %d",
            i ? "," : "", i + 1, ex->key, ex->number, ex->name, st->side ? "\"" : "",
            st->side ? st->side : "null", st->side ? "\"" : "", kind_names[st->kind],
            st->target_s, st->reps, tf(r->started), tf(r->done), tf(r->skipped),
            tf(r->skipped && !met && (r->best_reps > 0 || r->rock_s > 0 || r->nholds > 0)),
            r->best_reps > r->reps ? r->best_reps : r->reps, r->entries, active,
            tf(r->timed_out), tf(r->moved_on), r->posture_refused);
        if (r->skipped && !r->done) {
            char miss[120];
            kinds[st->kind].missing(s, i, miss, sizeof miss);
            put(&b, ", \"done_of_target\": \"%s\"", miss);
        }
        if (st->kind == STEP_HOLD || st->kind == STEP_BOUNCE) {
            put(&b, ", \"%s\": [", st->kind == STEP_HOLD ? "holds_s" : "rounds_s");
            for (int k = 0; k < r->nholds; k++)
                put(&b, "%s%.1f", k ? ", " : "", r->holds[k]);
            put(&b, "]");
        }
        if (st->kind == STEP_ROCKING)
            put_rocking(&b, s, r);
        if (st->kind == STEP_REPS)
            put(&b, ", \"measured\": false, \"paced_s\": %.0f", s->prog.rules.curl_rep_s);
        if (st->kind == STEP_BOUNCE && r->bounce_sets > 0)
            put(&b, ", \"bounce_rate_hz\": %.2f", r->bounce_rate_sum / r->bounce_sets);
        if (ex->id == EX_ADVANCED_STRETCH) {
            adv_done = adv_done || r->best_reps > 0 || r->reps > 0;
            adv_override = adv_override || r->overridden;
            put(&b, ", \"over_weekly_limit\": %s, \"left_out_weekly_limit\": %s",
                tf(r->overridden), tf(r->limit_skipped));
        }
        put(&b, "}");
    }
    put(&b, "\n  ],\n  \"advanced_stretch_done\": %s,\n  \"advanced_over_limit\": %s\n}\n",
        tf(adv_done), tf(adv_override));
    return (int)b.used;
}
