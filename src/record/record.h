/* SPDX-License-Identifier: GPL-3.0-or-later */
/* record: a session on disk, one folder per session under the storage
 * directory (YYYYmmdd-HHMMSS):
 *   trace.csv     every raw sample, the trace format (replayable)
 *   events.jsonl  one event a line, with its time from the first sample
 *   summary.json  what the session achieved against its targets; written
 *                 atomically (temporary file, fsync, rename), "status" is
 *                 "in progress" until the end, then "complete"
 * Everything is synced at least once a second, so a crash or power cut
 * loses at most the last second. A write error (a full disk) is kept and
 * reported; nothing already stored is touched by it. */
#ifndef STATION_RECORD_H
#define STATION_RECORD_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "../trace/trace.h"

/* The longest storage directory a session can live under: the folder's
 * name and its files' names must still fit in the paths below. */
#define RECORD_STORAGE_MAX 512
/* The lock a live session holds (flock) in its folder. */
#define RECORD_LOCK ".lock"

struct record {
    char dir[600];
    int dirfd;           /* the session folder, opened O_NOFOLLOW; -1 when none */
    int lockfd;          /* RECORD_LOCK, flock'ed while the session is live */
    struct trace_writer trace;
    bool trace_open;
    FILE *events;
    double t0;           /* first sample's time: events are relative to it */
    bool have_t0;
    int error;           /* first errno met, 0 when all is well */
    unsigned long long nevents;
};

/* Creates the session folder under storage (made if missing) named from
 * wall, and opens its files. The folder is made by mkdir (never an existing
 * one, never through a symlink: a name taken gets -2, -3, ... with no cap)
 * and its files are created inside it with openat(O_EXCL|O_NOFOLLOW). The
 * session holds an flock on RECORD_LOCK in it until record_close, so no
 * recovery touches it. The trace's header is on the disk when this returns.
 * Returns 0, or -errno with a sentence in err (-ENAMETOOLONG when storage
 * is longer than RECORD_STORAGE_MAX). */
int record_open(struct record *r, const char *storage, time_t wall,
                const struct trace_meta *meta, char *err, size_t errlen);

int record_sample(struct record *r, const struct sample *s);

/* Appends {"t": T, "type": TYPE, FIELDS} where fields is a JSON fragment
 * ("\"step\": 2, ...") or NULL; t on the sample clock. */
int record_event(struct record *r, double t, const char *type, const char *fields);

/* A "# text" line among the trace's rows (gaps are noted so). */
int record_comment(struct record *r, const char *text);

/* Replaces summary.json atomically with json. */
int record_summary(struct record *r, const char *json);

/* Pushes trace and events to the disk. */
int record_sync(struct record *r);

/* Syncs and closes (releasing the lock); the caller writes the final
 * summary first. Returns 0 or the first error met (r->error). */
int record_close(struct record *r);

/* When the final summary could not be written (a full disk), the summary
 * on the disk still says "in progress": this rewrites that status in place
 * as "incomplete" (the same bytes, so it needs no new space). Returns 0 when
 * the summary on disk no longer says "in progress". */
int record_mark_incomplete(struct record *r);

/* Sessions left "in progress" by a crash or power cut: each one's summary
 * is marked "incomplete" (one with no summary at all gets a short one).
 * A session whose lock another process holds is live and left alone;
 * symlinked folders and files are never followed. Returns how many were
 * closed; names them in report. */
int record_recover(const char *storage, char *report, size_t len);

/* Live sessions in the last 7 days (before now) whose summary says the
 * advanced stretch was done; demo and replay sessions are not counted. */
int record_count_advanced(const char *storage, time_t now);

#endif
