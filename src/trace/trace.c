/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trace: streaming CSV reader with file:line errors, and a durable writer. */
#include "trace.h"

#include "../util/timeline.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LINE_MAX_LEN 1024
/* Rows read ahead at open when the header gives no rate, to estimate it. */
#define RATE_PROBE_ROWS 16
/* Physical limits of the largest ranges the chip has: anything beyond is
 * not a reading. */
#define ACCEL_LIMIT_G 16.5
#define GYRO_LIMIT_DPS 2010.0

struct trace_reader {
    FILE *fp;
    char path[512];
    unsigned long line;
    struct trace_meta meta;
    double period;
    double last_t;
    bool have_last;
    struct timeline timeline; /* lone clock glitches dropped, steps kept */
    struct sample queued;     /* the second of two samples the timeline let through */
    bool have_queued;
    size_t gaps;
    size_t not_finite, out_of_range; /* glitch rows dropped, by kind */
    double missing_s;
    bool truncated;
    /* read-ahead rows (for rate estimation), replayed before the file */
    struct sample ahead[RATE_PROBE_ROWS + 1];
    int ahead_rc_row[RATE_PROBE_ROWS + 1]; /* read_row's 1, 2 or 3 */
    int nahead, iahead;
    int ahead_rc;
    char ahead_err[256];
};

const char *trace_meta_get(const struct trace_meta *m, const char *key)
{
    for (int i = 0; i < m->nextra; i++)
        if (strcmp(m->keys[i], key) == 0)
            return m->values[i];
    return NULL;
}

bool trace_meta_set(struct trace_meta *m, const char *key, const char *value)
{
    int i = 0;
    while (i < m->nextra && strcmp(m->keys[i], key) != 0)
        i++;
    if (i == m->nextra) {
        if (m->nextra == TRACE_META_MAX)
            return false;
        m->nextra++;
    }
    snprintf(m->keys[i], sizeof m->keys[i], "%s", key);
    snprintf(m->values[i], sizeof m->values[i], "%s", value);
    return true;
}

static void chomp(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
        s[--n] = '\0';
}

/* Up to max bytes of p for an error message, with every byte that is not
 * printable ASCII shown as \xNN: a binary file's junk is not echoed raw to
 * a terminal or a log. */
static const char *shown(const char *p, size_t k, size_t max, char *out, size_t len)
{
    size_t o = 0;
    for (size_t i = 0; i < k && i < max && o + 5 < len; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 0x20 && c < 0x7f)
            out[o++] = (char)c;
        else
            o += (size_t)snprintf(out + o, len - o, "\\x%02X", c);
    }
    out[o] = '\0';
    return out;
}

static const char *column_names[7] = {"t_s", "ax_g", "ay_g", "az_g",
                                      "gx_dps", "gy_dps", "gz_dps"};

/* Parses one data row strictly: seven numbers, nothing else. Returns 1, or
 * for a row of numbers that is a glitch (which the caller drops) 2 when one
 * is NaN or infinite, 3 when a reading is beyond the sensor's range; or -1. */
static int parse_row(struct trace_reader *r, char *line, struct sample *s, char *err,
                     size_t errlen)
{
    double v[7];
    char *p = line;
    for (int i = 0; i < 7; i++) {
        char *end;
        errno = 0;
        v[i] = strtod(p, &end);
        /* an overflow is infinite (a glitch below); an underflow (1e-400)
         * is a number, near enough 0 */
        if (end == p) {
            char text[24 * 4 + 1];
            snprintf(err, errlen, "%s:%lu: %s: '%s' is not a number", r->path, r->line,
                     column_names[i], shown(p, strcspn(p, ","), 24, text, sizeof text));
            return -1;
        }
        while (*end == ' ')
            end++;
        if (i < 6 && *end != ',') {
            snprintf(err, errlen, "%s:%lu: expected 7 comma-separated values (%s), "
                     "found %d", r->path, r->line, TRACE_COLUMNS, i + 1);
            return -1;
        }
        if (i == 6 && *end != '\0') {
            snprintf(err, errlen, "%s:%lu: expected 7 comma-separated values (%s), "
                     "found more", r->path, r->line, TRACE_COLUMNS);
            return -1;
        }
        p = end + 1;
    }
    bool finite = true, in_range = true;
    for (int i = 0; i < 7; i++)
        finite = finite && isfinite(v[i]);
    /* beyond what the chip can read: a corrupted row, dropped like a NaN */
    for (int i = 1; i < 7; i++)
        in_range = in_range && !(fabs(v[i]) > (i < 4 ? ACCEL_LIMIT_G : GYRO_LIMIT_DPS));
    s->t = v[0];
    for (int i = 0; i < 3; i++) {
        s->a[i] = v[1 + i];
        s->g[i] = v[4 + i];
    }
    return !finite ? 2 : !in_range ? 3 : 1;
}

