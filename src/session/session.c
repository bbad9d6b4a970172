/* session: steps, targets and the person's commands. */
#include "session.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* A repetition (curl down): the thigh tips this far from where the step
 * began, then comes back within REP_BACK_DEG. */
#define REP_OUT_DEG 10.0
#define REP_BACK_DEG 4.0

static const char *cmd_names[CMD_COUNT] = {"start", "next", "back", "stop"};
static const char *ev_names[SEV_COUNT] = {
    "session_started", "step", "hold_start", "rep", "hold_short", "hold_end",
    "set_end", "step_done", "step_skipped", "paused", "resumed", "confirm",
    "override", "finished",
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

void session_init(struct session *s, const struct program *p,
                  const struct motion_params *mp, int advanced_done, int limit)
{
    memset(s, 0, sizeof *s);
    s->prog = *p;
    s->mp = *mp;
    s->state = SS_IDLE;
    s->advanced_done = advanced_done;
    s->advanced_limit = limit;
}

/* Time in the step is booked when it is left or paused. */
static void book_time(struct session *s, double t)
{
    if (s->state == SS_ACTIVE)
        s->res[s->step].active_s += t - s->step_t;
    s->step_t = t;
}

static void record_hold(struct step_result *r, double secs)
{
    if (r->nholds < SESSION_MAX_HOLDS)
        r->holds[r->nholds++] = secs;
}

static void reset_live(struct session *s)
{
    s->holding = s->credited = s->in_set = s->rep_out = s->have_base = false;
}

static void finish(struct session *s, double t, struct out *o);

static void enter_step(struct session *s, int i, double t, struct out *o)
{
    s->step = i;
    o->step = i;
    s->entry_t = t;
    s->step_t = t;
    reset_live(s);
    struct step_result *r = &s->res[i];
    r->started = true;
    const struct exercise *ex = cur_ex(s);
    emit(o, SEV_STEP, t, i + 1, "Step %d of %d: %s%s%s", i + 1, s->prog.nsteps, ex->name,
         cur(s)->side ? ", " : "", cur(s)->side ? cur(s)->side : "");
    if (ex->id == EX_ADVANCED_STRETCH && s->advanced_done >= s->advanced_limit &&
        !r->overridden) {
        s->state = SS_CONFIRM;
        emit(o, SEV_CONFIRM, t, s->advanced_done,
             "Done %d times in the last 7 days: at most %d a week is advised",
             s->advanced_done, s->advanced_limit);
        return;
    }
    s->state = SS_ACTIVE;
}

/* Leaves the current step; a hold still in progress is kept. */
static void leave_step(struct session *s, double t, struct out *o)
{
    book_time(s, t);
    struct step_result *r = &s->res[s->step];
    if (s->holding && cur(s)->kind == STEP_HOLD)
        record_hold(r, t - s->hold_start);
    if (!r->done) {
        r->skipped = true;
        emit(o, SEV_STEP_SKIPPED, t, r->reps, "%s left before its target",
             cur_ex(s)->name);
    }
    reset_live(s);
}

static void complete_step(struct session *s, double t, struct out *o)
{
    struct step_result *r = &s->res[s->step];
    r->done = true;
    r->skipped = false;
    emit(o, SEV_STEP_DONE, t, r->reps, "%s: done", cur_ex(s)->name);
    book_time(s, t);
    reset_live(s);
    if (s->step + 1 < s->prog.nsteps)
        enter_step(s, s->step + 1, t, o);
    else
        finish(s, t, o);
}

static void finish(struct session *s, double t, struct out *o)
{
    if (s->state == SS_ACTIVE || s->state == SS_PAUSED || s->state == SS_CONFIRM)
        if (!s->res[s->step].done)
            leave_step(s, t, o);
    s->state = SS_FINISHED;
    s->end_t = t;
    emit(o, SEV_FINISHED, t, 0, "Session finished");
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
        emit(&o, SEV_STARTED, t, s->prog.stage, "Session started: stage %d, %d steps",
             s->prog.stage, s->prog.nsteps);
        enter_step(s, 0, t, &o);
        return o.n;
    }
    switch (cmd) {
    case CMD_START_PAUSE:
        if (s->state == SS_ACTIVE) {
            book_time(s, t);
            s->state = SS_PAUSED;
            reset_live(s); /* a hold does not carry across a pause */
            emit(&o, SEV_PAUSED, t, 0, "Paused");
        } else if (s->state == SS_PAUSED) {
            s->state = SS_ACTIVE;
            s->step_t = t;
            emit(&o, SEV_RESUMED, t, 0, "Resumed");
        } else if (s->state == SS_CONFIRM) {
            s->res[s->step].overridden = true;
            s->state = SS_ACTIVE;
            s->step_t = t;
            emit(&o, SEV_OVERRIDE, t, s->advanced_done,
                 "Confirmed: advanced stretch although done %d times this week",
                 s->advanced_done);
        }
        break;
    case CMD_NEXT:
        leave_step(s, t, &o);
        if (s->step + 1 < s->prog.nsteps)
            enter_step(s, s->step + 1, t, &o);
        else
            finish(s, t, &o);
        break;
    case CMD_BACK:
        if (s->step > 0) {
            leave_step(s, t, &o);
            s->res[s->step - 1].done = false;
            enter_step(s, s->step - 1, t, &o);
        }
        break;
    case CMD_STOP:
        finish(s, t, &o);
        break;
    default:
        break;
    }
    return o.n;
}

