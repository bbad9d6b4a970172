/* SPDX-License-Identifier: GPL-3.0-or-later */
/* people: people, programs and the session index in SQLite. */
#include "people.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../motion/motion.h"
#include "../util/json.h"

struct people {
    sqlite3 *db;
};

/* user_version 1: the first schema; 2: the clinic's programs applied (by
 * key, so a person removed here keeps hers). A later one adds its steps
 * below. */
static const char *const migrations[] = {
    "CREATE TABLE people ("
    "  id INTEGER PRIMARY KEY,"
    "  key TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    "  added TEXT NOT NULL);"
    "CREATE TABLE programs ("
    "  person INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    "  key TEXT NOT NULL,"
    "  base REAL NOT NULL,"
    "  per_week REAL NOT NULL DEFAULT 0,"
    "  cap REAL NOT NULL DEFAULT 0,"
    "  since INTEGER NOT NULL,"
    "  PRIMARY KEY (person, key));"
    "CREATE TABLE sessions ("
    "  folder TEXT PRIMARY KEY,"
    "  started INTEGER NOT NULL,"
    "  day TEXT NOT NULL,"
    "  mode TEXT NOT NULL,"
    "  status TEXT NOT NULL,"
    "  person_key TEXT NOT NULL DEFAULT '',"
    "  person_name TEXT NOT NULL DEFAULT '',"
    "  stage INTEGER,"
    "  exercises_done INTEGER,"
    "  exercises_total INTEGER,"
    "  early_stop INTEGER NOT NULL DEFAULT 0,"
    "  advanced_done INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX sessions_person ON sessions (person_key, started);",
    "CREATE TABLE clinic_applied ("
    "  person_key TEXT PRIMARY KEY,"
    "  updated INTEGER NOT NULL);",
};
#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

static void dberr(struct people *p, const char *what, char *err, size_t errlen)
{
    if (err)
        snprintf(err, errlen, "%s: %s", what, sqlite3_errmsg(p->db));
}

