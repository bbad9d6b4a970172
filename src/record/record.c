/* record: session folders, their files, crash recovery and history. */
#include "record.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NAME_FMT "%Y%m%d-%H%M%S"
#define WEEK_S (7 * 24 * 3600)

static int fail(struct record *r, int e)
{
    if (!r->error)
        r->error = e ? e : EIO;
    return -r->error;
}

static int mkdir_p(const char *path)
{
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
            return -errno;
        *p = '/';
    }
    if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
        return -errno;
    return 0;
}

static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    int rc = fsync(fd) < 0 ? -errno : 0;
    close(fd);
    return rc;
}

int record_open(struct record *r, const char *storage, time_t wall,
                const struct trace_meta *meta, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    int rc = mkdir_p(storage);
    if (rc < 0) {
        snprintf(err, errlen, "%s: cannot create the storage directory: %s", storage,
                 strerror(-rc));
        return rc;
    }
    struct tm tm;
    localtime_r(&wall, &tm);
    char name[32];
    strftime(name, sizeof name, NAME_FMT, &tm);
    /* two sessions in one second get -2, -3, ... */
    for (int k = 1; k < 100; k++) {
        if (k == 1)
            snprintf(r->dir, sizeof r->dir, "%s/%s", storage, name);
        else
            snprintf(r->dir, sizeof r->dir, "%s/%s-%d", storage, name, k);
        if (mkdir(r->dir, 0755) == 0)
            break;
        if (errno != EEXIST) {
            rc = -errno;
            snprintf(err, errlen, "%s: %s", r->dir, strerror(errno));
            return rc;
        }
    }
    char path[700];
    snprintf(path, sizeof path, "%s/trace.csv", r->dir);
    rc = trace_writer_open(&r->trace, path, meta);
    if (rc < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(-rc));
        return rc;
    }
    r->trace_open = true;
    snprintf(path, sizeof path, "%s/events.jsonl", r->dir);
    r->events = fopen(path, "w");
    if (r->events) /* rows reach the file whole, at each sync */
        setvbuf(r->events, NULL, _IOFBF, 256 * 1024);
    if (!r->events) {
        rc = -errno;
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        trace_writer_close(&r->trace);
        r->trace_open = false;
        return rc;
    }
    sync_dir(storage);
    return 0;
}

int record_sample(struct record *r, const struct sample *s)
{
    if (r->error)
        return -r->error;
    if (!r->have_t0) {
        r->t0 = s->t;
        r->have_t0 = true;
    }
    struct sample rel = *s;
    rel.t -= r->t0;
    int rc = trace_writer_sample(&r->trace, &rel);
    return rc < 0 ? fail(r, -rc) : 0;
}

int record_event(struct record *r, double t, const char *type, const char *fields)
{
    if (r->error)
        return -r->error;
    double rel = r->have_t0 ? t - r->t0 : 0;
    if (fprintf(r->events, "{\"t\": %.3f, \"type\": \"%s\"%s%s}\n", rel, type,
                fields && *fields ? ", " : "", fields ? fields : "") < 0)
        return fail(r, errno);
    r->nevents++;
    return 0;
}

int record_comment(struct record *r, const char *text)
{
    if (r->error)
        return -r->error;
    int rc = trace_writer_comment(&r->trace, text);
    return rc < 0 ? fail(r, -rc) : 0;
}

int record_summary(struct record *r, const char *json)
{
    /* Tried even after an earlier write failed: it is small, it replaces
     * the old one only once it is whole on the disk, and it is what a
     * clinician reads first. */
    char tmp[700], path[700];
    snprintf(tmp, sizeof tmp, "%s/summary.json.tmp", r->dir);
    snprintf(path, sizeof path, "%s/summary.json", r->dir);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return fail(r, errno);
    size_t len = strlen(json), done = 0;
    while (done < len) {
        ssize_t w = write(fd, json + done, len - done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            unlink(tmp); /* the old summary stays as it was */
            return fail(r, e);
        }
        done += (size_t)w;
    }
    if (fsync(fd) < 0 || close(fd) < 0) {
        int e = errno;
        unlink(tmp);
        return fail(r, e);
    }
    if (rename(tmp, path) < 0)
        return fail(r, errno);
    sync_dir(r->dir);
    return 0;
}