static void set_end(struct session *s, const struct motion_event *me, struct out *o)
{
    struct step_result *r = &s->res[s->step];
    enum step_kind k = cur(s)->kind;
    double start = fmax(me->start, s->entry_t);
    if (k == STEP_ROCKING && me->osc == OSC_ROCKING) {
        r->rock_s += fmax(0, me->end - start);
        r->cycles += me->cycles;
        r->rate_sum += me->rate_hz * me->cycles;
        r->cv_sum += me->rhythm_cv * me->cycles;
        r->swing_sum += me->swing_deg * me->cycles;
        struct motion_live l;
        memset(&l, 0, sizeof l);
        l.in_set = true;
        l.osc = OSC_ROCKING;
        l.rate_hz = me->rate_hz;
        l.rhythm_cv = me->rhythm_cv;
        l.swing_deg = me->swing_deg;
        l.jerk = me->jerk;
        motion_judge(&s->mp, &l);
        emit(o, SEV_SET_END, me->t, me->cycles,
             "%d cycles at %.2f a second: rate %s, rhythm %s, effort %s", me->cycles,
             me->rate_hz, verdict_name(l.rate_v, 0), verdict_name(l.rhythm_v, 1),
             verdict_name(l.effort_v, 2));
        s->in_set = false;
    } else if (k == STEP_BOUNCE && me->osc == OSC_BOUNCE) {
        r->bounce_rate_sum += me->rate_hz;
        r->bounce_sets++;
        record_hold(r, me->end - start);
        emit(o, SEV_SET_END, me->t, me->end - start, "Micro-bounce for %.0f s at %.1f a second",
             me->end - start, me->rate_hz);
        s->in_set = false;
        s->credited = false;
        if (r->reps >= cur(s)->reps)
            complete_step(s, me->t, o);
    }
}

int session_motion(struct session *s, const struct motion_event *me,
                   struct session_event *ev, int max)
{
    struct out o = {ev, 0, max, s->step};
    if (s->state != SS_ACTIVE)
        return 0;
    struct step_result *r = &s->res[s->step];
    enum step_kind k = cur(s)->kind;
    switch (me->kind) {
    case MOTION_EV_HOLD_START:
        if (k == STEP_HOLD && !s->holding) {
            s->holding = true;
            s->credited = false;
            s->hold_start = fmax(me->start, s->entry_t);
            emit(&o, SEV_HOLD_START, me->t, r->reps + 1, "Hold %d of %d started",
                 r->reps + 1, cur(s)->reps);
        }
        break;
    case MOTION_EV_HOLD_END:
        if (k == STEP_HOLD && s->holding) {
            double secs = me->end - s->hold_start;
            s->holding = false;
            /* a stillness too short to be a hold is no news */
            if (s->credited) {
                record_hold(r, secs);
                emit(&o, SEV_HOLD_END, me->t, secs, "Held %.1f s", secs);
                s->credited = false;
                if (r->reps >= cur(s)->reps)
                    complete_step(s, me->t, &o);
            } else if (me->counted) {
                record_hold(r, secs);
                emit(&o, SEV_HOLD_SHORT, me->t, secs, "Held %.1f s of %.0f", secs,
                     cur(s)->target_s);
            }
        }
        break;
    case MOTION_EV_SET_START:
        if ((k == STEP_ROCKING && me->osc == OSC_ROCKING) ||
            (k == STEP_BOUNCE && me->osc == OSC_BOUNCE)) {
            s->in_set = true;
            s->set_start = fmax(me->start, s->entry_t);
        }
        break;
    case MOTION_EV_SET_END:
        set_end(s, me, &o);
        break;
    default:
        break;
    }
    return o.n;
}