static int exec(struct people *p, const char *sql, char *err, size_t errlen)
{
    char *msg = NULL;
    if (sqlite3_exec(p->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        if (err)
            snprintf(err, errlen, "the station's index: %s", msg ? msg : "error");
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* Runs a statement that returns no rows, and finalizes it. */
static int step_done(struct people *db, sqlite3_stmt *st, char *err, size_t errlen)
{
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        dberr(db, "the station's index", err, errlen);
        return -1;
    }
    return 0;
}

static int migrate(struct people *p, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int ver = 0;
    if (sqlite3_prepare_v2(p->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            ver = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    if (ver > SCHEMA_VERSION) {
        snprintf(err, errlen, "the station's index is of a newer station (schema %d; this one "
                 "knows %d): run `station reindex` with the newer one, or remove %s",
                 ver, SCHEMA_VERSION, PEOPLE_DB);
        return -1;
    }
    for (; ver < SCHEMA_VERSION; ver++) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", ver + 1);
        if (exec(p, "BEGIN IMMEDIATE", err, errlen) < 0)
            return -1;
        if (exec(p, migrations[ver], err, errlen) < 0 || exec(p, sql, err, errlen) < 0) {
            exec(p, "ROLLBACK", NULL, 0);
            return -1;
        }
        if (exec(p, "COMMIT", err, errlen) < 0)
            return -1;
    }
    return 0;
}

int people_open(const char *storage, bool create, struct people **out, char *err, size_t errlen)
{
    *out = NULL;
    char path[700];
    snprintf(path, sizeof path, "%s/%s", storage, PEOPLE_DB);
    struct stat stt;
    if (lstat(path, &stt) == 0 && !S_ISREG(stt.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file (a symbolic link?): not opened", path);
        errno = EINVAL;
        return -1;
    }
    if (!create && access(path, F_OK) < 0) {
        snprintf(err, errlen, "%s: no index of people here yet (`station person add NAME` "
                 "makes one)", path);
        errno = ENOENT;
        return -1;
    }
    if (create && mkdir(storage, 0755) < 0 && errno != EEXIST) {
        snprintf(err, errlen, "%s: %s", storage, strerror(errno));
        return -1;
    }
    struct people *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOFOLLOW;
    if (sqlite3_open_v2(path, &p->db, flags, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", path, p->db ? sqlite3_errmsg(p->db) : "cannot open");
        sqlite3_close(p->db);
        free(p);
        return -1;
    }
    sqlite3_busy_timeout(p->db, 5000); /* the station and a clinician's command at once */
    if (exec(p, "PRAGMA foreign_keys = ON", err, errlen) < 0 || migrate(p, err, errlen) < 0) {
        char e[400];
        snprintf(e, sizeof e, "%s", err);
        snprintf(err, errlen, "%s: %s", path, e);
        sqlite3_close(p->db);
        free(p);
        return -1;
    }
    *out = p;
    return 0;
}

void people_close(struct people *p)
{
    if (!p)
        return;
    sqlite3_close(p->db);
    free(p);
}

/* ---- names ---- */

int people_check_name(const char *name, char *err, size_t errlen)
{
    static const char allowed[] = "1 to 40 characters: letters, digits, single spaces "
                                  "between words, - . ' _ (not first; a pseudonym is fine)";
    const unsigned char *s = (const unsigned char *)name;
    int chars = 0;
    const char *why = NULL;
    if (!*s)
        why = "is empty";
    else if (*s == ' ')
        why = "starts with a space";
    else if (*s == '-' || *s == '.' || *s == '\'' || *s == '_')
        why = "does not start with a letter or a digit"; /* a spreadsheet formula */
    for (; *s && !why; chars++) {
        if (*s >= 0x80) {
            int l = utf8_len(s);
            if (l == 0) {
                why = "is not UTF-8 text";
                break;
            }
            /* U+0080..U+00BF are controls and signs, not letters */
            if (l == 2 && s[0] == 0xc2) {
                why = "has a character that is not a letter";
                break;
            }
            s += l;
            continue;
        }
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
            *s == '-' || *s == '.' || *s == '\'' || *s == '_') {
            s++;
        } else if (*s == ' ') {
            if (s[1] == ' ' || s[1] == '\0')
                why = s[1] ? "has two spaces together" : "ends with a space";
            s++;
        } else {
            why = *s < 0x20 || *s == 0x7f ? "has a control character"
                                          : "has a character that is not allowed";
        }
    }
    if (!why && chars > PEOPLE_NAME_CHARS)
        why = "is longer than 40 characters";
    if (!why)
        return 0;
    char q[200];
    snprintf(err, errlen, "person name %s %s: use %s", json_quote(name, q, sizeof q), why, allowed);
    return -1;
}

/* ---- people ---- */

static void day_of(time_t t, char *out, size_t len)
{
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, len, "%Y-%m-%d", &tm);
}

static void new_key(char out[HIST_KEY_LEN + 1])
{
    unsigned char r[HIST_KEY_LEN / 2];
    size_t got = 0;
    while (got < sizeof r) {
        ssize_t n = getrandom(r + got, sizeof r - got, 0);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    if (got < sizeof r) { /* no getrandom: time and pid are enough to tell people apart */
        unsigned long long x = (unsigned long long)time(NULL) * 2654435761ULL ^ (unsigned)getpid();
        memcpy(r, &x, sizeof r < sizeof x ? sizeof r : sizeof x);
    }
    for (size_t i = 0; i < sizeof r; i++)
        snprintf(out + 2 * i, 3, "%02x", r[i]);
}

static void row_person(sqlite3_stmt *st, struct person *p)
{
    memset(p, 0, sizeof *p);
    p->id = sqlite3_column_int64(st, 0);
    snprintf(p->key, sizeof p->key, "%s", (const char *)sqlite3_column_text(st, 1));
    snprintf(p->name, sizeof p->name, "%s", (const char *)sqlite3_column_text(st, 2));
    snprintf(p->added, sizeof p->added, "%s", (const char *)sqlite3_column_text(st, 3));
    p->sessions = sqlite3_column_int(st, 4);
    const unsigned char *last = sqlite3_column_text(st, 5);
    snprintf(p->last, sizeof p->last, "%s", last ? (const char *)last : "");
}

#define PERSON_COLS                                                                      \
    "SELECT p.id, p.key, p.name, p.added,"                                               \
    " (SELECT count(*) FROM sessions s WHERE s.person_key = p.key AND s.mode = 'live'),"  \
    " (SELECT max(day) FROM sessions s WHERE s.person_key = p.key AND s.mode = 'live')"   \
    " FROM people p "

static int find_by(struct people *db, const char *where, const char *arg, struct person *out)
{
    char sql[512];
    snprintf(sql, sizeof sql, PERSON_COLS "WHERE %s", where);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    if (rc == 0)
        row_person(st, out);
    sqlite3_finalize(st);
    return rc;
}

int people_find(struct people *db, const char *name, struct person *out)
{
    return find_by(db, "p.name = ?1", name, out);
}

int people_find_key(struct people *db, const char *key, struct person *out)
{
    return find_by(db, "p.key = ?1", key, out);
}

/* The refusal of a name taken: the person who has it, as she is spelled */
static void name_taken(struct people *db, const char *name, char *err, size_t errlen)
{
    struct person o;
    snprintf(err, errlen, "there is already a person called '%s' (names are told apart "
             "without case)", people_find(db, name, &o) == 0 ? o.name : name);
}

static int add_with_key(struct people *db, const char *name, const char *key, time_t now,
                        char *err, size_t errlen)
{
    char day[16];
    day_of(now, day, sizeof day);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->db, "INSERT INTO people (key, name, added) VALUES (?1, ?2, ?3)",
                           -1, &st, NULL) != SQLITE_OK) {
        dberr(db, "the station's index", err, errlen);
        return -1;
    }
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, day, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        if (rc == SQLITE_CONSTRAINT)
            name_taken(db, name, err, errlen);
        else
            dberr(db, "the station's index", err, errlen);
        return -1;
    }
    return 0;
}

int people_add(struct people *db, const char *name, time_t now, struct person *out,
               char *err, size_t errlen)
{
    if (people_check_name(name, err, errlen) < 0)
        return -1;
    char key[HIST_KEY_LEN + 1];
    new_key(key);
    if (add_with_key(db, name, key, now, err, errlen) < 0)
        return -1;
    return out ? people_find_key(db, key, out) : 0;
}

int people_add_key(struct people *db, const char *name, const char *key, time_t now,
                   struct person *out, char *err, size_t errlen)
{
    bool hex = strlen(key) == HIST_KEY_LEN;
    for (size_t i = 0; hex && i < HIST_KEY_LEN; i++)
        hex = (key[i] >= '0' && key[i] <= '9') || (key[i] >= 'a' && key[i] <= 'f');
    if (!hex) {
        snprintf(err, errlen, "'%s' is not a person's key (16 hex digits, 0-9 and a-f)", key);
        return -1;
    }
    if (people_check_name(name, err, errlen) < 0 || add_with_key(db, name, key, now, err, errlen) < 0)
        return -1;
    return out ? people_find_key(db, key, out) : 0;
}

int people_list(struct people *db, struct person *out, int max)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->db, PERSON_COLS "ORDER BY p.name COLLATE NOCASE, p.id", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    int n = 0;
    while (n < max && sqlite3_step(st) == SQLITE_ROW)
        row_person(st, &out[n++]);
    sqlite3_finalize(st);
    return n;
}

