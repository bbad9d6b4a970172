/* SPDX-License-Identifier: GPL-3.0-or-later */
/* people: the people a station knows, their programs, and the station's
 * index of sessions, in SQLite (STORAGE/station.db).
 *
 * The session folders stay the record of truth: the sessions table is
 * rebuilt from them by people_reindex (`station reindex`), and each session
 * names its person in summary.json ("person", "person_key"). What only the
 * index holds is the list of people and their programs; when it is lost,
 * reindex brings the people back from the sessions (their programs take
 * the configuration's defaults again).
 *
 * Health data: a person is a name (a pseudonym is fine), a random key, the
 * day she was added and her program; nothing else is stored. */
#ifndef STATION_PEOPLE_H
#define STATION_PEOPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "../config/config.h"
#include "../history/history.h"

#define PEOPLE_DB "station.db"
#define PEOPLE_NAME_MAX HIST_NAME_MAX
#define PEOPLE_NAME_CHARS 40 /* characters, not bytes */
_Static_assert(PEOPLE_NAME_MAX >= 4 * PEOPLE_NAME_CHARS + 1, "a whole name fits");

struct people;

struct person {
    long long id;
    char key[HIST_KEY_LEN + 1];  /* random, 16 hex digits: what sessions record */
    char name[PEOPLE_NAME_MAX];
    char added[11];              /* YYYY-MM-DD */
    int sessions;                /* live sessions in the index */
    char last[11];               /* the latest one's day, or "" */
};

/* Opens STORAGE/station.db. create: make it (and storage) when missing;
 * otherwise a missing index is -1 with errno ENOENT. The schema is made or
 * brought up to date. Returns 0, or -1 with the reason in err. */
int people_open(const char *storage, bool create, struct people **out, char *err, size_t errlen);
void people_close(struct people *db);

/* A name a person may have: 1 to 40 characters, letters (any script),
 * digits, spaces (not at the ends, not two together) and - . ' _.
 * Returns 0, or -1 with a sentence naming what is allowed. */
int people_check_name(const char *name, char *err, size_t errlen);

int people_add(struct people *db, const char *name, time_t now, struct person *out,
               char *err, size_t errlen);
/* Adds a person under a key given (16 hex digits, lower case): a person a
 * clinic's program names (src/upload/). */
int people_add_key(struct people *db, const char *name, const char *key, time_t now,
                   struct person *out, char *err, size_t errlen);
/* Everyone, by name; at most max. Returns how many (or -1). */
int people_list(struct people *db, struct person *out, int max);
/* By name (case does not matter) or by key. Returns 0, or -1 when unknown. */
int people_find(struct people *db, const char *name, struct person *out);
int people_find_key(struct people *db, const char *key, struct person *out);
int people_rename(struct people *db, const char *old, const char *name, char *err, size_t errlen);
/* Takes the person off the station's list with her program; her sessions
 * stay on the disk, for nobody known (delete the folders to forget them). */
int people_remove(struct people *db, const char *name, char *err, size_t errlen);
/* The clinic's program last applied for the person with key (kept when
 * she is removed here): its "updated" time, or 0 when none was. */
time_t people_clinic_applied(struct people *db, const char *key);
/* Records that the clinic's program of that time was applied for key. */
int people_clinic_mark(struct people *db, const char *key, time_t updated, char *err,
                       size_t errlen);

/* ---- programs: a person's targets over the configuration's ---- */

enum program_key {
    PK_STAGE,
    PK_RATE_MIN,
    PK_RATE_MAX,
    PK_ROCKING_S,
    PK_CHILD_POSE_S,
    PK_STRETCH_S,
    PK_STRETCH_REPS,
    PK_TABLE_REPS,
    PK_BOUNCE_S,
    PK_BOUNCE_REPS,
    PK_BACKBLOCK_S,
    PK_ADVANCED_PER_WEEK,
    PK_COUNT
};

/* One key of a program: base, growing by per_week every whole week since
 * `since`, never past cap. */
struct program_item {
    bool set;
    double base, per_week, cap;
    time_t since;
};

struct person_program {
    struct program_item item[PK_COUNT];
};

const char *program_key_name(enum program_key k);
/* "stage 1 or 2", "0.3..3 cycles per second", ... */
const char *program_key_help(enum program_key k);

/* Parses KEY=VALUE, VALUE being N, or N+S/week (seconds keys only), or
 * N+S/week..MAX. since: now. Returns 0, or -1 with what is allowed. */
