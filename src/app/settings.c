/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "settings.h"

#include <stdlib.h>
#include <unistd.h>

#include "../motion/motion.h"
#include "../sensor/drivers.h"

#ifndef STATION_SYSCONFDIR
#define STATION_SYSCONFDIR "/etc/station"
#endif

const char *settings_config_path(const char *given)
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

int settings_load(const char *given, struct station_config *cfg, const char **path, char *errs,
                  size_t errlen)
{
    *path = settings_config_path(given);
    if (errlen)
        errs[0] = '\0';
    if (!*path) {
        config_defaults(cfg);
        return 0;
    }
    int n = config_load_ruled(cfg, *path, drivers_config_rules, errs, errlen);
    return n > 0 ? n : 0;
}

void settings_motion_params(const struct station_config *cfg, struct motion_params *p)
{
    motion_params_default(p);
    p->rate_min_hz = cfg->rocking.rate_min_hz;
    p->rate_max_hz = cfg->rocking.rate_max_hz;
    p->rhythm_cv_max = cfg->rocking.rhythm_cv_max;
    p->swing_min_deg = cfg->rocking.swing_min_deg;
    p->swing_max_deg = cfg->rocking.swing_max_deg;
    p->hold_min_s = cfg->holds.min_hold_s;
}