int people_rename(struct people *db, const char *old, const char *name, char *err, size_t errlen)
{
    struct person p;
    if (people_find(db, old, &p) < 0) {
        snprintf(err, errlen, "no person called '%s' on this station (`station person list` "
                 "names them)", old);
        return -1;
    }
    if (people_check_name(name, err, errlen) < 0)
        return -1;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->db, "UPDATE people SET name = ?1 WHERE id = ?2", -1, &st,
                           NULL) != SQLITE_OK) {
        dberr(db, "the station's index", err, errlen);
        return -1;
    }
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, p.id);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        if (rc == SQLITE_CONSTRAINT)
            name_taken(db, name, err, errlen);
        else
            dberr(db, "the station's index", err, errlen);
        return -1;
    }
    return 0;
}

int people_remove(struct people *db, const char *name, char *err, size_t errlen)
{
    struct person p;
    if (people_find(db, name, &p) < 0) {
        snprintf(err, errlen, "no person called '%s' on this station (`station person list` "
                 "names them)", name);
        return -1;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->db, "DELETE FROM people WHERE id = ?1", -1, &st, NULL) !=
        SQLITE_OK) {
        dberr(db, "the station's index", err, errlen);
        return -1;
    }
    sqlite3_bind_int64(st, 1, p.id);
    return step_done(db, st, err, errlen);
}

