/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mpu6050: probe, initialisation, FIFO reading and fault recovery. */
#include "mpu6050.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Trust the sample clock while it stays within this of the read time. */
#define CLOCK_JITTER_S 0.25
/* Fraction of the clock error corrected on each read: slow enough that read
 * jitter does not show in the timestamps, fast enough to follow a sensor
 * oscillator that is off by a few percent. */
#define CLOCK_GAIN 0.05

const struct mpu6050_chip *mpu6050_chip_by_id(unsigned who_am_i)
{
    for (int i = 0; i < MPU6050_CHIP_COUNT; i++)
        if (mpu6050_chips[i].who_am_i == who_am_i)
            return &mpu6050_chips[i];
    return NULL;
}

__attribute__((format(printf, 4, 5)))
static void push_event(struct mpu6050 *dev, enum mpu6050_event_kind kind, double t,
                       const char *fmt, ...)
{
    if (dev->nev == MPU6050_MAX_EVENTS) /* keep the newest: drop the oldest */
        memmove(dev->ev, dev->ev + 1, sizeof dev->ev[0] * (MPU6050_MAX_EVENTS - 1)),
            dev->nev--;
    struct mpu6050_event *e = &dev->ev[dev->nev++];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->t = t;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->text, sizeof e->text, fmt, ap);
    va_end(ap);
}

bool mpu6050_next_event(struct mpu6050 *dev, struct mpu6050_event *ev)
{
    if (dev->nev == 0)
        return false;
    *ev = dev->ev[0];
    memmove(dev->ev, dev->ev + 1, sizeof dev->ev[0] * (size_t)(dev->nev - 1));
    dev->nev--;
    return true;
}

static int read_reg(struct mpu6050 *dev, uint8_t reg, uint8_t *val)
{
    return dev->tr.read(dev->tr.ctx, reg, val, 1);
}

/* Writes and reads back: a bus that acknowledges but does not store (a
 * wrong device at the address, a glitching line) is caught at init. */
static int write_verify(struct mpu6050 *dev, uint8_t reg, uint8_t val, char *err,
                        size_t errlen)
{
    int rc = dev->tr.write(dev->tr.ctx, reg, val);
    uint8_t back = 0;
    if (rc == 0)
        rc = read_reg(dev, reg, &back);
    if (rc < 0) {
        snprintf(err, errlen, "register 0x%02x: %s", reg, strerror(-rc));
        return rc;
    }
    if (back != val) {
        snprintf(err, errlen, "register 0x%02x: wrote 0x%02x, read back 0x%02x", reg, val,
                 back);
        return -EIO;
    }
    return 0;
}

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

static int fifo_reset(struct mpu6050 *dev)
{
    int rc = dev->tr.write(dev->tr.ctx, MPU6050_REG_USER_CTRL, 0);
    if (rc == 0)
        rc = dev->tr.write(dev->tr.ctx, MPU6050_REG_USER_CTRL, MPU6050_BIT_FIFO_RESET);
    if (rc == 0)
        rc = dev->tr.write(dev->tr.ctx, MPU6050_REG_USER_CTRL, MPU6050_BIT_FIFO_EN);
    return rc;
}

static void anchor_clock(struct mpu6050 *dev, double now)
{
    dev->anchor = now;
    dev->frame = 0;
    dev->last_data = now; /* the data-flow watchdog counts from here */
}

