/* SPDX-License-Identifier: GPL-3.0-or-later */
/* history: stored sessions read back (summary.json), listed by person and
 * date. */
#include "history.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "version.h"
#include "../util/dirs.h"

#define SUMMARY_MAX (1 << 20)
#define WEEK_S (7 * 24 * 3600)

bool history_folder_time(const char *name, time_t *when)
{
    /* YYYYmmdd-HHMMSS, then nothing or -N */
    for (int i = 0; i < 15; i++) {
        if (i == 8 ? name[i] != '-' : (name[i] < '0' || name[i] > '9'))
            return false;
    }
    if (name[15] == '-') {
        if (!name[16])
            return false;
        for (const char *p = name + 16; *p; p++)
            if (*p < '0' || *p > '9')
                return false;
    } else if (name[15]) {
        return false;
    }
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = strptime(name, "%Y%m%d-%H%M%S", &tm);
    if (!end || (*end && *end != '-'))
        return false;
    tm.tm_isdst = -1;
    *when = mktime(&tm);
    return *when != (time_t)-1;
}

int history_parse_date(const char *s, time_t *out)
{
    int y, m, d, n = 0;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
        s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -1;
    if (y < 2000 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    tm.tm_hour = 0;
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    if (t == (time_t)-1 || tm.tm_mday != d || tm.tm_mon != m - 1) /* 2026-02-30 */
        return -1;
    *out = t;
    return 0;
}

/* ---- summary.json ---- */

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || fabs(v->valuedouble) > 1e9)
        return NAN;
    return v->valuedouble;
}

static int inum(const cJSON *o, const char *key)
{
    double v = num(o, key);
    return isnan(v) || v < 0 || v > 1e6 ? -1 : (int)v;
}

static bool flag(const cJSON *o, const char *key)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* Copies a string field; only printable text (control characters become
 * '?'), so nothing odd reaches a report or a CSV. */
static void str(const cJSON *o, const char *key, char *out, size_t len)
{
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
    out[0] = '\0';
    if (!v)
        return;
    size_t n = 0;
    for (; v[n] && n + 1 < len; n++)
        out[n] = (unsigned char)v[n] < 0x20 || v[n] == 0x7f ? '?' : v[n];
    out[n] = '\0';
    /* never end inside a UTF-8 character */
    while (n > 0 && ((unsigned char)out[n - 1] & 0xc0) == 0x80)
        n--;
    if (n > 0 && (unsigned char)out[n - 1] >= 0xc0 && v[n] != '\0')
        out[n - 1] = '\0';
}

static void read_step(const cJSON *j, struct hist_step *st)
{
    memset(st, 0, sizeof *st);
    st->step = inum(j, "step");
    str(j, "exercise", st->exercise, sizeof st->exercise);
    str(j, "name", st->name, sizeof st->name);
    str(j, "side", st->side, sizeof st->side);
    str(j, "kind", st->kind, sizeof st->kind);
    str(j, "done_of_target", st->done_of_target, sizeof st->done_of_target);
    st->target_s = num(j, "target_s");
    st->target_reps = inum(j, "target_reps");
    st->started = flag(j, "started");
    st->done = flag(j, "done");
    st->skipped = flag(j, "skipped");
    st->partial = flag(j, "partial");
    st->timed_out = flag(j, "timed_out");
    st->moved_on = flag(j, "moved_on");
    st->over_limit = flag(j, "over_weekly_limit");
    st->left_out_limit = flag(j, "left_out_weekly_limit");
    st->reps_done = inum(j, "reps_done");
    st->posture_refused = inum(j, "posture_refused");
    st->active_s = num(j, "active_s");
    st->rocking_s = num(j, "rocking_s");
    st->rate_hz = num(j, "rate_hz");
    st->rhythm_cv = num(j, "rhythm_cv");
    st->swing_deg = num(j, "swing_deg");
    st->cycles = inum(j, "cycles");
    const cJSON *holds = cJSON_GetObjectItemCaseSensitive(j, "holds_s");
    if (!holds)
        holds = cJSON_GetObjectItemCaseSensitive(j, "rounds_s");
    const cJSON *h, *hl = cJSON_IsArray(holds) ? holds : NULL;
    cJSON_ArrayForEach(h, hl)
    {
        if (st->nholds < HIST_MAX_HOLDS && cJSON_IsNumber(h) && isfinite(h->valuedouble) &&
            h->valuedouble >= 0 && h->valuedouble < 1e7)
            st->holds[st->nholds++] = h->valuedouble;
    }
    const cJSON *sets = cJSON_GetObjectItemCaseSensitive(j, "sets"), *s;
    const cJSON *sl = cJSON_IsArray(sets) ? sets : NULL;
    cJSON_ArrayForEach(s, sl)
    {
        if (st->nsets == HIST_MAX_SETS || !cJSON_IsObject(s))
            continue;
        struct hist_set *e = &st->sets[st->nsets++];
        e->start_s = num(s, "start_s");
        e->seconds = num(s, "seconds");
        e->rate_hz = num(s, "rate_hz");
        e->rhythm_cv = num(s, "rhythm_cv");
        e->swing_deg = num(s, "swing_deg");
        e->cycles = inum(s, "cycles");
        str(s, "rate", e->rate, sizeof e->rate);
        str(s, "rhythm", e->rhythm, sizeof e->rhythm);
        str(s, "effort", e->effort, sizeof e->effort);
    }
}

