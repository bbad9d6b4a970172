/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mpu6050: register set-up, FIFO level and frame decoding of the MPU-6050. */
#include "mpu6050.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mpu6050_emu.h"

static const int addresses[] = {0x68, 0x69, 0};
static const int filters[] = {260, 184, 94, 44, 21, 10, 5, 0};

static int scale_index(const struct mpu6050_scale *t, int range)
{
    for (int i = 0; i < 4; i++)
        if (t[i].range == range)
            return i;
    return -1;
}

static const struct mpu6050_dlpf *dlpf_by_hz(int hz)
{
    for (size_t i = 0; i < sizeof mpu6050_dlpfs / sizeof mpu6050_dlpfs[0]; i++)
        if (mpu6050_dlpfs[i].hz == hz)
            return &mpu6050_dlpfs[i];
    return NULL;
}

static int fifo_reset(struct imu *dev)
{
    int rc = dev->tr.write(dev->tr.ctx, MPU6050_REG_USER_CTRL, 0);
    if (rc == 0)
        rc = dev->tr.write(dev->tr.ctx, MPU6050_REG_USER_CTRL, MPU6050_BIT_FIFO_RESET);
    if (rc == 0)
        rc = dev->tr.write(dev->tr.ctx, MPU6050_REG_USER_CTRL, MPU6050_BIT_FIFO_EN);
    return rc;
}

#define FIFO_EN_ALL (MPU6050_BIT_ACCEL_FIFO_EN | MPU6050_BIT_XG_FIFO_EN | \
                     MPU6050_BIT_YG_FIFO_EN | MPU6050_BIT_ZG_FIFO_EN)

static int configure(struct imu *dev, double *waited_s, char *err, size_t errlen)
{
    const struct mpu6050_dlpf *dl = dlpf_by_hz(dev->set.filter_hz);
    int ai = scale_index(mpu6050_accel_scales, dev->set.accel_range_g);
    int gi = scale_index(mpu6050_gyro_scales, dev->set.gyro_range_dps);
    if (!dl || ai < 0 || gi < 0 || dev->set.sample_rate_hz <= 0 ||
        dev->set.sample_rate_hz > 1000) {
        snprintf(err, errlen, "unsupported settings: %d Hz, DLPF %d Hz, +-%d g, +-%d dps",
                 dev->set.sample_rate_hz, dev->set.filter_hz, dev->set.accel_range_g,
                 dev->set.gyro_range_dps);
        return -EINVAL;
    }
    long div = lround((double)dl->gyro_rate_hz / dev->set.sample_rate_hz) - 1;
    if (div < 0)
        div = 0;
    if (div > 255)
        div = 255;
    dev->rate_hz = (double)dl->gyro_rate_hz / (double)(div + 1);
    dev->accel_lsb = mpu6050_accel_scales[ai].lsb_per_unit;
    dev->gyro_lsb = mpu6050_gyro_scales[gi].lsb_per_unit;

    struct transport *t = &dev->tr;
    int rc = t->write(t->ctx, MPU6050_REG_PWR_MGMT_1, MPU6050_BIT_DEVICE_RESET);
    if (rc < 0) {
        snprintf(err, errlen, "device reset: %s", strerror(-rc));
        return rc;
    }
    t->sleep_ms(t->ctx, MPU6050_RESET_WAIT_MS);
    rc = t->write(t->ctx, MPU6050_REG_SIGNAL_PATH_RESET,
                  MPU6050_BIT_GYRO_RESET | MPU6050_BIT_ACCEL_RESET | MPU6050_BIT_TEMP_RESET);
    if (rc < 0) {
        snprintf(err, errlen, "signal path reset: %s", strerror(-rc));
        return rc;
    }
    t->sleep_ms(t->ctx, MPU6050_RESET_WAIT_MS);
    *waited_s = 2 * MPU6050_RESET_WAIT_MS / 1000.0;

    const struct imu_reg_val seq[] = {
        {MPU6050_REG_PWR_MGMT_1, MPU6050_CLKSEL_PLL_XGYRO},
        {MPU6050_REG_PWR_MGMT_2, 0},
        {MPU6050_REG_CONFIG, dl->cfg},
        {MPU6050_REG_SMPLRT_DIV, (uint8_t)div},
        {MPU6050_REG_GYRO_CONFIG, (uint8_t)(gi << MPU6050_SHIFT_FS_SEL)},
        {MPU6050_REG_ACCEL_CONFIG, (uint8_t)(ai << MPU6050_SHIFT_AFS_SEL)},
        {MPU6050_REG_INT_PIN_CFG, 0},
        {MPU6050_REG_INT_ENABLE, MPU6050_BIT_FIFO_OFLOW_EN | MPU6050_BIT_DATA_RDY_EN},
        {MPU6050_REG_USER_CTRL, 0},
        {MPU6050_REG_FIFO_EN, FIFO_EN_ALL},
    };
    rc = imu_write_seq(dev, seq, sizeof seq / sizeof seq[0], err, errlen);
    /* The 6500 family filters the accelerometer separately; its A_DLPF_CFG
     * codes follow the gyro's closely enough for our bandwidths. */
    if (rc == 0 && (dev->model->variant & MPU6050_VARIANT_ACCEL_CONFIG2))
        rc = imu_write_verify(dev, MPU6500_REG_ACCEL_CONFIG2, dl->cfg, err, errlen);
    return rc;
}

