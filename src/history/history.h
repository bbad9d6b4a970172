/* SPDX-License-Identifier: GPL-3.0-or-later */
/* history: the stored sessions read back for people, reports and export.
 * The session folders are the record of truth; this reads a folder's
 * summary.json into plain structs (anything missing, mistyped or out of
 * range becomes "unknown": NAN, -1 or ""), and walks the storage directory
 * for the sessions of a person between two dates. No SQLite here: the
 * station's index (src/people/) is built from what this reads. */
#ifndef STATION_HISTORY_H
#define STATION_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define HIST_MAX_STEPS 12
#define HIST_MAX_HOLDS 24
#define HIST_MAX_SETS 16
/* a person's name: 40 characters (PEOPLE_NAME_CHARS) of up to 4 UTF-8 bytes
 * each, and its terminator; shorter would cut a long name mid-character */
#define HIST_NAME_MAX (4 * 40 + 1)
#define HIST_KEY_LEN 16 /* a person's key: 16 hex digits */

struct hist_set {
    double start_s, seconds, rate_hz, rhythm_cv, swing_deg;
    int cycles;
    char rate[16], rhythm[16], effort[16];
};

struct hist_step {
    int step;
    char exercise[32];          /* "child_pose" */
    char name[48];              /* "Child pose" */
    char side[16];              /* "left leg", or "" */
    char kind[12];              /* hold, rocking, bounce, reps */
    double target_s;
    int target_reps;
    bool started, done, skipped, partial, timed_out, moved_on;
    bool over_limit, left_out_limit;
    int reps_done, posture_refused;
    double active_s;
    int nholds;                 /* holds_s or rounds_s */
    double holds[HIST_MAX_HOLDS];
    double rocking_s, rate_hz, rhythm_cv, swing_deg;
    int cycles;
    int nsets;
    struct hist_set sets[HIST_MAX_SETS];
    char done_of_target[120];
};

struct hist_session {
    char folder[64];            /* the folder's own name: 20261126-070318 */
    time_t when;                /* its start, from the name (local time) */
    char status[16];            /* complete, partial, in progress, incomplete */
    char mode[8];               /* live, demo, replay ("live" for old records) */
    char person[HIST_NAME_MAX]; /* "" when the session was for nobody named */
    char person_key[HIST_KEY_LEN + 1];
    char station[64];
    char software[48];
    int stage;
    double rate_min_hz, rate_max_hz, rhythm_cv_max; /* the bands it was judged by, or NAN */
    double duration_s;
    bool early_stop, advanced_done, advanced_over_limit;
    int exercises_done, exercises_total;
    int nsteps;
    struct hist_step steps[HIST_MAX_STEPS];
};

/* A session folder's name (YYYYmmdd-HHMMSS, maybe -N) to its start time.
 * false for any other name. */
bool history_folder_time(const char *name, time_t *when);

/* "YYYY-MM-DD" (a whole, valid calendar date) to local midnight. -1 when
 * it is not one. */
int history_parse_date(const char *s, time_t *out);

/* Parses summary.json text (for folder, started at when). Returns 0, or -1
 * when it is not a JSON object. */
int history_parse(const char *json, const char *folder, time_t when, struct hist_session *out);

/* Reads storage/folder/summary.json; never through a symlink. Returns 0,
 * or -1 with the reason in err. */
int history_read(const char *storage, const char *folder, struct hist_session *out,
                 char *err, size_t errlen);

/* The filter of a listing. person_key NULL: anyone; "" : sessions for
 * nobody named. Times: [from, to), 0 for no bound. Demo and replay sessions
 * only with all_modes. */
struct history_filter {
    const char *person_key;
    time_t from, to;
    bool all_modes;
};

/* The sessions under storage that pass the filter, oldest first, in a
 * malloc'ed array (*out, free it). Returns how many, or -1 when storage
 * cannot be read (err says why). */
int history_list(const char *storage, const struct history_filter *f,
                 struct hist_session **out, char *err, size_t errlen);

/* Live sessions of this person (key; NULL: anyone) in the 7 days before
 * now in which the advanced stretch was done: the weekly limit. */
int history_count_advanced(const char *storage, const char *person_key, time_t now);

/* What a history screen shows for one person (or anyone: key NULL): her
 * live sessions this week (from Monday), the streak of days in a row with
 * one (up to today, or yesterday when today has none yet), and week by
 * week, oldest first, the sessions, the rocking rate and rhythm (weighted
 * by cycles) and the longest child pose and BackBlock (mean over the
 * week's sessions); NAN where there was nothing. */
#define HISTORY_WEEKS 8
/* The longest hold of an exercise (its key) in a session; NAN when none. */
double history_longest_hold(const struct hist_session *s, const char *exercise);

struct history_weeks {
    int this_week, streak_days;
    struct {
        time_t start;            /* Monday 00:00 */
        int sessions;
        double rate_hz, rhythm_cv, child_pose_s, backblock_s;
    } week[HISTORY_WEEKS];
};
/* Monday 00:00 (local time) of t's week: the station's weeks, on the
 * screen and in the reports. */
time_t history_week_start(time_t t);
int history_weeks(const char *storage, const char *person_key, time_t now,
                  struct history_weeks *out);

/* The station's storage directory for a command, into out: given
 * (--storage), else the configured one. A configured folder other than the
 * default (named) is always the one: never another in its place. Only the
 * default, when it is not this user's to write (or, with make, to create),
 * gives way to the per-user folder the station's `run` falls back to
 * ($XDG_STATE_HOME/station or ~/.local/state/station); then the return is
 * 1, for the command to say so. make: a command that writes; the folder
 * (and those above it) is created when missing. Without make an absent
 * folder is left absent: nothing is stored there yet.
 * Returns 0, 1, or -1 with err when a folder to make cannot be made. */
int history_storage(const char *given, const char *configured, bool named, bool make,
                    char *out, size_t len, char *err, size_t errlen);

/* The software's version, for records and reports: "station 1.0 (abc1234)". */
const char *history_software(void);

#endif
