/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lsm6dsx_emu: a register-level model of the LSM6DS3 and LSM6DSO behind
 * the transport interface, for tests and for `--sensor emu:lsm6dso`.
 *
 * It keeps the register file with its reset values (powered down, address
 * auto-increment on), samples at the ODR of CTRL1_XL, and in continuous
 * mode fills a FIFO of the chip's size with its words: the DS3's six 16-bit
 * words a sample (gyro, then accelerometer), the DSO's two tagged words.
 * Full, it drops the oldest word and sets the overrun flag, as the chips
 * do. Time is the emulator's own (lsm6dsx_emu_advance; sleep_ms too). */
#ifndef STATION_LSM6DSX_EMU_H
#define STATION_LSM6DSX_EMU_H

#include <stdbool.h>
#include <stdint.h>

#include "emu_core.h"
#include "imu.h"
#include "lsm6dsx_regs.h"

#define LSM6DSX_EMU_FIFO_MAX 8192

struct lsm6dsx_emu {
    uint8_t regs[LSM6DSX_NUM_REGS];
    const struct imu_model *model;
    const struct lsm6dsx_layout *lay;
    uint8_t fifo[LSM6DSX_EMU_FIFO_MAX]; /* bytes as read */
    unsigned fifo_head, fifo_count;
    bool over_run;
    uint16_t garbage_count; /* what a corrupted FIFO count reads (emu_bus) */
    struct emu_clock clk; /* its time and motion */
    struct emu_bus bus;
    unsigned long long frames_made, frames_dropped;
};

/* The functions below take a struct lsm6dsx_emu as emu (void *: they fill
 * the driver table's emulator operations, imu.h, as they are). */

/* Powers the chip up: reset values and the model's WHO_AM_I. */
void lsm6dsx_emu_init(void *emu, const struct imu_model *model, imu_motion motion,
                      void *motion_ctx);

/* Loses power for an instant: every register back to its reset value. */
void lsm6dsx_emu_power_cycle(void *emu);

struct transport lsm6dsx_emu_transport(void *emu);

/* Runs the chip's clock to t, producing every sample due by then. */
void lsm6dsx_emu_advance(void *emu, double t);

/* Samples a second the registers give (0 when powered down or the FIFO is
 * not in continuous mode). */
double lsm6dsx_emu_rate(const struct lsm6dsx_emu *emu);

/* FIFO words waiting. */
unsigned lsm6dsx_emu_fifo_words(const struct lsm6dsx_emu *emu);

extern const struct imu_emu_ops lsm6dsx_emu_ops;

#endif
