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

#include "emu_core.h"
#include "imu.h"
#include "mpu6050_regs.h"
#include "sample.h"
#include "transport.h"

typedef imu_motion mpu6050_emu_motion;

#define MPU6050_EMU_FIFO_MAX 4096

struct mpu6050_emu {
    uint8_t regs[MPU6050_NUM_REGS];
    const struct imu_model *chip;
    uint8_t fifo[MPU6050_EMU_FIFO_MAX];
    unsigned fifo_head, fifo_count;
    struct emu_clock clk; /* its time and motion */
    double clock_error;   /* the sensor oscillator's error, e.g. 0.01 = 1 % fast */

    struct emu_bus bus;  /* fault injection */

    unsigned long long frames_made, frames_dropped;
};

/* The functions below take a struct mpu6050_emu as emu (void * so that
 * they fill the driver table's emulator operations, imu.h, as they are). */

/* Powers the chip up: reset values, WHO_AM_I of the given model (a row of
 * mpu6050_models, or a test's own), asleep. */
void mpu6050_emu_init(void *emu, const struct imu_model *model, imu_motion motion,
                      void *motion_ctx);

/* The chip loses power and gets it back: every register returns to its
 * reset value (asleep, FIFO off, FIFO empty), as at power-on. The clock and
 * the injected faults stay. Nothing on the bus notices unless a transfer
 * happens to fall while the power is off. */
void mpu6050_emu_power_cycle(void *emu);

/* The transport that talks to this emulator. */
struct transport mpu6050_emu_transport(void *emu);

/* Runs the chip's clock to t, producing every frame due by then. */
void mpu6050_emu_advance(void *emu, double t);

/* The output rate the current register settings give (0 when asleep or the
 * FIFO is off). */
double mpu6050_emu_rate(const struct mpu6050_emu *emu);

/* Converts a physical sample to a frame the way the chip quantises it at its
 * current ranges (saturating at the 16-bit limits). */
void mpu6050_emu_encode(const struct mpu6050_emu *emu, const struct sample *s,
                        uint8_t frame[MPU6050_FRAME_BYTES]);

/* The emulator as the MPU-6050 driver's table gives it (imu.h). */
extern const struct imu_emu_ops mpu6050_emu_ops;

#endif