/* ---- the clinic's programs applied ---- */

time_t people_clinic_applied(struct people *db, const char *key)
{
    sqlite3_stmt *st;
    time_t t = 0;
    if (sqlite3_prepare_v2(db->db, "SELECT updated FROM clinic_applied WHERE person_key = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW)
        t = (time_t)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return t;
}

int people_clinic_mark(struct people *db, const char *key, time_t updated, char *err,
                       size_t errlen)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->db, "INSERT INTO clinic_applied (person_key, updated) "
                           "VALUES (?1, ?2) ON CONFLICT (person_key) DO UPDATE "
                           "SET updated = excluded.updated", -1, &st, NULL) != SQLITE_OK) {
        dberr(db, "the station's index", err, errlen);
        return -1;
    }
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)updated);
    return step_done(db, st, err, errlen);
}

/* ---- programs ---- */

static const struct {
    const char *name;
    double min, max;
    bool whole, grows;
    const char *help;
} keys[PK_COUNT] = {
    [PK_STAGE] = {"stage", 1, 2, true, false, "1 (exercises 1-4) or 2 (exercises 5-7)"},
    [PK_RATE_MIN] = {"rate_min_hz", 0.3, 3, false, false, "0.3..3 cycles a second"},
    [PK_RATE_MAX] = {"rate_max_hz", 0.3, 3, false, false, "0.3..3 cycles a second"},
    [PK_ROCKING_S] = {"rocking_s", 10, 1800, false, true, "10..1800 seconds of knees rocking"},
    [PK_CHILD_POSE_S] = {"child_pose_s", 10, 1800, false, true, "10..1800 seconds"},
    [PK_STRETCH_S] = {"stretch_s", 1, 600, false, true,
                      "1..600 seconds a table or nerve-root stretch hold"},
    [PK_STRETCH_REPS] = {"stretch_reps", 1, 20, true, false, "1..20 nerve-root holds a leg"},
    [PK_TABLE_REPS] = {"table_reps", 1, 20, true, false, "1..20 table stretch holds"},
    [PK_BOUNCE_S] = {"bounce_s", 5, 600, false, true, "5..600 seconds a micro-bounce round"},
    [PK_BOUNCE_REPS] = {"bounce_reps", 1, 5, true, false, "1..5 micro-bounce rounds"},
    [PK_BACKBLOCK_S] = {"backblock_s", 30, 3600, false, true, "30..3600 seconds on the block"},
    [PK_ADVANCED_PER_WEEK] = {"advanced_per_week", 1, 7, true, false,
                              "1..7 advanced stretch sessions a week"},
};

const char *program_key_name(enum program_key k)
{
    return k < PK_COUNT ? keys[k].name : "?";
}

const char *program_key_help(enum program_key k)
{
    return k < PK_COUNT ? keys[k].help : "?";
}

static int key_of(const char *name, size_t len)
{
    for (int k = 0; k < PK_COUNT; k++)
        if (strlen(keys[k].name) == len && strncmp(keys[k].name, name, len) == 0)
            return k;
    return -1;
}

/* a number with nothing after it, in [min, max] */
static int strict_num(const char *s, size_t len, double *out)
{
    char buf[40], *end;
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (buf[0] == '+' || buf[0] == '-' || buf[0] == ' ')
        return -1;
    errno = 0;
    double v = strtod(buf, &end);
    if (*end || errno || !(v == v) || v > 1e9)
        return -1;
    *out = v;
    return 0;
}

/* "'speed=3': no such key; the program's keys are stage, ..." */
static int no_key(const char *arg, const char *what, char *err, size_t errlen)
{
    char list[600];
    size_t u = 0;
    for (int i = 0; i < PK_COUNT; i++)
        u += (size_t)snprintf(list + u, sizeof list - u, "%s%s", i ? ", " : "", keys[i].name);
    snprintf(err, errlen, "'%.60s': %s; the program's keys are %s", arg, what, list);
    return -1;
}

