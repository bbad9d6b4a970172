/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trace: the station's one sample file format, read and written.
 *
 *   # station-trace 1
 *   # sample_rate_hz=100
 *   # key=value ...            (metadata: ranges, placement, source, ...)
 *   t_s,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps
 *   0.000000,0.01234,-0.98765,0.10000,0.1234,-0.0500,0.0000
 *
 * `#` lines may also appear among the rows (a recorder notes gaps there).
 * t_s increases; a jump of more than 1.5 sample periods is a gap (dropped
 * samples), counted and reported, never an error. A glitch is dropped and
 * counted, never an error, and the rows after it are read: a row with a NaN
 * or infinite value or a reading beyond the sensor's range, or a row whose
 * t_s is out of place and not confirmed by the row after it (a repeated,
 * duplicated, late or corrupted timestamp: util/timeline.h, which also says
 * how a real step of the clock is kept). */
#ifndef STATION_TRACE_H
#define STATION_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../util/sample.h"

#define TRACE_VERSION 1
#define TRACE_COLUMNS "t_s,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps"
#define TRACE_META_MAX 16
#define TRACE_TEXT_MAX 128

struct trace_meta {
    double sample_rate_hz; /* 0 when the file does not say; the reader then
                              estimates it from the first rows */
    int accel_range_g;     /* 0 when unknown */
    int gyro_range_dps;
    int nextra;
    char keys[TRACE_META_MAX][32];
    char values[TRACE_META_MAX][TRACE_TEXT_MAX];
};

struct trace_reader;

/* Opens path and reads its header. Returns NULL with "FILE:LINE: ..." in err
 * on a missing file or a bad header. */
struct trace_reader *trace_reader_open(const char *path, char *err, size_t errlen);

/* Reads the next sample. Returns 1 with a sample, 0 at the end of the file,
 * -1 with "FILE:LINE: what is wrong" in err. */
int trace_reader_next(struct trace_reader *r, struct sample *s, char *err, size_t errlen);

const struct trace_meta *trace_reader_meta(const struct trace_reader *r);

/* The sample period the reader judges gaps by (from metadata or estimated). */
double trace_reader_period(const struct trace_reader *r);

/* Gaps met so far: how many and how many seconds of samples are missing. */
size_t trace_reader_gaps(const struct trace_reader *r, double *missing_s);

/* Glitch rows dropped so far (see the top of this file). */
size_t trace_reader_dropped(const struct trace_reader *r);

/* The same, by why. */
struct trace_drops {
    size_t time;         /* a timestamp out of place, not confirmed (util/timeline.h) */
    size_t not_finite;   /* a value NaN or infinite (or overflowing, as 1e400) */
    size_t out_of_range; /* a reading beyond the sensor's largest range */
};
void trace_reader_drops(const struct trace_reader *r, struct trace_drops *d);

/* True when the file ended in the middle of a row (a recording cut off by
 * a crash): that row was dropped, the rows before it were read. */
bool trace_reader_truncated(const struct trace_reader *r);

void trace_reader_close(struct trace_reader *r);

/* Looks up a metadata value by key; NULL when absent. */
const char *trace_meta_get(const struct trace_meta *m, const char *key);

/* Adds or replaces a metadata key. Returns false when full. */
bool trace_meta_set(struct trace_meta *m, const char *key, const char *value);

struct trace_writer {
    FILE *fp;
    int fd;
    char path[512];
    unsigned long long rows;
    int error; /* first errno met; once set, further writes are skipped */
};

/* Creates path (truncating) and writes the header. Returns 0 or -errno. */
int trace_writer_open(struct trace_writer *w, const char *path,
                      const struct trace_meta *meta);

/* The same on an fd the caller opened (e.g. openat with O_EXCL|O_NOFOLLOW);
 * the writer owns it from here, also on failure. path is for messages. */
int trace_writer_open_fd(struct trace_writer *w, int fd, const char *path,
                         const struct trace_meta *meta);

/* Appends one row. Returns 0 or -errno (e.g. -ENOSPC on a full disk). */
int trace_writer_sample(struct trace_writer *w, const struct sample *s);

/* Appends a `# text` line among the rows. */
int trace_writer_comment(struct trace_writer *w, const char *text);

/* Pushes everything written so far to the disk (fflush + fsync). */
int trace_writer_sync(struct trace_writer *w);

/* Syncs and closes. Returns 0 or the first error met while writing. */
int trace_writer_close(struct trace_writer *w);

#endif
