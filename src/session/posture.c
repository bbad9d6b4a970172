/* SPDX-License-Identifier: GPL-3.0-or-later */
/* posture: sagittal bands per exercise and the checks against learnt
 * references. The bands are from ordinary body mechanics (the exercise
 * sheet's posture table), wide enough for people of any build. */
#include "posture.h"

#include <math.h>

/* degrees: 0 thigh level, front up; +90 knee above hip; -90 knee below */
static const struct {
    double lo, hi;
} bands[EX_COUNT] = {
    [EX_CHILD_POSE] = {-35, 15},        /* kneeling, thigh near level */
    [EX_KNEES_ROCKING] = {55, 140},     /* on the back, knees to the chest */
    [EX_TABLE_STRETCH] = {-110, -65},   /* standing bent forward */
    [EX_NERVE_ROOT] = {60, 125},        /* on the back, thigh near vertical */
    [EX_CURL_DOWNS] = {-110, -60},      /* standing */
    [EX_ADVANCED_STRETCH] = {-10, 130}, /* lying, leg across the body: wide */
    [EX_BACKBLOCK] = {-20, 65},         /* lying, legs long or knees bent */
};

void posture_band(enum exercise_id ex, double *lo, double *hi)
{
    *lo = bands[ex].lo;
    *hi = bands[ex].hi;
}

static double circle(double d)
{
    d = fabs(fmod(d, 360));
    return d > 180 ? 360 - d : d;
}

void posture_expected(enum exercise_id a, enum exercise_id b, double *lo, double *hi)
{
    *lo = 180;
    *hi = 0;
    for (double x = bands[a].lo; x <= bands[a].hi + 1e-9; x += 1)
        for (double y = bands[b].lo; y <= bands[b].hi + 1e-9; y += 1) {
            double d = circle(x - y);
            *lo = fmin(*lo, d);
            *hi = fmax(*hi, d);
        }
}

double posture_angle(const double a[3], const double b[3])
{
    double d = a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    d = fmax(-1, fmin(1, d));
    return acos(d) * 180 / M_PI;
}

static double dot(const double a[3], const double b[3])
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

static double center(int ex)
{
    return (bands[ex].lo + bands[ex].hi) / 2;
}

/* Two references far enough apart span the sagittal plane: from them the
 * sagittal angle of any posture can be read (anchored at the bands' middles
 * of the two references, the error shared between them). Returns false when
 * no such pair was learnt. */
static bool sagittal(const struct posture_refs *r, const double up[3], double *theta,
                     enum exercise_id *pp, enum exercise_id *qq)
{
    int bp = -1, bq = -1;
    double best = 0;
    for (int p = 0; p < EX_COUNT; p++)
        for (int q = p + 1; q < EX_COUNT && r->have[p]; q++)
            if (r->have[q] && fabs(center(q) - center(p)) >= 40) {
                double d = posture_angle(r->up[p], r->up[q]);
                if (d > best) {
                    best = d;
                    bp = p;
                    bq = q;
                }
            }
    if (bp < 0 || best < 30 || best > 170)
        return false;
    const double *e1 = r->up[bp];
    double c = dot(r->up[bq], e1), e2[3], n = 0;
    for (int i = 0; i < 3; i++) {
        e2[i] = r->up[bq][i] - c * e1[i];
        n += e2[i] * e2[i];
    }
    n = sqrt(n);
    for (int i = 0; i < 3; i++)
        e2[i] /= n;
    double sgn = center(bq) > center(bp) ? 1 : -1;
    double anchor = (center(bp) + center(bq) - sgn * best) / 2;
    *theta = anchor + sgn * atan2(dot(up, e2), dot(up, e1)) * 180 / M_PI;
    *pp = (enum exercise_id)bp;
    *qq = (enum exercise_id)bq;
    return true;
}

bool posture_thigh_angle(const struct posture_refs *r, const double up[3], double *deg)
{
    enum exercise_id p, q;
    if (!sagittal(r, up, deg, &p, &q))
        return false;
    *deg = fmod(*deg + 540, 360) - 180;
    return true;
}

bool posture_fits(const struct posture_refs *r, enum exercise_id ex, const double up[3],
                  double slack, enum exercise_id *against, double *angle)
{
    double theta;
    enum exercise_id rp, rq;
    if (sagittal(r, up, &theta, &rp, &rq)) {
        /* the angle against the band, on the circle */
        double mid = center(ex), half = (bands[ex].hi - bands[ex].lo) / 2;
        double off = fabs(fmod(theta - mid + 540, 360) - 180);
        if (off <= half + slack)
            return true;
        enum exercise_id near =
            posture_angle(up, r->up[rp]) < posture_angle(up, r->up[rq]) ? rp : rq;
        if (against)
            *against = near;
        if (angle)
            *angle = posture_angle(up, r->up[near]);
        return false;
    }
    for (int p = 0; p < EX_COUNT; p++) {
        if (!r->have[p])
            continue;
        double lo, hi;
        posture_expected(ex, (enum exercise_id)p, &lo, &hi);
        double a = posture_angle(up, r->up[p]);
        if (a < lo - slack || a > hi + slack) {
            if (against)
                *against = (enum exercise_id)p;
            if (angle)
                *angle = a;
            return false;
        }
    }
    return true;
}

void posture_learn(struct posture_refs *r, enum exercise_id ex, const double up[3])
{
    double *u = r->up[ex];
    /* a running mean of unit vectors, renormalised: later holds refine the
     * first without one odd hold moving it far */
    int n = r->n[ex] < 8 ? r->n[ex] : 8;
    double m = 0;
    for (int i = 0; i < 3; i++) {
        u[i] = r->have[ex] ? (u[i] * n + up[i]) / (n + 1) : up[i];
        m += u[i] * u[i];
    }
    m = sqrt(m);
    if (m > 1e-9)
        for (int i = 0; i < 3; i++)
            u[i] /= m;
    r->have[ex] = true;
    r->n[ex]++;
}
