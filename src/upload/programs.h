/* SPDX-License-Identifier: GPL-3.0-or-later */
/* programs: a clinic's programs (the retained message on
 * station/<id>/program, docs/clinic-protocol.md) applied to the station's
 * people. */
#ifndef STATION_PROGRAMS_H
#define STATION_PROGRAMS_H

#include <stddef.h>

#include "../config/config.h"
#include "../history/history.h"

#define PROGRAMS_TOLD 16

/* What a program message did, person by person. */
struct programs_result {
    int applied;   /* programs stored */
    int unchanged; /* applied here before: not newer than the one last applied */
    int refused;   /* not stored, each said in why */
    char why[1000]; /* "Bea: the rocking band would be ...; Dora: ..." */
    char updated[32]; /* the message's "updated" */
    /* the first PROGRAMS_TOLD refused, by key, for the program-status message */
    char refused_key[PROGRAMS_TOLD][HIST_KEY_LEN + 1];
    char refused_why[PROGRAMS_TOLD][300];
};

/* Applies the message to storage's index person by person: each one by
 * her key (added under that key and name when the station does not know
 * her, also when she was removed here), her program replaced by the one
 * given (a key absent follows the configuration), checked as a whole first.
 * A person's program is applied only when its "updated" (hers, else the
 * message's) is newer than the one last applied for her key on this
 * station, so the retained message taken again at a reconnect neither
 * undoes a change made here nor brings back a person removed here; its
 * weekly growth counts from that time. One person refused leaves the
 * others applied. Returns 0 with res, or -1 with err when the message is
 * not one or the index could not be opened. */
int programs_apply(const char *storage, const struct station_config *cfg, const char *json,
                   size_t len, struct programs_result *res, char *err, size_t errlen);

#endif
