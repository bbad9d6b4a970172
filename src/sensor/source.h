/* SPDX-License-Identifier: GPL-3.0-or-later */
/* source: where samples come from, behind one interface: a real IMU on I2C
 * (any chip of the driver table, drivers.c), a chip's register-level
 * emulator, or a recorded trace replayed. `auto` takes the real sensor when
 * one answers, else the bundled demo recording, clearly labelled. Each kind
 * lives in its own file (source_chip.c, source_emu.c, source_replay.c);
 * this interface is all the rest of the station sees. */
#ifndef STATION_SOURCE_H
#define STATION_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "../config/config.h"
#include "../trace/trace.h"
#include "sample.h"

enum source_kind { SOURCE_AUTO, SOURCE_CHIP, SOURCE_EMU, SOURCE_REPLAY, SOURCE_KIND_COUNT };

/* What the person is looking at: shown on every screen and in records. */
enum source_state { SOURCE_STATE_LIVE, SOURCE_STATE_DEMO, SOURCE_STATE_REPLAY,
                    SOURCE_STATE_LOST };

struct source_options {
    enum source_kind kind;
    const char *trace;  /* emu/replay input; NULL: the bundled demo */
    double speed;       /* replay: 1 = real time, 0 = as fast as possible;
                           emu: how many times faster than real time it runs */
    bool loop;          /* replay: start again at the end (demo mode) */
    const char *faults; /* emu: scripted faults (faults.h) */
    const char *chip;   /* chip or emu: which chip ("lsm6dso"); NULL: sensor.chip
                           for a real one, the MPU-6050 for the emulator */
};

enum source_event_kind { SOURCE_EV_NOTICE, SOURCE_EV_GAP, SOURCE_EV_LOST,
                         SOURCE_EV_RESUMED, SOURCE_EV_RESET };

struct source_event {
    enum source_event_kind kind;
    double t;        /* source clock */
    double length_s; /* GAP */
    char text[200];
};

struct source;

/* Parses a --sensor argument into o's kind and chip: auto, replay, emu,
 * emu:CHIP, or a chip's name (mpu6050, lsm6ds3, lsm6dso, ...: that chip,
 * real). Returns 0, or -1 with a sentence naming what is allowed in err. */
int source_sensor_parse(const char *arg, struct source_options *o, char *err, size_t errlen);

/* What --sensor takes, for usage texts. */
extern const char source_sensor_help[];
const char *source_kind_name(enum source_kind k);
const char *source_state_name(enum source_state s);

/* What the person asked for, checked before anything is opened: a fault
 * script (only with emu, at most 511 characters, each fault known) and the
 * input trace of emu or replay (it opens and its header reads). Returns 0,
 * or -1 with a sentence in err: a usage error (exit 2), where a failing
 * source_open is a runtime one (exit 1). */
int source_check(const struct source_options *opt, char *err, size_t errlen);

/* Opens the source. A real chip is probed by WHO_AM_I at the configured
 * address first, then (sensor.chip "auto", or an address that is not the
 * chip's) at every address of the chip(s) asked for. now is CLOCK_MONOTONIC
 * seconds. Returns NULL with a
 * sentence for a person in err. */
struct source *source_open(const struct source_options *opt,
                           const struct station_config *cfg, double now,
                           char *err, size_t errlen);

/* Samples due by now, at most max. Never blocks for long. */
size_t source_read(struct source *s, double now, struct sample *out, size_t max);

/* True once a replay without loop has handed out its last sample, or a
 * trace turned out bad (source_error says why). */
bool source_done(const struct source *s);
const char *source_error(const struct source *s);

bool source_next_event(struct source *s, struct source_event *ev);

enum source_state source_state(const struct source *s);
enum source_kind source_kind_of(const struct source *s);

/* Metadata for a trace recorded from this source (rate, ranges, source). */
const struct trace_meta *source_meta(const struct source *s);

/* Seconds the caller may wait before the next read is worth making. With
 * the INT line wired the wait is only a safety net: source_fd wakes it. */
double source_poll_interval(const struct source *s);

/* An fd that becomes readable when samples are waiting (the chip's INT
 * line), or -1 when a timer must pace the reads. */
int source_fd(const struct source *s);

/* What the sensor driver counted (0 for a replay). */
struct source_stats {
    unsigned long long samples, overflows, losses, io_errors, resets;
    unsigned long long dropped; /* glitch rows a trace source dropped */
};
void source_stats(const struct source *s, struct source_stats *st);

/* Those counts as the line every command prints at its end ("sensor: N
 * samples read, ..."); false (nothing written) for a replay. */
bool source_stats_line(const struct source *s, char *out, size_t len);

void source_close(struct source *s);

/* Where the bundled assets are: $STATION_ASSETS, the installed data
 * directory, or ./assets in a source tree. */
const char *source_assets_dir(void);

#endif
