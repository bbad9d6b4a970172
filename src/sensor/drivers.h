/* SPDX-License-Identifier: GPL-3.0-or-later */
/* drivers: the table of IMU drivers the station knows, walked by source
 * selection, auto-probe, the emulator and the configuration's checks.
 * Adding a chip is one driver file and one row in drivers.c. */
#ifndef STATION_DRIVERS_H
#define STATION_DRIVERS_H

#include <stddef.h>

#include "../config/config.h"
#include "imu.h"

/* The drivers, NULL-terminated, in probe order. */
extern const struct imu_driver *const imu_drivers[];

/* The model called key ("mpu6050", "lsm6dso", ...) and its driver; NULL
 * when no driver has it. */
const struct imu_model *drivers_model(const char *key, const struct imu_driver **drv);

/* Every model key, comma-separated, into buf (for messages). The genuine
 * flag limits it to the chips sensor.chip names (not relatives). */
void drivers_model_keys(char *buf, size_t len, int genuine_only);

/* The settings drv runs with for the configured ones: a rate or filter it
 * does not have becomes its nearest (the lowest rate at least the one asked
 * for). */
struct imu_settings drivers_settings(const struct imu_driver *drv,
                                     const struct config_sensor *cfg);

/* Filter bandwidths drv has at rate_hz, 0-terminated, into out. */
void drivers_filters(const struct imu_driver *drv, int rate_hz, int *out, size_t max);

/* The per-chip rules of the sensor keys, for config_load_ruled: with
 * sensor.chip = "X", sensor.address, sample_rate_hz and dlpf_hz must be
 * values chip X has ("auto": any chip's). */
size_t drivers_config_rules(const struct station_config *cfg, struct config_rule *out,
                            size_t max);

#endif
