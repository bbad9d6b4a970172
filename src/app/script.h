/* SPDX-License-Identifier: GPL-3.0-or-later */
/* script: timed button presses for replayed sessions (tests, demos).
 *
 *   # comment
 *   0.5   start
 *   130   next
 *   2:15  stop        (m:ss works too)
 *
 * Times are seconds from the first sample of the trace; commands are
 * start, next, back and stop. */
#ifndef STATION_SCRIPT_H
#define STATION_SCRIPT_H

#include <stddef.h>

#include "../session/session.h"

#define SCRIPT_MAX 256
#define SCRIPT_MAX_S 86400

struct script {
    int n, next;
    double t[SCRIPT_MAX];
    enum session_cmd cmd[SCRIPT_MAX];
};

/* Returns 0, or -1 with "FILE:LINE: what is wrong" in err. */
int script_load(struct script *s, const char *path, char *err, size_t errlen);

/* The next command due at or before t (seconds from the first sample), one
 * at a time. Returns 1 with it, 0 when none is due. */
int script_due(struct script *s, double t, enum session_cmd *cmd);

#endif
