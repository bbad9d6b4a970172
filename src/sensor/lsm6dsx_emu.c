/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lsm6dsx_emu: register file, FIFO and faults of an emulated LSM6DS3/DSO. */
#include "lsm6dsx_emu.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#define N(t) (sizeof(t) / sizeof((t)[0]))

static void reset_registers(struct lsm6dsx_emu *emu)
{
    memset(emu->regs, 0, sizeof emu->regs);
    emu->regs[LSM6DSX_REG_WHO_AM_I] = emu->model->who_am_i;
    emu->regs[LSM6DSX_REG_CTRL3_C] = LSM6DSX_BIT_IF_INC;
    emu->fifo_head = emu->fifo_count = 0;
    emu->over_run = false;
}

void lsm6dsx_emu_init(void *state, const struct imu_model *model, imu_motion motion,
                      void *motion_ctx)
{
    struct lsm6dsx_emu *emu = state;
    memset(emu, 0, sizeof *emu);
    emu->model = model;
    emu->lay = &lsm6dsx_layouts[model->variant];
    emu->garbage_count = 0x0FFF; /* every count bit: the top of the DS3's range */
    emu_clock_init(&emu->clk, motion, motion_ctx);
    reset_registers(emu);
}

void lsm6dsx_emu_power_cycle(void *state)
{
    struct lsm6dsx_emu *emu = state;
    reset_registers(emu);
    emu_clock_restart(&emu->clk);
}

static double odr(const struct lsm6dsx_emu *emu)
{
    const struct lsm6dsx_code *o = lsm6dsx_by_code(
        lsm6dsx_odrs, N(lsm6dsx_odrs), emu->regs[LSM6DSX_REG_CTRL1_XL] >> LSM6DSX_SHIFT_ODR);
    return o ? o->value : 0;
}

static bool fifo_on(const struct lsm6dsx_emu *emu)
{
    return (emu->regs[emu->lay->fifo_mode_reg] & LSM6DSX_BITS_FIFO_MODE) ==
               LSM6DSX_FIFO_MODE_CONTINUOUS &&
           emu->regs[emu->lay->fifo_rate_reg] != 0;
}

double lsm6dsx_emu_rate(const struct lsm6dsx_emu *emu)
{
    return fifo_on(emu) ? odr(emu) : 0;
}

unsigned lsm6dsx_emu_fifo_words(const struct lsm6dsx_emu *emu)
{
    return emu->fifo_count / emu->lay->word_bytes;
}

static unsigned fifo_size(const struct lsm6dsx_emu *emu)
{
    return (unsigned)emu->lay->fifo_words * emu->lay->word_bytes;
}

/* One word in; full, the oldest word goes and the chip says so. */
static void fifo_push_word(struct lsm6dsx_emu *emu, const uint8_t *w)
{
    unsigned size = fifo_size(emu), wb = emu->lay->word_bytes;
    if (emu->fifo_count + wb > size) {
        emu->fifo_head = (emu->fifo_head + wb) % size;
        emu->fifo_count -= wb;
        emu->over_run = true;
    }
    for (unsigned i = 0; i < wb; i++)
        emu->fifo[(emu->fifo_head + emu->fifo_count + i) % size] = w[i];
    emu->fifo_count += wb;
}

static uint8_t fifo_pop(struct lsm6dsx_emu *emu)
{
    if (emu->fifo_count == 0)
        return 0;
    uint8_t b = emu->fifo[emu->fifo_head];
    emu->fifo_head = (emu->fifo_head + 1) % fifo_size(emu);
    emu->fifo_count--;
    return b;
}

static void put_le(uint8_t *p, double v, double lsb)
{
    uint16_t u = (uint16_t)emu_quantise(v, lsb);
    p[0] = (uint8_t)u;
    p[1] = (uint8_t)(u >> 8);
}

/* gyro x, y, z then accelerometer x, y, z, little-endian, at the ranges
 * the registers set */
static void encode(const struct lsm6dsx_emu *emu, const struct sample *s, uint8_t out[12])
{
    const struct lsm6dsx_code *fa = lsm6dsx_by_code(
        lsm6dsx_accel_scales, N(lsm6dsx_accel_scales),
        (emu->regs[LSM6DSX_REG_CTRL1_XL] >> LSM6DSX_SHIFT_FS) & 3);
    const struct lsm6dsx_code *fg = lsm6dsx_by_code(
        lsm6dsx_gyro_scales, N(lsm6dsx_gyro_scales),
        (emu->regs[LSM6DSX_REG_CTRL2_G] >> LSM6DSX_SHIFT_FS) & 3);
    for (int i = 0; i < 3; i++) {
        put_le(out + 2 * i, s->g[i], fg->lsb_per_unit);
        put_le(out + 6 + 2 * i, s->a[i], fa->lsb_per_unit);
    }
}

static void make_sample(void *state, double t)
{
    struct lsm6dsx_emu *emu = state;
    struct sample s;
    emu_clock_motion(&emu->clk, t, &s);
    uint8_t raw[12];
    encode(emu, &s, raw);
    memcpy(&emu->regs[LSM6DSX_REG_OUTX_L_G], raw, sizeof raw);
    emu->frames_made++;
    if (!fifo_on(emu))
        return;
    if (emu->fifo_count + 12u > fifo_size(emu) - emu->lay->word_bytes)
        emu->frames_dropped++;
    if (emu->model->variant == LSM6DSX_DS3) {
        for (int w = 0; w < 6; w++)
            fifo_push_word(emu, raw + 2 * w);
        return;
    }
    uint8_t g[7] = {LSM6DSO_TAG_GYRO << LSM6DSO_SHIFT_TAG}, a[7] = {LSM6DSO_TAG_ACCEL
                                                                    << LSM6DSO_SHIFT_TAG};
    memcpy(g + 1, raw, 6);
    memcpy(a + 1, raw + 6, 6);
    fifo_push_word(emu, g);
    fifo_push_word(emu, a);
}

