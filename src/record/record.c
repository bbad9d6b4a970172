/* SPDX-License-Identifier: GPL-3.0-or-later */
/* record: session folders, their files, crash recovery and history. */
#include "record.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/dirs.h"

#define NAME_FMT "%Y%m%d-%H%M%S"
#define WEEK_S (7 * 24 * 3600)

static int fail(struct record *r, int e)
{
    if (!r->error)
        r->error = e ? e : EIO;
    return -r->error;
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

/* A file of the session, made new inside its folder: never an existing one,
 * never through a symlink. */
static int create_in(int dirfd, const char *name)
{
    return openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
}

static void close_fds(struct record *r)
{
    if (r->dirfd >= 0)
        close(r->dirfd);
    if (r->lockfd >= 0)
        close(r->lockfd); /* releases the flock */
    r->dirfd = r->lockfd = -1;
}

/* Makes a new session folder storage/NAME, NAME-2, NAME-3, ... (the first
 * name not taken: mkdir never reuses a folder nor follows a symlink) and
 * opens it with O_NOFOLLOW. */
static int make_session_dir(struct record *r, const char *storage, const char *name,
                            char *err, size_t errlen)
{
    for (unsigned long k = 1;; k++) {
        if (k == 1)
            snprintf(r->dir, sizeof r->dir, "%s/%s", storage, name);
        else
            snprintf(r->dir, sizeof r->dir, "%s/%s-%lu", storage, name, k);
        if (mkdir(r->dir, 0755) == 0)
            break;
        if (errno != EEXIST || k == 1000000) {
            int rc = errno != EEXIST ? -errno : -EEXIST;
            snprintf(err, errlen, "%s: cannot create the session folder: %s", r->dir,
                     strerror(-rc));
            return rc;
        }
    }
    r->dirfd = open(r->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (r->dirfd < 0) {
        int rc = -errno;
        snprintf(err, errlen, "%s: %s", r->dir, strerror(-rc));
        return rc;
    }
    /* the lock first: from here on no recovery takes this session for dead */
    r->lockfd = create_in(r->dirfd, RECORD_LOCK);
    if (r->lockfd < 0 || flock(r->lockfd, LOCK_EX) < 0) {
        int rc = -errno;
        snprintf(err, errlen, "%s/%s: %s", r->dir, RECORD_LOCK, strerror(-rc));
        return rc;
    }
    return 0;
}

int record_open(struct record *r, const char *storage, time_t wall,
                const struct trace_meta *meta, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    r->dirfd = r->lockfd = -1;
    size_t slen = strlen(storage);
    if (slen > RECORD_STORAGE_MAX) {
        snprintf(err, errlen, "the storage directory's path is %zu characters long: at most "
                 "%d are allowed", slen, RECORD_STORAGE_MAX);
        return -ENAMETOOLONG;
    }
    int rc = dirs_make(storage);
    if (rc < 0) {
        snprintf(err, errlen, "%s: cannot create the storage directory: %s", storage,
                 strerror(-rc));
        return rc;
    }
    struct tm tm;
    localtime_r(&wall, &tm);
    char name[32];
    strftime(name, sizeof name, NAME_FMT, &tm);
    rc = make_session_dir(r, storage, name, err, errlen);
    if (rc < 0) {
        close_fds(r);
        return rc;
    }
    char path[700];
    snprintf(path, sizeof path, "%s/trace.csv", r->dir);
    int fd = create_in(r->dirfd, "trace.csv");
    rc = fd < 0 ? -errno : trace_writer_open_fd(&r->trace, fd, path, meta);
    /* the header on the disk at once: a kill in the first second leaves a
     * trace that reads, not an empty file */
    if (rc == 0)
        r->trace_open = true, rc = trace_writer_sync(&r->trace);
    if (rc < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(-rc));
        record_close(r);
        return rc;
    }
    snprintf(path, sizeof path, "%s/events.jsonl", r->dir);
    fd = create_in(r->dirfd, "events.jsonl");
    r->events = fd < 0 ? NULL : fdopen(fd, "w");
    if (r->events) /* rows reach the file whole, at each sync */
        setvbuf(r->events, NULL, _IOFBF, 256 * 1024);
    if (!r->events) {
        rc = -errno;
        if (fd >= 0)
            close(fd);
        snprintf(err, errlen, "%s: %s", path, strerror(-rc));
        record_close(r);
        return rc;
    }
    fsync(r->dirfd);
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
    if (r->dirfd < 0)
        return fail(r, EBADF);
    const char *tmp = "summary.json.tmp";
    unlinkat(r->dirfd, tmp, 0); /* one a crash left; a symlink is removed, not followed */
    int fd = create_in(r->dirfd, tmp);
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
            unlinkat(r->dirfd, tmp, 0); /* the old summary stays as it was */
            return fail(r, e);
        }
        done += (size_t)w;
    }
    if (fsync(fd) < 0 || close(fd) < 0) {
        int e = errno;
        unlinkat(r->dirfd, tmp, 0);
        return fail(r, e);
    }
    /* rename replaces a symlink named summary.json, never its target */
    if (renameat(r->dirfd, tmp, r->dirfd, "summary.json") < 0)
        return fail(r, errno);
    fsync(r->dirfd);
    return 0;
}