int program_parse(const char *assign, time_t now, enum program_key *key,
                  struct program_item *item, char *err, size_t errlen)
{
    const char *eq = strchr(assign, '=');
    int k = eq ? key_of(assign, (size_t)(eq - assign)) : -1;
    if (k < 0)
        return no_key(assign, eq ? "no such key" : "not KEY=VALUE", err, errlen);
    const char *v = eq + 1, *plus = strchr(v, '+');
    memset(item, 0, sizeof *item);
    item->set = true;
    item->since = now;
    const char *bad = NULL;
    if (strict_num(v, plus ? (size_t)(plus - v) : strlen(v), &item->base) < 0)
        bad = "is not a number";
    else if (item->base < keys[k].min || item->base > keys[k].max)
        bad = "is out of range";
    else if (keys[k].whole && item->base != (double)(long)item->base)
        bad = "is not a whole number";
    if (!bad && plus) {
        if (!keys[k].grows) {
            bad = "cannot grow week by week (only the seconds keys can)";
        } else {
            const char *wk = strstr(plus, "/week");
            const char *dots = wk ? wk + 5 : NULL;
            if (!wk || strict_num(plus + 1, (size_t)(wk - plus - 1), &item->per_week) < 0 ||
                item->per_week <= 0 || item->per_week > keys[k].max ||
                (*dots && strncmp(dots, "..", 2) != 0))
                bad = "has a growth that is not +SECONDS/week";
            else if (*dots && (strict_num(dots + 2, strlen(dots + 2), &item->cap) < 0 ||
                               item->cap < item->base || item->cap > keys[k].max))
                bad = "has a ceiling that is not a number from its start to the key's maximum";
        }
    }
    if (bad) {
        snprintf(err, errlen, "%s=%.40s %s: allowed is %s%s", keys[k].name, v, bad, keys[k].help,
                 keys[k].grows ? ", growing as N+S/week or N+S/week..MAX (e.g. 180+30/week..600)"
                               : "");
        return -1;
    }
    if (item->per_week > 0 && item->cap == 0)
        item->cap = keys[k].max;
    *key = (enum program_key)k;
    return 0;
}

int program_assign(struct person_program *p, const char *arg, bool unset, time_t now,
                   char *err, size_t errlen)
{
    if (unset) { /* the key by its name: no value to parse, none to misread */
        int k = key_of(arg, strlen(arg));
        if (k < 0)
            return no_key(arg, "no such key", err, errlen);
        memset(&p->item[k], 0, sizeof p->item[k]);
        return 0;
    }
    enum program_key k;
    struct program_item it;
    if (program_parse(arg, now, &k, &it, err, errlen) < 0)
        return -1;
    p->item[k] = it;
    return 0;
}

double program_value(const struct program_item *it, time_t now)
{
    double v = it->base;
    if (it->per_week > 0 && now > it->since) {
        long weeks = (long)((now - it->since) / (7 * 24 * 3600));
        v += (double)weeks * it->per_week;
        if (v > it->cap)
            v = it->cap;
    }
    return v;
}