int history_parse(const char *json, const char *folder, time_t when, struct hist_session *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->folder, sizeof out->folder, "%s", folder);
    out->when = when;
    out->stage = -1;
    out->duration_s = NAN;
    cJSON *root = cJSON_Parse(json);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return -1;
    }
    str(root, "status", out->status, sizeof out->status);
    str(root, "mode", out->mode, sizeof out->mode);
    if (!out->mode[0] && !cJSON_GetObjectItemCaseSensitive(root, "mode"))
        snprintf(out->mode, sizeof out->mode, "live"); /* records from before "mode" */
    str(root, "person", out->person, sizeof out->person);
    str(root, "person_key", out->person_key, sizeof out->person_key);
    str(root, "station", out->station, sizeof out->station);
    str(root, "software", out->software, sizeof out->software);
    out->stage = inum(root, "stage");
    out->rate_min_hz = out->rate_max_hz = NAN;
    const cJSON *band = cJSON_GetObjectItemCaseSensitive(root, "rate_band_hz");
    if (cJSON_GetArraySize(band) == 2 && cJSON_IsNumber(cJSON_GetArrayItem(band, 0)) &&
        cJSON_IsNumber(cJSON_GetArrayItem(band, 1))) {
        double lo = cJSON_GetArrayItem(band, 0)->valuedouble;
        double hi = cJSON_GetArrayItem(band, 1)->valuedouble;
        if (lo > 0 && lo < hi && hi < 100) {
            out->rate_min_hz = lo;
            out->rate_max_hz = hi;
        }
    }
    out->rhythm_cv_max = num(root, "rhythm_cv_max");
    double a = num(root, "started_s"), b = num(root, "ended_s");
    out->duration_s = b >= a ? b - a : NAN;
    out->early_stop = flag(root, "early_stop");
    out->advanced_done = flag(root, "advanced_stretch_done");
    out->advanced_over_limit = flag(root, "advanced_over_limit");
    out->exercises_done = inum(root, "exercises_done");
    out->exercises_total = inum(root, "exercises_total");
    const cJSON *steps = cJSON_GetObjectItemCaseSensitive(root, "steps"), *st;
    const cJSON *stl = cJSON_IsArray(steps) ? steps : NULL;
    cJSON_ArrayForEach(st, stl)
    {
        if (out->nsteps < HIST_MAX_STEPS && cJSON_IsObject(st))
            read_step(st, &out->steps[out->nsteps++]);
    }
    cJSON_Delete(root);
    return 0;
}

static char *slurp_at(int dirfd, const char *name, int *err)
{
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        *err = errno;
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        *err = EINVAL;
        return NULL;
    }
    char *buf = malloc(SUMMARY_MAX + 1);
    size_t n = 0;
    ssize_t got;
    while (buf && n < SUMMARY_MAX && (got = read(fd, buf + n, SUMMARY_MAX - n)) > 0)
        n += (size_t)got;
    close(fd);
    if (buf)
        buf[n] = '\0';
    else
        *err = ENOMEM;
    return buf;
}

