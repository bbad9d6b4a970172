/* SPDX-License-Identifier: GPL-3.0-or-later */
/* int_line: the MPU-6050's INT pin on a GPIO line, through libgpiod (v1
 * or v2 API). Its rising edges (a new sample in the FIFO) wake the main
 * loop; without it a timer does. */
#ifndef STATION_INT_LINE_H
#define STATION_INT_LINE_H

#include <stddef.h>

struct int_line;

/* Requests line offset on chip for rising-edge events. Returns NULL with a
 * sentence in err when it cannot. */
struct int_line *int_line_open(const char *chip, int offset, char *err, size_t errlen);

/* The fd to poll for POLLIN; -1 once the line is lost (see below). */
int int_line_fd(const struct int_line *l);

/* Reads every pending edge; returns how many (0 when none), or -1 once the
 * line is lost: its chip went away (the descriptor hung up) or reading it
 * failed. A lost line stays lost and its fd is no longer given out, so the
 * main loop stops polling a descriptor that would wake it at once, forever;
 * the timer paces the reads from then on. */
int int_line_drain(struct int_line *l);

void int_line_close(struct int_line *l);

#endif
