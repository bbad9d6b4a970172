/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli: helpers every `station` subcommand shares: fatal errors with a
 * checked format, strict number parsing (a checkable parser and its
 * _or_die wrapper), the monotonic clock, and loading the configuration. */
#ifndef STATION_CLI_H
#define STATION_CLI_H

#include <stdbool.h>
#include <stdnoreturn.h>

#include "../config/config.h"
#include "../util/exit_codes.h" /* EXIT_USAGE */

/* Prints "station: <message>" to stderr and exits with code. */
noreturn void die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints "station: <message>: <strerror(errno)>" and exits 1. */
noreturn void die_perror(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parses a number in [min, max]. Returns 0, or -1 when s is not entirely a
 * number or out of range. */
int parse_double(const char *s, double min, double max, double *out);
double parse_double_or_die(const char *opt, const char *s, double min, double max);

/* Seconds of CLOCK_MONOTONIC (util/clock.h's mono_now). */
double cli_now(void);

/* The configuration file to use: --config, $STATION_CONFIG, the installed
 * /etc/station/station.cfg, or config/station.cfg in a source tree; NULL
 * when none exists (defaults apply). */
const char *cli_config_path(const char *given);

/* Loads the configuration or exits 2 with every error printed (for the
 * commands; the station's loop uses settings_load, which returns them). */
void cli_load_config_or_die(const char *given, struct station_config *cfg);

/* The motion core's targets and thresholds from the configuration. */
struct motion_params;
void cli_motion_params(const struct station_config *cfg, struct motion_params *p);

int cmd_check_config(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_say(int argc, char **argv);
int cmd_person(int argc, char **argv);
int cmd_reindex(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_upload(int argc, char **argv);

#endif