/* Reads the next data row from the file, skipping comments. */
static int read_row(struct trace_reader *r, struct sample *s, char *err, size_t errlen)
{
    char line[LINE_MAX_LEN];
    for (;;) {
        if (!fgets(line, sizeof line, r->fp)) {
            if (ferror(r->fp)) {
                snprintf(err, errlen, "%s:%lu: read error: %s", r->path, r->line + 1,
                         strerror(errno));
                return -1;
            }
            return 0;
        }
        r->line++;
        size_t len = strlen(line);
        if (len + 1 < sizeof line && !feof(r->fp) && (len == 0 || line[len - 1] != '\n')) {
            /* fgets stopped short of both the buffer's end and a newline:
             * the line holds a NUL byte */
            snprintf(err, errlen, "%s:%lu: a NUL byte: a trace is text", r->path, r->line);
            return -1;
        }
        if (!strchr(line, '\n')) {
            if (!feof(r->fp)) {
                snprintf(err, errlen, "%s:%lu: line longer than %d characters", r->path,
                         r->line, LINE_MAX_LEN - 2);
                return -1;
            }
            /* A last row without its newline was cut off by a crash or a
             * power cut: drop it, keep everything before it. */
            r->truncated = true;
            return 0;
        }
        chomp(line);
        if (line[0] == '#' || line[0] == '\0')
            continue;
        return parse_row(r, line, s, err, errlen);
    }
}

