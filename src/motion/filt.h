/* SPDX-License-Identifier: GPL-3.0-or-later */
/* filt: the few filter steps the motion core is built from. alpha is
 * dt / (tau + dt): a first-order low-pass whose time constant stays tau at
 * any sample rate. */
#ifndef STATION_FILT_H
#define STATION_FILT_H

#include <math.h>

static inline double filt_alpha(double dt, double tau)
{
    return dt / (tau + dt);
}

static inline void filt_ema(double *y, double x, double alpha)
{
    *y += alpha * (x - *y);
}

static inline void filt_ema3(double y[3], const double x[3], double alpha)
{
    for (int i = 0; i < 3; i++)
        y[i] += alpha * (x[i] - y[i]);
}

static inline double vec_dot(const double a[3], const double b[3])
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

static inline double vec_norm(const double a[3])
{
    return sqrt(vec_dot(a, a));
}

static inline void vec_cross(const double a[3], const double b[3], double out[3])
{
    double x = a[1] * b[2] - a[2] * b[1];
    double y = a[2] * b[0] - a[0] * b[2];
    double z = a[0] * b[1] - a[1] * b[0];
    out[0] = x;
    out[1] = y;
    out[2] = z;
}

static inline int vec_normalize(double a[3])
{
    double n = vec_norm(a);
    if (!(n > 1e-12))
        return -1;
    for (int i = 0; i < 3; i++)
        a[i] /= n;
    return 0;
}

#define DEG (180.0 / M_PI)
#define RAD (M_PI / 180.0)

#endif