void program_apply(const struct person_program *p, time_t now, struct station_config *cfg)
{
    double v[PK_COUNT];
    for (int k = 0; k < PK_COUNT; k++)
        v[k] = p->item[k].set ? program_value(&p->item[k], now) : -1;
    if (v[PK_STAGE] > 0)
        cfg->session.stage = (int)v[PK_STAGE];
    double lo = v[PK_RATE_MIN] > 0 ? v[PK_RATE_MIN] : cfg->rocking.rate_min_hz;
    double hi = v[PK_RATE_MAX] > 0 ? v[PK_RATE_MAX] : cfg->rocking.rate_max_hz;
    if (lo < hi) { /* a band upside down is refused when set; never applied */
        cfg->rocking.rate_min_hz = lo;
        cfg->rocking.rate_max_hz = hi;
    }
    if (v[PK_ROCKING_S] > 0)
        cfg->rocking.set_s = v[PK_ROCKING_S];
    if (v[PK_CHILD_POSE_S] > 0)
        cfg->holds.child_pose_s = v[PK_CHILD_POSE_S];
    if (v[PK_STRETCH_S] > 0)
        cfg->holds.stretch_s = v[PK_STRETCH_S];
    if (v[PK_STRETCH_REPS] > 0)
        cfg->holds.stretch_reps = (int)v[PK_STRETCH_REPS];
    if (v[PK_TABLE_REPS] > 0)
        cfg->holds.table_reps = (int)v[PK_TABLE_REPS];
    if (v[PK_BOUNCE_S] > 0)
        cfg->holds.bounce_s = v[PK_BOUNCE_S];
    if (v[PK_BOUNCE_REPS] > 0)
        cfg->holds.bounce_reps = (int)v[PK_BOUNCE_REPS];
    if (v[PK_BACKBLOCK_S] > 0)
        cfg->holds.backblock_s = v[PK_BACKBLOCK_S];
    if (v[PK_ADVANCED_PER_WEEK] > 0)
        cfg->session.advanced_per_week = (int)v[PK_ADVANCED_PER_WEEK];
}

void program_describe(const struct person_program *p, time_t now, char *buf, size_t len)
{
    size_t u = 0;
    buf[0] = '\0';
    for (int k = 0; k < PK_COUNT && u < len; k++) {
        const struct program_item *it = &p->item[k];
        if (!it->set)
            continue;
        u += (size_t)snprintf(buf + u, len - u, "%s%s=%g", u ? " " : "", keys[k].name, it->base);
        if (u < len && it->per_week > 0) {
            char since[16];
            day_of(it->since, since, sizeof since);
            u += (size_t)snprintf(buf + u, len - u, "+%g/week..%g (from %s; now %g)",
                                  it->per_week, it->cap, since, program_value(it, now));
        }
    }
}

int people_program_get(struct people *db, long long id, struct person_program *p)
{
    memset(p, 0, sizeof *p);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->db, "SELECT key, base, per_week, cap, since FROM programs "
                           "WHERE person = ?1", -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        int i = k ? key_of(k, strlen(k)) : -1;
        if (i < 0)
            continue; /* a key of a newer station: ignored */
        struct program_item *it = &p->item[i];
        it->set = true;
        it->base = sqlite3_column_double(st, 1);
        it->per_week = sqlite3_column_double(st, 2);
        it->cap = sqlite3_column_double(st, 3);
        it->since = (time_t)sqlite3_column_int64(st, 4);
    }
    sqlite3_finalize(st);
    return 0;
}

/* The rocking band a program gives with the configuration: its low end
 * must be below its top. */
static int band_ok(const struct person_program *p, const struct station_config *cfg, char *err,
                   size_t errlen)
{
    double lo = p->item[PK_RATE_MIN].set ? p->item[PK_RATE_MIN].base : cfg->rocking.rate_min_hz;
    double hi = p->item[PK_RATE_MAX].set ? p->item[PK_RATE_MAX].base : cfg->rocking.rate_max_hz;
    if (!(lo < hi)) {
        snprintf(err, errlen, "the rocking band would be %g..%g cycles a second: "
                 "rate_min_hz must be below rate_max_hz", lo, hi);
        return -1;
    }
    return 0;
}

static int store_item(struct people *db, long long id, enum program_key key,
                      const struct program_item *item, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->db, "INSERT OR REPLACE INTO programs (person, key, base, "
                           "per_week, cap, since) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", -1, &st,
                           NULL) != SQLITE_OK) {
        dberr(db, "the station's index", err, errlen);
        return -1;
    }
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, keys[key].name, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 3, item->base);
    sqlite3_bind_double(st, 4, item->per_week);
    sqlite3_bind_double(st, 5, item->cap);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)item->since);
    return step_done(db, st, err, errlen);
}

int people_program_set(struct people *db, long long id, enum program_key key,
                       const struct program_item *item, const struct station_config *cfg,
                       char *err, size_t errlen)
{
    struct person_program p;
    people_program_get(db, id, &p);
    p.item[key] = *item;
    if (band_ok(&p, cfg, err, errlen) < 0)
        return -1;
    return store_item(db, id, key, item, err, errlen);
}