/* Probe and configure; the chip's previous state does not matter. */
static int init_chip(struct mpu6050 *dev, double now, char *err, size_t errlen)
{
    uint8_t who = 0;
    int rc = read_reg(dev, MPU6050_REG_WHO_AM_I, &who);
    if (rc < 0) {
        snprintf(err, errlen, "no answer from the sensor (WHO_AM_I): %s", strerror(-rc));
        return rc;
    }
    const struct mpu6050_chip *chip = mpu6050_chip_by_id(who);
    if (!chip) {
        snprintf(err, errlen, "WHO_AM_I reads 0x%02x: not an MPU-6050 or a known "
                 "relative (0x68 expected)", who);
        return -ENODEV;
    }
    dev->chip = chip;

    const struct mpu6050_dlpf *dl = dlpf_by_hz(dev->set.dlpf_hz);
    int ai = scale_index(mpu6050_accel_scales, dev->set.accel_range_g);
    int gi = scale_index(mpu6050_gyro_scales, dev->set.gyro_range_dps);
    if (!dl || ai < 0 || gi < 0 || dev->set.sample_rate_hz <= 0 ||
        dev->set.sample_rate_hz > 1000) {
        snprintf(err, errlen, "unsupported settings: %d Hz, DLPF %d Hz, +-%d g, +-%d dps",
                 dev->set.sample_rate_hz, dev->set.dlpf_hz, dev->set.accel_range_g,
                 dev->set.gyro_range_dps);
        return -EINVAL;
    }
    long div = lround((double)dl->gyro_rate_hz / dev->set.sample_rate_hz) - 1;
    if (div < 0)
        div = 0;
    if (div > 255)
        div = 255;
    dev->rate_hz = (double)dl->gyro_rate_hz / (double)(div + 1);
    dev->period = 1.0 / dev->rate_hz;
    dev->accel_lsb = mpu6050_accel_scales[ai].lsb_per_unit;
    dev->gyro_lsb = mpu6050_gyro_scales[gi].lsb_per_unit;

    struct transport *t = &dev->tr;
    rc = t->write(t->ctx, MPU6050_REG_PWR_MGMT_1, MPU6050_BIT_DEVICE_RESET);
    if (rc < 0) {
        snprintf(err, errlen, "device reset: %s", strerror(-rc));
        return rc;
    }
    t->sleep_ms(t->ctx, MPU6050_RESET_WAIT_MS);
    now += MPU6050_RESET_WAIT_MS / 1000.0;
    rc = t->write(t->ctx, MPU6050_REG_SIGNAL_PATH_RESET,
                  MPU6050_BIT_GYRO_RESET | MPU6050_BIT_ACCEL_RESET | MPU6050_BIT_TEMP_RESET);
    if (rc < 0) {
        snprintf(err, errlen, "signal path reset: %s", strerror(-rc));
        return rc;
    }
    t->sleep_ms(t->ctx, MPU6050_RESET_WAIT_MS);
    now += MPU6050_RESET_WAIT_MS / 1000.0; /* the FIFO starts after the waits */

    const struct { uint8_t reg, val; } seq[] = {
        {MPU6050_REG_PWR_MGMT_1, MPU6050_CLKSEL_PLL_XGYRO},
        {MPU6050_REG_PWR_MGMT_2, 0},
        {MPU6050_REG_CONFIG, dl->cfg},
        {MPU6050_REG_SMPLRT_DIV, (uint8_t)div},
        {MPU6050_REG_GYRO_CONFIG, (uint8_t)(gi << MPU6050_SHIFT_FS_SEL)},
        {MPU6050_REG_ACCEL_CONFIG, (uint8_t)(ai << MPU6050_SHIFT_AFS_SEL)},
        {MPU6050_REG_INT_PIN_CFG, 0},
        {MPU6050_REG_INT_ENABLE, MPU6050_BIT_FIFO_OFLOW_EN | MPU6050_BIT_DATA_RDY_EN},
        {MPU6050_REG_USER_CTRL, 0},
        {MPU6050_REG_FIFO_EN, MPU6050_BIT_ACCEL_FIFO_EN | MPU6050_BIT_XG_FIFO_EN |
                                  MPU6050_BIT_YG_FIFO_EN | MPU6050_BIT_ZG_FIFO_EN},
    };
    for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++) {
        rc = write_verify(dev, seq[i].reg, seq[i].val, err, errlen);
        if (rc < 0)
            return rc;
    }
    if (chip->has_accel_config2) {
        /* The 6500 family filters the accelerometer separately; its A_DLPF_CFG
         * codes follow the gyro's closely enough for our bandwidths. */
        rc = write_verify(dev, MPU6500_REG_ACCEL_CONFIG2, dl->cfg, err, errlen);
        if (rc < 0)
            return rc;
    }
    rc = fifo_reset(dev);
    if (rc < 0) {
        snprintf(err, errlen, "FIFO reset: %s", strerror(-rc));
        return rc;
    }
    anchor_clock(dev, now);
    return 0;
}

