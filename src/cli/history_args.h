/* SPDX-License-Identifier: GPL-3.0-or-later */
/* history_args: what `report --person` and `export` share: the storage, a
 * person by name (through the station's index), and a date range. */
#ifndef STATION_HISTORY_ARGS_H
#define STATION_HISTORY_ARGS_H

#include <stdbool.h>

#include "../config/config.h"
#include "../history/history.h"
#include "../people/people.h"

struct history_args {
    const char *storage;   /* --storage, or NULL */
    const char *person;    /* --person NAME */
    const char *from, *to; /* --from, --to: YYYY-MM-DD, both days included */
    bool all_modes;        /* --with-replays: demo and replay sessions too */
};

struct history_query {
    char storage[600];
    struct person who;
    char from[11], to[11];  /* the days, as given or defaulted */
    struct history_filter filter;
};

/* Resolves the arguments or exits 2 with what is allowed (1 when the index
 * cannot be read). --to defaults to today, --from to 4 weeks before --to. */
void history_args_resolve(const char *cmd, const struct station_config *cfg,
                          const struct history_args *a, struct history_query *q);

#endif
