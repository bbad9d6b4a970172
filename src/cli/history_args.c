/* SPDX-License-Identifier: GPL-3.0-or-later */
/* history_args: --person, --from, --to, --storage for report and export. */
#include "history_args.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static time_t day_or_die(const char *cmd, const char *opt, const char *s)
{
    time_t t;
    if (history_parse_date(s, &t) < 0)
        die(EXIT_USAGE, "%s: %s '%s' is not a date: give YYYY-MM-DD (e.g. 2026-11-02), a real "
            "day from 2000 to 2200", cmd, opt, s);
    return t;
}

/* the next day's midnight (a day is not always 24 hours) */
static time_t next_day(time_t t)
{
    struct tm tm;
    localtime_r(&t, &tm);
    tm.tm_mday++;
    tm.tm_hour = 0;
    tm.tm_min = 0;
    tm.tm_sec = 0;
    tm.tm_isdst = -1;
    return mktime(&tm);
}

void history_args_resolve(const char *cmd, const struct station_config *cfg,
                          const struct history_args *a, struct history_query *q)
{
    memset(q, 0, sizeof *q);
    if (!a->person)
        die(EXIT_USAGE, "%s: give --person NAME (`station person list` names them)", cmd);
    cli_storage_or_die(cmd, a->storage, cfg, false, q->storage, sizeof q->storage);
    time_t now = time(NULL), to, from;
    struct tm tm;
    if (a->to) {
        to = day_or_die(cmd, "--to", a->to);
    } else {
        localtime_r(&now, &tm);
        tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
        tm.tm_isdst = -1;
        to = mktime(&tm);
    }
    if (a->from) {
        from = day_or_die(cmd, "--from", a->from);
    } else {
        localtime_r(&to, &tm);
        tm.tm_mday -= 27; /* four weeks, both ends included */
        tm.tm_isdst = -1;
        from = mktime(&tm);
    }
    if (from > to)
        die(EXIT_USAGE, "%s: --from %s is after --to %s", cmd, a->from ? a->from : "(4 weeks back)",
            a->to ? a->to : "(today)");
    localtime_r(&from, &tm);
    strftime(q->from, sizeof q->from, "%Y-%m-%d", &tm);
    localtime_r(&to, &tm);
    strftime(q->to, sizeof q->to, "%Y-%m-%d", &tm);
    struct people *db;
    char err[800];
    if (people_open(q->storage, false, &db, err, sizeof err) < 0)
        die(errno == ENOENT ? EXIT_USAGE : 1, "%s: %s", cmd, err);
    int found = people_find(db, a->person, &q->who);
    people_close(db);
    if (found < 0)
        die(EXIT_USAGE, "%s: no person called '%s' on this station (in %s); `station person "
            "list` names them", cmd, a->person, q->storage);
    q->filter.person_key = q->who.key;
    q->filter.from = from;
    q->filter.to = next_day(to);
    q->filter.all_modes = a->all_modes;
}
