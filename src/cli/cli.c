/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli: shared option and error helpers. */
#include "cli.h"

#include "../app/settings.h"
#include "../history/history.h"
#include "../motion/motion.h"
#include "../sensor/source.h"
#include "../util/clock.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void die(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("station: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(code);
}

void die_perror(const char *fmt, ...)
{
    int e = errno;
    va_list ap;
    va_start(ap, fmt);
    fputs("station: ", stderr);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, ": %s\n", strerror(e));
    va_end(ap);
    exit(1);
}

int parse_double(const char *s, double min, double max, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v) || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

double parse_double_or_die(const char *opt, const char *s, double min, double max)
{
    double v;
    if (parse_double(s, min, max, &v) < 0)
        die(EXIT_USAGE, "%s: '%s' is not a number in %g..%g", opt, s, min, max);
    return v;
}

double cli_now(void)
{
    return mono_now();
}

const char *cli_config_path(const char *given)
{
    return settings_config_path(given);
}

void cli_load_config_or_die(const char *given, struct station_config *cfg)
{
    const char *path;
    char errs[4096];
    if (settings_load(given, cfg, &path, errs, sizeof errs) > 0) {
        fputs(errs, stderr);
        die(EXIT_USAGE, "%s: configuration has errors; not starting", path);
    }
}

void cli_storage_or_die(const char *cmd, const char *given, const struct station_config *cfg,
                        bool make, char *out, size_t len)
{
    char err[800];
    bool named = strcmp(cfg->storage.directory, CONFIG_STORAGE_DEFAULT) != 0;
    int rc = history_storage(given, cfg->storage.directory, named, make, out, len, err,
                             sizeof err);
    if (rc < 0)
        die(1, "%s: %s", cmd, err);
    if (rc > 0)
        fprintf(stderr, "station: %s: %s is not writable by this user: using %s instead "
                "(storage.directory in the configuration, or --storage, names another)\n", cmd,
                cfg->storage.directory, out);
}

const char cli_source_usage[] =
    "  --sensor KIND     auto (default), replay, emu, emu:CHIP, or a chip:\n"
    "                    mpu6050, lsm6ds3, lsm6dso (a relative: mpu6500, ...)\n"
    "  --trace FILE      input for emu and replay (default: the demo recording)\n"
    "  --speed X         1 = real time; replay: 0 = as fast as possible;\n"
    "                    emu: X times real time (0 is taken as 1)\n"
    "  --trace goes with emu and replay only; --faults chip=NAME and emu:CHIP\n"
    "  must not name two chips\n"
    "  --faults SPEC     with --sensor emu: scripted sensor faults, e.g.\n"
    "                    disconnect@10+3,stall@20+2,nack@30x2,chip=mpu6500\n"
    "  --seconds N       stop after N seconds of the sensor's clock: its samples'\n"
    "                    times, or while it is lost the wall clock (at --speed)\n";

bool cli_source_option(int c, const char *arg, struct source_options *o)
{
    char err[400];
    switch (c) {
    case 's':
        if (source_sensor_parse(arg, o, err, sizeof err) < 0)
            die(EXIT_USAGE, "%s", err);
        return true;
    case 't': o->trace = arg; return true;
    case 'x': o->speed = parse_double_or_die("--speed", arg, 0, 1000); return true;
    case 'f': o->faults = arg; return true;
    default: return false;
    }
}

void cli_motion_params(const struct station_config *cfg, struct motion_params *p)
{
    settings_motion_params(cfg, p);
}
