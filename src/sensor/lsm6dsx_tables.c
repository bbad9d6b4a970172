/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lsm6dsx_tables: FIFO layouts, rate, scale and filter codes of the LSM6DSx
 * family, for the driver and its emulator. */
#include "lsm6dsx_regs.h"

const struct lsm6dsx_layout lsm6dsx_layouts[LSM6DSX_VARIANT_COUNT] = {
    /* 8 kbyte FIFO of 16-bit words; DIFF_FIFO[11:0] */
    [LSM6DSX_DS3] = {0x06, 0x07, 0x08, 0x0A, 3, LSM6DS3_REG_FIFO_DATA_OUT_L, 0x0FFF, 2, 6, 4096,
                     4, LSM6DS3_BIT_FIFO_EMPTY},
    /* 3 kbyte FIFO: 512 words of 6 data bytes, each read with its tag;
     * DIFF_FIFO[9:0] */
    [LSM6DSX_DSO] = {0x07, 0x08, 0x09, 0x0A, 0, LSM6DSO_REG_FIFO_DATA_OUT_TAG, 0x03FF, 7, 2, 512,
                     2, 0},
};

/* ODR codes 1 (12.5 Hz) and above 833 Hz are left out: the station runs
 * at 10..1000 whole Hz. The DSO calls 416 Hz 417. */
const struct lsm6dsx_code lsm6dsx_odrs[6] = {
    {26, 2, 0}, {52, 3, 0}, {104, 4, 0}, {208, 5, 0}, {416, 6, 0}, {833, 7, 0},
};

/* Sensitivity 0.061, 0.488, 0.122, 0.244 mg/LSB by FS_XL code. */
const struct lsm6dsx_code lsm6dsx_accel_scales[4] = {
    {2, 0, 1000 / 0.061}, {16, 1, 1000 / 0.488}, {4, 2, 1000 / 0.122}, {8, 3, 1000 / 0.244},
};

/* Sensitivity 8.75, 17.5, 35, 70 mdps/LSB by FS_G code. */
const struct lsm6dsx_code lsm6dsx_gyro_scales[4] = {
    {250, 0, 1000 / 8.75}, {500, 1, 1000 / 17.5}, {1000, 2, 1000 / 35.0}, {2000, 3, 1000 / 70.0},
};

/* With XL_BW_SCAL_ODR set, BW_XL chooses the anti-aliasing bandwidth. */
const struct lsm6dsx_code lsm6ds3_bandwidths[4] = {
    {400, 0, 0}, {200, 1, 0}, {100, 2, 0}, {50, 3, 0},
};

const struct imu_model lsm6ds3_models[1] = {
    {"lsm6ds3", 0x69, "LSM6DS3", 8192, LSM6DSX_DS3, true},
};

/* As read: 512 words of 7 bytes. */
const struct imu_model lsm6dso_models[1] = {
    {"lsm6dso", 0x6C, "LSM6DSO", 512 * 7, LSM6DSX_DSO, true},
};

const struct lsm6dsx_code *lsm6dsx_by_value(const struct lsm6dsx_code *t, size_t n, int value)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].value == value)
            return &t[i];
    return NULL;
}

const struct lsm6dsx_code *lsm6dsx_by_code(const struct lsm6dsx_code *t, size_t n,
                                           unsigned code)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].code == code)
            return &t[i];
    return NULL;
}