static int read_at(int storefd, const char *folder, time_t when, struct hist_session *out,
                   char *err, size_t errlen)
{
    int dir = openat(storefd, folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int e = errno;
    char *json = NULL;
    if (dir >= 0) {
        json = slurp_at(dir, "summary.json", &e);
        close(dir);
    }
    if (!json) {
        snprintf(err, errlen, "%s/summary.json: %s", folder,
                 e == ELOOP || e == ENOTDIR ? "a symbolic link or not a folder: not read"
                 : e == EINVAL ? "not a regular file" : strerror(e));
        return -1;
    }
    int rc = history_parse(json, folder, when, out);
    free(json);
    if (rc < 0)
        snprintf(err, errlen, "%s/summary.json: not a JSON object", folder);
    return rc;
}

int history_read(const char *storage, const char *folder, struct hist_session *out,
                 char *err, size_t errlen)
{
    time_t when = 0;
    if (!history_folder_time(folder, &when)) {
        snprintf(err, errlen, "%s: not a session folder name (YYYYmmdd-HHMMSS)", folder);
        return -1;
    }
    int fd = open(storage, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", storage, strerror(errno));
        return -1;
    }
    int rc = read_at(fd, folder, when, out, err, errlen);
    close(fd);
    return rc;
}

static bool passes(const struct hist_session *s, const struct history_filter *f)
{
    if (f->from && s->when < f->from)
        return false;
    if (f->to && s->when >= f->to)
        return false;
    if (!f->all_modes && strcmp(s->mode, "live") != 0)
        return false;
    if (f->person_key && strcmp(f->person_key, s->person_key) != 0)
        return false;
    return true;
}

static int by_time(const void *a, const void *b)
{
    const struct hist_session *x = a, *y = b;
    if (x->when != y->when)
        return x->when < y->when ? -1 : 1;
    return strcmp(x->folder, y->folder);
}

int history_list(const char *storage, const struct history_filter *f,
                 struct hist_session **out, char *err, size_t errlen)
{
    *out = NULL;
    DIR *d = opendir(storage);
    if (!d) {
        snprintf(err, errlen, "%s: %s", storage, strerror(errno));
        return -1;
    }
    int n = 0, cap = 0;
    struct hist_session *v = NULL, one;
    struct dirent *de;
    char e[300];
    while ((de = readdir(d))) {
        time_t when;
        if (!history_folder_time(de->d_name, &when))
            continue;
        if ((f->from && when < f->from) || (f->to && when >= f->to))
            continue; /* not even read */
        if (read_at(dirfd(d), de->d_name, when, &one, e, sizeof e) < 0 || !passes(&one, f))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            struct hist_session *nv = realloc(v, (size_t)cap * sizeof *v);
            if (!nv) {
                free(v);
                closedir(d);
                snprintf(err, errlen, "out of memory");
                return -1;
            }
            v = nv;
        }
        v[n++] = one;
    }
    closedir(d);
    if (n > 1)
        qsort(v, (size_t)n, sizeof *v, by_time);
    *out = v;
    return n;
}

int history_count_advanced(const char *storage, const char *person_key, time_t now)
{
    struct history_filter f = {person_key, now - WEEK_S, now + 1, false};
    struct hist_session *v;
    char err[300];
    int n = history_list(storage, &f, &v, err, sizeof err), c = 0;
    for (int i = 0; i < n; i++)
        c += v[i].advanced_done;
    free(v);
    return c;
}

static time_t local_midnight(time_t t, int add_days)
{
    struct tm tm;
    localtime_r(&t, &tm);
    tm.tm_mday += add_days;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    return mktime(&tm);
}

time_t history_week_start(time_t t)
{
    struct tm tm;
    localtime_r(&t, &tm);
    return local_midnight(t, -((tm.tm_wday + 6) % 7));
}

double history_longest_hold(const struct hist_session *s, const char *exercise)
{
    double m = NAN;
    for (int i = 0; i < s->nsteps; i++)
        if (strcmp(s->steps[i].exercise, exercise) == 0)
            for (int k = 0; k < s->steps[i].nholds; k++)
                if (isnan(m) || s->steps[i].holds[k] > m)
                    m = s->steps[i].holds[k];
    return m;
}

