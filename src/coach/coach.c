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
};

static struct cue *add(struct out *o, enum cue_sound sound)
{
    if (o->n >= o->max)
        return NULL;
    struct cue *c = &o->c[o->n++];
    memset(c, 0, sizeof *c);
    c->sound = sound;
    c->t = o->t;
    return c;
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
    phrase_format(c->ph, id, n, total, name, q->text, sizeof q->text);
}

/* The exercise's own lines (name, how, caution) from the exercise table. */
static void say_text(struct coach *c, struct out *o, const char *text)
{
    if (!c->opt.speech || !text)
        return;
    struct cue *q = add(o, CUE_SPEAK);
    if (!q)
        return;
    q->phrase = PH_STEP;
    snprintf(q->text, sizeof q->text, "%s", text);
}

void coach_init(struct coach *c, const struct coach_options *opt, const struct phrases *ph,
                const struct motion_params *mp)
{
    memset(c, 0, sizeof *c);
    c->opt = *opt;
    c->ph = ph;
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
    struct out o = {cues, 0, max, 0};
    for (int i = 0; i < n; i++) {
        const struct session_event *e = &ev[i];
        o.t = e->t;
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
            if (st && st->side && c->last_side && strcmp(st->side, c->last_side) != 0 &&
                st->ex == EX_NERVE_ROOT) {
                say(c, &o, PH_OTHER_LEG, 0, 0, NULL);
            } else if (ex && s->res[e->step].limit_skipped && e->step == s->step - 1) {
                /* left out over the weekly limit: named by limit_skip, no how-to */
            } else if (ex && c->introduced[ex->id]) {
                say(c, &o, PH_STEP_AGAIN, 0, 0, ex->name); /* the how-to was said */
            } else if (ex) {
                c->introduced[ex->id] = true;
                say(c, &o, PH_STEP, 0, 0, ex->name);
                if (c->opt.instructions) {
                    say_text(c, &o, ex->how);
                    say_text(c, &o, ex->caution);
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

int coach_tick(struct coach *c, const struct session *s, const struct motion_live *l,
               double t, struct cue *cues, int max)
{
    struct out o = {cues, 0, max, t};
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
    if (st->kind != STEP_ROCKING)
        return o.n;
    if (c->opt.pacer) {
        double beat = floor(2 * c->rate_hz * t);
        if (beat != c->last_beat) {
            c->last_beat = beat;
            add(&o, CUE_TICK);
        }
    }
    if (!l || !l->in_set || l->osc != OSC_ROCKING || l->cue == CUE_NONE)
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
    } else if (t - c->last_spoken >= c->opt.cue_interval_s) {
        c->last_spoken = t;
        c->corrected = true;
        say(c, &o, cue_phrase(l->cue), 0, 0, NULL);
    }
    return o.n;
}
