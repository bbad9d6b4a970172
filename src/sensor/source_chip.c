/* SPDX-License-Identifier: GPL-3.0-or-later */
/* source_chip: a real IMU on /dev/i2c-N, found by WHO_AM_I among the
 * driver table's chips and addresses, read through the IMU core; its INT
 * line, when wired, wakes the reader. */
#include "source_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers.h"
#include "i2c_transport.h"
#include "imu.h"
#include "int_line.h"

struct chip {
    struct imu dev; /* first: source_imu_* */
    struct i2c_transport i2c;
    struct int_line *irq;
};

void source_imu_events(struct source *s)
{
    struct imu *dev = s->impl;
    static const enum source_event_kind map[IMU_EV_COUNT] = {
        [IMU_EV_NOTICE] = SOURCE_EV_NOTICE, [IMU_EV_OVERFLOW] = SOURCE_EV_NOTICE,
        [IMU_EV_LOST] = SOURCE_EV_LOST,     [IMU_EV_RESUMED] = SOURCE_EV_RESUMED,
        [IMU_EV_GAP] = SOURCE_EV_GAP,       [IMU_EV_RESET] = SOURCE_EV_RESET,
    };
    struct imu_event de;
    while (imu_next_event(dev, &de))
        source_push(s, map[de.kind], de.t, de.length_s, de.text);
}

void source_imu_stats(const struct source *s, struct source_stats *st)
{
    const struct imu *dev = s->impl;
    st->samples = dev->samples;
    st->overflows = dev->overflows;
    st->losses = dev->losses;
    st->io_errors = dev->io_errors;
    st->resets = dev->resets;
}

void source_imu_meta(struct source *s, const struct imu *dev, const struct station_config *cfg)
{
    s->meta.sample_rate_hz = dev->rate_hz;
    s->meta.accel_range_g = cfg->sensor.accel_range_g;
    s->meta.gyro_range_dps = cfg->sensor.gyro_range_dps;
    trace_meta_set(&s->meta, "placement", "thigh");
}

static size_t chip_read(struct source *s, double now, struct sample *out, size_t max)
{
    struct chip *c = s->impl;
    if (c->irq)
        int_line_drain(c->irq);
    size_t n = imu_read(&c->dev, now, out, max);
    s->state = c->dev.lost ? SOURCE_STATE_LOST : SOURCE_STATE_LIVE;
    return n;
}

double source_imu_poll(const struct imu *dev, bool irq, double speed)
{
    double fifo_s = imu_fifo_seconds(dev);
    if (fifo_s <= 0)
        return 0.02;
    if (irq && !dev->lost)
        return fifo_s / 2; /* the INT line wakes the reader: a safety net */
    return (fifo_s / 4 < 0.02 ? fifo_s / 4 : 0.02) / speed;
}

static double chip_poll_interval(const struct source *s)
{
    const struct chip *c = s->impl;
    /* a lost INT line (its chip gone) wakes nothing: the timer paces */
    return source_imu_poll(&c->dev, c->irq && int_line_fd(c->irq) >= 0, 1);
}

static int chip_fd(const struct source *s)
{
    const struct chip *c = s->impl;
    return c->irq ? int_line_fd(c->irq) : -1;
}

static void chip_close(struct source *s)
{
    struct chip *c = s->impl;
    if (!c)
        return;
    int_line_close(c->irq);
    i2c_transport_close(&c->i2c);
    free(c);
}

static const struct source_backend chip_backend = {
    chip_read, chip_poll_interval, chip_fd, source_imu_stats, source_imu_events, chip_close,
};

/* Tries drv at address. Returns 0 (the chip open), a negative errno for a
 * bus that cannot be opened at all (-ENOENT, -EACCES: no address helps), or
 * -ENODEV/-EIO... with the reason in why. */
