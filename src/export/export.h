/* SPDX-License-Identifier: GPL-3.0-or-later */
/* export: a person's sessions as CSV for a clinic's spreadsheet, one row per
 * exercise step per session (stage 1's child pose comes twice, the
 * nerve-root stretch once a leg). RFC 4180: fields with a comma, a quote or
 * a line break are quoted; a field that a spreadsheet would run as a
 * formula (= + - @ first) gets a leading apostrophe. */
#ifndef STATION_EXPORT_H
#define STATION_EXPORT_H

#include <stdio.h>

#include "../history/history.h"

/* The header line, then a row per step of each session. Returns the rows
 * written, or -1 on a write error. */
int export_csv(FILE *out, const struct hist_session *v, int n);

/* One field as CSV (quoted when it must be) into out. */
void export_field(const char *s, char *out, size_t len);

#endif
