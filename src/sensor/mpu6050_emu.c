/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mpu6050_emu: register file, FIFO and faults of an emulated MPU-6050. */
#include "mpu6050_emu.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

static void reset_registers(struct mpu6050_emu *emu)
{
    memset(emu->regs, 0, sizeof emu->regs);
    /* Register map 3: every register resets to 0 except these two. */
    emu->regs[MPU6050_REG_PWR_MGMT_1] = MPU6050_BIT_SLEEP;
    emu->regs[MPU6050_REG_WHO_AM_I] = emu->chip->who_am_i;
    emu->fifo_head = emu->fifo_count = 0;
}

void mpu6050_emu_init(void *state, const struct imu_model *model, imu_motion motion,
                      void *motion_ctx)
{
    struct mpu6050_emu *emu = state;
    memset(emu, 0, sizeof *emu);
    emu->chip = model;
    emu_clock_init(&emu->clk, motion, motion_ctx);
    reset_registers(emu);
}

void mpu6050_emu_power_cycle(void *state)
{
    struct mpu6050_emu *emu = state;
    reset_registers(emu);
    emu_clock_restart(&emu->clk);
}

static bool sampling(const struct mpu6050_emu *emu)
{
    return !(emu->regs[MPU6050_REG_PWR_MGMT_1] & MPU6050_BIT_SLEEP);
}

static bool fifo_on(const struct mpu6050_emu *emu)
{
    return (emu->regs[MPU6050_REG_USER_CTRL] & MPU6050_BIT_FIFO_EN) &&
           (emu->regs[MPU6050_REG_FIFO_EN] &
            (MPU6050_BIT_ACCEL_FIFO_EN | MPU6050_BIT_XG_FIFO_EN));
}

static double internal_rate(const struct mpu6050_emu *emu)
{
    uint8_t cfg = emu->regs[MPU6050_REG_CONFIG] & MPU6050_BITS_DLPF_CFG;
    double base = (cfg == 0 || cfg == 7) ? 8000.0 : 1000.0;
    return base / (1.0 + emu->regs[MPU6050_REG_SMPLRT_DIV]) * (1.0 + emu->clock_error);
}

double mpu6050_emu_rate(const struct mpu6050_emu *emu)
{
    if (!sampling(emu) || !fifo_on(emu))
        return 0;
    return internal_rate(emu);
}

void mpu6050_emu_encode(const struct mpu6050_emu *emu, const struct sample *s,
                        uint8_t frame[MPU6050_FRAME_BYTES])
{
    unsigned ai = (emu->regs[MPU6050_REG_ACCEL_CONFIG] >> MPU6050_SHIFT_AFS_SEL) & 3;
    unsigned gi = (emu->regs[MPU6050_REG_GYRO_CONFIG] >> MPU6050_SHIFT_FS_SEL) & 3;
    for (int i = 0; i < 3; i++) {
        uint16_t a = (uint16_t)emu_quantise(s->a[i], mpu6050_accel_scales[ai].lsb_per_unit);
        uint16_t g = (uint16_t)emu_quantise(s->g[i], mpu6050_gyro_scales[gi].lsb_per_unit);
        frame[2 * i] = (uint8_t)(a >> 8);
        frame[2 * i + 1] = (uint8_t)a;
        frame[6 + 2 * i] = (uint8_t)(g >> 8);
        frame[6 + 2 * i + 1] = (uint8_t)g;
    }
}

static void fifo_push(struct mpu6050_emu *emu, uint8_t b)
{
    unsigned size = emu->chip->fifo_bytes;
    if (emu->fifo_count == size) {
        /* Full: the oldest byte goes, and the chip says so. */
        emu->fifo_head = (emu->fifo_head + 1) % size;
        emu->fifo_count--;
        emu->regs[MPU6050_REG_INT_STATUS] |= MPU6050_BIT_FIFO_OFLOW_INT;
    }
    emu->fifo[(emu->fifo_head + emu->fifo_count) % size] = b;
    emu->fifo_count++;
}

static uint8_t fifo_pop(struct mpu6050_emu *emu)
{
    if (emu->fifo_count == 0)
        return 0; /* reading an empty FIFO gives nothing useful */
    uint8_t b = emu->fifo[emu->fifo_head];
    emu->fifo_head = (emu->fifo_head + 1) % emu->chip->fifo_bytes;
    emu->fifo_count--;
    return b;
}