static int try_at(struct chip *c, const struct imu_driver *drv, const struct station_config *cfg,
                  int address, double now, char *why, size_t len)
{
    struct transport tr;
    char e[200];
    int rc = i2c_transport_open(&c->i2c, cfg->sensor.i2c_bus, address, &tr, e, sizeof e);
    if (rc < 0) {
        snprintf(why, len, "%s", e);
        return rc == -ENOENT || rc == -EACCES ? rc : -EIO;
    }
    struct imu_settings set = drivers_settings(drv, &cfg->sensor);
    rc = imu_open(&c->dev, drv, &tr, &set, now, e, sizeof e);
    if (rc < 0) {
        snprintf(why, len, "%s on /dev/i2c-%d at 0x%02x: %s", drv->family, cfg->sensor.i2c_bus,
                 address, e);
        i2c_transport_close(&c->i2c);
        return rc == -ENOENT || rc == -EACCES ? -EIO : rc;
    }
    return 0;
}

/* The probe order: the configured address first, for every driver that
 * may answer there; then, when the chip is "auto" or the address is not
 * the chip's, every other address of the chip(s). */
static int probe(struct chip *c, const char *want, const struct station_config *cfg, double now,
                 char *err, size_t errlen)
{
    bool any = strcmp(want, "auto") == 0;
    const struct imu_driver *only = NULL;
    if (!any && !drivers_model(want, &only)) {
        snprintf(err, errlen, "no driver for the chip '%s'", want);
        return -EINVAL;
    }
    int addr = cfg->sensor.address;
    bool addr_is_chips = any || imu_index_of(only->addresses, addr) >= 0;
    char first[300] = "", wrong[300] = "", tried[64] = "";
    size_t nt = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (int d = 0; imu_drivers[d]; d++) {
            const struct imu_driver *drv = imu_drivers[d];
            if (only && drv != only)
                continue;
            for (int i = 0; drv->addresses[i]; i++) {
                int a = drv->addresses[i];
                /* pass 0: the configured address; pass 1: the others */
                if ((pass == 0) != (a == addr) || (pass == 1 && !any && addr_is_chips))
                    continue;
                char why[300], one[8];
                snprintf(one, sizeof one, "0x%02x", a);
                if (!strstr(tried, one))
                    nt += (size_t)snprintf(tried + nt, sizeof tried - nt, "%s%s", nt ? ", " : "",
                                           one);
                int rc = try_at(c, drv, cfg, a, now, why, sizeof why);
                if (rc == 0)
                    return 0;
                if (!first[0])
                    snprintf(first, sizeof first, "%s", why);
                if (rc == -ENODEV && !wrong[0]) /* something answered, not this chip */
                    snprintf(wrong, sizeof wrong, "%s", why);
                if (rc == -ENOENT || rc == -EACCES) {
                    snprintf(err, errlen, "%s", why);
                    return rc;
                }
            }
        }
    }
    if (!first[0])
        snprintf(first, sizeof first, "address 0x%02x is not one the chip has", addr);
    if (wrong[0])
        snprintf(err, errlen, "%s", wrong);
    else if (strchr(tried, ','))
        snprintf(err, errlen, "%s (no sensor at %s either)", first, strchr(tried, ',') + 2);
    else
        snprintf(err, errlen, "%s", first);
    return -ENODEV;
}

int source_chip_open(struct source *s, const struct source_options *opt,
                     const struct station_config *cfg, double now, char *err, size_t errlen)
{
    struct chip *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    c->i2c.fd = -1;
    const char *want = opt->chip ? opt->chip : cfg->sensor.chip;
    int rc = probe(c, want, cfg, now, err, errlen);
    if (rc < 0) {
        free(c);
        return rc;
    }
    s->be = &chip_backend;
    s->impl = c;
    s->state = SOURCE_STATE_LIVE;
    source_imu_meta(s, &c->dev, cfg);
    if (cfg->sensor.int_line >= 0) {
        char why[300];
        c->irq = int_line_open(cfg->sensor.int_gpiochip, cfg->sensor.int_line, why, sizeof why);
        source_push(s, SOURCE_EV_NOTICE, now, 0,
                    c->irq ? "INT line wired: samples wake the station" : why);
    }
    char src[96];
    snprintf(src, sizeof src, "%s on /dev/i2c-%d at 0x%02x", c->dev.model->name,
             cfg->sensor.i2c_bus, c->i2c.address);
    trace_meta_set(&s->meta, "source", src);
    return 0;
}
