/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lsm6dsx: register set-up, FIFO level and frame decoding of the LSM6DS3
 * and LSM6DSO. */
#include "lsm6dsx.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lsm6dsx_emu.h"

#define N(t) (sizeof(t) / sizeof((t)[0]))

static const int addresses[] = {0x6A, 0x6B, 0};
static const int rates[] = {26, 52, 104, 208, 416, 833, 0};
static const int ds3_filters[] = {400, 200, 100, 50, 0};

/* The DSO's accelerometer low-pass follows the rate: ODR/2 with LPF2 off,
 * else ODR/4 .. ODR/100 by HPCF_XL (datasheet table "accelerometer
 * bandwidth selection"). */
static const struct { int divisor; bool lpf2; uint8_t hpcf; } dso_lpf[] = {
    {2, false, 0}, {4, true, 0}, {10, true, 1}, {20, true, 2}, {45, true, 3}, {100, true, 4},
};

static void dso_filters_at(int rate_hz, int *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < N(dso_lpf) && n + 1 < max; i++) {
        int hz = (int)lround((double)rate_hz / dso_lpf[i].divisor);
        if (hz >= 1 && (n == 0 || out[n - 1] != hz))
            out[n++] = hz;
    }
    out[n] = 0;
}

static const struct lsm6dsx_layout *layout(const struct imu *dev)
{
    return &lsm6dsx_layouts[dev->model->variant];
}

static uint8_t odr_code(const struct imu *dev)
{
    const struct lsm6dsx_code *o = lsm6dsx_by_value(lsm6dsx_odrs, N(lsm6dsx_odrs),
                                                    (int)dev->rate_hz);
    return o ? o->code : 0;
}

/* The FIFO's mode register in a mode: the DS3 keeps the FIFO's rate there. */
static uint8_t fifo_mode(const struct imu *dev, uint8_t mode)
{
    const struct lsm6dsx_layout *l = layout(dev);
    return (uint8_t)(mode | (l->fifo_mode_odr_shift ? odr_code(dev) << l->fifo_mode_odr_shift : 0));
}

static int fifo_reset(struct imu *dev)
{
    /* Bypass mode empties the FIFO and clears its flags. */
    uint8_t reg = layout(dev)->fifo_mode_reg;
    int rc = dev->tr.write(dev->tr.ctx, reg, fifo_mode(dev, LSM6DSX_FIFO_MODE_BYPASS));
    if (rc == 0)
        rc = dev->tr.write(dev->tr.ctx, reg, fifo_mode(dev, LSM6DSX_FIFO_MODE_CONTINUOUS));
    return rc;
}

/* The accelerometer filter bits: CTRL1_XL's low bits and CTRL8_XL. */
static int filter_bits(const struct imu *dev, uint8_t *ctrl1_low, uint8_t *ctrl8)
{
    *ctrl1_low = 0;
    *ctrl8 = 0;
    if (dev->model->variant == LSM6DSX_DS3) {
        const struct lsm6dsx_code *bw =
            lsm6dsx_by_value(lsm6ds3_bandwidths, N(lsm6ds3_bandwidths), dev->set.filter_hz);
        if (!bw)
            return -1;
        *ctrl1_low = bw->code;
        return 0;
    }
    for (size_t i = 0; i < N(dso_lpf); i++)
        if (lround(dev->rate_hz / dso_lpf[i].divisor) == dev->set.filter_hz) {
            *ctrl1_low = dso_lpf[i].lpf2 ? LSM6DSO_BIT_LPF2_XL_EN : 0;
            *ctrl8 = (uint8_t)(dso_lpf[i].hpcf << LSM6DSO_SHIFT_HPCF_XL);
            return 0;
        }
    return -1;
}

