/* SPDX-License-Identifier: GPL-3.0-or-later */
/* coach: the rules of speaking. */
#include "coach.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* A rocking fault must last this long before it is spoken about. */
#define FAULT_HOLD_S 2.0
/* "Hold" is said once the stillness has lasted this long: a pause while
 * settling in is not worth a word. */
#define HOLD_SAY_S 1.5

struct out {
    struct cue *c;
    int n, max;
    double t;
    int step;
};

static struct cue *add(struct out *o, enum cue_sound sound)
{
    if (o->n >= o->max)
        return NULL;
    struct cue *c = &o->c[o->n++];
    memset(c, 0, sizeof *c);
    c->sound = sound;
    c->t = o->t;
    c->step = o->step;
    c->prio = PRIO_STATE;
    return c;
}

static enum cue_prio phrase_prio(enum phrase_id id)
{
    switch (id) {
    case PH_SENSOR_LOST:
    case PH_SENSOR_STILL:
    case PH_SENSOR_BACK:
        return PRIO_SAFETY;
    case PH_CUE_GENTLER:
    case PH_CUE_SLOWER:
    case PH_CUE_STEADIER:
    case PH_CUE_QUICKER:
    case PH_CUE_BIGGER:
    case PH_CUE_GOOD:
    case PH_CUE_GENTLER_2:
    case PH_CUE_SLOWER_2:
    case PH_CUE_STEADIER_2:
    case PH_CUE_QUICKER_2:
    case PH_CUE_BIGGER_2:
    case PH_CUE_BETTER:
    case PH_POSTURE:
        return PRIO_CORRECTION;
    default:
        return PRIO_STATE;
    }
}

static void say(struct coach *c, struct out *o, enum phrase_id id, int n, int total,
                const char *name)
{
    if (!c->opt.speech)
        return;
    struct cue *q = add(o, CUE_SPEAK);
    if (!q)
        return;
    q->phrase = id;
    q->prio = phrase_prio(id);
    phrase_format(c->ph, id, n, total, name, q->text, sizeof q->text);
}

/* The exercise's own lines (name, how, caution) from the exercise table. */
static void say_text(struct coach *c, struct out *o, const char *text, bool caution)
{
    if (!c->opt.speech || !text || !*text)
        return;
    struct cue *q = add(o, CUE_SPEAK);
    if (!q)
        return;
    q->phrase = PH_STEP;
    q->prio = PRIO_INSTRUCTION; /* may wait: never dropped as late */
    q->whole = caution;
    snprintf(q->text, sizeof q->text, "%s", text);
}

void coach_init(struct coach *c, const struct coach_options *opt, const struct phrases *ph,
                const struct motion_params *mp)
{
    memset(c, 0, sizeof *c);
    c->opt = *opt;
    c->ph = ph;
    c->mp = *mp;
    c->rate_hz = (mp->rate_min_hz + mp->rate_max_hz) / 2;
    c->hold_min_s = mp->hold_min_s;
    c->last_spoken = -1e9;
    c->last_note = -1e9;
}

/* A spoken word about a posture or the like, not more often than this. */
#define NOTE_EVERY_S 20.0

