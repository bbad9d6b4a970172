/* SPDX-License-Identifier: GPL-3.0-or-later */
/* imu: the interface every IMU family's driver fills (one struct imu_driver
 * per family, as gpsd's drivers fill a struct gps_type_t), and the core they
 * share: the sample clock, the FIFO reading loop, fault recovery and events.
 *
 * A driver knows its registers; the core knows none. It asks the driver how
 * many whole frames wait (fifo_level), reads them through the transport's
 * FIFO door, and has the driver decode each frame. Nothing above this file
 * knows a register, a frame size or a chip. */
#ifndef STATION_IMU_H
#define STATION_IMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sample.h"
#include "transport.h"

struct imu_settings {
    int sample_rate_hz;
    int filter_hz;      /* low-pass bandwidth; each family has its own set */
    int accel_range_g;
    int gyro_range_dps;
};

enum imu_event_kind {
    IMU_EV_NOTICE,   /* a sentence for the log (a relative of the chip, ...) */
    IMU_EV_OVERFLOW, /* FIFO overflowed: samples lost, FIFO reset */
    IMU_EV_LOST,     /* the sensor stopped answering */
    IMU_EV_RESUMED,  /* it answers again and was re-initialised */
    IMU_EV_GAP,      /* no samples from t for length_s (after overflow or loss) */
    IMU_EV_RESET,    /* answered but sent nothing (lost power?): re-initialised */
    IMU_EV_COUNT
};

struct imu_event {
    enum imu_event_kind kind;
    double t;        /* sample clock time the event refers to */
    double length_s; /* GAP only */
    char text[160];  /* a sentence for a person */
};

/* One chip of a family: a row of the family's table. */
struct imu_model {
    const char *key;      /* its name in sensor.chip, --sensor and chip=NAME */
    uint8_t who_am_i;
    const char *name;     /* for people: "MPU-6050" */
    uint16_t fifo_bytes;  /* FIFO size as read over the bus, out of reset */
    uint8_t variant;      /* the family's own: which register layout */
    bool genuine;         /* false: a relative, run with the common subset */
};

/* The physical motion an emulated chip senses at time t (seconds of the
 * emulator's clock): s->a in g, s->g in deg/s. */
typedef void (*imu_motion)(void *ctx, double t, struct sample *s);

struct emu_bus;

/* A family's register-level emulator, behind the same transport. Its
 * functions take its own state as emu. */
struct imu_emu_ops {
    size_t size;       /* bytes of its state */
    size_t bus_offset; /* where in it its struct emu_bus is (faults go there) */
    void (*init)(void *emu, const struct imu_model *model, imu_motion m, void *ctx);
    struct transport (*transport)(void *emu);
    void (*advance)(void *emu, double t); /* runs its clock to t */
    void (*power_cycle)(void *emu);       /* loses power for an instant */
};

/* What the FIFO holds now, as the driver reads it. */
struct imu_fifo_level {
    unsigned frames;      /* whole frames waiting */
    const char *overflow; /* NULL, or why the FIFO must be reset ("overflow", "full", ...) */
};

struct imu;

struct imu_driver {
    const char *family;           /* for messages: "MPU-6050" */
    uint8_t who_am_i_reg;
    const struct imu_model *models;
    size_t nmodels;
    const int *addresses;         /* 0-terminated: where the family answers */
    const int *filters_hz;        /* 0-terminated: bandwidths it has (at rate 0: see filters) */
    const int *rates_hz;          /* 0-terminated output rates, or NULL: any of 10..1000 */
    size_t frame_bytes;           /* one FIFO frame: accelerometer and gyroscope */
    uint8_t fifo_reg;             /* the register the FIFO streams from */
    double settle_s;              /* frames younger than this after a reset are dropped */
    /* Filter bandwidths at an output rate, when they follow the rate (NULL:
     * filters_hz whatever the rate). Fills out (0-terminated). */
    void (*filters_at)(int rate_hz, int *out, size_t max);
    /* Resets the identified chip and sets it up for dev->set: fills
     * dev->rate_hz, accel_lsb and gyro_lsb, writes (and reads back) its
     * registers; the core then resets the FIFO (fifo_reset) to start it.
     * *waited_s: the device time it slept.
     * Returns 0, or a negative errno with a sentence in err. */
    int (*configure)(struct imu *dev, double *waited_s, char *err, size_t errlen);
    /* Reads the FIFO's state. Returns 0 or the transport's error. */
    int (*fifo_level)(struct imu *dev, struct imu_fifo_level *lv);
    int (*fifo_reset)(struct imu *dev);
    /* Converts one frame to g and deg/s. Returns false for a frame that
     * cannot be one (misaligned): it is dropped. */
    bool (*decode)(const struct imu *dev, const uint8_t *frame, struct sample *s);
    /* The chip answers but sends nothing: what do its registers say?
     * Returns 0 with a short finding, or the transport's error. */
    int (*diagnose)(struct imu *dev, char *found, size_t len);
    const struct imu_emu_ops *emu;
};

