/* SPDX-License-Identifier: GPL-3.0-or-later */
/* report: a session record turned into a picture a clinician can read (the
 * thigh angle over the session with holds and sets marked, the rocking rate
 * against its target band, the summary per exercise) and a text summary. */
#ifndef STATION_REPORT_H
#define STATION_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "../motion/motion.h"

/* Reads DIR/summary.json and DIR/trace.csv, writes the PNG to png and the
 * text summary to out. Returns 0, or -1 with "FILE: what is wrong" in err. */
int report_write(const char *dir, const char *png, const struct motion_params *mp,
                 const char *fonts, FILE *out, char *err, size_t errlen);

#endif