static double rocking_total(const struct session *s, double t)
{
    return s->res[s->step].rock_s + (s->in_set ? fmax(0, t - s->set_start) : 0);
}

int session_tick(struct session *s, double t, const struct motion_live *live,
                 struct session_event *ev, int max)
{
    struct out o = {ev, 0, max, s->step};
    s->t = t;
    if (s->state != SS_ACTIVE)
        return 0;
    const struct step *st = cur(s);
    struct step_result *r = &s->res[s->step];
    switch (st->kind) {
    case STEP_HOLD:
        if (s->holding && !s->credited && t - s->hold_start >= st->target_s) {
            s->credited = true;
            r->reps++;
            emit(&o, SEV_REP, t, r->reps, "%d of %d: target reached", r->reps, st->reps);
        }
        break;
    case STEP_ROCKING:
        if (rocking_total(s, t) >= st->target_s) {
            if (s->in_set) {
                /* the target came mid-set: book the set as it stands */
                r->rock_s += t - s->set_start;
                if (live && live->in_set && live->osc == OSC_ROCKING) {
                    int c = live->cycles;
                    r->cycles += c;
                    r->rate_sum += live->set_rate_hz * c;
                    r->cv_sum += live->set_cv * c;
                    r->swing_sum += live->set_swing_deg * c;
                }
                s->in_set = false;
            }
            complete_step(s, t, &o);
        }
        break;
    case STEP_BOUNCE:
        if (s->in_set && !s->credited && t - s->set_start >= st->target_s) {
            s->credited = true;
            r->reps++;
            emit(&o, SEV_REP, t, r->reps, "Round %d of %d done: rest", r->reps, st->reps);
        }
        break;
    case STEP_REPS:
        if (!live)
            break;
        if (!s->have_base) {
            s->rep_base = live->angle_deg;
            s->have_base = true;
        }
        double away = fabs(live->angle_deg - s->rep_base);
        if (!s->rep_out && away > REP_OUT_DEG) {
            s->rep_out = true;
        } else if (s->rep_out && away < REP_BACK_DEG) {
            s->rep_out = false;
            r->reps++;
            emit(&o, SEV_REP, t, r->reps, "%d of %d", r->reps, st->reps);
            if (r->reps >= st->reps)
                complete_step(s, t, &o);
        }
        break;
    }
    return o.n;
}

