/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mpu6050_emu: a register-level model of the MPU-6050 behind the transport
 * interface, for tests and for `--sensor emu`.
 *
 * It keeps the register file with its reset values, derives the output rate
 * from SMPLRT_DIV and the DLPF setting, fills a FIFO of the chip's size with
 * frames of the enabled sensors at that rate from a motion function, and
 * overflows the way the chip does (oldest bytes dropped, FIFO_OFLOW_INT
 * set). Time is the emulator's own: tests move it with mpu6050_emu_advance;
 * sleep_ms advances it too. Faults can be injected at any time. */
#ifndef STATION_MPU6050_EMU_H
#define STATION_MPU6050_EMU_H

#include <stdbool.h>
#include <stdint.h>

#include "mpu6050_regs.h"
#include "sample.h"
#include "transport.h"

/* The physical motion the emulated chip senses at time t (seconds of the
 * emulator's clock). Fills s->a (g) and s->g (deg/s). */
typedef void (*mpu6050_emu_motion)(void *ctx, double t, struct sample *s);

#define MPU6050_EMU_FIFO_MAX 4096

struct mpu6050_emu {
    uint8_t regs[MPU6050_NUM_REGS];
    const struct mpu6050_chip *chip;
    uint8_t fifo[MPU6050_EMU_FIFO_MAX];
    unsigned fifo_head, fifo_count;
    double now;          /* emulator clock */
    double next_sample;  /* when the next frame is due */
    double clock_error;  /* the sensor oscillator's error, e.g. 0.01 = 1 % fast */
    mpu6050_emu_motion motion;
    void *motion_ctx;

    /* Fault injection. */
    int nack_next;       /* the next N transfers fail with -EIO */
    bool stuck;          /* every transfer times out (-ETIMEDOUT) */
    bool disconnected;   /* nobody answers (-ENXIO) */
    int corrupt_count_next; /* the next N FIFO_COUNT reads return garbage */

    unsigned long long frames_made, frames_dropped, transfers;
};

/* Powers the chip up: reset values, WHO_AM_I of the given chip, asleep. */
void mpu6050_emu_init(struct mpu6050_emu *emu, enum mpu6050_chip_id chip,
                      mpu6050_emu_motion motion, void *motion_ctx);

/* The chip loses power and gets it back: every register returns to its
 * reset value (asleep, FIFO off, FIFO empty), as at power-on. The clock and
 * the injected faults stay. Nothing on the bus notices unless a transfer
 * happens to fall while the power is off. */
void mpu6050_emu_power_cycle(struct mpu6050_emu *emu);

/* The transport that talks to this emulator. */
struct transport mpu6050_emu_transport(struct mpu6050_emu *emu);

/* Runs the chip's clock to t, producing every frame due by then. */
void mpu6050_emu_advance(struct mpu6050_emu *emu, double t);

/* The output rate the current register settings give (0 when asleep or the
 * FIFO is off). */
double mpu6050_emu_rate(const struct mpu6050_emu *emu);

/* Converts a physical sample to a frame the way the chip quantises it at its
 * current ranges (saturating at the 16-bit limits). */
void mpu6050_emu_encode(const struct mpu6050_emu *emu, const struct sample *s,
                        uint8_t frame[MPU6050_FRAME_BYTES]);

#endif