int mpu6050_open(struct mpu6050 *dev, const struct transport *tr,
                 const struct mpu6050_settings *set, double now,
                 char *err, size_t errlen)
{
    memset(dev, 0, sizeof *dev);
    dev->tr = *tr;
    dev->set = *set;
    dev->last_t = -1;
    int rc = init_chip(dev, now, err, errlen);
    if (rc < 0)
        return rc;
    if (!dev->chip->genuine)
        push_event(dev, MPU6050_EV_CLONE, now,
                   "sensor answers as %s (WHO_AM_I 0x%02x), not a genuine MPU-6050: "
                   "running with the common register subset",
                   dev->chip->name, dev->chip->who_am_i);
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

/* After a fault the gap is measured when the first new sample arrives: it
 * runs from the sample after the last one handed out to that new sample,
 * which is what a trace shows as a jump in t_s. */
static void report_gap(struct mpu6050 *dev, const char *why)
{
    if (dev->last_t >= 0 && !dev->gap_why)
        dev->gap_why = why;
}

static void emit_gap(struct mpu6050 *dev, double first_t)
{
    double start = dev->last_t + dev->period;
    double len = first_t - start;
    if (len < 0)
        len = 0;
    push_event(dev, MPU6050_EV_GAP, start, "gap of %.2f s in the samples (%s)", len,
               dev->gap_why);
    dev->ev[dev->nev - 1].length_s = len;
    dev->gap_why = NULL;
}

static void mark_lost(struct mpu6050 *dev, double now, int rc)
{
    dev->lost = true;
    dev->losses++;
    dev->next_probe = now + MPU6050_REPROBE_S;
    push_event(dev, MPU6050_EV_LOST, dev->last_t >= 0 ? dev->last_t : now,
               "sensor lost (%s): check the cable; retrying every second",
               strerror(-rc));
}

static void try_resume(struct mpu6050 *dev, double now)
{
    if (now < dev->next_probe)
        return;
    char err[160];
    int rc = init_chip(dev, now, err, sizeof err);
    if (rc < 0) {
        dev->next_probe = now + MPU6050_REPROBE_S;
        return;
    }
    dev->lost = false;
    push_event(dev, MPU6050_EV_RESUMED, now, "sensor answers again (%s)", dev->chip->name);
    report_gap(dev, "sensor lost");
}

/* One transfer with bounded retries; a transient NACK should not cost us
 * the session, a dead bus should not cost us more than a few tries. */
static int retry_read(struct mpu6050 *dev, uint8_t reg, uint8_t *buf, size_t len)
{
    int rc = 0;
    for (int i = 0; i < MPU6050_RETRIES; i++) {
        rc = dev->tr.read(dev->tr.ctx, reg, buf, len);
        if (rc == 0)
            return 0;
        dev->io_errors++;
    }
    return rc;
}

static double stall_s(const struct mpu6050 *dev)
{
    double s = 10 * dev->period;
    return s > MPU6050_STALL_S ? s : MPU6050_STALL_S;
}

/* The data-flow watchdog: the chip answers, but no frame has come for
 * stall_s(). Find out what it looks like (a power loss leaves it asleep with
 * its FIFO off), set it up again, and have the gap reported. */
static void data_stalled(struct mpu6050 *dev, double now)
{
    uint8_t pwr = 0, user = 0, fen = 0;
    int rc = retry_read(dev, MPU6050_REG_PWR_MGMT_1, &pwr, 1);
    if (rc == 0)
        rc = retry_read(dev, MPU6050_REG_USER_CTRL, &user, 1);
    if (rc == 0)
        rc = retry_read(dev, MPU6050_REG_FIFO_EN, &fen, 1);
    if (rc < 0) {
        mark_lost(dev, now, rc);
        return;
    }
    const uint8_t want_fen = MPU6050_BIT_ACCEL_FIFO_EN | MPU6050_BIT_XG_FIFO_EN |
                             MPU6050_BIT_YG_FIFO_EN | MPU6050_BIT_ZG_FIFO_EN;
    char found[80];
    if (pwr & MPU6050_BIT_SLEEP)
        snprintf(found, sizeof found, "asleep, PWR_MGMT_1 0x%02x: lost power?", pwr);
    else if (!(user & MPU6050_BIT_FIFO_EN))
        snprintf(found, sizeof found, "FIFO off, USER_CTRL 0x%02x", user);
    else if ((fen & want_fen) != want_fen)
        snprintf(found, sizeof found, "FIFO_EN 0x%02x, 0x%02x expected", fen, want_fen);
    else
        snprintf(found, sizeof found, "registers as set");
    double quiet = now - dev->last_data;
    dev->resets++;
    char err[160];
    rc = init_chip(dev, now, err, sizeof err);
    push_event(dev, MPU6050_EV_RESET, dev->last_t >= 0 ? dev->last_t : now,
               "sensor reset: no samples for %.1f s while it answers (%s); %s", quiet, found,
               rc < 0 ? "re-initialising failed" : "re-initialised");
    if (rc < 0) {
        mark_lost(dev, now, rc);
        return;
    }
    report_gap(dev, "sensor reset");
}

static void overflow(struct mpu6050 *dev, double now, const char *why)
{
    /* Before the first sample was handed out nothing is lost: the FIFO just
     * filled while the program was still starting. */
    if (dev->last_t >= 0) {
        dev->overflows++;
        push_event(dev, MPU6050_EV_OVERFLOW, now, "FIFO %s: samples lost, FIFO reset", why);
    }
    int rc = fifo_reset(dev);
    if (rc < 0) {
        mark_lost(dev, now, rc);
        return;
    }
    anchor_clock(dev, now);
    report_gap(dev, why);
}

/* Keeps the sample clock honest: the newest frame in the FIFO was taken no
 * later than now and at most a period or so earlier. Small errors are read
 * jitter or oscillator drift and are corrected slowly; a large one means
 * frames were lost without the chip telling us, so start again from now. */
static void discipline_clock(struct mpu6050 *dev, double now, unsigned long long newest)
{
    double predicted = dev->anchor + (double)(newest + 1) * dev->period;
    double err = now - dev->period * 0.5 - predicted;
    if (fabs(err) > CLOCK_JITTER_S) {
        dev->anchor = now - (double)(newest + 1) * dev->period;
        return;
    }
    dev->anchor += CLOCK_GAIN * err;
}

size_t mpu6050_read(struct mpu6050 *dev, double now, struct sample *out, size_t max)
{
    if (dev->lost) {
        try_resume(dev, now);
        if (dev->lost)
            return 0;
    }
    uint8_t status = 0;
    int rc = retry_read(dev, MPU6050_REG_INT_STATUS, &status, 1);
    if (rc < 0) {
        mark_lost(dev, now, rc);
        return 0;
    }
    if (status & MPU6050_BIT_FIFO_OFLOW_INT) {
        overflow(dev, now, "overflow");
        return 0;
    }
    uint8_t cnt[2];
    rc = retry_read(dev, MPU6050_REG_FIFO_COUNT_H, cnt, 2);
    if (rc < 0) {
        mark_lost(dev, now, rc);
        return 0;
    }
    unsigned count = (unsigned)(cnt[0] << 8 | cnt[1]);
    if (count > dev->chip->fifo_size) {
        overflow(dev, now, "count corrupted");
        return 0;
    }
    /* A full FIFO drops its oldest bytes and loses frame alignment: reset
     * while the frames we have are still whole. */
    if (count + MPU6050_FRAME_BYTES > dev->chip->fifo_size) {
        overflow(dev, now, "full");
        return 0;
    }
    size_t frames = count / MPU6050_FRAME_BYTES;
    if (frames == 0) {
        if (now - dev->last_data >= stall_s(dev))
            data_stalled(dev, now);
        return 0;
    }
    dev->last_data = now;
    discipline_clock(dev, now, dev->frame + frames - 1);
    if (frames > max)
        frames = max;

    unsigned char buf[MPU6050_FRAME_BYTES * 32];
    size_t n = 0, done = 0;
    while (done < frames) {
        size_t chunk = frames - done;
        if (chunk > sizeof buf / MPU6050_FRAME_BYTES)
            chunk = sizeof buf / MPU6050_FRAME_BYTES;
        rc = retry_read(dev, MPU6050_REG_FIFO_R_W, buf, chunk * MPU6050_FRAME_BYTES);
        if (rc < 0) {
            mark_lost(dev, now, rc);
            return n;
        }
        for (size_t i = 0; i < chunk; i++) {
            /* Frame k was sampled one period after frame k-1; frame 0 one
             * period after the FIFO reset that set the anchor. */
            dev->frame++;
            double t = dev->anchor + (double)dev->frame * dev->period;
            if ((double)dev->frame * dev->period < MPU6050_SETTLE_S)
                continue; /* gyro still starting up after a reset */
            if (dev->gap_why)
                emit_gap(dev, t);
            if (t <= dev->last_t)
                t = dev->last_t + dev->period * 0.01; /* never go backwards */
            mpu6050_parse_frame(buf + i * MPU6050_FRAME_BYTES, dev->accel_lsb,
                                dev->gyro_lsb, &out[n]);
            out[n].t = t;
            dev->last_t = t;
            n++;
        }
        done += chunk;
    }
    dev->samples += n;
    return n;
}
