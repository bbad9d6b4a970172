/* SPDX-License-Identifier: GPL-3.0-or-later */
/* clock: the station's one clock for timing: mono_now(), seconds of
 * CLOCK_MONOTONIC. */
#ifndef STATION_CLOCK_H
#define STATION_CLOCK_H

double mono_now(void);

#endif
