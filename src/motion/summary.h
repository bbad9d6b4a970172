/* SPDX-License-Identifier: GPL-3.0-or-later */
/* summary: collects a run of motion events into the sets, holds and
 * bounces of a whole trace or session (what `station analyze` prints and
 * what a session summary stores). */
#ifndef STATION_SUMMARY_H
#define STATION_SUMMARY_H

#include <stddef.h>

#include "motion.h"

struct event_list {
    struct motion_event *v;
    size_t n, cap;
};

struct motion_summary {
    struct event_list rocking, bounces, holds;
    size_t gaps;
};

void summary_init(struct motion_summary *s);

/* Keeps what a summary needs from ev (finished sets, counted holds, gaps).
 * Returns 0, or -1 when out of memory. */
int summary_add(struct motion_summary *s, const struct motion_event *ev);

void summary_free(struct motion_summary *s);

#endif
