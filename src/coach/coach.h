/* SPDX-License-Identifier: GPL-3.0-or-later */
/* coach: what the station says and plays, and when. Session events, the
 * session's state and the live rocking figures in; cues out: a phrase to
 * speak, a pacer tick, an end-of-hold chime. Pure: the shell turns cues
 * into sound and logs each one in the session's events. Spoken rocking
 * corrections come at most every cue_interval_s, only after a fault has
 * lasted a moment, and a word of confirmation follows when it is fixed. */
#ifndef STATION_COACH_H
#define STATION_COACH_H

#include <stdbool.h>

#include "../motion/motion.h"
#include "../session/session.h"
#include "phrases.h"

enum cue_sound { CUE_SPEAK, CUE_TICK, CUE_CHIME };

/* How urgent a spoken cue is; the speech queue (cueq.h) plays the most
 * urgent first and drops the ones that are no longer true. */
enum cue_prio {
    PRIO_SAFETY,      /* the sensor lost and back: always said */
    PRIO_STATE,       /* a step, a hold, a count, a rep, a rest, the end */
    PRIO_CORRECTION,  /* rocking corrections, posture remarks */
    PRIO_INSTRUCTION, /* how to do it, its caution: may wait, never late-dropped */
    PRIO_COUNT
};

struct cue {
    enum cue_sound sound;
    enum phrase_id phrase;  /* CUE_SPEAK */
    enum cue_prio prio;
    int step;               /* the step it belongs to; -1 the session's */
    double t;               /* its moment */
    double len_s;           /* spoken length (set by the shell) */
    bool whole;             /* a caution: never cut by a state cue */
    char text[400];
};

struct coach_options {
    bool speech;          /* spoken cues at all */
    bool instructions;    /* name, how-to and caution when an exercise starts */
    bool counts;          /* three, two, one before a hold's target */
    bool pacer;           /* the tick at the target rate while rocking */
    bool chime;
    double cue_interval_s;
};

struct coach {
    struct coach_options opt;
    const struct phrases *ph;
    struct motion_params mp;
    double rate_hz;        /* the pacer's rate: the middle of the target band */
    double last_beat;
    enum motion_cue pending;
    double pending_since;
    double last_spoken;    /* last rocking correction */
    bool corrected;        /* a correction was given, no confirmation yet */
    int count_said;        /* last countdown number said (3, 2, 1), 0 none */
    bool hold_said;        /* "hold" said for the hold in progress */
    const char *last_side;
    double last_note;      /* last posture remark */
    double hold_min_s;     /* stillness this long is a hold */
    bool introduced[EX_COUNT]; /* how-to and caution said this session */
    /* rocking corrections: how often each fault was spoken about in this
     * step (escalation), and how far off it was then (improvement) */
    int told[CUE_COUNT];
    double told_off[CUE_COUNT];
    bool sensor_lost;
    double lost_said;
    bool speaking;         /* set by the shell: the speech channel is busy, so a
                              correction waits rather than queue up stale */
};

#define COACH_MAXCUES 8

void coach_init(struct coach *c, const struct coach_options *opt, const struct phrases *ph,
                const struct motion_params *mp);

/* Cues for session events (a step began, a hold reached its target...). */
int coach_events(struct coach *c, const struct session *s, const struct session_event *ev,
                 int n, struct cue *out, int max);

/* The sensor: lost (said at once, then every COACH_LOST_EVERY_S while it
 * stays lost) and back. Call with the state at any time; t on the caller's
 * clock. */
#define COACH_LOST_EVERY_S 30.0
int coach_sensor(struct coach *c, bool lost, double t, struct cue *out, int max);

/* Cues that come with time: countdowns, pacer beats, rocking corrections. */
int coach_tick(struct coach *c, const struct session *s, const struct motion_live *l,
               double t, struct cue *out, int max);

#endif
