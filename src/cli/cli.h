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

/* The storage directory for command cmd (history_storage): --storage
 * (given), else the configuration's storage.directory. make: the command
 * writes, so the folder is created when missing. When the default folder
 * is not this user's and the per-user one is used, says so on stderr;
 * exits 1 when a folder to make cannot be made. */
void cli_storage_or_die(const char *cmd, const char *given, const struct station_config *cfg,
                        bool make, char *out, size_t len);

/* The options every command that reads a sensor takes, parsed once here:
 * --sensor, --trace, --speed, --faults (getopt codes 's', 't', 'x', 'f').
 * Returns true when c was one of them (exiting 2 on a bad value). */
struct source_options;
bool cli_source_option(int c, const char *arg, struct source_options *o);

/* Their getopt_long entries (to copy into a command's table) and usage. */
#define CLI_SOURCE_LONG_OPTIONS \
    {"sensor", required_argument, NULL, 's'}, {"trace", required_argument, NULL, 't'}, \
    {"speed", required_argument, NULL, 'x'}, {"faults", required_argument, NULL, 'f'}
extern const char cli_source_usage[];

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
