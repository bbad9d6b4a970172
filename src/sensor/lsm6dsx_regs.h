/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lsm6dsx_regs: the register map of ST's LSM6DS3 (datasheet DocID026899) and
 * LSM6DSO (DS12140), each register followed by its bit fields. The two share
 * the control registers; their FIFOs differ (the DS3 streams 16-bit words
 * in a gyro-then-accelerometer pattern, the DSO tagged 7-byte words), and
 * those differences are rows of lsm6dsx_layouts[], not branches. */
#ifndef STATION_LSM6DSX_REGS_H
#define STATION_LSM6DSX_REGS_H

#include <stdint.h>

#include "imu.h"

#define LSM6DSX_REG_INT1_CTRL           0x0D
#define LSM6DSX_BIT_INT1_FTH            0x08 /* FIFO threshold reached */
#define LSM6DSX_BIT_INT1_FIFO_OVR       0x10 /* FIFO overrun */

#define LSM6DSX_REG_WHO_AM_I            0x0F

#define LSM6DSX_REG_CTRL1_XL            0x10
#define LSM6DSX_SHIFT_ODR               4    /* ODR_XL[7:4], ODR_G[7:4] */
#define LSM6DSX_SHIFT_FS                2    /* FS_XL[3:2], FS_G[3:2] */
#define LSM6DS3_BITS_BW_XL              0x03 /* DS3: anti-aliasing bandwidth */
#define LSM6DSO_BIT_LPF2_XL_EN          0x02 /* DSO: second accelerometer low-pass */

#define LSM6DSX_REG_CTRL2_G             0x11

#define LSM6DSX_REG_CTRL3_C             0x12
#define LSM6DSX_BIT_BDU                 0x40 /* output registers update together */
#define LSM6DSX_BIT_IF_INC              0x04 /* address auto-increment (reset value) */
#define LSM6DSX_BIT_SW_RESET            0x01

#define LSM6DSX_REG_CTRL4_C             0x13
#define LSM6DS3_BIT_XL_BW_SCAL_ODR      0x80 /* DS3: BW_XL sets the bandwidth */

#define LSM6DSX_REG_CTRL8_XL            0x17
#define LSM6DSO_SHIFT_HPCF_XL           5    /* DSO: LPF2 cut-off, ODR/4 .. ODR/800 */

#define LSM6DSX_REG_OUTX_L_G            0x22 /* gyro x, y, z then accel x, y, z, LE */

#define LSM6DSX_REG_FIFO_STATUS1        0x3A /* DIFF_FIFO[7:0]: unread words */
#define LSM6DSX_REG_FIFO_STATUS2        0x3B
#define LSM6DSX_BIT_FIFO_OVER_RUN       0x40
#define LSM6DSX_BIT_FIFO_FULL           0x20
#define LSM6DS3_BIT_FIFO_EMPTY          0x10
#define LSM6DS3_REG_FIFO_STATUS3        0x3C /* DS3: FIFO_PATTERN[7:0], the next word's */
#define LSM6DS3_REG_FIFO_STATUS4        0x3D /* DS3: FIFO_PATTERN[9:8] */
#define LSM6DS3_BITS_FIFO_PATTERN_HI    0x03

#define LSM6DS3_REG_FIFO_DATA_OUT_L     0x3E /* DS3: FIFO words, rolling over to 0x3E */
#define LSM6DSO_REG_FIFO_DATA_OUT_TAG   0x78 /* DSO: tag, then 6 bytes, rolling over */

#define LSM6DSX_FIFO_MODE_BYPASS        0x00
#define LSM6DSX_FIFO_MODE_CONTINUOUS    0x06
#define LSM6DSX_BITS_FIFO_MODE          0x07

/* LSM6DSO FIFO word tags (FIFO_DATA_OUT_TAG[7:3]). */
#define LSM6DSO_TAG_GYRO                0x01
#define LSM6DSO_TAG_ACCEL               0x02
#define LSM6DSO_SHIFT_TAG               3

#define LSM6DSX_NUM_REGS                0x80

/* After SW_RESET (datasheets: 50 us; boot up to 10 ms). */
#define LSM6DSX_RESET_WAIT_MS           20
/* Gyro turn-on time (70 ms): frames before this are dropped. */
#define LSM6DSX_SETTLE_S                0.08

enum lsm6dsx_variant { LSM6DSX_DS3, LSM6DSX_DSO, LSM6DSX_VARIANT_COUNT };

/* Where each chip keeps its FIFO. */
struct lsm6dsx_layout {
    uint8_t fifo_th_reg;     /* DS3 FIFO_CTRL1 (FTH[7:0]), DSO FIFO_CTRL1 (WTM[7:0]) */
    uint8_t fifo_th2_reg;    /* the threshold's high bits: DS3 FIFO_CTRL2, DSO FIFO_CTRL2 */
    uint8_t fifo_rate_reg;   /* DS3 FIFO_CTRL3 (decimation), DSO FIFO_CTRL3 (BDR_GY|BDR_XL) */
    uint8_t fifo_mode_reg;   /* DS3 FIFO_CTRL5 (ODR_FIFO[6:3]|mode), DSO FIFO_CTRL4 (mode) */
    uint8_t fifo_mode_odr_shift; /* where the FIFO's ODR sits in fifo_mode_reg (0: not there) */
    uint8_t fifo_out_reg;    /* DS3 FIFO_DATA_OUT_L, DSO FIFO_DATA_OUT_TAG */
    uint16_t diff_mask;      /* DIFF_FIFO bits (STATUS2's low bits above STATUS1) */
    uint8_t word_bytes;      /* one FIFO word as read: 2 (DS3), tag + 6 (DSO) */
    uint8_t words_per_frame; /* one accel+gyro sample: 6 axis words, or 2 tagged words */
    uint16_t fifo_words;     /* FIFO capacity, words */
    uint8_t status_bytes;    /* FIFO_STATUS registers read: 4 on the DS3 (its FIFO_PATTERN
                                in STATUS3/4), 2 on the DSO */
    uint8_t empty_bit;       /* STATUS2's FIFO_EMPTY (DS3), or 0: none (DSO) */
};

struct lsm6dsx_code {
    int value;   /* Hz, g, dps */
    uint8_t code;
    double lsb_per_unit; /* scales only */
};

extern const struct lsm6dsx_layout lsm6dsx_layouts[LSM6DSX_VARIANT_COUNT];
extern const struct lsm6dsx_code lsm6dsx_odrs[6];         /* ODR_XL / ODR_G / BDR codes */
extern const struct lsm6dsx_code lsm6dsx_accel_scales[4]; /* FS_XL: 2, 16, 4, 8 g */
extern const struct lsm6dsx_code lsm6dsx_gyro_scales[4];  /* FS_G: 250 .. 2000 dps */
extern const struct lsm6dsx_code lsm6ds3_bandwidths[4];   /* BW_XL: 400 .. 50 Hz */
extern const struct imu_model lsm6ds3_models[1];
extern const struct imu_model lsm6dso_models[1];

/* The entry of a table with the given value, or with the given code; NULL
 * when none. */
const struct lsm6dsx_code *lsm6dsx_by_value(const struct lsm6dsx_code *t, size_t n, int value);
const struct lsm6dsx_code *lsm6dsx_by_code(const struct lsm6dsx_code *t, size_t n,
                                           unsigned code);

#endif
