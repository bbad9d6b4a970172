/* session: the session state machine. Button commands and motion events in;
 * the current step, its timers and counts, progress, and session events
 * out. Pure: no I/O, no clock of its own (every call carries the time). */
#ifndef STATION_SESSION_H
#define STATION_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "../motion/motion.h"
#include "program.h"

enum session_state {
    SS_IDLE,     /* before the first start */
    SS_ACTIVE,   /* measuring the current step */
    SS_PAUSED,
    SS_CONFIRM,  /* the advanced stretch is over its weekly limit: asks first */
    SS_FINISHED,
};

enum session_cmd { CMD_START_PAUSE, CMD_NEXT, CMD_BACK, CMD_STOP, CMD_COUNT };

enum session_event_kind {
    SEV_STARTED,        /* the session began */
    SEV_STEP,           /* a step began (step, exercise) */
    SEV_HOLD_START,     /* a hold began in a hold step */
    SEV_REP,            /* a hold reached its target / a round / a repetition done */
    SEV_HOLD_SHORT,     /* a hold ended before its target */
    SEV_HOLD_END,       /* a hold that had reached its target ended */
    SEV_SET_END,        /* a rocking set ended (cycles, rate, verdicts) */
    SEV_STEP_DONE,      /* the step's target was met */
    SEV_STEP_SKIPPED,   /* left with NEXT/BACK before its target */
    SEV_PAUSED,
    SEV_RESUMED,
    SEV_CONFIRM,        /* asks before the advanced stretch (weekly limit) */
    SEV_OVERRIDE,       /* the person confirmed anyway */
    SEV_FINISHED,
    SEV_COUNT
};

struct session_event {
    enum session_event_kind kind;
    double t;
    int step;
    double value;       /* seconds held, rep number, cycles, ... */
    char text[160];     /* for a person, and for events.jsonl */
};

#define SESSION_MAX_HOLDS 16

struct step_result {
    bool started, done, skipped, overridden;
    int reps;                  /* holds at target, rounds, repetitions */
    int nholds;
    double holds[SESSION_MAX_HOLDS]; /* every hold's length, at target or not */
    double active_s;           /* time spent in the step, pauses excluded */
    double rock_s;             /* rocking time */
    int cycles;
    double rate_sum, cv_sum, swing_sum; /* cycle-weighted, for the means */
    double bounce_rate_sum;
    int bounce_sets;
};

/* What a screen or a status line shows, derived from the state. */
struct session_view {
    enum session_state state;
    int step, nsteps;
    const struct exercise *ex;
    const struct step *st;
    double target_s;       /* per hold / round, or rocking time */
    int reps_target, reps_done;
    bool holding;
    double hold_s;         /* the hold or round in progress */
    double progress;       /* 0..1 of the current step */
    double rock_s;         /* rocking time so far (rocking steps) */
    const char *message;   /* one short line: what to do now */
};

#define SESSION_EVQ 32

struct session {
    struct program prog;
    struct motion_params mp;
    enum session_state state;
    int step;
    double t;              /* last time seen */
    double step_t;         /* when the current step was (re)entered or resumed */
    double entry_t;        /* when the current step was entered */
    double start_t, end_t;
    int advanced_done, advanced_limit;
    struct step_result res[PROGRAM_MAX_STEPS];
    /* live, for the current step */
    bool holding, credited;
    double hold_start;
    bool in_set;
    double set_start;
    bool rep_out;          /* STEP_REPS: the thigh is away from its start */
    double rep_base;
    bool have_base;
    char message[160];
};

/* advanced_done: advanced-stretch sessions in the last 7 days (from the
 * stored history); limit: how many a week before asking. */
void session_init(struct session *s, const struct program *p,
                  const struct motion_params *mp, int advanced_done, int limit);

/* Each returns how many events it wrote to ev (at most max). */
int session_command(struct session *s, enum session_cmd cmd, double t,
                    struct session_event *ev, int max);
int session_motion(struct session *s, const struct motion_event *me,
                   struct session_event *ev, int max);
/* Time passes: timers, targets reached, repetitions from the live angle. */
int session_tick(struct session *s, double t, const struct motion_live *live,
                 struct session_event *ev, int max);

void session_view(const struct session *s, double t, struct session_view *v);

/* The summary: per exercise, what was done against the target. status is
 * "complete", "in progress" or "incomplete". Returns the length written
 * (snprintf semantics). */
int session_summary_json(const struct session *s, const char *status, char *buf, size_t len);

const char *session_cmd_name(enum session_cmd c);
int session_cmd_parse(const char *name, enum session_cmd *out);
const char *session_event_name(enum session_event_kind k);

#endif
