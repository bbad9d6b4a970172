/* SPDX-License-Identifier: GPL-3.0-or-later */
/* session: the session state machine. Button commands and motion events in;
 * the current step, its timers and counts, progress, and session events
 * out. Pure: no I/O, no clock of its own (every call carries the time).
 *
 * The flow rules (pause, next, back, stop, rest, timeouts, moving on) are
 * one table in the README ("What each button does to the work"); this file
 * enforces it. In short: nothing that was done is ever lost, nothing is
 * credited that was not done in the exercise's posture, and no step waits
 * for ever. */
#ifndef STATION_SESSION_H
#define STATION_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "../motion/motion.h"
#include "posture.h"
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
    SEV_STEP,           /* a step began (step, exercise); value: 1 first time, 2.. again */
    SEV_HOLD_START,     /* a hold began in a hold step, in the right posture */
    SEV_REP,            /* a hold reached its target / a round / a repetition done */
    SEV_HOLD_SHORT,     /* a hold ended before its target */
    SEV_HOLD_END,       /* a hold that had reached its target ended */
    SEV_SET_END,        /* a rocking set ended (cycles, rate, verdicts) */
    SEV_STEP_DONE,      /* the step's target was met */
    SEV_STEP_SKIPPED,   /* left before its target: what was done and what was missing */
    SEV_PAUSED,
    SEV_RESUMED,
    SEV_CONFIRM,        /* asks before the advanced stretch (weekly limit) */
    SEV_OVERRIDE,       /* the person confirmed anyway */
    SEV_FINISHED,       /* value: exercises done */
    SEV_POSTURE,        /* stillness outside the exercise's posture: not counted */
    SEV_TIMEOUT,        /* no progress for too long: the step is left */
    SEV_MOVED_ON,       /* the person is doing the next exercise: follow */
    SEV_REST,           /* a rest between holds or rounds began; value: seconds */
    SEV_LIMIT_SKIP,     /* the advanced stretch left out: over the weekly limit */
    SEV_GET_READY,      /* a get-ready countdown before the next exercise; value: seconds */
    SEV_COUNT
};

struct session_event {
    enum session_event_kind kind;
    double t;
    int step;
    double value;       /* seconds held, rep number, cycles, ... */
    char text[200];     /* for a person, and for events.jsonl */
};

#define SESSION_MAX_HOLDS 24
#define SESSION_MAX_SETS 16

/* One rocking set as the step saw it (a set split by a pause or a step
 * change is booked in parts, each with the figures of its part). */
struct session_set {
    double start, end;
    double secs;           /* rocking time in it (a pause left out) */
    int cycles;
    double rate_hz, rhythm_cv, swing_deg, jerk;
};