int record_sync(struct record *r)
{
    if (r->error)
        return -r->error;
    int rc = trace_writer_sync(&r->trace);
    if (rc < 0)
        return fail(r, -rc);
    if (fflush(r->events) != 0 || fsync(fileno(r->events)) < 0)
        return fail(r, errno);
    return 0;
}

int record_close(struct record *r)
{
    if (r->trace_open) {
        int rc = trace_writer_close(&r->trace);
        if (rc < 0)
            fail(r, -rc);
        r->trace_open = false;
    }
    if (r->events) {
        if (fflush(r->events) != 0 || fsync(fileno(r->events)) < 0)
            fail(r, errno);
        fclose(r->events);
        r->events = NULL;
    }
    return r->error ? -r->error : 0;
}

static char *slurp(const char *path, size_t max)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return NULL;
    char *buf = malloc(max + 1);
    size_t n = buf ? fread(buf, 1, max, fp) : 0;
    fclose(fp);
    if (buf)
        buf[n] = '\0';
    return buf;
}

static int write_atomic(const char *dir, const char *json)
{
    struct record r;
    memset(&r, 0, sizeof r);
    snprintf(r.dir, sizeof r.dir, "%s", dir);
    return record_summary(&r, json);
}

/* A session folder is named YYYYmmdd-HHMMSS[-N]. */
static bool session_name(const char *name, time_t *when)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = strptime(name, NAME_FMT, &tm);
    if (!end || (*end && *end != '-'))
        return false;
    tm.tm_isdst = -1;
    *when = mktime(&tm);
    return true;
}

int record_recover(const char *storage, char *report, size_t len)
{
    DIR *d = opendir(storage);
    if (report && len)
        report[0] = '\0';
    if (!d)
        return 0;
    int n = 0;
    size_t used = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        time_t when;
        if (!session_name(de->d_name, &when))
            continue;
        char dir[600], path[700];
        snprintf(dir, sizeof dir, "%s/%s", storage, de->d_name);
        snprintf(path, sizeof path, "%s/summary.json", dir);
        char *json = slurp(path, 1 << 20);
        const char *mark = "\"status\": \"in progress\"";
        char *at = json ? strstr(json, mark) : NULL;
        bool fixed = false;
        if (json && at) {
            /* same length keeps the rest of the file exactly as it was */
            size_t tail = strlen(at + strlen(mark));
            char *out = malloc(strlen(json) + 16);
            if (out) {
                memcpy(out, json, (size_t)(at - json));
                strcpy(out + (at - json), "\"status\": \"incomplete\"");
                memcpy(out + strlen(out), at + strlen(mark), tail + 1);
                fixed = write_atomic(dir, out) == 0;
                free(out);
            }
        } else if (!json) {
            fixed = write_atomic(dir, "{\n  \"status\": \"incomplete\",\n  \"note\": \"the "
                                      "station stopped before it wrote a summary\",\n  "
                                      "\"steps\": []\n}\n") == 0;
        }
        free(json);
        if (fixed) {
            n++;
            if (report && used < len)
                used += (size_t)snprintf(report + used, len - used, "%s%s", n > 1 ? ", " : "",
                                         de->d_name);
        }
    }
    closedir(d);
    return n;
}

int record_count_advanced(const char *storage, time_t now)
{
    DIR *d = opendir(storage);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        time_t when;
        if (!session_name(de->d_name, &when) || when > now || now - when > WEEK_S)
            continue;
        char path[700];
        snprintf(path, sizeof path, "%s/%s/summary.json", storage, de->d_name);
        char *json = slurp(path, 1 << 20);
        /* demos and replays never count (records from before "mode" were
         * all taken as live) */
        if (json && strstr(json, "\"advanced_stretch_done\": true") &&
            (!strstr(json, "\"mode\":") || strstr(json, "\"mode\": \"live\"")))
            n++;
        free(json);
    }
    closedir(d);
    return n;
}
