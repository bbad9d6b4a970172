/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mpu6050_emu: register file, FIFO and faults of an emulated MPU-6050. */
#include "mpu6050_emu.h"

#include <errno.h>
#include <math.h>
#include <string.h>

static void reset_registers(struct mpu6050_emu *emu)
{
    memset(emu->regs, 0, sizeof emu->regs);
    /* Register map 3: every register resets to 0 except these two. */
    emu->regs[MPU6050_REG_PWR_MGMT_1] = MPU6050_BIT_SLEEP;
    emu->regs[MPU6050_REG_WHO_AM_I] = emu->chip->who_am_i;
    emu->fifo_head = emu->fifo_count = 0;
}

void mpu6050_emu_init(struct mpu6050_emu *emu, enum mpu6050_chip_id chip,
                      mpu6050_emu_motion motion, void *motion_ctx)
{
    memset(emu, 0, sizeof *emu);
    emu->chip = &mpu6050_chips[chip];
    emu->motion = motion;
    emu->motion_ctx = motion_ctx;
    reset_registers(emu);
}

void mpu6050_emu_power_cycle(struct mpu6050_emu *emu)
{
    reset_registers(emu);
    emu->next_sample = emu->now;
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

static int16_t quantise(double v, double lsb)
{
    double r = round(v * lsb);
    if (r > 32767)
        r = 32767;
    if (r < -32768)
        r = -32768;
    return (int16_t)r;
}

void mpu6050_emu_encode(const struct mpu6050_emu *emu, const struct sample *s,
                        uint8_t frame[MPU6050_FRAME_BYTES])
{
    unsigned ai = (emu->regs[MPU6050_REG_ACCEL_CONFIG] >> MPU6050_SHIFT_AFS_SEL) & 3;
    unsigned gi = (emu->regs[MPU6050_REG_GYRO_CONFIG] >> MPU6050_SHIFT_FS_SEL) & 3;
    for (int i = 0; i < 3; i++) {
        uint16_t a = (uint16_t)quantise(s->a[i], mpu6050_accel_scales[ai].lsb_per_unit);
        uint16_t g = (uint16_t)quantise(s->g[i], mpu6050_gyro_scales[gi].lsb_per_unit);
        frame[2 * i] = (uint8_t)(a >> 8);
        frame[2 * i + 1] = (uint8_t)a;
        frame[6 + 2 * i] = (uint8_t)(g >> 8);
        frame[6 + 2 * i + 1] = (uint8_t)g;
    }
}

static void fifo_push(struct mpu6050_emu *emu, uint8_t b)
{
    unsigned size = emu->chip->fifo_size;
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
    emu->fifo_head = (emu->fifo_head + 1) % emu->chip->fifo_size;
    emu->fifo_count--;
    return b;
}

static void make_frame(struct mpu6050_emu *emu, double t)
{
    struct sample s = {.t = t};
    if (emu->motion)
        emu->motion(emu->motion_ctx, t, &s);
    else
        s.a[2] = 1.0; /* lying flat and still */
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
    if (emu->fifo_count + MPU6050_FRAME_BYTES > emu->chip->fifo_size)
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

void mpu6050_emu_advance(struct mpu6050_emu *emu, double t)
{
    if (!sampling(emu)) {
        emu->now = t > emu->now ? t : emu->now;
        emu->next_sample = emu->now;
        return;
    }
    double period = 1.0 / internal_rate(emu);
    if (emu->next_sample < emu->now - period)
        emu->next_sample = emu->now;
    while (emu->next_sample + period <= t) {
        emu->next_sample += period;
        make_frame(emu, emu->next_sample);
    }
    if (t > emu->now)
        emu->now = t;
}

static int fault(struct mpu6050_emu *emu)
{
    emu->transfers++;
    if (emu->disconnected)
        return -ENXIO;
    if (emu->stuck)
        return -ETIMEDOUT;
    if (emu->nack_next > 0) {
        emu->nack_next--;
        return -EIO;
    }
    return 0;
}

static int emu_read(void *ctx, uint8_t reg, uint8_t *buf, size_t len)
{
    struct mpu6050_emu *emu = ctx;
    int rc = fault(emu);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < len; i++) {
        if (reg == MPU6050_REG_FIFO_R_W) {
            buf[i] = fifo_pop(emu);
            continue;
        }
        unsigned r = (reg + i) % MPU6050_NUM_REGS;
        if (r == MPU6050_REG_FIFO_COUNT_H && emu->corrupt_count_next > 0) {
            emu->corrupt_count_next--;
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
    int rc = fault(emu);
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
        emu->next_sample = emu->now;
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
    mpu6050_emu_advance(emu, emu->now + ms / 1000.0);
}

struct transport mpu6050_emu_transport(struct mpu6050_emu *emu)
{
    struct transport t = {emu_read, emu_write, emu_sleep_ms, emu};
    return t;
}