int coach_events(struct coach *c, const struct session *s, const struct session_event *ev,
                 int n, struct cue *cues, int max)
{
    struct out o = {cues, 0, max, 0, -1};
    for (int i = 0; i < n; i++) {
        const struct session_event *e = &ev[i];
        o.t = e->t;
        o.step = e->kind == SEV_FINISHED || e->kind == SEV_STARTED ? -1 : e->step;
        const struct step *st = e->step >= 0 && e->step < s->prog.nsteps ? &s->prog.steps[e->step]
                                                                           : NULL;
        const struct exercise *ex = st ? exercise_get(st->ex) : NULL;
        switch (e->kind) {
        case SEV_STARTED:
            memset(c->introduced, 0, sizeof c->introduced);
            break;
        case SEV_STEP:
            c->count_said = 0;
            c->corrected = false;
            c->pending = CUE_NONE;
            memset(c->told, 0, sizeof c->told);
            if (st && st->side && c->last_side && strcmp(st->side, c->last_side) != 0 &&
                st->ex == EX_NERVE_ROOT) {
                say(c, &o, PH_OTHER_LEG, 0, 0, NULL);
            } else if (ex && s->res[e->step].limit_skipped && e->step == s->step - 1) {
                /* left out over the weekly limit: named by limit_skip, no how-to */
            } else if (ex && c->introduced[ex->id]) { /* the how-to was said */
                say(c, &o, PH_STEP_AGAIN, 0, 0, phrase_ex(c->ph, PH_EX_NAME, ex->id));
            } else if (ex) {
                c->introduced[ex->id] = true;
                say(c, &o, PH_STEP, 0, 0, phrase_ex(c->ph, PH_EX_NAME, ex->id));
                if (c->opt.instructions) {
                    /* the caution first, and whole: it is what keeps her safe
                     * and must not come after the first hold; the how-to is an
                     * instruction a state cue ("Hold.", a count) may cut */
                    say_text(c, &o, phrase_ex(c->ph, PH_EX_CAUTION, ex->id), true);
                    say_text(c, &o, phrase_ex(c->ph, PH_EX_HOW, ex->id), false);
                }
            }
            c->last_side = st ? st->side : NULL;
            break;
        case SEV_HOLD_START:
            c->count_said = 0;
            c->hold_said = false; /* said once it has lasted a moment (coach_tick) */
            break;
        case SEV_REP:
            if (c->opt.chime)
                add(&o, CUE_CHIME);
            if (!st)
                break;
            if (st->kind == STEP_BOUNCE)
                say(c, &o, PH_ROUND_DONE, (int)e->value, st->reps, NULL);
            else if (st->kind == STEP_REPS)
                say(c, &o, (int)e->value < st->reps ? PH_CURL : PH_CURL_DONE, 0, 0, NULL);
            else if (st->kind == STEP_ROCKING)
                say(c, &o, PH_ROCK_DONE, 0, 0, NULL);
            else if (st->kind == STEP_HOLD && !s->holding)
                say(c, &o, PH_HOLD_COUNTED, 0, 0, NULL); /* counted as it ended */
            else if (st->kind == STEP_HOLD && st->reps == 1)
                say(c, &o, PH_HOLD_DONE, 0, 0, NULL);
            else if ((int)e->value >= st->reps && st->reps > 1)
                say(c, &o, PH_LAST_REP, 0, 0, NULL);
            else if (st->reps > 1)
                say(c, &o, PH_REP, (int)e->value, st->reps, NULL);
            break;
        case SEV_CONFIRM:
            say(c, &o, PH_CONFIRM, 0, 0, NULL);
            break;
        case SEV_PAUSED:
            say(c, &o, PH_PAUSED, 0, 0, NULL);
            break;
        case SEV_FINISHED: {
            int done, total = session_exercises(s, &done);
            say(c, &o, done == total ? PH_FINISHED : done ? PH_FINISHED_PART : PH_FINISHED_NONE,
                done, total, NULL);
            break;
        }
        case SEV_REST:
            say(c, &o, PH_REST, 0, 0, NULL);
            break;
        case SEV_POSTURE:
            if (e->t - c->last_note >= NOTE_EVERY_S) {
                c->last_note = e->t;
                say(c, &o, PH_POSTURE, 0, 0, NULL);
            }
            break;
        case SEV_TIMEOUT:
            say(c, &o, PH_TIMEOUT, 0, 0, NULL);
            break;
        case SEV_LIMIT_SKIP:
            say(c, &o, PH_LIMIT_SKIP, 0, 0, NULL);
            break;
        default:
            break;
        }
    }
    return o.n;
}

static enum phrase_id cue_phrase(enum motion_cue cue)
{
    static const enum phrase_id map[CUE_COUNT] = {
        [CUE_GENTLER] = PH_CUE_GENTLER, [CUE_SLOWER] = PH_CUE_SLOWER,
        [CUE_STEADIER] = PH_CUE_STEADIER, [CUE_QUICKER] = PH_CUE_QUICKER,
        [CUE_BIGGER] = PH_CUE_BIGGER, [CUE_GOOD] = PH_CUE_GOOD,
    };
    return map[cue];
}

/* How far off the live figures are for a fault, in units of its band:
 * smaller is better. */
static double how_far_off(const struct coach *c, enum motion_cue cue, const struct motion_live *l)
{
    const struct motion_params *p = &c->mp;
    switch (cue) {
    case CUE_SLOWER:
        return fmax(0, l->rate_hz - p->rate_max_hz);
    case CUE_QUICKER:
        return fmax(0, p->rate_min_hz - l->rate_hz);
    case CUE_STEADIER:
        return fmax(0, l->rhythm_cv - p->rhythm_cv_max);
    case CUE_GENTLER:
        return fmax(0, l->swing_deg - p->swing_max_deg) + fmax(0, l->jerk - p->jerk_max) * 10;
    case CUE_BIGGER:
        return fmax(0, p->swing_min_deg - (l->in_set ? l->swing_deg : l->sway_deg));
    default:
        return 0;
    }
}