static int parse_header(struct trace_reader *r, char *err, size_t errlen)
{
    char line[LINE_MAX_LEN];
    bool have_magic = false;
    while (fgets(line, sizeof line, r->fp)) {
        r->line++;
        chomp(line);
        if (!have_magic) {
            int ver = 0;
            if (sscanf(line, "# station-trace %d", &ver) != 1) {
                snprintf(err, errlen, "%s:%lu: not a station trace: the first line must "
                         "be '# station-trace %d'", r->path, r->line, TRACE_VERSION);
                return -1;
            }
            if (ver != TRACE_VERSION) {
                snprintf(err, errlen, "%s:%lu: trace format version %d; this station "
                         "reads version %d", r->path, r->line, ver, TRACE_VERSION);
                return -1;
            }
            have_magic = true;
            continue;
        }
        if (line[0] == '#') {
            char *kv = line + 1;
            while (*kv == ' ')
                kv++;
            char *eq = strchr(kv, '=');
            if (!eq)
                continue; /* a plain comment */
            *eq = '\0';
            const char *key = kv, *val = eq + 1;
            if (strcmp(key, "sample_rate_hz") == 0) {
                char *end;
                double hz = strtod(val, &end);
                if (end == val || *end || !(hz >= 1 && hz <= 10000)) {
                    char text[24 * 4 + 1];
                    snprintf(err, errlen, "%s:%lu: sample_rate_hz: '%s' is not a rate "
                             "in 1..10000 Hz", r->path, r->line,
                             shown(val, strlen(val), 24, text, sizeof text));
                    return -1;
                }
                r->meta.sample_rate_hz = hz;
            } else if (strcmp(key, "accel_range_g") == 0) {
                r->meta.accel_range_g = atoi(val);
            } else if (strcmp(key, "gyro_range_dps") == 0) {
                r->meta.gyro_range_dps = atoi(val);
            } else {
                trace_meta_set(&r->meta, key, val);
            }
            continue;
        }
        if (strcmp(line, TRACE_COLUMNS) != 0) {
            snprintf(err, errlen, "%s:%lu: expected the column line '%s'", r->path,
                     r->line, TRACE_COLUMNS);
            return -1;
        }
        return 0;
    }
    /* an empty file is named at its line 1, where the first line belongs */
    snprintf(err, errlen, "%s:%lu: %s", r->path, r->line ? r->line : 1,
             have_magic ? "no column line before the end of the file"
                        : "empty file: not a station trace");
    return -1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

struct trace_reader *trace_reader_open(const char *path, char *err, size_t errlen)
{
    struct trace_reader *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    timeline_init(&r->timeline);
    snprintf(r->path, sizeof r->path, "%s", path);
    r->fp = fopen(path, "r");
    if (!r->fp) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        free(r);
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(r->fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: is a directory, not a trace file", path);
        fclose(r->fp);
        free(r);
        return NULL;
    }
    if (parse_header(r, err, errlen) < 0) {
        trace_reader_close(r);
        return NULL;
    }
    if (r->meta.sample_rate_hz > 0) {
        r->period = 1.0 / r->meta.sample_rate_hz;
        return r;
    }
    /* No rate in the header: estimate it from the median spacing of the
     * first rows, which a few dropped samples cannot move. */
    while (r->nahead <= RATE_PROBE_ROWS) {
        int rc = read_row(r, &r->ahead[r->nahead], r->ahead_err, sizeof r->ahead_err);
        if (rc <= 0) {
            r->ahead_rc = rc;
            break;
        }
        r->ahead_rc_row[r->nahead++] = rc;
    }
    /* spacings between rows in order; glitches are left out */
    double dts[RATE_PROBE_ROWS], last = NAN;
    int n = 0;
    for (int i = 0; i < r->nahead; i++) {
        if (r->ahead_rc_row[i] != 1)
            continue;
        double t = r->ahead[i].t;
        if (t > last)
            dts[n++] = t - last;
        if (isnan(last) || t > last)
            last = t;
    }
    if (n > 0) {
        qsort(dts, (size_t)n, sizeof dts[0], cmp_double);
        r->period = dts[n / 2];
    }
    return r;
}

/* The next row as read, glitch or not: 1, 2 or 3 (glitches, see
 * parse_row), 0 or -1. */
static int next_row(struct trace_reader *r, struct sample *s, char *err, size_t errlen)
{
    if (r->iahead < r->nahead) {
        int rc = r->ahead_rc_row[r->iahead];
        *s = r->ahead[r->iahead++];
        return rc;
    }
    if (r->nahead > 0 && r->ahead_rc != 0 && r->iahead == r->nahead) {
        r->iahead++;
        snprintf(err, errlen, "%s", r->ahead_err);
        return -1;
    }
    return read_row(r, s, err, errlen);
}

/* The next sample in time order (see util/timeline.h): 1, 0 or -1. */
static int next_in_order(struct trace_reader *r, struct sample *s, char *err, size_t errlen)
{
    if (r->have_queued) {
        r->have_queued = false;
        *s = r->queued;
        return 1;
    }
    for (;;) {
        int rc = next_row(r, s, err, errlen);
        if (rc >= 2) {
            *(rc == 2 ? &r->not_finite : &r->out_of_range) += 1;
            continue;
        }
        if (rc <= 0) {
            if (rc == 0)
                timeline_finish(&r->timeline);
            return rc;
        }
        if (timeline_pass(&r->timeline, s, r->period) > 0)
            return 1;
        const struct sample *use[2];
        int k = timeline_push(&r->timeline, s, r->period, use);
        if (k == 2) {
            r->queued = *use[1];
            r->have_queued = true;
        }
        if (k > 0) {
            *s = *use[0];
            return 1;
        }
    }
}

int trace_reader_next(struct trace_reader *r, struct sample *s, char *err, size_t errlen)
{
    /* Glitches are dropped here, so that every reader of traces (analyze,
     * replay, reports) sees the same clean samples. */
    int rc = next_in_order(r, s, err, errlen);
    if (rc <= 0)
        return rc;
    if (r->have_last) {
        double dt = s->t - r->last_t;
        if (r->period > 0 && dt > 1.5 * r->period) {
            r->gaps++;
            r->missing_s += dt - r->period;
        }
    }
    r->last_t = s->t;
    r->have_last = true;
    return rc;
}

const struct trace_meta *trace_reader_meta(const struct trace_reader *r)
{
    return &r->meta;
}

double trace_reader_period(const struct trace_reader *r)
{
    return r->period;
}

size_t trace_reader_dropped(const struct trace_reader *r)
{
    struct trace_drops d;
    trace_reader_drops(r, &d);
    return d.time + d.not_finite + d.out_of_range;
}

void trace_reader_drops(const struct trace_reader *r, struct trace_drops *d)
{
    d->time = timeline_dropped(&r->timeline);
    d->not_finite = r->not_finite;
    d->out_of_range = r->out_of_range;
}

size_t trace_reader_gaps(const struct trace_reader *r, double *missing_s)
{
    if (missing_s)
        *missing_s = r->missing_s;
    return r->gaps;
}

void trace_reader_close(struct trace_reader *r)
{
    if (!r)
        return;
    if (r->fp)
        fclose(r->fp);
    free(r);
}

static int werr(struct trace_writer *w, int e)
{
    if (!w->error)
        w->error = e ? e : EIO;
    return -w->error;
}

int trace_writer_open(struct trace_writer *w, const char *path,
                      const struct trace_meta *meta)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        memset(w, 0, sizeof *w);
        return -errno;
    }
    return trace_writer_open_fd(w, fd, path, meta);
}

