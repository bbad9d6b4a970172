/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mpu6050_regs: the MPU-6050 register map (InvenSense RM-MPU-6000A-00 rev 4.2),
 * each register followed by its bit fields, and the per-chip table of the
 * genuine part and its relatives. Names follow the register map. */
#ifndef STATION_MPU6050_REGS_H
#define STATION_MPU6050_REGS_H

#include <stdint.h>

#include "imu.h"

#define MPU6050_REG_SMPLRT_DIV          0x19

#define MPU6050_REG_CONFIG              0x1A
#define MPU6050_BITS_DLPF_CFG           0x07

#define MPU6050_REG_GYRO_CONFIG         0x1B
#define MPU6050_SHIFT_FS_SEL            3

#define MPU6050_REG_ACCEL_CONFIG        0x1C
#define MPU6050_SHIFT_AFS_SEL           3

/* MPU-6500 family only: accelerometer low-pass, separate from CONFIG. */
#define MPU6500_REG_ACCEL_CONFIG2       0x1D

#define MPU6050_REG_FIFO_EN             0x23
#define MPU6050_BIT_TEMP_FIFO_EN        0x80
#define MPU6050_BIT_XG_FIFO_EN          0x40
#define MPU6050_BIT_YG_FIFO_EN          0x20
#define MPU6050_BIT_ZG_FIFO_EN          0x10
#define MPU6050_BIT_ACCEL_FIFO_EN       0x08

#define MPU6050_REG_INT_PIN_CFG         0x37

#define MPU6050_REG_INT_ENABLE          0x38
#define MPU6050_BIT_FIFO_OFLOW_EN       0x10
#define MPU6050_BIT_DATA_RDY_EN         0x01

#define MPU6050_REG_INT_STATUS          0x3A
#define MPU6050_BIT_FIFO_OFLOW_INT      0x10
#define MPU6050_BIT_DATA_RDY_INT        0x01

#define MPU6050_REG_ACCEL_XOUT_H        0x3B
#define MPU6050_REG_TEMP_OUT_H          0x41
#define MPU6050_REG_GYRO_XOUT_H         0x43

#define MPU6050_REG_SIGNAL_PATH_RESET   0x68
#define MPU6050_BIT_GYRO_RESET          0x04
#define MPU6050_BIT_ACCEL_RESET         0x02
#define MPU6050_BIT_TEMP_RESET          0x01

#define MPU6050_REG_USER_CTRL           0x6A
#define MPU6050_BIT_FIFO_EN             0x40
#define MPU6050_BIT_FIFO_RESET          0x04
#define MPU6050_BIT_SIG_COND_RESET      0x01

#define MPU6050_REG_PWR_MGMT_1          0x6B
#define MPU6050_BIT_DEVICE_RESET        0x80
#define MPU6050_BIT_SLEEP               0x40
#define MPU6050_BITS_CLKSEL             0x07
#define MPU6050_CLKSEL_PLL_XGYRO        0x01

#define MPU6050_REG_PWR_MGMT_2          0x6C

#define MPU6050_REG_FIFO_COUNT_H        0x72
#define MPU6050_REG_FIFO_COUNT_L        0x73
#define MPU6050_REG_FIFO_R_W            0x74

#define MPU6050_REG_WHO_AM_I            0x75

#define MPU6050_NUM_REGS                0x80

/* FIFO frame with ACCEL + XG + YG + ZG enabled: registers 0x3B-0x40 then
 * 0x43-0x48, big-endian, in register order. */
#define MPU6050_FRAME_BYTES             12

/* Reset wait after DEVICE_RESET and SIGNAL_PATH_RESET (register map 4.28). */
#define MPU6050_RESET_WAIT_MS           100
/* Gyro start-up time (datasheet 6.1, 30 ms typical): frames before this are
 * dropped. */
#define MPU6050_SETTLE_S                0.05

enum mpu6050_chip_id {
    MPU6050_CHIP_MPU6050,
    MPU6050_CHIP_MPU6500,
    MPU6050_CHIP_MPU9250,
    MPU6050_CHIP_MPU9255,
    MPU6050_CHIP_ICM20689,
    MPU6050_CHIP_ICM20602,
    MPU6050_CHIP_ICM20608,
    MPU6050_CHIP_COUNT
};

/* mpu6050_models' variant: the 6500 family filters the accelerometer
 * separately (ACCEL_CONFIG2). */
#define MPU6050_VARIANT_ACCEL_CONFIG2 1

/* Full-scale ranges: register field value -> scale (LSB per unit). */
struct mpu6050_scale {
    int range;
    double lsb_per_unit;
};

/* DLPF bandwidth (gyro, Hz) -> DLPF_CFG, and the internal rate it implies. */
struct mpu6050_dlpf {
    int hz;
    uint8_t cfg;
    int gyro_rate_hz;
};

extern const struct imu_model mpu6050_models[MPU6050_CHIP_COUNT];
extern const struct mpu6050_scale mpu6050_accel_scales[4]; /* index = AFS_SEL */
extern const struct mpu6050_scale mpu6050_gyro_scales[4];  /* index = FS_SEL */
extern const struct mpu6050_dlpf mpu6050_dlpfs[7];

#endif