static void make_frame(void *state, double t)
{
    struct mpu6050_emu *emu = state;
    struct sample s;
    emu_clock_motion(&emu->clk, t, &s);
    uint8_t frame[MPU6050_FRAME_BYTES];
    mpu6050_emu_encode(emu, &s, frame);
    /* Output registers always hold the latest sample. */
    memcpy(&emu->regs[MPU6050_REG_ACCEL_XOUT_H], frame, 6);
    memcpy(&emu->regs[MPU6050_REG_GYRO_XOUT_H], frame + 6, 6);
    emu->regs[MPU6050_REG_INT_STATUS] |= MPU6050_BIT_DATA_RDY_INT;
    emu->frames_made++;
    if (!fifo_on(emu))
        return;
    uint8_t en = emu->regs[MPU6050_REG_FIFO_EN];
    if (emu->fifo_count + MPU6050_FRAME_BYTES > emu->chip->fifo_bytes)
        emu->frames_dropped++;
    if (en & MPU6050_BIT_ACCEL_FIFO_EN)
        for (int i = 0; i < 6; i++)
            fifo_push(emu, frame[i]);
    const uint8_t gbits[3] = {MPU6050_BIT_XG_FIFO_EN, MPU6050_BIT_YG_FIFO_EN,
                              MPU6050_BIT_ZG_FIFO_EN};
    for (int i = 0; i < 3; i++)
        if (en & gbits[i]) {
            fifo_push(emu, frame[6 + 2 * i]);
            fifo_push(emu, frame[6 + 2 * i + 1]);
        }
}

void mpu6050_emu_advance(void *state, double t)
{
    struct mpu6050_emu *emu = state;
    emu_clock_run(&emu->clk, t, sampling(emu) ? internal_rate(emu) : 0, make_frame, emu);
}

static int emu_read(void *ctx, uint8_t reg, uint8_t *buf, size_t len)
{
    struct mpu6050_emu *emu = ctx;
    int rc = emu_bus_fault(&emu->bus);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < len; i++) {
        unsigned r = (reg + i) % MPU6050_NUM_REGS;
        if (r == MPU6050_REG_FIFO_R_W) {
            buf[i] = fifo_pop(emu);
            continue;
        }
        if (r == MPU6050_REG_FIFO_COUNT_H && emu_bus_corrupt_count(&emu->bus)) {
            buf[i] = 0xFF;
            if (i + 1 < len)
                buf[++i] = 0xF3;
            continue;
        }
        if (r == MPU6050_REG_FIFO_COUNT_H)
            buf[i] = (uint8_t)(emu->fifo_count >> 8);
        else if (r == MPU6050_REG_FIFO_COUNT_L)
            buf[i] = (uint8_t)emu->fifo_count;
        else
            buf[i] = emu->regs[r];
        if (r == MPU6050_REG_INT_STATUS) /* cleared by reading */
            emu->regs[r] = 0;
    }
    return 0;
}

static int emu_write(void *ctx, uint8_t reg, uint8_t val)
{
    struct mpu6050_emu *emu = ctx;
    int rc = emu_bus_fault(&emu->bus);
    if (rc < 0)
        return rc;
    switch (reg) {
    case MPU6050_REG_WHO_AM_I:
    case MPU6050_REG_INT_STATUS:
    case MPU6050_REG_FIFO_COUNT_H:
    case MPU6050_REG_FIFO_COUNT_L:
        return 0; /* read-only */
    case MPU6050_REG_PWR_MGMT_1:
        if (val & MPU6050_BIT_DEVICE_RESET) {
            reset_registers(emu);
            return 0;
        }
        emu->regs[reg] = val;
        emu_clock_restart(&emu->clk);
        return 0;
    case MPU6050_REG_SIGNAL_PATH_RESET:
        return 0; /* self-clearing strobes */
    case MPU6050_REG_USER_CTRL:
        if (val & MPU6050_BIT_FIFO_RESET)
            emu->fifo_head = emu->fifo_count = 0;
        emu->regs[reg] = val & (uint8_t)~(MPU6050_BIT_FIFO_RESET | MPU6050_BIT_SIG_COND_RESET);
        return 0;
    case MPU6050_REG_FIFO_R_W:
        fifo_push(emu, val);
        return 0;
    default:
        emu->regs[reg % MPU6050_NUM_REGS] = val;
        return 0;
    }
}

static void emu_sleep_ms(void *ctx, unsigned ms)
{
    struct mpu6050_emu *emu = ctx;
    mpu6050_emu_advance(emu, emu->clk.now + ms / 1000.0);
}

/* The FIFO register does not move on: every byte comes from the FIFO. */
static int emu_read_fifo(void *ctx, uint8_t reg, uint8_t *buf, size_t len)
{
    struct mpu6050_emu *emu = ctx;
    if (reg != MPU6050_REG_FIFO_R_W)
        return emu_read(ctx, reg, buf, len);
    int rc = emu_bus_fault(&emu->bus);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < len; i++)
        buf[i] = fifo_pop(emu);
    return 0;
}

struct transport mpu6050_emu_transport(void *emu)
{
    struct transport t = {emu_read, emu_write, emu_read_fifo, emu_sleep_ms, emu};
    return t;
}

const struct imu_emu_ops mpu6050_emu_ops = {
    sizeof(struct mpu6050_emu), offsetof(struct mpu6050_emu, bus), mpu6050_emu_init,
    mpu6050_emu_transport,      mpu6050_emu_advance,               mpu6050_emu_power_cycle,
};