int people_program_replace(struct people *db, long long id, const struct person_program *p,
                           const struct station_config *cfg, char *err, size_t errlen)
{
    if (band_ok(p, cfg, err, errlen) < 0 || exec(db, "BEGIN IMMEDIATE", err, errlen) < 0)
        return -1;
    for (int k = 0; k < PK_COUNT; k++) {
        int rc = p->item[k].set ? store_item(db, id, (enum program_key)k, &p->item[k], err, errlen)
                                : people_program_unset(db, id, (enum program_key)k);
        if (rc < 0) {
            if (!p->item[k].set)
                dberr(db, "the station's index", err, errlen);
            exec(db, "ROLLBACK", NULL, 0);
            return -1;
        }
    }
    return exec(db, "COMMIT", err, errlen);
}

int people_program_unset(struct people *db, long long id, enum program_key key)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->db, "DELETE FROM programs WHERE person = ?1 AND key = ?2", -1,
                           &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, keys[key].name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- the session index ---- */

int people_index_one(struct people *db, const struct hist_session *s)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->db, "INSERT OR REPLACE INTO sessions (folder, started, day, mode, "
                           "status, person_key, person_name, stage, exercises_done, "
                           "exercises_total, early_stop, advanced_done) VALUES "
                           "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)", -1, &st,
                           NULL) != SQLITE_OK)
        return -1;
    char day[16];
    day_of(s->when, day, sizeof day);
    sqlite3_bind_text(st, 1, s->folder, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)s->when);
    sqlite3_bind_text(st, 3, day, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, s->mode[0] ? s->mode : "?", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, s->status[0] ? s->status : "?", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, s->person_key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, s->person, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 8, s->stage);
    sqlite3_bind_int(st, 9, s->exercises_done);
    sqlite3_bind_int(st, 10, s->exercises_total);
    sqlite3_bind_int(st, 11, s->early_stop);
    sqlite3_bind_int(st, 12, s->advanced_done);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int count_people(struct people *db)
{
    sqlite3_stmt *st;
    int n = -1;
    if (sqlite3_prepare_v2(db->db, "SELECT count(*) FROM people", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    return n;
}

int people_reindex(struct people *db, const char *storage, struct reindex_stats *stats,
                   char *err, size_t errlen)
{
    memset(stats, 0, sizeof *stats);
    struct history_filter f = {NULL, 0, 0, true};
    struct hist_session *v;
    int n = history_list(storage, &f, &v, err, errlen);
    if (n < 0)
        return -1;
    /* folders whose summary cannot be read are counted, not indexed */
    DIR *d = opendir(storage);
    if (d) {
        struct dirent *de;
        time_t when;
        int folders = 0;
        while ((de = readdir(d)))
            folders += history_folder_time(de->d_name, &when);
        closedir(d);
        stats->unreadable = folders - n;
    }
    bool restore = count_people(db) == 0;
    if (exec(db, "BEGIN IMMEDIATE", err, errlen) < 0 ||
        exec(db, "DELETE FROM sessions", err, errlen) < 0) {
        free(v);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        const struct hist_session *s = &v[i];
        if (people_index_one(db, s) < 0) {
            dberr(db, "the station's index", err, errlen);
            exec(db, "ROLLBACK", NULL, 0);
            free(v);
            return -1;
        }
        stats->sessions++;
        stats->live += strcmp(s->mode, "live") == 0;
        struct person p;
        char e[300];
        /* the latest session names her as she was last called: newest wins */
        if (restore && s->person_key[0] && s->person[0] && strlen(s->person_key) == HIST_KEY_LEN &&
            people_check_name(s->person, e, sizeof e) == 0) {
            if (people_find_key(db, s->person_key, &p) == 0) {
                if (strcmp(p.name, s->person) != 0 && people_find(db, s->person, &p) < 0)
                    people_rename(db, p.name, s->person, e, sizeof e);
            } else if (people_find(db, s->person, &p) < 0 &&
                       add_with_key(db, s->person, s->person_key, s->when, e, sizeof e) == 0) {
                stats->people_restored++;
            }
        }
    }
    free(v);
    return exec(db, "COMMIT", err, errlen);
}

/* ---- choosing ---- */

void chooser_load(struct people_chooser *c, const char *storage)
{
    memset(c, 0, sizeof *c);
    c->cur = -1;
    struct people *db;
    char err[400];
    if (people_open(storage, false, &db, err, sizeof err) < 0)
        return;
    c->n = people_list(db, c->people, CHOOSER_MAX);
    if (c->n < 0)
        c->n = 0;
    for (int i = 0; i < c->n; i++)
        people_program_get(db, c->people[i].id, &c->programs[i]);
    people_close(db);
    c->cur = c->n > 0 ? 0 : -1;
}

void chooser_reload(struct people_chooser *c, const char *storage)
{
    char key[HIST_KEY_LEN + 1] = "";
    const struct person *p = chooser_current(c);
    if (p)
        snprintf(key, sizeof key, "%s", p->key);
    chooser_load(c, storage);
    for (int i = 0; i < c->n && key[0]; i++)
        if (strcmp(c->people[i].key, key) == 0)
            c->cur = i;
}

int chooser_count(const struct people_chooser *c)
{
    return c->n;
}

const struct person *chooser_current(const struct people_chooser *c)
{
    return c->cur >= 0 && c->cur < c->n ? &c->people[c->cur] : NULL;
}

bool chooser_asks(const struct people_chooser *c)
{
    return c->n > 1;
}

void chooser_next(struct people_chooser *c)
{
    if (c->n > 0)
        c->cur = (c->cur + 1) % c->n;
}

int chooser_select(struct people_chooser *c, const char *name)
{
    for (int i = 0; i < c->n; i++)
        if (strcasecmp(c->people[i].name, name) == 0) {
            c->cur = i;
            return 0;
        }
    return -1;
}

void chooser_config(const struct people_chooser *c, time_t now, struct station_config *cfg)
{
    if (chooser_current(c))
        program_apply(&c->programs[c->cur], now, cfg);
}

void people_summary_fields(const struct person *p, const struct motion_params *mp, char *buf,
                           size_t len)
{
    char host[256] = "", qh[300], qs[200], qn[200];
    if (gethostname(host, sizeof host - 1) < 0)
        snprintf(host, sizeof host, "?");
    size_t u = 0;
    buf[0] = '\0';
    if (p)
        u = (size_t)snprintf(buf, len, "\"person\": %s,\n  \"person_key\": \"%s\",\n  ",
                             json_quote(p->name, qn, sizeof qn), p->key);
    if (u < len)
        u += (size_t)snprintf(buf + u, len - u, "\"station\": %s,\n  \"software\": %s,\n  ",
                              json_quote(host, qh, sizeof qh),
                              json_quote(history_software(), qs, sizeof qs));
    if (mp && u < len)
        snprintf(buf + u, len - u, "\"rate_band_hz\": [%.2f, %.2f],\n  \"rhythm_cv_max\": %.3f,\n  ",
                 mp->rate_min_hz, mp->rate_max_hz, mp->rhythm_cv_max);
}

void people_splice_summary(const struct person *p, const struct motion_params *mp,
                           const char *json, char *out, size_t len)
{
    char fields[1200];
    people_summary_fields(p, mp, fields, sizeof fields);
    if (strncmp(json, "{\n  ", 4) != 0) { /* not the shape expected: left as it is */
        snprintf(out, len, "%s", json);
        return;
    }
    snprintf(out, len, "{\n  %s%s", fields, json + 4);
}

int people_index_folder(const char *storage, const char *folder, char *err, size_t errlen)
{
    struct people *db;
    if (people_open(storage, false, &db, err, errlen) < 0)
        return errno == ENOENT ? 0 : -1; /* no index on this station: nothing to do */
    struct hist_session *s = malloc(sizeof *s);
    int rc = s ? history_read(storage, folder, s, err, errlen) : -1;
    if (rc == 0 && people_index_one(db, s) < 0) {
        dberr(db, "the station's index", err, errlen);
        rc = -1;
    }
    free(s);
    people_close(db);
    return rc;
}
