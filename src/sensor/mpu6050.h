/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mpu6050: the driver of the MPU-6050 (and register-compatible relatives):
 * its probe, register set-up, FIFO level and frame format, filled into one
 * struct imu_driver. The reading loop and fault recovery are imu.c's. */
#ifndef STATION_MPU6050_H
#define STATION_MPU6050_H

#include "imu.h"
#include "mpu6050_regs.h"

extern const struct imu_driver mpu6050_driver;

/* Converts one 12-byte FIFO frame to physical units with the given scales. */
void mpu6050_parse_frame(const unsigned char *frame, double accel_lsb,
                         double gyro_lsb, struct sample *s);

#endif
