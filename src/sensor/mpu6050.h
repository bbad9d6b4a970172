/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mpu6050: driver for the MPU-6050 (and register-compatible relatives)
 * over a transport. Reads whole FIFO frames, converts them to physical
 * units and timestamps them from the sample clock.
 *
 * The driver never sleeps except during (re)initialisation and never
 * blocks the caller for long: when the sensor stops answering it reports
 * it lost and re-probes at most once a second from mpu6050_read(). */
#ifndef STATION_MPU6050_H
#define STATION_MPU6050_H

#include <stdbool.h>
#include <stddef.h>

#include "mpu6050_regs.h"
#include "sample.h"
#include "transport.h"

struct mpu6050_settings {
    int sample_rate_hz;
    int dlpf_hz;
    int accel_range_g;
    int gyro_range_dps;
};

enum mpu6050_event_kind {
    MPU6050_EV_CLONE,    /* not a genuine MPU-6050: running the common subset */
    MPU6050_EV_OVERFLOW, /* FIFO overflowed: samples lost, FIFO reset */
    MPU6050_EV_LOST,     /* the sensor stopped answering */
    MPU6050_EV_RESUMED,  /* it answers again and was re-initialised */
    MPU6050_EV_GAP,      /* no samples from t for length_s (after overflow or loss) */
    MPU6050_EV_RESET,    /* answered but sent nothing (lost power?): re-initialised */
    MPU6050_EV_COUNT
};

struct mpu6050_event {
    enum mpu6050_event_kind kind;
    double t;        /* sample clock time the event refers to */
    double length_s; /* GAP only */
    char text[160];  /* a sentence for a person */
};

#define MPU6050_MAX_EVENTS 16
#define MPU6050_RETRIES 3
#define MPU6050_REPROBE_S 1.0
/* The data-flow watchdog: a chip that answers but has put no frame in its
 * FIFO for this long (or 10 sample periods, when longer) is checked and
 * re-initialised. A chip that lost power for less than a read interval
 * comes back asleep with its FIFO off: every read succeeds, the count stays
 * 0, and only this notices. */
#define MPU6050_STALL_S 1.0

struct mpu6050 {
    struct transport tr;
    struct mpu6050_settings set;
    const struct mpu6050_chip *chip;
    double rate_hz;     /* actual output rate after the divider */
    double accel_lsb;   /* LSB per g */
    double gyro_lsb;    /* LSB per deg/s */
    bool lost;
    double next_probe;
    /* Sample clock: frame k after the anchor was sampled at anchor + k*period. */
    double anchor;
    double period;
    unsigned long long frame;
    double last_t;      /* time of the last sample handed out, or < 0 */
    double last_data;   /* when frames last arrived (or the chip was set up) */
    const char *gap_why; /* a fault broke the stream; report at next sample */
    unsigned long long samples, overflows, losses, io_errors, resets;
    struct mpu6050_event ev[MPU6050_MAX_EVENTS];
    int nev;
};

/* Probes WHO_AM_I and initialises the chip (reset, PLL clock, DLPF, rate
 * divider, ranges, FIFO for accel+gyro). now is CLOCK_MONOTONIC seconds.
 * Returns 0, or a negative errno with a sentence in err: -ENODEV when the
 * chip is not one we know (naming the value read), -EINVAL for settings the
 * chip cannot do, or the transport's error. */
int mpu6050_open(struct mpu6050 *dev, const struct transport *tr,
                 const struct mpu6050_settings *set, double now,
                 char *err, size_t errlen);

/* Reads whole frames waiting in the FIFO, at most max, into out. Returns the
 * number of samples (0 when none are ready or the sensor is lost). Faults
 * are not errors here: they become events (mpu6050_next_event) and the
 * driver recovers by itself. When no frame has come for MPU6050_STALL_S
 * while the chip answers, it reads PWR_MGMT_1, USER_CTRL and FIFO_EN,
 * re-initialises the chip and reports a RESET event (naming what it found)
 * and, at the next sample, the gap. */
size_t mpu6050_read(struct mpu6050 *dev, double now, struct sample *out, size_t max);

/* Pops the oldest pending event into ev. Returns false when there is none. */
bool mpu6050_next_event(struct mpu6050 *dev, struct mpu6050_event *ev);

/* Looks up a WHO_AM_I value; NULL when unknown. */
const struct mpu6050_chip *mpu6050_chip_by_id(unsigned who_am_i);

/* Converts one 12-byte FIFO frame to physical units with the given scales. */
void mpu6050_parse_frame(const unsigned char *frame, double accel_lsb,
                         double gyro_lsb, struct sample *s);

#endif