struct step_result {
    bool started, done, skipped, overridden, timed_out, moved_on, limit_skipped;
    int entries;               /* times the step was entered (back re-enters) */
    int reps;                  /* holds at target, rounds, repetitions: this attempt */
    int best_reps;             /* the most reps any attempt reached */
    int nholds;
    double holds[SESSION_MAX_HOLDS]; /* every hold's (or round's) length */
    int posture_refused;       /* holds not counted: wrong posture */
    double active_s;           /* time spent in the step, pauses excluded */
    double rock_s;             /* rocking time, all attempts */
    double attempt_rock_s;     /* rocking time this attempt */
    int cycles;
    int nsets;
    struct session_set sets[SESSION_MAX_SETS];
    double bounce_rate_sum;
    int bounce_sets;
    bool guided;               /* counted by time, not measured (curl downs) */
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
    double progress;       /* 0..1 of the current step; at the end, of the exercises */
    double rock_s;         /* rocking time so far (rocking steps) */
    bool off_posture;      /* still, but not in this exercise's posture */
    double rest_left;      /* > 0: a rest / get-ready countdown is running */
    int exercises_done, exercises_total;
    bool complete;         /* finished with every exercise done */
    bool thigh_known;      /* the station has learnt enough to read the thigh */
    double thigh_deg;      /* its angle: 0 level, +90 knee above hip, -90 below */
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
    double work_floor;     /* work in this step is dated no earlier (the step
                              before had what came earlier) */
    double start_t, end_t;
    unsigned long dropped;  /* glitch samples dropped during the session (out of
                               place in time, NaN, out of range): the app sets it */
    bool stopped_early;    /* ended with stop before the last step */
    int advanced_done, advanced_limit;
    bool limit_applies;    /* false for replays and demos */
    bool unattended;       /* nobody can answer a question: the policy decides */
    double origin;         /* summary times count from here */
    struct step_result res[PROGRAM_MAX_STEPS];
    struct posture_refs refs;
    double up[3];          /* low-passed accelerometer direction */
    bool have_up;
    /* live, for the current step */
    bool holding, credited;
    double hold_start;     /* effective: pauses are shifted out */
    double hold_raw_start; /* the motion core's start of this stillness */
    bool off_posture;      /* the stillness in progress is in the wrong posture */
    bool off_told;
    bool step_left;        /* the current step was left (its result is final) */
    /* the last hold closed, in case a sensor gap closed it, and the hold
     * kept open across a gap */
    bool closed_valid, closed_recorded, bridging;
    double closed_end, closed_len;
    double bridge_len, bridge_gap_end, bridge_up[3];
    enum exercise_id off_against;
    double off_angle;
    double held_at_pause;  /* a hold frozen by a pause, seconds; < 0 none */
    bool in_set;           /* rocking set or bounce round in progress */
    double set_start;      /* from when the set's time is still unbooked */
    int set_cycles_booked; /* cycles of the live set already booked */
    double set_first_start;/* the live set's own start */
    bool round_open;       /* bounce: a round, bridging short pauses */
    double round_start, round_last_end, round_paused_s;
    double pause_t;
    double last_progress;  /* for the step timeout */
    double rest_until;
    double guided_start;   /* STEP_REPS: when the current repetition began */
    double up_sum[3];      /* gravity during the live rocking set */
    /* the motion core's latest view, for decisions a command makes */
    bool live_holding, live_in_set;
    enum osc_kind live_osc;
    double live_hold_start, live_set_start;
    struct motion_live last_live;
    int set_idx;           /* the live set's entry in the step's sets, -1 none */
    char message[200];
};

/* advanced_done: live sessions in the last 7 days in which the advanced
 * stretch was done (from the stored history); limit: how many a week before
 * asking. */
void session_init(struct session *s, const struct program *p,
                  const struct motion_params *mp, int advanced_done, int limit);

/* Replays and demos: the weekly limit is not applied. Unattended (nobody
 * can press a button): over the limit, the program's policy decides
 * instead of asking. */
void session_set_context(struct session *s, bool limit_applies, bool unattended);

/* Times in the summary count from origin (the first sample the station
 * read: a replayed trace's own clock when it starts at 0), not from the
 * sample clock's arbitrary zero (CLOCK_MONOTONIC for a live sensor). */
void session_set_origin(struct session *s, double origin);

/* What the motion core is already in when the session is made (a hold or
 * set under way before the start press): work then counts from the press. */
void session_seed(struct session *s, const struct motion_live *l);

/* Each returns how many events it wrote to ev (at most max). */
int session_command(struct session *s, enum session_cmd cmd, double t,
                    struct session_event *ev, int max);
int session_motion(struct session *s, const struct motion_event *me,
                   struct session_event *ev, int max);
/* The data ended or the station is shutting down: the session ends with
 * what was done (not an early stop by the person). */
int session_end(struct session *s, double t, struct session_event *ev, int max);
/* The accelerometer, every sample (any units): the posture checks. */
void session_accel(struct session *s, double t, const double a[3]);
/* Time passes: timers, targets reached, rest countdowns, timeouts. */
int session_tick(struct session *s, double t, const struct motion_live *live,
                 struct session_event *ev, int max);

void session_view(const struct session *s, double t, struct session_view *v);

/* Exercises (not steps) in the program, and how many are done: an exercise
 * is done when every one of its steps is. */
int session_exercises(const struct session *s, int *done);

/* "complete" (every exercise done), "partial" (ended with some missing),
 * or "in progress" while it runs. */
const char *session_status(const struct session *s);

/* The summary: per step, what was done against the target. status as
 * session_status() unless given (a crash recovery writes "incomplete");
 * mode: "live", "demo" or "replay". Returns the length written (snprintf
 * semantics). */
int session_summary_json(const struct session *s, const char *status, const char *mode,
                         char *buf, size_t len);

const char *session_cmd_name(enum session_cmd c);
int session_cmd_parse(const char *name, enum session_cmd *out);
const char *session_event_name(enum session_event_kind k);

#endif
