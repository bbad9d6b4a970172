/* SPDX-License-Identifier: GPL-3.0-or-later */
/* acquire: the one acquisition loop of every command that reads a sensor
 * (`station run` and `station record`), in the shape of gpsd's main loop:
 * wait on the signalfd, the sensor's INT line and the caller's own fds
 * (buttons), then hand each ready thing to one handler: signals, samples,
 * source events, and a pass's end. What a sample or an event means is the
 * caller's; how they are waited for and read is here, once. */
#ifndef STATION_ACQUIRE_H
#define STATION_ACQUIRE_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#include "source.h"

#define ACQUIRE_MAX_FDS 8

struct acquire_ops {
    void *ctx;
    /* Extra fds to wait on: fills out (at most max), returns how many (NULL: none). */
    int (*fds)(void *ctx, struct pollfd *out, int max);
    /* One of them is readable (NULL: none). */
    void (*ready)(void *ctx, double now);
    /* A signal came; returns true to stop after this pass, false to go on. */
    bool (*signal)(void *ctx, int signo);
    /* Each pass, before the read (NULL: nothing). */
    void (*before)(void *ctx, double now);
    /* One sample; returns false to stop (the rest of the read is not handed on). */
    bool (*sample)(void *ctx, const struct sample *s);
    /* One source event. */
    void (*event)(void *ctx, const struct source_event *ev, double now);
    /* Each pass, after the read of n samples; returns false to stop (NULL: go on). */
    bool (*after)(void *ctx, double now, size_t n);
    /* The longest wait, seconds (a display's frame); 0: the source's interval. */
    double max_wait;
};

enum acquire_end {
    ACQUIRE_STOPPED, /* a handler said so */
    ACQUIRE_SIGNAL,  /* a stop signal, after the samples already waiting were read */
    ACQUIRE_DONE,    /* the source ended (a replay's end; source_error says if badly) */
};

/* Runs the loop on src until it ends. sfd is a signalfd (blocked signals);
 * a read of it that fails is no signal. */
enum acquire_end acquire_run(struct source *src, int sfd, const struct acquire_ops *ops);

/* The trace comment for a gap event, the same in every command's trace:
 * "gap start_s=S length_s=L: why", S from the trace's first sample t0. */
void acquire_gap_comment(char *out, size_t len, const struct source_event *ev, double t0);

/* The same comment for a loss still going on when the command ends: from
 * lost_t (the loss's source time) to end_t, "...: sensor lost until the end",
 * so a trace cut short by a parted cable says so and is not a clean one. */
void acquire_closing_gap(char *out, size_t len, double lost_t, double end_t, double t0);

/* The source's clock between samples: the time of the last sample (or of
 * the open) moved on by the wall clock at the source's speed. A lost sensor
 * sends no sample times, but its time still passes, so --seconds ends. */
struct acquire_clock {
    double speed;   /* source seconds per wall second (emu --speed; 1 for a chip) */
    double t, wall; /* the anchor: a source time and the wall time it was read */
};

/* Anchors c at source time t read at wall time wall. */
void acquire_clock_mark(struct acquire_clock *c, double t, double wall);
/* The source time at wall time wall. */
double acquire_clock_now(const struct acquire_clock *c, double wall);

#endif
