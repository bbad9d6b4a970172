/* SPDX-License-Identifier: GPL-3.0-or-later */
/* program: the exercise table and the two stage programs. */
#include "program.h"

#include <string.h>

static const struct exercise exercises[EX_COUNT] = {
    [EX_CHILD_POSE] = {EX_CHILD_POSE, 1, 1, STEP_HOLD, "child_pose", "Child pose",
        "Kneel with your knees apart, sit back towards your heels and fold forward. "
        "Rest there and breathe.",
        "Come out of it if you feel pressure low in the pelvis. It gets harder as the "
        "bump grows: use cushions."},
    [EX_KNEES_ROCKING] = {EX_KNEES_ROCKING, 2, 1, STEP_ROCKING, "knees_rocking",
        "Knees rocking",
        "On your back, hold your knees and rock them gently to your chest and away, "
        "a little quicker than once a second.",
        "Keep it soft and even, like rocking a pram. Never hurry it or push hard."},
    [EX_TABLE_STRETCH] = {EX_TABLE_STRETCH, 3, 1, STEP_HOLD, "table_stretch",
        "Table stretch",
        "Stand bent forward with a long back, hands on a table, and push one sitting "
        "bone back, then the other. Hold each stretch.",
        "Leave this one out while the leg pain is severe."},
    [EX_NERVE_ROOT] = {EX_NERVE_ROOT, 4, 1, STEP_HOLD, "nerve_root_stretch",
        "Nerve-root stretch",
        "On your back, hold behind the thigh, bring the knee to your chest, then push "
        "the heel up to straighten the knee. Hold, let go.",
        "Go into the pain only a little, never hard."},
    [EX_CURL_DOWNS] = {EX_CURL_DOWNS, 5, 2, STEP_REPS, "curl_downs", "Curl downs",
        "Standing, roll down slowly towards the floor, then unroll back up, the head "
        "coming up last.",
        "Only when the leg pain has almost gone; it may flare up for a day. Two only."},
    [EX_ADVANCED_STRETCH] = {EX_ADVANCED_STRETCH, 6, 2, STEP_BOUNCE,
        "advanced_nerve_stretch", "Advanced nerve stretch",
        "Lying down, take the knee across your body into a full twist, straighten the "
        "leg and bounce it in tiny movements.",
        "Final stage of recovery only, and no more than twice a week."},
    [EX_BACKBLOCK] = {EX_BACKBLOCK, 7, 2, STEP_HOLD, "backblock", "BackBlock",
        "Lie on your back with the block under the base of your spine and let go. "
        "Stay still.",
        "It works slowly, over weeks: build the time up gradually."},
};

const struct exercise *exercise_get(enum exercise_id id)
{
    return id < EX_COUNT ? &exercises[id] : NULL;
}

static void add(struct program *p, enum exercise_id ex, double target_s, int reps,
                const char *side)
{
    if (p->nsteps == PROGRAM_MAX_STEPS)
        return;
    struct step *s = &p->steps[p->nsteps++];
    s->ex = ex;
    s->kind = exercises[ex].kind;
    s->target_s = target_s;
    s->counts_s = target_s * (1 - p->rules.tolerance);
    s->reps = reps;
    s->side = side;
}

double program_step_expected_s(const struct program *p, int i)
{
    const struct step *st = &p->steps[i];
    switch (st->kind) {
    case STEP_ROCKING: return st->target_s;
    case STEP_REPS: return st->reps * p->rules.curl_rep_s;
    case STEP_HOLD:
    case STEP_BOUNCE: break;
    }
    return st->reps * st->target_s + (st->reps - 1) * p->rules.rest_s;
}

void program_build(struct program *p, int stage, const struct station_config *cfg)
{
    memset(p, 0, sizeof *p);
    p->stage = stage;
    const struct config_session *cs = &cfg->session;
    p->rules = (struct program_rules){cs->tolerance, cs->rest_s, cs->step_timeout_s,
                                      cs->bridge_s, cs->curl_rep_s, cfg->posture.check,
                                      cfg->posture.slack_deg, cs->unattended_over_limit};

    const struct config_holds *h = &cfg->holds;
    if (stage == 2) {
        add(p, EX_CURL_DOWNS, 0, 2, NULL);
        add(p, EX_ADVANCED_STRETCH, h->bounce_s, h->bounce_reps, NULL);
        add(p, EX_BACKBLOCK, h->backblock_s, 1, NULL);
        /* the BackBlock time is a goal to build up to over weeks: a session
         * counts it done from the configured minimum */
        struct step *bb = &p->steps[p->nsteps - 1];
        if (h->backblock_min_s < bb->counts_s)
            bb->counts_s = h->backblock_min_s;
        return;
    }
    /* knees rocking alternates with the child pose */
    add(p, EX_CHILD_POSE, h->child_pose_s, 1, NULL);
    add(p, EX_KNEES_ROCKING, cfg->rocking.set_s, 1, NULL);
    add(p, EX_CHILD_POSE, h->child_pose_s, 1, NULL);
    add(p, EX_TABLE_STRETCH, h->stretch_s, h->table_reps, NULL);
    add(p, EX_NERVE_ROOT, h->stretch_s, h->stretch_reps, "left leg");
    add(p, EX_NERVE_ROOT, h->stretch_s, h->stretch_reps, "right leg");
}