int program_parse(const char *assign, time_t now, enum program_key *key,
                  struct program_item *item, char *err, size_t errlen);

/* One assignment of a command onto a program in memory: KEY=VALUE sets
 * the key (as program_parse reads it); with unset, arg is a KEY alone and
 * goes back to the configuration's value. Nothing is stored: a command's
 * assignments make one program, checked and stored whole by
 * people_program_replace. Returns 0, or -1 with what is allowed. */
int program_assign(struct person_program *p, const char *arg, bool unset, time_t now,
                   char *err, size_t errlen);

/* The item's value at time now (progression applied, whole weeks). */
double program_value(const struct program_item *it, time_t now);

/* The configuration with the person's program over it, at time now. */
void program_apply(const struct person_program *p, time_t now, struct station_config *cfg);

/* "backblock_s=180+30/week..600 (now 240)" for each set key; "" when none. */
void program_describe(const struct person_program *p, time_t now, char *buf, size_t len);

int people_program_get(struct people *db, long long id, struct person_program *p);
/* Sets one key; refuses a rocking band whose low end is not below its top
 * (with the configuration's band for the side not set). */
int people_program_set(struct people *db, long long id, enum program_key key,
                       const struct program_item *item, const struct station_config *cfg,
                       char *err, size_t errlen);
int people_program_unset(struct people *db, long long id, enum program_key key);
/* The whole program at once, in one transaction: the keys set in p, and
 * none other (an unset key follows the configuration). Refuses a rocking
 * band as people_program_set does, storing nothing. */
int people_program_replace(struct people *db, long long id, const struct person_program *p,
                           const struct station_config *cfg, char *err, size_t errlen);

/* ---- the index of sessions ---- */

struct reindex_stats {
    int sessions, live, people_restored, unreadable;
};

/* Rebuilds the sessions table from every folder under storage. People
 * named in sessions but missing from the list are restored only when the
 * list is empty (a lost or new index): a removed person stays removed. */
int people_reindex(struct people *db, const char *storage, struct reindex_stats *st,
                   char *err, size_t errlen);

/* Adds or updates one session of the index from its summary. */
int people_index_one(struct people *db, const struct hist_session *s);

/* ---- choosing whom a session is for, at idle (for app and the screen) ---- */

#define CHOOSER_MAX 200 /* a clinic room's station knows many patients */

struct people_chooser {
    int n, cur;                       /* cur: -1 when nobody is chosen */
    struct person people[CHOOSER_MAX];
    struct person_program programs[CHOOSER_MAX];
};

/* Loads the people of storage's index (none when there is no index). */
void chooser_load(struct people_chooser *c, const char *storage);
/* Loads them again (people added, renamed or removed, programs changed
 * while the station runs), keeping whose turn it is when she is still
 * there. */
void chooser_reload(struct people_chooser *c, const char *storage);
int chooser_count(const struct people_chooser *c);
/* Whose session it will be: NULL when nobody is set up. */
const struct person *chooser_current(const struct people_chooser *c);
/* Only asks when there is more than one person: a one-person station never does. */
bool chooser_asks(const struct people_chooser *c);
/* The next name (wraps round). */
void chooser_next(struct people_chooser *c);
/* By name; -1 when unknown. */
int chooser_select(struct people_chooser *c, const char *name);
/* The configuration for the chosen person's session at now. */
void chooser_config(const struct people_chooser *c, time_t now, struct station_config *cfg);

/* The fields a summary gets for its person and station, JSON members each
 * followed by ",\n  ": "person", "person_key" (when someone is chosen),
 * "station" (the host name), "software", and the bands the session was
 * judged by: "rate_band_hz" [min, max], "rhythm_cv_max". */
struct motion_params;
void people_summary_fields(const struct person *p, const struct motion_params *mp, char *buf,
                           size_t len);

/* The summary json (as session_summary_json writes it: "{\n  ...") with
 * the person and station fields put first, into out. */
void people_splice_summary(const struct person *p, const struct motion_params *mp,
                           const char *json, char *out, size_t len);

/* A finished session (storage/folder) into the index, when the station has
 * one. Returns 0, or -1 with err (the folders stay the truth: a failure
 * here is mended by `station reindex`). */
int people_index_folder(const char *storage, const char *folder, char *err, size_t errlen);

#endif
