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

struct record {
    char dir[600];
    struct trace_writer trace;
    bool trace_open;
    FILE *events;
    double t0;           /* first sample's time: events are relative to it */
    bool have_t0;
    int error;           /* first errno met, 0 when all is well */
    unsigned long long nevents;
};

/* Creates the session folder under storage (made if missing) named from
 * wall, and opens its files. Returns 0, or -errno with a sentence in err. */
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

/* Syncs and closes; the caller writes the final summary first. */
int record_close(struct record *r);

/* Sessions left "in progress" by a crash or power cut: each one's summary
 * is marked "incomplete" (one with no summary at all gets a short one).
 * Returns how many were closed; names them in report. */
int record_recover(const char *storage, char *report, size_t len);

/* Live sessions in the last 7 days (before now) whose summary says the
 * advanced stretch was done; demo and replay sessions are not counted. */
int record_count_advanced(const char *storage, time_t now);

#endif
