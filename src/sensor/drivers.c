/* SPDX-License-Identifier: GPL-3.0-or-later */
/* drivers: the driver table and what is looked up in it. */
#include "drivers.h"

#include <stdio.h>
#include <string.h>

#include "lsm6dsx.h"
#include "mpu6050.h"

const struct imu_driver *const imu_drivers[] = {
    &mpu6050_driver,
    &lsm6ds3_driver,
    &lsm6dso_driver,
    NULL,
};

const struct imu_model *drivers_model(const char *key, const struct imu_driver **drv)
{
    for (int d = 0; key && imu_drivers[d]; d++)
        for (size_t m = 0; m < imu_drivers[d]->nmodels; m++)
            if (strcmp(imu_drivers[d]->models[m].key, key) == 0) {
                if (drv)
                    *drv = imu_drivers[d];
                return &imu_drivers[d]->models[m];
            }
    return NULL;
}

void drivers_model_keys(char *buf, size_t len, int genuine_only)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int d = 0; imu_drivers[d]; d++)
        for (size_t m = 0; m < imu_drivers[d]->nmodels && used < len; m++) {
            const struct imu_model *mo = &imu_drivers[d]->models[m];
            if (genuine_only && !mo->genuine)
                continue;
            used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "", mo->key);
        }
}

void drivers_filters(const struct imu_driver *drv, int rate_hz, int *out, size_t max)
{
    if (drv->filters_at) {
        drv->filters_at(rate_hz, out, max);
        return;
    }
    size_t i = 0;
    for (; i + 1 < max && drv->filters_hz[i]; i++)
        out[i] = drv->filters_hz[i];
    out[i] = 0;
}

/* The lowest of rates at least want, else the highest. */
static int rate_for(const int *rates, int want)
{
    int above = 0, highest = 0;
    for (int i = 0; rates[i]; i++) {
        if (rates[i] >= want && (!above || rates[i] < above))
            above = rates[i];
        highest = rates[i] > highest ? rates[i] : highest;
    }
    return above ? above : highest;
}

struct imu_settings drivers_settings(const struct imu_driver *drv,
                                     const struct config_sensor *cfg)
{
    struct imu_settings set = {cfg->sample_rate_hz, cfg->dlpf_hz, cfg->accel_range_g,
                               cfg->gyro_range_dps};
    if (drv->rates_hz)
        set.sample_rate_hz = rate_for(drv->rates_hz, set.sample_rate_hz);
    int filters[16];
    drivers_filters(drv, set.sample_rate_hz, filters, 16);
    if (imu_index_of(filters, set.filter_hz) < 0)
        set.filter_hz = imu_nearest(filters, set.filter_hz);
    return set;
}

/* Adds v to a 0-terminated list of at most max entries when missing. */
static void add_unique(int *list, size_t max, int v)
{
    size_t n = 0;
    while (list[n] && list[n] != v)
        n++;
    if (!list[n] && n + 1 < max) {
        list[n] = v;
        list[n + 1] = 0;
    }
}

size_t drivers_config_rules(const struct station_config *cfg, struct config_rule *out,
                            size_t max)
{
    if (max < 4)
        return 0;
    const char *chip = cfg->sensor.chip;
    bool any = strcmp(chip, "auto") == 0;
    memset(out, 0, 4 * sizeof *out);
    /* sensor.chip itself */
    struct config_rule *names = &out[0];
    names->key = "sensor.chip";
    names->because = "the chips the station has drivers for";
    size_t nn = 0;
    names->names[nn++] = "auto";
    for (int d = 0; imu_drivers[d]; d++)
        for (size_t m = 0; m < imu_drivers[d]->nmodels; m++)
            if (imu_drivers[d]->models[m].genuine && nn + 1 < CONFIG_RULE_MAX)
                names->names[nn++] = imu_drivers[d]->models[m].key;
    const struct imu_driver *drv = NULL;
    if (!any && !drivers_model(chip, &drv))
        return 1; /* the name is wrong: that is the error to tell */
    struct config_rule *addr = &out[1], *rate = &out[2], *filt = &out[3];
    addr->key = "sensor.address";
    rate->key = "sensor.sample_rate_hz";
    filt->key = "sensor.dlpf_hz";
    static char because[96];
    snprintf(because, sizeof because, "with sensor.chip = \"%s\"", chip);
    addr->because = rate->because = filt->because = because;
    bool any_rate = false;
    for (int d = 0; imu_drivers[d]; d++) {
        const struct imu_driver *dr = imu_drivers[d];
        if (!any && dr != drv)
            continue;
        for (int i = 0; dr->addresses[i]; i++)
            add_unique(addr->allowed, CONFIG_RULE_MAX, dr->addresses[i]);
        for (int i = 0; dr->rates_hz && dr->rates_hz[i]; i++)
            add_unique(rate->allowed, CONFIG_RULE_MAX, dr->rates_hz[i]);
        any_rate = any_rate || !dr->rates_hz;
        int f[16];
        drivers_filters(dr, dr->rates_hz ? rate_for(dr->rates_hz, cfg->sensor.sample_rate_hz)
                                         : cfg->sensor.sample_rate_hz, f, 16);
        for (int i = 0; f[i]; i++)
            add_unique(filt->allowed, CONFIG_RULE_MAX, f[i]);
    }
    if (any_rate) /* a chip that takes any rate: the key's own range holds */
        rate->key = NULL;
    return 4;
}
