/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lsm6dsx: the drivers of ST's LSM6DS3 and LSM6DSO (one file, two rows of
 * the driver table: their FIFOs and filters differ), filled into struct
 * imu_driver. */
#ifndef STATION_LSM6DSX_H
#define STATION_LSM6DSX_H

#include "imu.h"
#include "lsm6dsx_regs.h"

extern const struct imu_driver lsm6ds3_driver;
extern const struct imu_driver lsm6dso_driver;

#endif
