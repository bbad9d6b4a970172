/* SPDX-License-Identifier: GPL-3.0-or-later */
/* emu_core: what every register-level emulator shares: the faults its bus
 * can be given (so one fault script drives any of them), its sample clock
 * and motion, and the quantisation of a reading. */
#ifndef STATION_EMU_CORE_H
#define STATION_EMU_CORE_H

#include <stdbool.h>
#include <stdint.h>

#include "imu.h"

struct emu_bus {
    int nack_next;          /* the next N transfers fail with -EIO */
    bool stuck;             /* every transfer times out (-ETIMEDOUT) */
    bool disconnected;      /* nobody answers (-ENXIO) */
    int corrupt_count_next; /* the next N FIFO level reads return garbage */
    unsigned long long transfers;
};

/* Counts a transfer; returns 0, or the negative errno the fault gives it. */
int emu_bus_fault(struct emu_bus *bus);

/* True (and counted) when the FIFO level being read is to be garbage. */
bool emu_bus_corrupt_count(struct emu_bus *bus);

/* The chip's own clock: samples are made at its rate from the motion. */
struct emu_clock {
    double now;         /* emulator clock */
    double next_sample; /* when the next sample is due */
    imu_motion motion;  /* NULL: lying flat and still */
    void *motion_ctx;
};

/* The clock at 0 with this motion. */
void emu_clock_init(struct emu_clock *c, imu_motion motion, void *motion_ctx);

/* Sampling starts again now (the chip woke up or lost power). */
void emu_clock_restart(struct emu_clock *c);

/* Runs the clock to t at rate samples a second (0: the chip makes none),
 * calling frame(emu, time) for every sample due. */
void emu_clock_run(struct emu_clock *c, double t, double rate,
                   void (*frame)(void *emu, double t), void *emu);

/* The motion at t into s (a[] in g, g[] in deg/s). */
void emu_clock_motion(const struct emu_clock *c, double t, struct sample *s);

/* v at lsb counts a unit, rounded and held to the 16-bit range. */
int16_t emu_quantise(double v, double lsb);

#endif
