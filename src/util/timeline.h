/* SPDX-License-Identifier: GPL-3.0-or-later */
/* timeline: puts samples in time order, telling a lone glitch in the clock
 * from a real step of it by the row that follows.
 *
 * A sample is in place when it comes after the last one let through by no
 * more than a jump (TIMELINE_JUMP_PERIODS sample periods, and at least
 * TIMELINE_JUMP_MIN_S). One that is not (repeated, backwards, or far ahead)
 * is held back and judged by the next sample:
 *  - the next one is in place after the last: the held one was a lone
 *    glitch (a corrupted or duplicated timestamp): it is dropped, counted;
 *  - the next one follows the held one: the clock really stepped. A step
 *    forward is let through as it is (a gap, for the reader to tell); a step
 *    back (a counter that wrapped, a clock set back) starts a new time base:
 *    the following times are moved on so they continue the old clock;
 *  - neither: the held one is dropped and the next one is held instead.
 * The sample after a step is thus let through one sample late. A held
 * sample still waiting at the end is dropped (timeline_finish). */
#ifndef STATION_TIMELINE_H
#define STATION_TIMELINE_H

#include <stdbool.h>

#include "sample.h"

#define TIMELINE_JUMP_PERIODS 5.0
#define TIMELINE_JUMP_MIN_S 0.3

struct timeline {
    double last_t;  /* time of the last sample let through (moved on) */
    double offset;  /* added to the source's times since a step back */
    bool started;
    bool holding;
    bool plain; /* started, nothing held, no offset: a sample in place
                   passes as it is (the callers' fast path) */
    struct sample held; /* as read, before the offset */
    struct sample out[2];
    unsigned long dropped;
};

void timeline_init(struct timeline *tl);

/* True when a sample at t (on the moved-on clock) is in place after last,
 * given the typical sample period (0 when not yet known). */
static inline bool timeline_in_place(double last, double t, double period)
{
    double dt = t - last;
    return dt > 0 && (dt <= TIMELINE_JUMP_MIN_S || dt <= period * TIMELINE_JUMP_PERIODS);
}

/* The callers' fast path, the same as timeline_push for nearly every
 * sample: when s passes as it is, notes it as the last and returns its
 * spacing after the one before (> 0); otherwise returns 0 (then call
 * timeline_push). */
static inline double timeline_pass(struct timeline *tl, const struct sample *s, double period)
{
    double dt = s->t - tl->last_t;
    if (tl->plain && dt > 0 && (dt <= TIMELINE_JUMP_MIN_S || dt <= period * TIMELINE_JUMP_PERIODS)) {
        tl->last_t = s->t;
        return dt;
    }
    return 0;
}

/* Takes the next sample s from the source; sets use[] to the samples to be
 * used now, in order, and returns how many (0, 1 or 2). use[] points at s
 * itself or at storage in tl valid until the next call. */
int timeline_push(struct timeline *tl, const struct sample *s, double period,
                  const struct sample *use[2]);

/* The end of the source: a sample still held is dropped. */
void timeline_finish(struct timeline *tl);

/* Samples dropped as glitches of the clock so far. */
static inline unsigned long timeline_dropped(const struct timeline *tl)
{
    return tl->dropped;
}

#endif
