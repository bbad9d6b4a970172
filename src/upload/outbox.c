/* SPDX-License-Identifier: GPL-3.0-or-later */
/* outbox: which sessions still go to the clinic, their marks, and the
 * message each one is sent as. */
#include "outbox.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../history/history.h"

/* A session still being recorded holds the flock of its .lock. */
static bool locked(int dirfd)
{
    int fd = openat(dirfd, ".lock", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool busy = flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK;
    close(fd);
    return busy;
}

/* What the outbox does with a folder. */
enum outbox_fate { FATE_SKIP, FATE_SEND, FATE_STAYS };

static enum outbox_fate fate(const char *storage, int sfd, const char *name)
{
    time_t when;
    if (!history_folder_time(name, &when))
        return FATE_SKIP;
    int dfd = openat(sfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0)
        return FATE_SKIP;
    bool stored = faccessat(dfd, OUTBOX_STORED, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
    bool busy = !stored && locked(dfd);
    close(dfd);
    if (stored || busy)
        return FATE_SKIP;
    struct hist_session s;
    char err[300];
    if (history_read(storage, name, &s, err, sizeof err) < 0)
        return FATE_SKIP;
    bool finished = strcmp(s.status, "complete") == 0 || strcmp(s.status, "partial") == 0 ||
                    strcmp(s.status, "incomplete") == 0;
    if (!finished)
        return FATE_SKIP;
    return strcmp(s.mode, "live") == 0 ? FATE_SEND : FATE_STAYS;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(a, b);
}

int outbox_scan(const char *storage, char (**out)[OUTBOX_NAME_MAX], int *stays, char *err,
                size_t errlen)
{
    *out = NULL;
    int kept = 0;
    int sfd = open(storage, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = sfd < 0 ? NULL : fdopendir(sfd);
    if (!d) {
        snprintf(err, errlen, "%s: %s", storage, strerror(errno));
        if (sfd >= 0)
            close(sfd);
        return -1;
    }
    char(*names)[OUTBOX_NAME_MAX] = NULL;
    int n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (strlen(de->d_name) >= OUTBOX_NAME_MAX)
            continue;
        enum outbox_fate f = fate(storage, sfd, de->d_name);
        kept += f == FATE_STAYS;
        if (f != FATE_SEND)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            void *more = realloc(names, (size_t)cap * sizeof *names);
            if (!more) {
                free(names);
                closedir(d);
                snprintf(err, errlen, "out of memory");
                return -1;
            }
            names = more;
        }
        snprintf(names[n++], OUTBOX_NAME_MAX, "%s", de->d_name);
    }
    closedir(d);
    if (n > 1)
        qsort(names, (size_t)n, sizeof *names, by_name);
    *out = names;
    if (stays)
        *stays = kept;
    return n;
}

/* ".sent.1234": a mark's temporary name, and the process writing it */
static bool temp_mark(const char *name, long *pid)
{
    static const char *const marks[] = {OUTBOX_SENT ".", OUTBOX_STORED "."};
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        size_t n = strlen(marks[i]);
        char *end;
        if (strncmp(name, marks[i], n) == 0 && name[n] >= '0' && name[n] <= '9') {
            *pid = strtol(name + n, &end, 10);
            return !*end;
        }
    }
    return false;
}