int history_weeks(const char *storage, const char *person_key, time_t now,
                  struct history_weeks *out)
{
    memset(out, 0, sizeof *out);
    time_t monday = history_week_start(now);
    for (int w = 0; w < HISTORY_WEEKS; w++)
        out->week[w].start = local_midnight(monday, -7 * (HISTORY_WEEKS - 1 - w));
    struct history_filter f = {person_key, local_midnight(now, -400), now + 1, false};
    struct hist_session *v;
    char err[300];
    int n = history_list(storage, &f, &v, err, sizeof err);
    if (n < 0)
        return -1;
    /* per week: rate x cycles, rhythm x cycles, cycles, child pose s, child
     * poses; BackBlock s, BackBlocks */
    double sums[HISTORY_WEEKS][5] = {{0}}, bb[HISTORY_WEEKS][2] = {{0}};
    for (int i = 0; i < n; i++) {
        const struct hist_session *s = &v[i];
        if (s->when >= monday)
            out->this_week++;
        int w = HISTORY_WEEKS - 1;
        while (w >= 0 && s->when < out->week[w].start)
            w--;
        if (w < 0)
            continue;
        out->week[w].sessions++;
        for (int k = 0; k < s->nsteps; k++)
            for (int e = 0; e < s->steps[k].nsets; e++) {
                const struct hist_set *set = &s->steps[k].sets[e];
                if (isnan(set->rate_hz) || set->cycles <= 0)
                    continue;
                sums[w][0] += set->rate_hz * set->cycles;
                sums[w][1] += (isnan(set->rhythm_cv) ? 0 : set->rhythm_cv) * set->cycles;
                sums[w][2] += set->cycles;
            }
        double cp = history_longest_hold(s, "child_pose"), b = history_longest_hold(s, "backblock");
        if (!isnan(cp)) {
            sums[w][3] += cp;
            sums[w][4]++;
        }
        if (!isnan(b)) {
            bb[w][0] += b;
            bb[w][1]++;
        }
    }
    for (int w = 0; w < HISTORY_WEEKS; w++) {
        out->week[w].rate_hz = sums[w][2] > 0 ? sums[w][0] / sums[w][2] : NAN;
        out->week[w].rhythm_cv = sums[w][2] > 0 ? sums[w][1] / sums[w][2] : NAN;
        out->week[w].child_pose_s = sums[w][4] > 0 ? sums[w][3] / sums[w][4] : NAN;
        out->week[w].backblock_s = bb[w][1] > 0 ? bb[w][0] / bb[w][1] : NAN;
    }
    /* the streak: days in a row, back from today (or from yesterday) */
    time_t day = local_midnight(now, 0);
    bool any_today = false;
    for (int i = 0; i < n; i++)
        any_today = any_today || v[i].when >= day;
    if (!any_today)
        day = local_midnight(now, -1);
    for (int back = 0; back < 400; back++) {
        time_t d0 = local_midnight(day, -back), d1 = local_midnight(day, -back + 1);
        bool had = false;
        for (int i = 0; i < n && !had; i++)
            had = v[i].when >= d0 && v[i].when < d1;
        if (!had)
            break;
        out->streak_days++;
    }
    free(v);
    return 0;
}

/* out made (with the folders above it) when make asks; -1 with err if not */
static int storage_made(const char *out, bool make, char *err, size_t errlen)
{
    int rc = make ? dirs_make(out) : 0;
    if (rc < 0) {
        snprintf(err, errlen, "%s: cannot create the storage directory: %s", out, strerror(-rc));
        return -1;
    }
    return 0;
}

int history_storage(const char *given, const char *configured, bool named, bool make,
                    char *out, size_t len, char *err, size_t errlen)
{
    if (given || named) {
        snprintf(out, len, "%s", given ? given : configured);
        return storage_made(out, make, err, errlen);
    }
    snprintf(out, len, "%s", configured);
    if (access(configured, W_OK) == 0 || (make && dirs_make(configured) == 0))
        return 0;
    /* what the station does when the default is not its to write */
    const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(out, len, "%s/station", xdg);
    else if (home && *home)
        snprintf(out, len, "%s/.local/state/station", home);
    else
        return storage_made(out, make, err, errlen);
    return storage_made(out, make, err, errlen) < 0 ? -1 : 1;
}

const char *history_software(void)
{
    return "station " STATION_VERSION " (" STATION_GIT ")";
}
