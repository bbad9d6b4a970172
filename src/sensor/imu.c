/* SPDX-License-Identifier: GPL-3.0-or-later */
/* imu: probe, FIFO reading, sample clock and fault recovery shared by every
 * IMU family's driver. */
#include "imu.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Trust the sample clock while it stays within this of the read time. */
#define CLOCK_JITTER_S 0.25
/* Fraction of the clock error corrected on each read: slow enough that read
 * jitter does not show in the timestamps, fast enough to follow a sensor
 * oscillator that is off by a few percent. */
#define CLOCK_GAIN 0.05
/* Frames read in one transfer at most (the transport splits it further). */
#define READ_FRAMES 32
#define FRAME_MAX 16

const struct imu_model *imu_model_by_id(const struct imu_driver *drv, unsigned who)
{
    for (size_t i = 0; i < drv->nmodels; i++)
        if (drv->models[i].who_am_i == who)
            return &drv->models[i];
    return NULL;
}

int imu_index_of(const int *list, int value)
{
    for (int i = 0; list && list[i]; i++)
        if (list[i] == value)
            return i;
    return -1;
}

int imu_nearest(const int *list, int value)
{
    int best = list[0];
    for (int i = 1; list[i]; i++)
        if (abs(list[i] - value) < abs(best - value))
            best = list[i];
    return best;
}

__attribute__((format(printf, 4, 5)))
static void push_event(struct imu *dev, enum imu_event_kind kind, double t,
                       const char *fmt, ...)
{
    if (dev->nev == IMU_MAX_EVENTS) /* keep the newest: drop the oldest */
        memmove(dev->ev, dev->ev + 1, sizeof dev->ev[0] * (IMU_MAX_EVENTS - 1)), dev->nev--;
    struct imu_event *e = &dev->ev[dev->nev++];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->t = t;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->text, sizeof e->text, fmt, ap);
    va_end(ap);
}

bool imu_next_event(struct imu *dev, struct imu_event *ev)
{
    if (dev->nev == 0)
        return false;
    *ev = dev->ev[0];
    memmove(dev->ev, dev->ev + 1, sizeof dev->ev[0] * (size_t)(dev->nev - 1));
    dev->nev--;
    return true;
}

int imu_read_reg(struct imu *dev, uint8_t reg, uint8_t *val)
{
    return dev->tr.read(dev->tr.ctx, reg, val, 1);
}

