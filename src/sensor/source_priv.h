/* SPDX-License-Identifier: GPL-3.0-or-later */
/* source_priv: what the source kinds share inside src/sensor: the source
 * itself, each kind's operations, and the helpers of source.c. Not for
 * use above the sensor module. */
#ifndef STATION_SOURCE_PRIV_H
#define STATION_SOURCE_PRIV_H

#include "source.h"

#define SOURCE_EVQ 16

struct source;

/* One kind of source: the operations source.c hands on to it. */
struct source_backend {
    size_t (*read)(struct source *s, double now, struct sample *out, size_t max);
    double (*poll_interval)(const struct source *s);
    int (*fd)(const struct source *s);
    void (*stats)(const struct source *s, struct source_stats *st);
    void (*pump_events)(struct source *s); /* driver events into source events */
    void (*close)(struct source *s);
};

struct source {
    enum source_kind kind;
    enum source_state state;
    struct trace_meta meta;
    struct source_event ev[SOURCE_EVQ];
    int nev;
    char error[256];
    bool done;
    const struct source_backend *be;
    void *impl; /* the kind's own state */
};

/* Queues an event (the oldest goes when full). */
void source_push(struct source *s, enum source_event_kind kind, double t, double len,
                 const char *text);

/* Each kind's open: fills s->be, s->impl, s->state and s->meta. Returns 0,
 * or -1 (or a negative errno) with a sentence in err. */
int source_chip_open(struct source *s, const struct source_options *opt,
                     const struct station_config *cfg, double now, char *err, size_t errlen);
int source_emu_open(struct source *s, const struct source_options *opt,
                    const struct station_config *cfg, const char *trace, double now,
                    char *err, size_t errlen);
int source_replay_open(struct source *s, const char *trace, double speed, bool loop,
                       double now, char *err, size_t errlen);

/* A chip behind the IMU core, real or emulated: what both kinds share.
 * Their state (s->impl) starts with its struct imu. */
struct imu;
void source_imu_events(struct source *s);
void source_imu_stats(const struct source *s, struct source_stats *st);
void source_imu_meta(struct source *s, const struct imu *dev, const struct station_config *cfg);
/* A quarter of the FIFO's time at the current rate, at most 20 ms (a frame
 * of the display), so the FIFO never gets near full; half of it with an
 * INT line to wake the reader; in real seconds for an emulator speed times
 * faster than real time. */
double source_imu_poll(const struct imu *dev, bool irq, double speed);

#endif