static int configure(struct imu *dev, double *waited_s, char *err, size_t errlen)
{
    const struct lsm6dsx_layout *l = layout(dev);
    const struct lsm6dsx_code *odr =
        lsm6dsx_by_value(lsm6dsx_odrs, N(lsm6dsx_odrs), dev->set.sample_rate_hz);
    const struct lsm6dsx_code *fa =
        lsm6dsx_by_value(lsm6dsx_accel_scales, N(lsm6dsx_accel_scales), dev->set.accel_range_g);
    const struct lsm6dsx_code *fg =
        lsm6dsx_by_value(lsm6dsx_gyro_scales, N(lsm6dsx_gyro_scales), dev->set.gyro_range_dps);
    uint8_t ctrl1_low = 0, ctrl8 = 0;
    if (odr)
        dev->rate_hz = odr->value;
    if (!odr || !fa || !fg || filter_bits(dev, &ctrl1_low, &ctrl8) < 0) {
        snprintf(err, errlen, "unsupported settings for the %s: %d Hz, filter %d Hz, +-%d g, "
                 "+-%d dps", dev->model->name, dev->set.sample_rate_hz, dev->set.filter_hz,
                 dev->set.accel_range_g, dev->set.gyro_range_dps);
        return -EINVAL;
    }
    dev->accel_lsb = fa->lsb_per_unit;
    dev->gyro_lsb = fg->lsb_per_unit;

    struct transport *t = &dev->tr;
    int rc = t->write(t->ctx, LSM6DSX_REG_CTRL3_C, LSM6DSX_BIT_SW_RESET);
    if (rc < 0) {
        snprintf(err, errlen, "software reset: %s", strerror(-rc));
        return rc;
    }
    t->sleep_ms(t->ctx, LSM6DSX_RESET_WAIT_MS);
    *waited_s = LSM6DSX_RESET_WAIT_MS / 1000.0;

    const bool ds3 = dev->model->variant == LSM6DSX_DS3;
    const uint8_t o = odr->code;
    const struct imu_reg_val seq[] = {
        {LSM6DSX_REG_CTRL3_C, LSM6DSX_BIT_BDU | LSM6DSX_BIT_IF_INC},
        {LSM6DSX_REG_CTRL4_C, ds3 ? LSM6DS3_BIT_XL_BW_SCAL_ODR : 0},
        {LSM6DSX_REG_CTRL8_XL, ctrl8},
        {LSM6DSX_REG_CTRL1_XL,
         (uint8_t)(o << LSM6DSX_SHIFT_ODR | fa->code << LSM6DSX_SHIFT_FS | ctrl1_low)},
        {LSM6DSX_REG_CTRL2_G, (uint8_t)(o << LSM6DSX_SHIFT_ODR | fg->code << LSM6DSX_SHIFT_FS)},
        /* the threshold is one frame: INT1 is high while a frame waits */
        {l->fifo_th_reg, l->words_per_frame},
        {l->fifo_th2_reg, 0},
        /* both sensors into the FIFO at the output rate: DS3 no decimation
         * (DEC_FIFO_GYRO = DEC_FIFO_XL = 1), DSO BDR_GY = BDR_XL = ODR */
        {l->fifo_rate_reg, ds3 ? 0x09 : (uint8_t)(o << 4 | o)},
        {LSM6DSX_REG_INT1_CTRL, LSM6DSX_BIT_INT1_FTH | LSM6DSX_BIT_INT1_FIFO_OVR},
        {l->fifo_mode_reg, fifo_mode(dev, LSM6DSX_FIFO_MODE_BYPASS)},
    };
    return imu_write_seq(dev, seq, N(seq), err, errlen);
}

static int fifo_level(struct imu *dev, struct imu_fifo_level *lv)
{
    const struct lsm6dsx_layout *l = layout(dev);
    uint8_t st[4] = {0};
    int rc = dev->tr.read(dev->tr.ctx, LSM6DSX_REG_FIFO_STATUS1, st, l->status_bytes);
    if (rc < 0)
        return rc;
    unsigned words = ((unsigned)st[1] << 8 | st[0]) & l->diff_mask;
    bool flagged = st[1] & (LSM6DSX_BIT_FIFO_OVER_RUN | LSM6DSX_BIT_FIFO_FULL);
    /* The DS3 says more than its count: whether it is empty, and which word
     * of a frame comes next (frames are written whole, so the count is that
     * word's frame's rest plus whole frames). A count that disagrees is
     * garbled, even inside its 12 bits; reading it would misalign frames. */
    unsigned pattern = ((unsigned)(st[3] & LSM6DS3_BITS_FIFO_PATTERN_HI) << 8) | st[2];
    bool empty_wrong = l->empty_bit && !flagged && !(st[1] & l->empty_bit) != (words != 0);
    bool pattern_wrong = l->status_bytes > 2 && !flagged &&
                         (pattern >= l->words_per_frame ||
                          words % l->words_per_frame !=
                              (l->words_per_frame - pattern) % l->words_per_frame);
    if (st[1] & LSM6DSX_BIT_FIFO_OVER_RUN)
        lv->overflow = "overflow";
    else if (words > l->fifo_words || empty_wrong || pattern_wrong)
        lv->overflow = "count corrupted";
    /* a full FIFO overwrites its oldest words next: reset while whole */
    else if ((st[1] & LSM6DSX_BIT_FIFO_FULL) || words + l->words_per_frame > l->fifo_words)
        lv->overflow = "full";
    lv->frames = words / l->words_per_frame;
    return 0;
}