void lsm6dsx_emu_advance(void *state, double t)
{
    struct lsm6dsx_emu *emu = state;
    emu_clock_run(&emu->clk, t, odr(emu), make_sample, emu);
}

static uint8_t status(struct lsm6dsx_emu *emu, unsigned r)
{
    unsigned words = lsm6dsx_emu_fifo_words(emu);
    if (r == LSM6DSX_REG_FIFO_STATUS1)
        return (uint8_t)words;
    if (r == LSM6DS3_REG_FIFO_STATUS3) /* the next word's place in its frame */
        return (uint8_t)((emu->lay->words_per_frame - words % emu->lay->words_per_frame) %
                         emu->lay->words_per_frame);
    if (r == LSM6DS3_REG_FIFO_STATUS4)
        return 0;
    uint8_t s2 = (uint8_t)((words >> 8) & (emu->lay->diff_mask >> 8));
    if (emu->over_run)
        s2 |= LSM6DSX_BIT_FIFO_OVER_RUN;
    if (words == emu->lay->fifo_words)
        s2 |= LSM6DSX_BIT_FIFO_FULL;
    if (words == 0 && emu->model->variant == LSM6DSX_DS3)
        s2 |= LSM6DS3_BIT_FIFO_EMPTY;
    return s2;
}

static int emu_read(void *ctx, uint8_t reg, uint8_t *buf, size_t len)
{
    struct lsm6dsx_emu *emu = ctx;
    int rc = emu_bus_fault(&emu->bus);
    if (rc < 0)
        return rc;
    bool corrupt = reg == LSM6DSX_REG_FIFO_STATUS1 && emu_bus_corrupt_count(&emu->bus);
    for (size_t i = 0; i < len; i++) {
        unsigned r = (reg + i) % LSM6DSX_NUM_REGS;
        if (corrupt && (r == LSM6DSX_REG_FIFO_STATUS1 || r == LSM6DSX_REG_FIFO_STATUS2))
            /* garbage: garbage_count, no flag (by default a count at the top
             * of the DS3's range, past the DSO's) */
            buf[i] = r == LSM6DSX_REG_FIFO_STATUS1 ? (uint8_t)emu->garbage_count
                                                   : (uint8_t)(emu->garbage_count >> 8 & 0x0F);
        else if (r == LSM6DSX_REG_FIFO_STATUS1 || r == LSM6DSX_REG_FIFO_STATUS2 ||
                 (emu->model->variant == LSM6DSX_DS3 &&
                  (r == LSM6DS3_REG_FIFO_STATUS3 || r == LSM6DS3_REG_FIFO_STATUS4)))
            buf[i] = status(emu, r);
        else if (r >= emu->lay->fifo_out_reg && r < emu->lay->fifo_out_reg + emu->lay->word_bytes)
            buf[i] = fifo_pop(emu);
        else
            buf[i] = emu->regs[r];
    }
    return 0;
}

/* Reading on from the FIFO's output registers rolls back to their first:
 * every byte comes from the FIFO. */
static int emu_read_fifo(void *ctx, uint8_t reg, uint8_t *buf, size_t len)
{
    struct lsm6dsx_emu *emu = ctx;
    if (reg != emu->lay->fifo_out_reg)
        return emu_read(ctx, reg, buf, len);
    int rc = emu_bus_fault(&emu->bus);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < len; i++)
        buf[i] = fifo_pop(emu);
    return 0;
}

static int emu_write(void *ctx, uint8_t reg, uint8_t val)
{
    struct lsm6dsx_emu *emu = ctx;
    int rc = emu_bus_fault(&emu->bus);
    if (rc < 0)
        return rc;
    reg %= LSM6DSX_NUM_REGS;
    if (reg == LSM6DSX_REG_WHO_AM_I || reg == LSM6DSX_REG_FIFO_STATUS1 ||
        reg == LSM6DSX_REG_FIFO_STATUS2 || reg >= LSM6DSX_REG_OUTX_L_G)
        return 0; /* read-only */
    if (reg == LSM6DSX_REG_CTRL3_C && (val & LSM6DSX_BIT_SW_RESET)) {
        reset_registers(emu); /* self-clearing */
        return 0;
    }
    if (reg == emu->lay->fifo_mode_reg &&
        (val & LSM6DSX_BITS_FIFO_MODE) == LSM6DSX_FIFO_MODE_BYPASS) {
        emu->fifo_head = emu->fifo_count = 0; /* bypass empties it */
        emu->over_run = false;
    }
    if (reg == LSM6DSX_REG_CTRL1_XL)
        emu_clock_restart(&emu->clk);
    emu->regs[reg] = val;
    return 0;
}

static void emu_sleep_ms(void *ctx, unsigned ms)
{
    struct lsm6dsx_emu *emu = ctx;
    lsm6dsx_emu_advance(emu, emu->clk.now + ms / 1000.0);
}

struct transport lsm6dsx_emu_transport(void *emu)
{
    struct transport t = {emu_read, emu_write, emu_read_fifo, emu_sleep_ms, emu};
    return t;
}

const struct imu_emu_ops lsm6dsx_emu_ops = {
    sizeof(struct lsm6dsx_emu), offsetof(struct lsm6dsx_emu, bus), lsm6dsx_emu_init,
    lsm6dsx_emu_transport,      lsm6dsx_emu_advance,               lsm6dsx_emu_power_cycle,
};