static enum phrase_id cue_phrase_again(enum motion_cue cue)
{
    static const enum phrase_id map[CUE_COUNT] = {
        [CUE_GENTLER] = PH_CUE_GENTLER_2, [CUE_SLOWER] = PH_CUE_SLOWER_2,
        [CUE_STEADIER] = PH_CUE_STEADIER_2, [CUE_QUICKER] = PH_CUE_QUICKER_2,
        [CUE_BIGGER] = PH_CUE_BIGGER_2, [CUE_GOOD] = PH_CUE_GOOD,
    };
    return map[cue];
}

int coach_sensor(struct coach *c, bool lost, double t, struct cue *cues, int max)
{
    struct out o = {cues, 0, max, t, -1};
    if (lost && !c->sensor_lost) {
        c->sensor_lost = true;
        c->lost_said = t;
        say(c, &o, PH_SENSOR_LOST, 0, 0, NULL);
    } else if (lost && t - c->lost_said >= COACH_LOST_EVERY_S) {
        c->lost_said = t;
        say(c, &o, PH_SENSOR_STILL, 0, 0, NULL);
    } else if (!lost && c->sensor_lost) {
        c->sensor_lost = false;
        say(c, &o, PH_SENSOR_BACK, 0, 0, NULL);
    }
    return o.n;
}

int coach_tick(struct coach *c, const struct session *s, const struct motion_live *l,
               double t, struct cue *cues, int max)
{
    struct out o = {cues, 0, max, t, s->step};
    if (s->state != SS_ACTIVE)
        return 0;
    const struct step *st = &s->prog.steps[s->step];
    /* "Hold." once the stillness is a hold (a still moment while settling
     * is not), but early enough to be of use in a short stretch */
    double say_at = fmax(HOLD_SAY_S, fmin(c->hold_min_s, st->target_s - 3.5));
    if (st->kind == STEP_HOLD && s->holding && !c->hold_said && t - s->hold_start >= say_at &&
        st->target_s > HOLD_SAY_S + 3) {
        c->hold_said = true;
        say(c, &o, PH_HOLD_START, 0, 0, NULL);
    }
    if (st->kind == STEP_HOLD && s->holding && !s->credited && c->opt.counts) {
        /* a quiet count over the last three seconds */
        double left = st->target_s - (t - s->hold_start);
        int k = (int)ceil(left);
        if (k >= 1 && k <= 3 && left <= k && (c->count_said == 0 || k < c->count_said)) {
            c->count_said = k;
            say(c, &o, k == 3 ? PH_COUNT_3 : k == 2 ? PH_COUNT_2 : PH_COUNT_1, 0, 0, NULL);
        }
    }
    /* the rocking time is in: no pacer, no more corrections while the knees
     * slow down */
    if (st->kind != STEP_ROCKING || s->credited)
        return o.n;
    if (c->opt.pacer) {
        double beat = floor(2 * c->rate_hz * t);
        if (beat != c->last_beat) {
            c->last_beat = beat;
            add(&o, CUE_TICK);
        }
    }
    /* a set of rocking, or a sway too small to be one (the live figures
     * give it the "too small" cue): corrected alike */
    bool sway = l && !l->in_set && l->sway_deg > 0;
    if (!l || (!sway && (!l->in_set || l->osc != OSC_ROCKING)) || l->cue == CUE_NONE)
        return o.n;
    if (l->cue != c->pending) {
        c->pending = l->cue;
        c->pending_since = t;
    }
    if (t - c->pending_since < FAULT_HOLD_S)
        return o.n;
    if (l->cue == CUE_GOOD) {
        if (c->corrected) { /* back in the band after a correction */
            c->corrected = false;
            c->last_spoken = t;
            say(c, &o, PH_CUE_GOOD, 0, 0, NULL);
        }
        return o.n;
    }
    /* The same fault again waits a little longer each time (gently, not
     * a nag), is said more plainly the second time, and when it is better
     * than when it was last said, that is said instead. */
    int k = c->told[l->cue];
    double wait = c->opt.cue_interval_s * (k <= 1 ? 1.0 : fmin(3.0, 1.0 + 0.5 * (k - 1)));
    if (t - c->last_spoken < wait || c->speaking)
        return o.n;
    double off = how_far_off(c, l->cue, l);
    c->last_spoken = t;
    c->corrected = true;
    if (k > 0 && c->told_off[l->cue] > 0 && off <= 0.7 * c->told_off[l->cue]) {
        say(c, &o, PH_CUE_BETTER, 0, 0, NULL);
    } else {
        c->told[l->cue] = k + 1;
        say(c, &o, k % 2 == 0 ? cue_phrase(l->cue) : cue_phrase_again(l->cue), 0, 0, NULL);
    }
    c->told_off[l->cue] = off;
    return o.n;
}