int trace_writer_open_fd(struct trace_writer *w, int fd, const char *path,
                         const struct trace_meta *meta)
{
    memset(w, 0, sizeof *w);
    snprintf(w->path, sizeof w->path, "%s", path);
    w->fp = fdopen(fd, "w");
    if (!w->fp) {
        int e = errno;
        close(fd);
        return -e;
    }
    w->fd = fd;
    /* Whole seconds of rows stay in memory until trace_writer_sync, so a
     * crash leaves the file ending on a whole row (at 1 kHz a second of
     * rows is about 60 KB). */
    setvbuf(w->fp, NULL, _IOFBF, 256 * 1024);
    fprintf(w->fp, "# station-trace %d\n", TRACE_VERSION);
    if (meta->sample_rate_hz > 0)
        fprintf(w->fp, "# sample_rate_hz=%g\n", meta->sample_rate_hz);
    if (meta->accel_range_g > 0)
        fprintf(w->fp, "# accel_range_g=%d\n", meta->accel_range_g);
    if (meta->gyro_range_dps > 0)
        fprintf(w->fp, "# gyro_range_dps=%d\n", meta->gyro_range_dps);
    for (int i = 0; i < meta->nextra; i++)
        fprintf(w->fp, "# %s=%s\n", meta->keys[i], meta->values[i]);
    fprintf(w->fp, "%s\n", TRACE_COLUMNS);
    if (ferror(w->fp))
        return werr(w, errno);
    return 0;
}

int trace_writer_sample(struct trace_writer *w, const struct sample *s)
{
    if (w->error)
        return -w->error;
    /* 1 us, 1e-5 g and 1e-4 dps: finer than the chip's smallest steps
     * (6.1e-5 g and 7.6e-3 dps at the default ranges). */
    if (fprintf(w->fp, "%.6f,%.5f,%.5f,%.5f,%.4f,%.4f,%.4f\n", s->t, s->a[0], s->a[1],
                s->a[2], s->g[0], s->g[1], s->g[2]) < 0)
        return werr(w, errno);
    w->rows++;
    return 0;
}

int trace_writer_comment(struct trace_writer *w, const char *text)
{
    if (w->error)
        return -w->error;
    if (fprintf(w->fp, "# %s\n", text) < 0)
        return werr(w, errno);
    return 0;
}

int trace_writer_sync(struct trace_writer *w)
{
    if (w->error)
        return -w->error;
    if (fflush(w->fp) != 0)
        return werr(w, errno);
    if (fsync(w->fd) != 0 && errno != EINVAL && errno != EROFS)
        return werr(w, errno);
    return 0;
}

int trace_writer_close(struct trace_writer *w)
{
    if (!w->fp)
        return -EBADF;
    trace_writer_sync(w);
    if (fclose(w->fp) != 0)
        werr(w, errno);
    w->fp = NULL;
    return w->error ? -w->error : 0;
}

bool trace_reader_truncated(const struct trace_reader *r)
{
    return r->truncated;
}
