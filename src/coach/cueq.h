/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cueq: the speech channel's queue. Spoken cues wait here for their turn
 * and leave it in one of three ways, each reported for the cue log:
 * played (its turn came), dropped (too late to be true any more, its step
 * is over, or the same words already wait) or cut (a step change or a
 * safety word stops it mid-sentence).
 *
 * The rules: one phrase at a time; the most urgent waiting cue goes next
 * (safety > state changes and counts > corrections > instructions, first
 * come first within a class); a cue other than an instruction that cannot
 * start within CUEQ_LATE_S of its moment is dropped; a new step drops what
 * the old step still had to say and cuts what it is saying; a safety cue
 * cuts anything but another safety cue. Pure: the clock is the caller's
 * (sample time), the length of each phrase comes with it, so a replay
 * that plays nothing keeps the same log as a station that speaks. */
#ifndef STATION_CUEQ_H
#define STATION_CUEQ_H

#include <stdbool.h>

#include "coach.h"

#define CUEQ_MAX 24
#define CUEQ_LATE_S 1.0

enum cueq_what { CQ_QUEUED, CQ_PLAYED, CQ_DROPPED, CQ_CUT };

struct cueq_report {
    enum cueq_what what;
    double t;              /* when it happened */
    const char *why;       /* CQ_DROPPED, CQ_CUT: "late", "step over", "same words waiting",
                              "safety first" */
    struct cue c;          /* c.t is the cue's moment */
};

struct cueq {
    struct cue q[CUEQ_MAX];
    unsigned seq[CUEQ_MAX];
    int n;
    unsigned next_seq;
    struct cue playing;
    bool busy;
    double busy_until;
};

#define CUEQ_REPORTS (CUEQ_MAX + 4)

void cueq_init(struct cueq *q);

/* A spoken cue arrives (c->t its moment, c->len_s its length). Reports
 * what became of it: queued, or dropped at once. Call cueq_run after. */
int cueq_push(struct cueq *q, const struct cue *c, struct cueq_report *out, int max);

/* A step began at t: the other steps' waiting cues are dropped and one of
 * them still playing is cut (*cut tells the caller to stop the sound).
 * step < 0: the session ended; every step's cues go. */
int cueq_step(struct cueq *q, int step, double t, bool *cut, struct cueq_report *out,
              int max);

/* Time passes: late cues are dropped; when the channel is free the most
 * urgent cue starts (reported CQ_PLAYED: the caller sounds it). *cut set
 * when a safety cue stops the phrase that was playing. */
int cueq_run(struct cueq *q, double t, bool *cut, struct cueq_report *out, int max);

/* Whether anything is waiting or playing at t. */
bool cueq_busy(const struct cueq *q, double t);

/* A phrase's spoken length at wpm words a minute, for when no synthesiser
 * says it (a muted replay): about 15 characters a second at 150. */
double cueq_estimate_s(const char *text, int wpm);

const char *cue_prio_name(enum cue_prio p);

#endif