/* Reads a file of the folder, not through a symlink. */
static char *slurp_at(int dirfd, const char *name, size_t max)
{
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return NULL;
    struct stat st;
    char *buf = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? malloc(max + 1) : NULL;
    size_t n = 0;
    ssize_t got;
    while (buf && n < max && (got = read(fd, buf + n, max - n)) > 0)
        n += (size_t)got;
    close(fd);
    if (buf)
        buf[n] = '\0';
    return buf;
}

int record_mark_incomplete(struct record *r)
{
    if (r->dirfd < 0)
        return -EBADF;
    char *json = slurp_at(r->dirfd, "summary.json", 1 << 20);
    const char *mark = "\"in progress\"";
    char *at = json ? strstr(json, mark) : NULL;
    int rc = 0;
    if (at) {
        /* "incomplete"  : the same 13 bytes (JSON allows the space), written
         * over the old ones, so a full disk has room for them */
        int fd = openat(r->dirfd, "summary.json", O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 || pwrite(fd, "\"incomplete\" ", 13, at - json) != 13 || fsync(fd) < 0)
            rc = -errno;
        if (fd >= 0)
            close(fd);
    }
    free(json);
    return rc;
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
    close_fds(r);
    return r->error ? -r->error : 0;
}

static int write_atomic(int dirfd, const char *json)
{
    struct record r;
    memset(&r, 0, sizeof r);
    r.dirfd = dirfd;
    r.lockfd = -1;
    return record_summary(&r, json);
}

/* A session folder's fd when it is a real folder (not a symlink) and no
 * live session holds its lock; *lockfd then holds the lock for the caller. */
static int open_dead_session(int storagefd, const char *name, int *lockfd)
{
    *lockfd = -1;
    int fd = openat(storagefd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int lk = openat(fd, RECORD_LOCK, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (lk >= 0 && flock(lk, LOCK_EX | LOCK_NB) < 0) {
        close(lk); /* live: another station is recording it */
        close(fd);
        return -1;
    }
    if (lk < 0 && errno != ENOENT) { /* a lock we cannot take: leave it be */
        close(fd);
        return -1;
    }
    struct stat st;
    if (lk < 0 && fstat(fd, &st) == 0 && st.st_mtime > time(NULL) - 10) {
        close(fd); /* no lock yet, and new: a session being made this moment */
        return -1;
    }
    *lockfd = lk;
    return fd;
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
        int lockfd, dir = open_dead_session(dirfd(d), de->d_name, &lockfd);
        if (dir < 0)
            continue;
        char *json = slurp_at(dir, "summary.json", 1 << 20);
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
        close(dir);
        if (lockfd >= 0)
            close(lockfd);
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
        int dir = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        char *json = dir < 0 ? NULL : slurp_at(dir, "summary.json", 1 << 20);
        if (dir >= 0)
            close(dir);
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