static int fifo_level(struct imu *dev, struct imu_fifo_level *lv)
{
    uint8_t status = 0;
    int rc = dev->tr.read(dev->tr.ctx, MPU6050_REG_INT_STATUS, &status, 1);
    if (rc < 0)
        return rc;
    if (status & MPU6050_BIT_FIFO_OFLOW_INT) {
        lv->overflow = "overflow";
        return 0;
    }
    uint8_t cnt[2];
    rc = dev->tr.read(dev->tr.ctx, MPU6050_REG_FIFO_COUNT_H, cnt, 2);
    if (rc < 0)
        return rc;
    unsigned count = (unsigned)(cnt[0] << 8 | cnt[1]);
    if (count > dev->model->fifo_bytes)
        lv->overflow = "count corrupted";
    /* A full FIFO drops its oldest bytes and loses frame alignment: reset
     * while the frames we have are still whole. */
    else if (count + MPU6050_FRAME_BYTES > dev->model->fifo_bytes)
        lv->overflow = "full";
    lv->frames = count / MPU6050_FRAME_BYTES;
    return 0;
}

/* A power loss leaves the chip asleep with its FIFO off. */
static int diagnose(struct imu *dev, char *found, size_t len)
{
    uint8_t pwr = 0, user = 0, fen = 0;
    int rc = imu_read_reg(dev, MPU6050_REG_PWR_MGMT_1, &pwr);
    if (rc == 0)
        rc = imu_read_reg(dev, MPU6050_REG_USER_CTRL, &user);
    if (rc == 0)
        rc = imu_read_reg(dev, MPU6050_REG_FIFO_EN, &fen);
    if (rc < 0)
        return rc;
    if (pwr & MPU6050_BIT_SLEEP)
        snprintf(found, len, "asleep, PWR_MGMT_1 0x%02x: lost power?", pwr);
    else if (!(user & MPU6050_BIT_FIFO_EN))
        snprintf(found, len, "FIFO off, USER_CTRL 0x%02x", user);
    else if ((fen & FIFO_EN_ALL) != FIFO_EN_ALL)
        snprintf(found, len, "FIFO_EN 0x%02x, 0x%02x expected", fen, FIFO_EN_ALL);
    else
        snprintf(found, len, "registers as set");
    return 0;
}

void mpu6050_parse_frame(const unsigned char *f, double accel_lsb, double gyro_lsb,
                         struct sample *s)
{
    for (int i = 0; i < 3; i++) {
        int16_t ra = (int16_t)((uint16_t)(f[2 * i] << 8) | f[2 * i + 1]);
        int16_t rg = (int16_t)((uint16_t)(f[6 + 2 * i] << 8) | f[6 + 2 * i + 1]);
        s->a[i] = ra / accel_lsb;
        s->g[i] = rg / gyro_lsb;
    }
}

static bool decode(const struct imu *dev, const uint8_t *frame, struct sample *s)
{
    mpu6050_parse_frame(frame, dev->accel_lsb, dev->gyro_lsb, s);
    return true;
}

const struct imu_driver mpu6050_driver = {
    .family = "MPU-6050",
    .who_am_i_reg = MPU6050_REG_WHO_AM_I,
    .models = mpu6050_models,
    .nmodels = MPU6050_CHIP_COUNT,
    .addresses = addresses,
    .filters_hz = filters,
    .rates_hz = NULL,
    .frame_bytes = MPU6050_FRAME_BYTES,
    .fifo_reg = MPU6050_REG_FIFO_R_W,
    .settle_s = MPU6050_SETTLE_S,
    .configure = configure,
    .fifo_level = fifo_level,
    .fifo_reset = fifo_reset,
    .decode = decode,
    .diagnose = diagnose,
    .emu = &mpu6050_emu_ops,
};
