/* SPDX-License-Identifier: GPL-3.0-or-later */
/* leg: the second, independent simulator family (scenarios "leg-..."): a
 * two-segment leg on a tilting pelvis, lopsided, uneven, fading and slow
 * rocking, sway and slow micro-bounce. sim_generate hands these scenarios
 * here; see leg.c. */
#ifndef STATION_SIM_LEG_H
#define STATION_SIM_LEG_H

#include "sim.h"

/* The help line of a leg scenario, NULL for another name. */
const char *leg_scenario_help(const char *name);

/* As sim_generate, for the leg scenarios. */
int leg_generate(const struct sim_options *opt, sim_sink sink, void *ctx,
                 struct sim_truth *truth);

#endif