int imu_write_verify(struct imu *dev, uint8_t reg, uint8_t val, char *err, size_t errlen)
{
    int rc = dev->tr.write(dev->tr.ctx, reg, val);
    uint8_t back = 0;
    if (rc == 0)
        rc = imu_read_reg(dev, reg, &back);
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

int imu_write_seq(struct imu *dev, const struct imu_reg_val *seq, size_t n, char *err,
                  size_t errlen)
{
    for (size_t i = 0; i < n; i++) {
        int rc = imu_write_verify(dev, seq[i].reg, seq[i].val, err, errlen);
        if (rc < 0)
            return rc;
    }
    return 0;
}

double imu_fifo_seconds(const struct imu *dev)
{
    if (!dev->model || dev->rate_hz <= 0)
        return 0;
    return (double)dev->model->fifo_bytes / (double)dev->drv->frame_bytes / dev->rate_hz;
}

/* One transfer with bounded retries; a transient NACK should not cost us
 * the session, a dead bus should not cost us more than a few tries. Reads
 * are retried while imu_read runs (not during init, where a failure is an
 * answer). */
static int retry(struct imu *dev, bool fifo, uint8_t reg, uint8_t *buf, size_t len)
{
    int rc = 0;
    int tries = dev->retrying ? IMU_RETRIES : 1;
    for (int i = 0; i < tries; i++) {
        rc = fifo ? dev->bus.read_fifo(dev->bus.ctx, reg, buf, len)
                  : dev->bus.read(dev->bus.ctx, reg, buf, len);
        if (rc == 0)
            return 0;
        if (dev->retrying)
            dev->io_errors++;
    }
    return rc;
}

/* The transport the drivers see: the bus, its reads retried as above. */
static int core_read(void *ctx, uint8_t reg, uint8_t *buf, size_t len)
{
    return retry(ctx, false, reg, buf, len);
}

static int core_read_fifo(void *ctx, uint8_t reg, uint8_t *buf, size_t len)
{
    return retry(ctx, true, reg, buf, len);
}

static int core_write(void *ctx, uint8_t reg, uint8_t val)
{
    struct imu *dev = ctx;
    return dev->bus.write(dev->bus.ctx, reg, val);
}

static void core_sleep(void *ctx, unsigned ms)
{
    struct imu *dev = ctx;
    dev->bus.sleep_ms(dev->bus.ctx, ms);
}

static void anchor_clock(struct imu *dev, double now)
{
    dev->anchor = now;
    dev->frame = 0;
    dev->last_data = now; /* the data-flow watchdog counts from here */
}

static int probe_and_configure(struct imu *dev, double now, char *err, size_t errlen);

/* Probe and configure; the chip's previous state does not matter. A failed
 * transfer here is an answer, not a glitch: no retries. */
static int init_chip(struct imu *dev, double now, char *err, size_t errlen)
{
    bool was = dev->retrying;
    dev->retrying = false;
    int rc = probe_and_configure(dev, now, err, errlen);
    dev->retrying = was;
    return rc;
}

static int probe_and_configure(struct imu *dev, double now, char *err, size_t errlen)
{
    uint8_t who = 0;
    int rc = imu_read_reg(dev, dev->drv->who_am_i_reg, &who);
    if (rc < 0) {
        snprintf(err, errlen, "no answer from the sensor (WHO_AM_I): %s", strerror(-rc));
        /* -ENODEV means a chip answered that is not ours; an adapter that
         * says so of an empty address (i2c-stub) says nobody answered */
        return rc == -ENODEV ? -ENXIO : rc;
    }
    const struct imu_model *model = imu_model_by_id(dev->drv, who);
    if (!model) {
        snprintf(err, errlen, "WHO_AM_I reads 0x%02x: not an %s or a known relative "
                 "(0x%02x expected)", who, dev->drv->family, dev->drv->models[0].who_am_i);
        return -ENODEV;
    }
    dev->model = model;
    double waited = 0;
    rc = dev->drv->configure(dev, &waited, err, errlen);
    if (rc < 0)
        return rc;
    rc = dev->drv->fifo_reset(dev);
    if (rc < 0) {
        snprintf(err, errlen, "FIFO reset: %s", strerror(-rc));
        return rc;
    }
    dev->period = 1.0 / dev->rate_hz;
    anchor_clock(dev, now + waited); /* the FIFO starts after the waits */
    return 0;
}

int imu_open(struct imu *dev, const struct imu_driver *drv, const struct transport *tr,
             const struct imu_settings *set, double now, char *err, size_t errlen)
{
    memset(dev, 0, sizeof *dev);
    dev->bus = *tr;
    dev->tr = (struct transport){core_read, core_write, core_read_fifo, core_sleep, dev};
    dev->drv = drv;
    dev->set = *set;
    dev->last_t = -1;
    int rc = init_chip(dev, now, err, errlen);
    if (rc < 0)
        return rc;
    if (!dev->model->genuine)
        push_event(dev, IMU_EV_NOTICE, now,
                   "sensor answers as %s (WHO_AM_I 0x%02x), not a genuine %s: "
                   "running with the common register subset",
                   dev->model->name, dev->model->who_am_i, drv->family);
    return 0;
}

/* After a fault the gap is measured when the first new sample arrives: it
 * runs from the sample after the last one handed out to that new sample,
 * which is what a trace shows as a jump in t_s. */
static void report_gap(struct imu *dev, const char *why)
{
    if (dev->last_t >= 0 && !dev->gap_why)
        dev->gap_why = why;
}

static void emit_gap(struct imu *dev, double first_t)
{
    double start = dev->last_t + dev->period;
    double len = first_t - start;
    if (len < 0)
        len = 0;
    push_event(dev, IMU_EV_GAP, start, "gap of %.2f s in the samples (%s)", len, dev->gap_why);
    dev->ev[dev->nev - 1].length_s = len;
    dev->gap_why = NULL;
}

static void mark_lost(struct imu *dev, double now, int rc)
{
    dev->lost = true;
    dev->losses++;
    dev->next_probe = now + IMU_REPROBE_S;
    push_event(dev, IMU_EV_LOST, dev->last_t >= 0 ? dev->last_t : now,
               "sensor lost (%s): check the cable; retrying every second", strerror(-rc));
}

static void try_resume(struct imu *dev, double now)
{
    if (now < dev->next_probe)
        return;
    char err[160];
    int rc = init_chip(dev, now, err, sizeof err);
    if (rc < 0) {
        dev->next_probe = now + IMU_REPROBE_S;
        return;
    }
    dev->lost = false;
    push_event(dev, IMU_EV_RESUMED, now, "sensor answers again (%s)", dev->model->name);
    report_gap(dev, "sensor lost");
}

static double stall_s(const struct imu *dev)
{
    double s = 10 * dev->period;
    return s > IMU_STALL_S ? s : IMU_STALL_S;
}

/* The data-flow watchdog: the chip answers, but no frame has come for
 * stall_s(). Find out what it looks like (a power loss leaves it asleep with
 * its FIFO off), set it up again, and have the gap reported. */
static void data_stalled(struct imu *dev, double now)
{
    char found[80];
    int rc = dev->drv->diagnose(dev, found, sizeof found);
    if (rc < 0) {
        mark_lost(dev, now, rc);
        return;
    }
    double quiet = now - dev->last_data;
    dev->resets++;
    char err[160];
    rc = init_chip(dev, now, err, sizeof err);
    push_event(dev, IMU_EV_RESET, dev->last_t >= 0 ? dev->last_t : now,
               "sensor reset: no samples for %.1f s while it answers (%s); %s", quiet, found,
               rc < 0 ? "re-initialising failed" : "re-initialised");
    if (rc < 0) {
        mark_lost(dev, now, rc);
        return;
    }
    report_gap(dev, "sensor reset");
}

static void overflow(struct imu *dev, double now, const char *why)
{
    /* Before the first sample was handed out nothing is lost: the FIFO just
     * filled while the program was still starting. */
    if (dev->last_t >= 0) {
        dev->overflows++;
        push_event(dev, IMU_EV_OVERFLOW, now, "FIFO %s: samples lost, FIFO reset", why);
    }
    int rc = dev->drv->fifo_reset(dev);
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
static void discipline_clock(struct imu *dev, double now, unsigned long long newest)
{
    double predicted = dev->anchor + (double)(newest + 1) * dev->period;
    double err = now - dev->period * 0.5 - predicted;
    if (fabs(err) > CLOCK_JITTER_S) {
        dev->anchor = now - (double)(newest + 1) * dev->period;
        return;
    }
    dev->anchor += CLOCK_GAIN * err;
}

/* Hands out the frames in buf: timestamps, settling, gaps. */
static size_t take_frames(struct imu *dev, const uint8_t *buf, size_t chunk, struct sample *out)
{
    size_t n = 0;
    for (size_t i = 0; i < chunk; i++) {
        /* Frame k was sampled one period after frame k-1; frame 0 one
         * period after the FIFO reset that set the anchor. */
        dev->frame++;
        double t = dev->anchor + (double)dev->frame * dev->period;
        if ((double)dev->frame * dev->period < dev->drv->settle_s)
            continue; /* gyro still starting up after a reset */
        if (!dev->drv->decode(dev, buf + i * dev->drv->frame_bytes, &out[n])) {
            dev->bad_frames++;
            continue;
        }
        if (dev->gap_why)
            emit_gap(dev, t);
        if (t <= dev->last_t)
            t = dev->last_t + dev->period * 0.01; /* never go backwards */
        out[n].t = t;
        dev->last_t = t;
        n++;
    }
    return n;
}

static size_t read_fifo(struct imu *dev, double now, struct sample *out, size_t max);

size_t imu_read(struct imu *dev, double now, struct sample *out, size_t max)
{
    if (dev->lost) {
        try_resume(dev, now);
        if (dev->lost)
            return 0;
    }
    dev->retrying = true;
    size_t n = read_fifo(dev, now, out, max);
    dev->retrying = false;
    return n;
}

static size_t read_fifo(struct imu *dev, double now, struct sample *out, size_t max)
{
    struct imu_fifo_level lv = {0, NULL};
    int rc = dev->drv->fifo_level(dev, &lv);
    if (rc < 0) {
        mark_lost(dev, now, rc);
        return 0;
    }
    if (lv.overflow) {
        overflow(dev, now, lv.overflow);
        return 0;
    }
    size_t frames = lv.frames;
    if (frames == 0) {
        if (now - dev->last_data >= stall_s(dev))
            data_stalled(dev, now);
        return 0;
    }
    dev->last_data = now;
    discipline_clock(dev, now, dev->frame + frames - 1);
    if (frames > max)
        frames = max;

    uint8_t buf[FRAME_MAX * READ_FRAMES];
    size_t per = dev->drv->frame_bytes;
    size_t n = 0, done = 0;
    while (done < frames) {
        size_t chunk = frames - done;
        if (chunk > READ_FRAMES)
            chunk = READ_FRAMES;
        rc = dev->tr.read_fifo(dev->tr.ctx, dev->drv->fifo_reg, buf, chunk * per);
        if (rc < 0) {
            mark_lost(dev, now, rc);
            dev->samples += n;
            return n;
        }
        n += take_frames(dev, buf, chunk, out + n);
        done += chunk;
    }
    dev->samples += n;
    return n;
}