static const char *step_message(const struct session *s, double t,
                                const struct motion_live *live)
{
    (void)t;
    switch (s->state) {
    case SS_IDLE: return "Press start when you are ready";
    case SS_PAUSED: return "Paused: press start to carry on";
    case SS_CONFIRM: return "Already done enough this week: start to do it anyway, next to skip";
    case SS_FINISHED: return "All done. Well done!";
    case SS_ACTIVE: break;
    }
    switch (cur(s)->kind) {
    case STEP_HOLD:
        if (s->credited)
            return "Done: come out of it gently";
        return s->holding ? "Keep still and breathe" : "Get into position and keep still";
    case STEP_ROCKING:
        if (live && live->in_set && live->osc == OSC_ROCKING && live->cue != CUE_NONE)
            return motion_cue_text(live->cue);
        return "Start rocking gently";
    case STEP_BOUNCE:
        if (s->credited)
            return "Round done: let the leg rest";
        return s->in_set ? "Tiny bounces, keep going" : "Into the twist, then tiny bounces";
    case STEP_REPS:
        return s->rep_out ? "Now unroll slowly, head last" : "Roll down slowly";
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
    const struct step *st = cur(s);
    const struct step_result *r = &s->res[s->step];
    v->ex = cur_ex(s);
    v->st = st;
    v->target_s = st->target_s;
    v->reps_target = st->reps;
    v->reps_done = r->reps;
    bool active = s->state == SS_ACTIVE;
    switch (st->kind) {
    case STEP_HOLD:
        v->holding = s->holding && active;
        v->hold_s = v->holding ? t - s->hold_start : 0;
        v->progress = (r->reps + (v->holding && !s->credited
                                      ? fmin(1, v->hold_s / st->target_s) : 0)) / st->reps;
        break;
    case STEP_ROCKING:
        v->rock_s = active ? rocking_total(s, t) : r->rock_s;
        v->progress = v->rock_s / st->target_s;
        break;
    case STEP_BOUNCE:
        v->holding = s->in_set && active;
        v->hold_s = v->holding ? t - s->set_start : 0;
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
        v->progress = 1;
    v->message = step_message(s, t, NULL);
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

int session_summary_json(const struct session *s, const char *status, char *out, size_t len)
{
    struct buf b = {out, len, 0};
    bool adv_done = false, adv_override = false;
    put(&b, "{\n  \"status\": \"%s\",\n  \"stage\": %d,\n  \"started_s\": %.3f,\n"
            "  \"ended_s\": %.3f,\n  \"steps\": [",
        status, s->prog.stage, s->start_t, s->state == SS_FINISHED ? s->end_t : s->t);
    for (int i = 0; i < s->prog.nsteps; i++) {
        const struct step *st = &s->prog.steps[i];
        const struct step_result *r = &s->res[i];
        const struct exercise *ex = exercise_get(st->ex);
        double active = r->active_s + (i == s->step && s->state == SS_ACTIVE ? s->t - s->step_t : 0);
        put(&b, "%s\n    {\"step\": %d, \"exercise\": \"%s\", \"number\": %d, \"name\": \"%s\", "
                "\"side\": %s%s%s, \"kind\": \"%s\", \"target_s\": %.1f, \"target_reps\": %d, "
                "\"started\": %s, \"done\": %s, \"skipped\": %s, \"reps_done\": %d, "
                "\"active_s\": %.1f",
            i ? "," : "", i + 1, ex->key, ex->number, ex->name, st->side ? "\"" : "",
            st->side ? st->side : "null", st->side ? "\"" : "", kind_names[st->kind],
            st->target_s, st->reps, r->started ? "true" : "false",
            r->done ? "true" : "false", r->skipped ? "true" : "false", r->reps, active);
        if (st->kind == STEP_HOLD || st->kind == STEP_BOUNCE) {
            put(&b, ", \"%s\": [", st->kind == STEP_HOLD ? "holds_s" : "rounds_s");
            for (int k = 0; k < r->nholds; k++)
                put(&b, "%s%.1f", k ? ", " : "", r->holds[k]);
            put(&b, "]");
        }
        if (st->kind == STEP_ROCKING) {
            int c = r->cycles;
            put(&b, ", \"rocking_s\": %.1f, \"cycles\": %d", r->rock_s, c);
            if (c > 0) {
                struct motion_live l;
                memset(&l, 0, sizeof l);
                l.in_set = true;
                l.osc = OSC_ROCKING;
                l.rate_hz = r->rate_sum / c;
                l.rhythm_cv = r->cv_sum / c;
                l.swing_deg = r->swing_sum / c;
                motion_judge(&s->mp, &l);
                put(&b, ", \"rate_hz\": %.3f, \"rhythm_cv\": %.3f, \"swing_deg\": %.1f, "
                        "\"rate\": \"%s\", \"rhythm\": \"%s\", \"effort\": \"%s\"",
                    l.rate_hz, l.rhythm_cv, l.swing_deg, verdict_name(l.rate_v, 0),
                    verdict_name(l.rhythm_v, 1), verdict_name(l.effort_v, 2));
            }
        }
        if (st->kind == STEP_BOUNCE && r->bounce_sets > 0)
            put(&b, ", \"bounce_rate_hz\": %.2f", r->bounce_rate_sum / r->bounce_sets);
        if (ex->id == EX_ADVANCED_STRETCH) {
            adv_done = adv_done || r->reps > 0;
            adv_override = adv_override || r->overridden;
            put(&b, ", \"over_weekly_limit\": %s", r->overridden ? "true" : "false");
        }
        put(&b, "}");
    }
    put(&b, "\n  ],\n  \"advanced_stretch_done\": %s,\n  \"advanced_over_limit\": %s\n}\n",
        adv_done ? "true" : "false", adv_override ? "true" : "false");
    return (int)b.used;
}
