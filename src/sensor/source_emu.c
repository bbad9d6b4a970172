/* SPDX-License-Identifier: GPL-3.0-or-later */
/* source_emu: a chip's register-level emulator (any driver's, by name)
 * playing a trace as its motion, read through the same driver and IMU core
 * as the real chip, with the fault script run on its bus. */
#include "source_priv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers.h"
#include "emu_core.h"
#include "faults.h"
#include "imu.h"

/* The emulator holds its trace in memory (56 bytes a sample): 1 M samples
 * are 2.8 h at 100 Hz and 56 MB; a longer trace is for --sensor replay. */
#define EMU_TRACE_MAX 1000000
#define EMU_DEFAULT_CHIP "mpu6050"

/* A whole trace in memory: the emulator samples it at arbitrary times. */
struct trace_buf {
    struct sample *s;
    size_t n;
    double t0, span;
    size_t cursor;
};

struct emu_src {
    struct imu dev; /* first: source_imu_* */
    const struct imu_emu_ops *ops;
    void *emu;
    struct fault_script faults;
    struct trace_buf tb;
    double emu_t0;
    double emu_clock; /* how far the emulated chip has been run */
    double speed;     /* emulated time per real second */
    double open_now;  /* real time the emulator started */
};

static int load_trace(struct trace_buf *tb, const char *path, char *err, size_t errlen)
{
    struct trace_reader *r = trace_reader_open(path, err, errlen);
    if (!r)
        return -1;
    size_t cap = 4096;
    tb->s = malloc(cap * sizeof *tb->s);
    tb->n = 0;
    int rc = tb->s ? 1 : -1;
    if (!tb->s)
        snprintf(err, errlen, "%s: out of memory", path);
    struct sample smp;
    while (rc == 1 && (rc = trace_reader_next(r, &smp, err, errlen)) == 1) {
        if (tb->n == EMU_TRACE_MAX) {
            snprintf(err, errlen, "%s: more than %d samples: the emulator holds its trace "
                     "in memory; play a longer one with --sensor replay", path, EMU_TRACE_MAX);
            rc = -1;
            break;
        }
        if (tb->n == cap) {
            struct sample *ns = realloc(tb->s, cap * 2 * sizeof *ns);
            if (!ns) {
                snprintf(err, errlen, "%s: out of memory", path);
                rc = -1;
                break;
            }
            cap *= 2;
            tb->s = ns;
        }
        tb->s[tb->n++] = smp;
    }
    trace_reader_close(r);
    if (rc < 0 || tb->n < 2) {
        if (rc >= 0)
            snprintf(err, errlen, "%s: needs at least two samples", path);
        free(tb->s);
        tb->s = NULL;
        return -1;
    }
    tb->t0 = tb->s[0].t;
    tb->span = tb->s[tb->n - 1].t - tb->t0;
    return 0;
}

/* The emulator's motion: the trace, linearly interpolated, looping. */
static void trace_motion(void *ctx, double t, struct sample *out)
{
    struct trace_buf *tb = ctx;
    double u = tb->t0 + fmod(t > 0 ? t : 0, tb->span);
    size_t i = tb->cursor;
    if (i >= tb->n - 1 || tb->s[i].t > u)
        i = 0;
    while (i + 1 < tb->n - 1 && tb->s[i + 1].t < u)
        i++;
    tb->cursor = i;
    const struct sample *a = &tb->s[i], *b = &tb->s[i + 1];
    double w = (u - a->t) / (b->t - a->t);
    if (w < 0)
        w = 0;
    if (w > 1)
        w = 1;
    for (int k = 0; k < 3; k++) {
        out->a[k] = a->a[k] + w * (b->a[k] - a->a[k]);
        out->g[k] = a->g[k] + w * (b->g[k] - a->g[k]);
    }
}

