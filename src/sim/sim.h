/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sim: a physical model of the thigh during the seven exercises, for
 * synthetic traces with known truth.
 *
 * The thigh turns about the hip (flexion, plus some abduction and twist);
 * the sensor sits some centimetres down the thigh and off the bone, strapped
 * at a random rotation. Its accelerometer sees gravity plus the tangential
 * and centripetal acceleration of that point; its gyro sees the thigh's
 * rotation, with a bias that drifts, and noise. Readings are quantised and
 * clipped like the MPU-6050's at the chosen ranges, and samples are dropped
 * now and then. Scenarios string exercises together with the settling and
 * fidgeting people do in between; the truth lists each exercise segment in
 * the DESIGN.md truth format. */
#ifndef STATION_SIM_H
#define STATION_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "../sensor/sample.h"

enum sim_kind { SIM_ROCKING, SIM_HOLD, SIM_BOUNCE, SIM_REPS, SIM_REST, SIM_KIND_COUNT };

struct sim_truth_seg {
    double start_s, end_s;
    enum sim_kind kind;
    double rate_hz; /* rocking, bounce, reps: count / (end - start) */
    int count;      /* cycles, bounces, repetitions */
};

struct sim_options {
    const char *scenario;
    uint64_t seed;
    double rate_hz;      /* sample rate, 10..1000 */
    double drop_prob;    /* chance of losing each sample; < 0: the scenario's default */
    int accel_range_g;   /* 2, 4, 8, 16 */
    int gyro_range_dps;  /* 250 .. 2000 */
    double noise;        /* sensor noise, times the datasheet's; 0 means 1 */
    double bias_dps;     /* largest gyro bias per axis; 0 means 3 */
};

struct sim_truth {
    struct sim_truth_seg *seg;
    size_t n, cap;
    double duration_s;
    char description[256]; /* placement and quirks, for the trace header */
};

/* Called for every sample that is not dropped. Returns 0 to go on. */
typedef int (*sim_sink)(void *ctx, const struct sample *s);

/* Names of the scenarios, NULL-terminated, and a line about each. */
extern const char *const sim_scenarios[];
const char *sim_scenario_help(const char *name);

const char *sim_kind_name(enum sim_kind k);
int sim_kind_parse(const char *s, enum sim_kind *out);

/* Generates the scenario. Returns 0, -1 for an unknown scenario or bad
 * options, or the sink's non-zero return. truth must be freed with
 * sim_truth_free. */
int sim_generate(const struct sim_options *opt, sim_sink sink, void *ctx,
                 struct sim_truth *truth);

void sim_truth_free(struct sim_truth *t);

#endif
