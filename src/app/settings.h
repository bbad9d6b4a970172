/* SPDX-License-Identifier: GPL-3.0-or-later */
/* settings: which configuration file the station reads, loading it with
 * the errors returned (never an exit: the caller tears down what it has
 * set up), and the motion core's parameters from it. Shared by the
 * station's loop and every subcommand (cli/). */
#ifndef STATION_SETTINGS_H
#define STATION_SETTINGS_H

#include <stddef.h>

#include "../config/config.h"

struct motion_params;

/* The configuration file to use: given (--config), $STATION_CONFIG,
 * config/station.cfg in a source tree, or the installed
 * /etc/station/station.cfg; NULL when none exists (defaults apply). */
const char *settings_config_path(const char *given);

/* Loads the configuration settings_config_path(given) names (the defaults
 * when there is none) into cfg, and sets *path to it (or NULL). Returns 0,
 * or the number of errors with every one as "FILE:LINE: key: problem" lines
 * in errs. */
int settings_load(const char *given, struct station_config *cfg, const char **path, char *errs,
                  size_t errlen);

/* The motion core's targets and thresholds from the configuration. */
void settings_motion_params(const struct station_config *cfg, struct motion_params *p);

#endif
