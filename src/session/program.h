/* SPDX-License-Identifier: GPL-3.0-or-later */
/* program: the seven exercises and the session programs built from them.
 * Facts (targets, stages, cautions) come from the exercise sheet; every
 * sentence a person sees is in the table in program.c, in our own words. */
#ifndef STATION_PROGRAM_H
#define STATION_PROGRAM_H

#include "../config/config.h"

enum exercise_id {
    EX_CHILD_POSE,
    EX_KNEES_ROCKING,
    EX_TABLE_STRETCH,
    EX_NERVE_ROOT,
    EX_CURL_DOWNS,
    EX_ADVANCED_STRETCH,
    EX_BACKBLOCK,
    EX_COUNT
};

/* What the station measures during a step. */
enum step_kind {
    STEP_HOLD,    /* still holds of target_s, reps of them */
    STEP_ROCKING, /* target_s of knees rocking in all */
    STEP_BOUNCE,  /* reps rounds of micro-bounce, each target_s long */
    STEP_REPS,    /* reps slow repetitions (the thigh tips and comes back) */
};

struct exercise {
    enum exercise_id id;
    int number;          /* 1-7, as on the exercise sheet */
    int stage;           /* 1: severe pain, pregnancy; 2: after delivery or mild pain */
    enum step_kind kind;
    const char *key;     /* short name for records: "child_pose" */
    const char *name;
    const char *how;     /* one line on how to do it */
    const char *caution; /* NULL when the sheet gives none */
};

#define PROGRAM_MAX_STEPS 12

struct step {
    enum exercise_id ex;
    enum step_kind kind;
    double target_s;
    double counts_s;     /* a hold, round or rocking time this long counts as done */
    int reps;
    const char *side;    /* "left leg", "right leg", or NULL */
};

/* How the session judges and paces the work (session.* and posture.*
 * keys of the configuration). */
struct program_rules {
    double tolerance;      /* a hold or round this close to its target (fraction) counts */
    double rest_s;         /* rest / get-ready countdown between reps and exercises */
    double step_timeout_s; /* no progress this long leaves a step; 0: from the step */
    double bridge_s;       /* bounce pauses shorter than this stay in the round */
    double curl_rep_s;     /* curl downs are guided by time: seconds a repetition */
    bool posture_check;
    double posture_slack_deg;
    bool unattended_over_limit; /* nobody to ask: do the advanced stretch anyway */
};

struct program {
    int stage;
    int nsteps;
    struct step steps[PROGRAM_MAX_STEPS];
    struct program_rules rules;
};

const struct exercise *exercise_get(enum exercise_id id);

/* The time a person doing the step right needs, seconds (for timeouts). */
double program_step_expected_s(const struct program *p, int i);

/* Builds the program for stage 1 or 2 with the configured targets. */
void program_build(struct program *p, int stage, const struct station_config *cfg);

#endif