#define IMU_MAX_EVENTS 16
#define IMU_RETRIES 3
#define IMU_REPROBE_S 1.0
/* The data-flow watchdog: a chip that answers but has put no frame in its
 * FIFO for this long (or 10 sample periods, when longer) is checked and
 * re-initialised. A chip that lost power for less than a read interval
 * comes back asleep with its FIFO off: every read succeeds, the count stays
 * 0, and only this notices. */
#define IMU_STALL_S 1.0

struct imu {
    struct transport tr;  /* what the driver uses: the bus, reads retried in imu_read */
    struct transport bus; /* the transport given to imu_open */
    bool retrying;
    const struct imu_driver *drv;
    const struct imu_model *model;
    struct imu_settings set;
    double rate_hz;     /* actual output rate */
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
    unsigned long long samples, overflows, losses, io_errors, resets, bad_frames;
    struct imu_event ev[IMU_MAX_EVENTS];
    int nev;
};

/* Probes WHO_AM_I for one of drv's models and initialises it for set. now
 * is CLOCK_MONOTONIC seconds. Returns 0, or a negative errno with a
 * sentence in err: -ENODEV when the chip is not one of the family's (naming
 * the value read), -EINVAL for settings it cannot do, or the transport's. */
int imu_open(struct imu *dev, const struct imu_driver *drv, const struct transport *tr,
             const struct imu_settings *set, double now, char *err, size_t errlen);

/* Reads whole frames waiting in the FIFO, at most max, into out. Returns the
 * number of samples (0 when none are ready or the sensor is lost). Faults
 * are not errors here: they become events (imu_next_event) and the driver
 * recovers by itself: it re-probes a lost chip once a second, resets an
 * overflowing FIFO, and when no frame has come for IMU_STALL_S while the
 * chip answers it asks the driver what the chip looks like, re-initialises
 * it and reports a RESET event and, at the next sample, the gap. */
size_t imu_read(struct imu *dev, double now, struct sample *out, size_t max);

/* Pops the oldest pending event into ev. Returns false when there is none. */
bool imu_next_event(struct imu *dev, struct imu_event *ev);

/* Seconds of samples the FIFO holds at the current rate (0 before open). */
double imu_fifo_seconds(const struct imu *dev);

/* The model of drv answering WHO_AM_I who; NULL when none. */
const struct imu_model *imu_model_by_id(const struct imu_driver *drv, unsigned who);

/* For drivers: one register read; a write read back (a bus that
 * acknowledges but does not store is caught at init). Both return 0 or a
 * negative errno; write_verify also writes a sentence in err. */
int imu_read_reg(struct imu *dev, uint8_t reg, uint8_t *val);
struct imu_reg_val {
    uint8_t reg, val;
};
/* Writes and reads back each of n registers in order; stops at the first
 * that fails. */
int imu_write_seq(struct imu *dev, const struct imu_reg_val *seq, size_t n, char *err,
                  size_t errlen);
int imu_write_verify(struct imu *dev, uint8_t reg, uint8_t val, char *err, size_t errlen);

/* For drivers and tests: the index of value in a 0-terminated list, or -1;
 * the entry of list nearest to value. */
int imu_index_of(const int *list, int value);
int imu_nearest(const int *list, int value);

#endif