/* The temporary marks in one folder whose writer is gone. */
static int clean_folder(int sfd, const char *folder)
{
    int dfd = openat(sfd, folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *d = dfd < 0 ? NULL : fdopendir(dfd);
    if (!d) {
        if (dfd >= 0)
            close(dfd);
        return 0;
    }
    int removed = 0;
    struct dirent *de;
    long pid;
    while ((de = readdir(d)))
        if (temp_mark(de->d_name, &pid) &&
            (pid <= 0 || pid > INT_MAX || (kill((pid_t)pid, 0) < 0 && errno == ESRCH)) &&
            unlinkat(dfd, de->d_name, 0) == 0)
            removed++;
    closedir(d);
    return removed;
}

int outbox_clean(const char *storage)
{
    int sfd = open(storage, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = sfd < 0 ? NULL : fdopendir(sfd);
    if (!d) {
        if (sfd >= 0)
            close(sfd);
        return -1;
    }
    int removed = 0;
    struct dirent *de;
    time_t when;
    while ((de = readdir(d)))
        if (history_folder_time(de->d_name, &when))
            removed += clean_folder(sfd, de->d_name);
    closedir(d);
    return removed;
}

int outbox_mark(const char *storage, const char *folder, const char *mark, char *err,
                size_t errlen)
{
    char path[1024], tmp[32];
    snprintf(path, sizeof path, "%s/%s", storage, folder);
    snprintf(tmp, sizeof tmp, "%s.%d", mark, (int)getpid());
    int dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    /* written whole under a temporary name, then renamed: a crash leaves
     * the mark or nothing; rename replaces a symlink, never follows it */
    unlinkat(dfd, tmp, 0);
    int fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    int rc = -1;
    if (fd >= 0) {
        char when[32];
        time_t now = time(NULL);
        struct tm tm;
        size_t n = strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ\n", gmtime_r(&now, &tm));
        bool ok = write(fd, when, n) == (ssize_t)n && fsync(fd) == 0;
        ok = close(fd) == 0 && ok;
        if (ok && renameat(dfd, tmp, dfd, mark) == 0 && fsync(dfd) == 0)
            rc = 0;
    }
    if (rc < 0) {
        snprintf(err, errlen, "%s/%s: %s", path, mark, strerror(errno));
        unlinkat(dfd, tmp, 0);
    }
    close(dfd);
    return rc;
}

/* The whole of a file of the folder (never through a symlink), or NULL. */
static char *read_all(int dfd, const char *name, size_t *len)
{
    /* O_NONBLOCK: a FIFO put there must not hang the uploader before the
     * S_ISREG check refuses it */
    int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    char *buf = malloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (buf && got < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    if (buf)
        buf[got] = '\0';
    if (len)
        *len = got;
    return buf;
}

/* events.jsonl as an array: one object a line (a torn last line of a
 * session that crashed is left out). */
static cJSON *events_array(char *text)
{
    cJSON *arr = cJSON_CreateArray();
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        cJSON *ev = cJSON_Parse(line);
        if (cJSON_IsObject(ev))
            cJSON_AddItemToArray(arr, ev);
        else
            cJSON_Delete(ev);
    }
    return arr;
}

char *outbox_message(const char *storage, const char *folder, const char *id, bool trace,
                     size_t *len, char *err, size_t errlen)
{
    char path[1024], sid[128];
    snprintf(path, sizeof path, "%s/%s", storage, folder);
    snprintf(sid, sizeof sid, "%s/%s", id, folder);
    int dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    char *summary = read_all(dfd, "summary.json", NULL);
    char *events = read_all(dfd, "events.jsonl", NULL);
    char *csv = trace ? read_all(dfd, "trace.csv", NULL) : NULL;
    close(dfd);
    cJSON *root = cJSON_CreateObject();
    cJSON *sum = summary ? cJSON_Parse(summary) : NULL;
    char *text = NULL;
    if (!cJSON_IsObject(sum)) {
        snprintf(err, errlen, "%s/summary.json: %s", path,
                 summary ? "not a JSON object" : "cannot be read");
        cJSON_Delete(sum);
    } else {
        cJSON_AddNumberToObject(root, "v", 1);
        cJSON_AddStringToObject(root, "session_id", sid);
        cJSON_AddStringToObject(root, "station_id", id);
        cJSON_AddStringToObject(root, "folder", folder);
        cJSON_AddItemToObject(root, "summary", sum);
        cJSON_AddItemToObject(root, "events", events ? events_array(events) : cJSON_CreateArray());
        if (csv)
            cJSON_AddStringToObject(root, "trace_csv", csv);
        text = cJSON_PrintUnformatted(root);
        if (!text)
            snprintf(err, errlen, "%s: out of memory", path);
    }
    cJSON_Delete(root);
    free(summary);
    free(events);
    free(csv);
    if (text)
        *len = strlen(text);
    return text;
}
