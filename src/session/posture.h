/* SPDX-License-Identifier: GPL-3.0-or-later */
/* posture: is the thigh where the current exercise puts it?
 *
 * The sensor may be strapped at any rotation, so a gravity vector alone
 * says nothing about the thigh. What the station can trust is how postures
 * relate: each exercise puts the thigh at a known angle in the body's
 * sagittal plane (0 = thigh level with its front up, +90 = knee straight
 * above the hip, -90 = knee straight below it, as when standing). The angle
 * between the gravity directions of two postures therefore lies in a known
 * band, whatever the strap does. The station learns a reference gravity
 * direction for an exercise when it credits work in it, and from then on
 * judges every new hold against all references learnt so far (a nerve-root
 * hold, thigh up, is 150-180 degrees from a knees-rocking set, so it is no
 * table stretch, whose thigh points down).
 *
 * Pure: unit vectors in, yes or no (and the reason) out. */
#ifndef STATION_POSTURE_H
#define STATION_POSTURE_H

#include <stdbool.h>

#include "program.h"

struct posture_refs {
    bool have[EX_COUNT];
    double up[EX_COUNT][3]; /* the accelerometer's "up" in the sensor frame */
    int n[EX_COUNT];        /* how many observations went into each */
};

/* The band of sagittal angles an exercise puts the thigh in, degrees. */
void posture_band(enum exercise_id ex, double *lo, double *hi);

/* The smallest and largest angle, degrees, between the gravity directions
 * of exercises a and b (0..180). */
void posture_expected(enum exercise_id a, enum exercise_id b, double *lo, double *hi);

/* Whether up (unit) fits exercise ex against every learnt reference, with
 * slack degrees either side of each band. On a misfit names the reference
 * exercise that rules it out in *against and the angle found in *angle. */
bool posture_fits(const struct posture_refs *r, enum exercise_id ex, const double up[3],
                  double slack, enum exercise_id *against, double *angle);

/* Learns (averages in) up as a reference for exercise ex. */
void posture_learn(struct posture_refs *r, enum exercise_id ex, const double up[3]);

/* The thigh's sagittal angle (degrees, as the bands) of posture up, read
 * from two learnt references that span the plane. False while the station
 * has no such pair. */
bool posture_thigh_angle(const struct posture_refs *r, const double up[3], double *deg);

/* Degrees between two unit vectors. */
double posture_angle(const double a[3], const double b[3]);

#endif
