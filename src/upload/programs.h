/* SPDX-License-Identifier: GPL-3.0-or-later */
/* programs: a clinic's programs (the retained message on
 * station/<id>/program, docs/clinic-protocol.md) applied to the station's
 * people. */
#ifndef STATION_PROGRAMS_H
#define STATION_PROGRAMS_H

#include <stddef.h>

#include "../config/config.h"

/* Applies the message to storage's index: each person by her key (added
 * under that key and name when the station does not know her yet), her
 * program replaced by the one given (a key absent follows the
 * configuration). Every person and assignment is checked before anything
 * is stored; a program grows from the message's "updated" time, so the
 * same message applied again changes nothing. Returns how many people it
 * named, or -1 with what is wrong in err. */
int programs_apply(const char *storage, const struct station_config *cfg, const char *json,
                   size_t len, char *err, size_t errlen);

#endif
