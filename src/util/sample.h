/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sample: one reading of the thigh sensor in physical units. A type with no
 * dependencies, so the trace format, the sensor drivers, the motion core
 * and the thigh model can all share it without depending on each other. */
#ifndef STATION_SAMPLE_H
#define STATION_SAMPLE_H

struct sample {
    double t;    /* seconds on the source's clock (trace: t_s column) */
    double a[3]; /* acceleration, g (specific force: +1 g up at rest) */
    double g[3]; /* angular rate, degrees per second */
};

#endif
