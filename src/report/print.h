/* SPDX-License-Identifier: GPL-3.0-or-later */
/* print: reports a clinic can print. A4, a light background, as PDF and
 * PNG (cairo): one session (what was done against the targets, per-set
 * rocking figures, hold lengths, overrides, early stops, charts), or one
 * person over a date range (sessions a week, trends of rocking rate and
 * rhythm and of hold times, every session in a table). Each says whom it
 * is about, when, the station, the software, and LIVE, DEMO or REPLAY. */
#ifndef STATION_PRINT_H
#define STATION_PRINT_H

#include <stdbool.h>
#include <cairo.h>
#include <stddef.h>

#include "../history/history.h"

/* What a report is about, beyond its sessions. */
struct print_context {
    const char *person;        /* the name to print; NULL: from the session */
    const char *from, *to;     /* the period (person reports) */
    bool with_replays;         /* demo and replay sessions were asked for */
    double rate_min_hz, rate_max_hz, rhythm_cv_max; /* the configuration's, for
                                  sessions that did not record theirs */
};

/* One session: the PDF to pdf, its page as a PNG to png (either may be
 * NULL). Files are written whole or not at all (beside, then renamed; a
 * symlink in the way is replaced, never written through). Returns 0, or -1
 * with "FILE: reason" in err. */
int print_session(const struct hist_session *s, const struct print_context *ctx,
                  const char *pdf, const char *png, char *err, size_t errlen);

/* A person over a period: n sessions, oldest first. The PDF has as many
 * pages as the table of sessions needs; the PNG is the first page. */
int print_person(const struct hist_session *v, int n, const struct print_context *ctx,
                 const char *pdf, const char *png, char *err, size_t errlen);

/* The same PDF, written through write (cairo's stream writer: closure,
 * bytes, length; CAIRO_STATUS_SUCCESS or a write error), for a server
 * that sends it without a file. Returns 0, or -1 when it was not written
 * whole. */
typedef cairo_status_t (*print_write_fn)(void *closure, const unsigned char *data,
                                         unsigned int len);
int print_person_stream(const struct hist_session *v, int n, const struct print_context *ctx,
                        print_write_fn write, void *closure);

/* The person report's sessions a week: Monday weeks, as the station
 * counts them (history_week_start), from the week of from to the week of
 * to (at most max); done[k] the complete sessions of week k, part[k] the
 * others. Returns the number of weeks; *first: the first one's Monday. */
int print_weeks(const struct hist_session *v, int n, time_t from, time_t to, int *done,
                int *part, int max, time_t *first);

/* Frees what cairo keeps between reports (its font caches), so a leak
 * checker sees only real leaks. Call once, at the end. */
void print_cleanup(void);

#endif