static size_t emu_read(struct source *s, double now, struct sample *out, size_t max)
{
    struct emu_src *e = s->impl;
    /* the emulator's own time, sped up as asked; the driver lives in it.
     * It runs in steps of a quarter of its FIFO, each one read, so a fast
     * emulator (up to 1000x) never overflows between two polls. */
    double target = e->open_now + (now - e->open_now) * e->speed;
    double fifo_s = imu_fifo_seconds(&e->dev);
    double step = fifo_s > 0 ? fifo_s / 4 : 0.02;
    struct fault_target ft = {(struct emu_bus *)((char *)e->emu + e->ops->bus_offset),
                              e->ops->power_cycle, e->emu};
    size_t n = 0;
    while (n < max && e->emu_clock < target) {
        double et = fmin(target, e->emu_clock + step);
        e->emu_clock = et;
        faults_run(&e->faults, et - e->emu_t0, &ft);
        e->ops->advance(e->emu, et - e->emu_t0);
        if (faults_stalled(&e->faults, et - e->emu_t0))
            continue; /* nobody reads: the FIFO fills up */
        n += imu_read(&e->dev, et, out + n, max - n);
    }
    s->state = e->dev.lost ? SOURCE_STATE_LOST : SOURCE_STATE_DEMO;
    return n;
}

static double emu_poll_interval(const struct source *s)
{
    const struct emu_src *e = s->impl;
    return source_imu_poll(&e->dev, false, e->speed);
}

static void emu_close(struct source *s)
{
    struct emu_src *e = s->impl;
    if (!e)
        return;
    free(e->tb.s);
    free(e->emu);
    free(e);
}

static const struct source_backend emu_backend = {
    emu_read, emu_poll_interval, NULL, source_imu_stats, source_imu_events, emu_close,
};

int source_emu_open(struct source *s, const struct source_options *opt,
                    const struct station_config *cfg, const char *trace, double now,
                    char *err, size_t errlen)
{
    struct emu_src *e = calloc(1, sizeof *e);
    if (!e) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    s->be = &emu_backend;
    s->impl = e;
    e->speed = opt->speed > 0 ? opt->speed : 1;
    e->open_now = e->emu_clock = now;
    if (faults_parse(&e->faults, opt->faults, err, errlen) < 0)
        return -1;
    /* chip=NAME in the script, else --sensor emu:NAME, else the MPU-6050 */
    const char *key = e->faults.chip[0] ? e->faults.chip : opt->chip ? opt->chip
                                                                     : EMU_DEFAULT_CHIP;
    const struct imu_driver *drv = NULL;
    const struct imu_model *model = drivers_model(key, &drv);
    if (!model || !drv->emu) {
        snprintf(err, errlen, "emulator: no emulated chip '%s'", key);
        return -1;
    }
    if (load_trace(&e->tb, trace, err, errlen) < 0)
        return -1;
    e->ops = drv->emu;
    e->emu = calloc(1, e->ops->size);
    if (!e->emu) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    e->ops->init(e->emu, model, trace_motion, &e->tb);
    e->emu_t0 = now;
    struct transport tr = e->ops->transport(e->emu);
    struct imu_settings set = drivers_settings(drv, &cfg->sensor);
    char why[200];
    /* The emulator keeps its own clock from 0; the driver sees monotonic time. */
    if (imu_open(&e->dev, drv, &tr, &set, now, why, sizeof why) < 0) {
        snprintf(err, errlen, "emulator: %s", why);
        return -1;
    }
    s->state = SOURCE_STATE_DEMO;
    if (strcmp(cfg->sensor.chip, "auto") != 0 && drivers_model(cfg->sensor.chip, NULL) != model) {
        /* the configuration names the real sensor; the emulator is told apart */
        char by[80], note[300];
        if (e->faults.chip[0])
            snprintf(by, sizeof by, "--faults chip=%s", e->faults.chip);
        else if (opt->chip)
            snprintf(by, sizeof by, "--sensor emu:%s", opt->chip);
        else
            snprintf(by, sizeof by, "the emulator's default");
        snprintf(note, sizeof note, "emulating the %s (%s); sensor.chip = \"%s\" in the "
                 "configuration is for a real sensor and not used here", e->dev.model->name, by,
                 cfg->sensor.chip);
        source_push(s, SOURCE_EV_NOTICE, now, 0, note);
    }
    source_imu_meta(s, &e->dev, cfg);
    char src[600];
    snprintf(src, sizeof src, "emulated %s playing %s", e->dev.model->name, trace);
    trace_meta_set(&s->meta, "source", src);
    return 0;
}
