/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mpu6050_tables: chip, scale and filter tables for the driver and emulator. */
#include "mpu6050_regs.h"

#define C2 MPU6050_VARIANT_ACCEL_CONFIG2
const struct imu_model mpu6050_models[MPU6050_CHIP_COUNT] = {
    [MPU6050_CHIP_MPU6050] = {"mpu6050", 0x68, "MPU-6050", 1024, 0, true},
    [MPU6050_CHIP_MPU6500] = {"mpu6500", 0x70, "MPU-6500", 512, C2, false},
    [MPU6050_CHIP_MPU9250] = {"mpu9250", 0x71, "MPU-9250", 512, C2, false},
    [MPU6050_CHIP_MPU9255] = {"mpu9255", 0x73, "MPU-9255", 512, C2, false},
    [MPU6050_CHIP_ICM20689] = {"icm20689", 0x98, "ICM-20689", 512, C2, false},
    [MPU6050_CHIP_ICM20602] = {"icm20602", 0x12, "ICM-20602", 1008, C2, false},
    [MPU6050_CHIP_ICM20608] = {"icm20608", 0xAF, "ICM-20608", 512, C2, false},
};

const struct mpu6050_scale mpu6050_accel_scales[4] = {
    {2, 16384.0}, {4, 8192.0}, {8, 4096.0}, {16, 2048.0},
};

const struct mpu6050_scale mpu6050_gyro_scales[4] = {
    {250, 131.0}, {500, 65.5}, {1000, 32.8}, {2000, 16.4},
};

/* CFG 0 turns the gyro low-pass off and the gyro output rate up to 8 kHz. */
const struct mpu6050_dlpf mpu6050_dlpfs[7] = {
    {260, 0, 8000}, {184, 1, 1000}, {94, 2, 1000}, {44, 3, 1000},
    {21, 4, 1000}, {10, 5, 1000}, {5, 6, 1000},
};