/* A power loss leaves the chip powered down (ODR 0) with its FIFO bypassed. */
static int diagnose(struct imu *dev, char *found, size_t len)
{
    const struct lsm6dsx_layout *l = layout(dev);
    uint8_t ctrl1 = 0, mode = 0;
    int rc = imu_read_reg(dev, LSM6DSX_REG_CTRL1_XL, &ctrl1);
    if (rc == 0)
        rc = imu_read_reg(dev, l->fifo_mode_reg, &mode);
    if (rc < 0)
        return rc;
    if (!(ctrl1 >> LSM6DSX_SHIFT_ODR))
        snprintf(found, len, "powered down, CTRL1_XL 0x%02x: lost power?", ctrl1);
    else if ((mode & LSM6DSX_BITS_FIFO_MODE) != LSM6DSX_FIFO_MODE_CONTINUOUS)
        snprintf(found, len, "FIFO off, FIFO mode register 0x%02x", mode);
    else
        snprintf(found, len, "registers as set");
    return 0;
}

static int16_t le16(const uint8_t *p)
{
    return (int16_t)((uint16_t)(p[1] << 8) | p[0]);
}

static void put3(double *v, const uint8_t *p, double lsb)
{
    for (int i = 0; i < 3; i++)
        v[i] = le16(p + 2 * i) / lsb;
}

/* DS3: gyro x, y, z then accelerometer x, y, z, one 16-bit word each. */
static bool ds3_decode(const struct imu *dev, const uint8_t *f, struct sample *s)
{
    put3(s->g, f, dev->gyro_lsb);
    put3(s->a, f + 6, dev->accel_lsb);
    return true;
}

/* DSO: two tagged words, one the gyro's and one the accelerometer's. */
static bool dso_decode(const struct imu *dev, const uint8_t *f, struct sample *s)
{
    bool have_a = false, have_g = false;
    for (int w = 0; w < 2; w++) {
        const uint8_t *word = f + 7 * w;
        unsigned tag = word[0] >> LSM6DSO_SHIFT_TAG;
        if (tag == LSM6DSO_TAG_GYRO && !have_g) {
            put3(s->g, word + 1, dev->gyro_lsb);
            have_g = true;
        } else if (tag == LSM6DSO_TAG_ACCEL && !have_a) {
            put3(s->a, word + 1, dev->accel_lsb);
            have_a = true;
        }
    }
    return have_a && have_g;
}

/* What the two drivers share. */
#define LSM6DSX_DRIVER_COMMON                                                             \
    .who_am_i_reg = LSM6DSX_REG_WHO_AM_I, .addresses = addresses, .rates_hz = rates,     \
    .settle_s = LSM6DSX_SETTLE_S, .configure = configure, .fifo_level = fifo_level,     \
    .fifo_reset = fifo_reset, .diagnose = diagnose, .emu = &lsm6dsx_emu_ops

const struct imu_driver lsm6ds3_driver = {
    LSM6DSX_DRIVER_COMMON,
    .family = "LSM6DS3",
    .models = lsm6ds3_models,
    .nmodels = N(lsm6ds3_models),
    .filters_hz = ds3_filters,
    .frame_bytes = 12,
    .fifo_reg = LSM6DS3_REG_FIFO_DATA_OUT_L,
    .decode = ds3_decode,
};

const struct imu_driver lsm6dso_driver = {
    LSM6DSX_DRIVER_COMMON,
    .family = "LSM6DSO",
    .models = lsm6dso_models,
    .nmodels = N(lsm6dso_models),
    .filters_at = dso_filters_at,
    .frame_bytes = 14,
    .fifo_reg = LSM6DSO_REG_FIFO_DATA_OUT_TAG,
    .decode = dso_decode,
};
