/* cli: shared option and error helpers. */
#include "cli.h"

#include "../motion/motion.h"

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
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

#ifndef STATION_SYSCONFDIR
#define STATION_SYSCONFDIR "/etc/station"
#endif

const char *cli_config_path(const char *given)
{
    if (given)
        return given;
    const char *env = getenv("STATION_CONFIG");
    if (env && *env)
        return env;
    if (access("config/station.cfg", R_OK) == 0)
        return "config/station.cfg";
    if (access(STATION_SYSCONFDIR "/station.cfg", R_OK) == 0)
        return STATION_SYSCONFDIR "/station.cfg";
    return NULL;
}

void cli_load_config_or_die(const char *given, struct station_config *cfg)
{
    const char *path = cli_config_path(given);
    if (!path) {
        config_defaults(cfg);
        return;
    }
    char errs[4096];
    if (config_load(cfg, path, errs, sizeof errs) > 0) {
        fputs(errs, stderr);
        die(EXIT_USAGE, "%s: configuration has errors; not starting", path);
    }
}

void cli_motion_params(const struct station_config *cfg, struct motion_params *p)
{
    motion_params_default(p);
    p->rate_min_hz = cfg->rocking.rate_min_hz;
    p->rate_max_hz = cfg->rocking.rate_max_hz;
    p->rhythm_cv_max = cfg->rocking.rhythm_cv_max;
    p->swing_min_deg = cfg->rocking.swing_min_deg;
    p->swing_max_deg = cfg->rocking.swing_max_deg;
    p->hold_min_s = cfg->holds.min_hold_s;
}
