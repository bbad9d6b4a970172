/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_fifo: the MPU-6050 driver reading a sensor that answers anything.
 * A transport hands out the fuzzer's bytes for every register read and
 * fails when they run out: status, FIFO counts, frames, errors, all at
 * random. The driver must never overrun, never hand out a sample with time
 * going backwards, and never read more than it asked for. */
#include <errno.h>
#include <string.h>

#include "sensor/mpu6050.h"

struct feed {
    const uint8_t *p;
    size_t n, pos;
    double now;
};

static int f_read(void *ctx, uint8_t reg, uint8_t *buf, size_t len)
{
    struct feed *f = ctx;
    if (reg == MPU6050_REG_WHO_AM_I && len == 1 && f->pos < 4) {
        buf[0] = 0x68; /* let it through the probe most of the time */
        return 0;
    }
    if (f->pos >= f->n)
        return -EIO;
    uint8_t fail = f->p[f->pos++];
    if (fail == 0xEE)
        return -ETIMEDOUT;
    for (size_t i = 0; i < len; i++)
        buf[i] = f->pos < f->n ? f->p[f->pos++] : 0;
    return 0;
}

static int f_write(void *ctx, uint8_t reg, uint8_t val)
{
    (void)ctx;
    (void)reg;
    (void)val;
    return 0;
}

static void f_sleep(void *ctx, unsigned ms)
{
    struct feed *f = ctx;
    f->now += ms / 1000.0;
}

/* Writes are verified by reading back: answer with what was written. */
static uint8_t regs[MPU6050_NUM_REGS];

static int v_write(void *ctx, uint8_t reg, uint8_t val)
{
    (void)ctx;
    regs[reg % MPU6050_NUM_REGS] = val;
    return 0;
}

static int v_read(void *ctx, uint8_t reg, uint8_t *buf, size_t len)
{
    struct feed *f = ctx;
    if (reg == MPU6050_REG_WHO_AM_I) {
        buf[0] = 0x68;
        return 0;
    }
    if (len == 1 && reg != MPU6050_REG_INT_STATUS && reg != MPU6050_REG_FIFO_R_W) {
        buf[0] = regs[reg % MPU6050_NUM_REGS];
        return 0;
    }
    return f_read(f, reg, buf, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct feed f = {data, size, 0, 100.0};
    memset(regs, 0, sizeof regs);
    struct transport tr = {v_read, v_write, f_read, f_sleep, &f};
    struct imu dev;
    struct imu_settings set = {100, 44, 2, 250};
    char err[200];
    if (imu_open(&dev, &mpu6050_driver, &tr, &set, f.now, err, sizeof err) < 0)
        return 0;
    /* from here every read is the fuzzer's */
    dev.bus.read = f_read;
    dev.bus.write = f_write;
    struct sample out[40];
    double last = -1e9;
    for (int i = 0; i < 200 && (f.pos < f.n || dev.lost); i++) {
        f.now += 0.02;
        size_t n = imu_read(&dev, f.now, out, 40);
        if (n > 40)
            __builtin_trap();
        for (size_t k = 0; k < n; k++) {
            if (!(out[k].t > last))
                __builtin_trap();
            last = out[k].t;
        }
        struct imu_event ev;
        while (imu_next_event(&dev, &ev))
            if (ev.kind == IMU_EV_GAP && ev.length_s < 0)
                __builtin_trap();
    }
    return 0;
}
