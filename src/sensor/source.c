/* SPDX-License-Identifier: GPL-3.0-or-later */
/* source: the interface, --sensor parsing, events, and the choice of kind;
 * the kinds are source_chip.c, source_emu.c and source_replay.c. */
#include "source_priv.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drivers.h"
#include "faults.h"

#ifndef STATION_DATADIR
#define STATION_DATADIR "/usr/local/share/station"
#endif

#define DEMO_TRACE "demo.csv"

static const char *kind_names[SOURCE_KIND_COUNT] = {"auto", "chip", "emu", "replay"};

const char source_sensor_help[] =
    "auto, replay, emu, emu:CHIP or a chip (mpu6050, lsm6ds3, lsm6dso, ...)";

int source_sensor_parse(const char *arg, struct source_options *o, char *err, size_t errlen)
{
    o->chip = NULL;
    for (int i = 0; i < SOURCE_KIND_COUNT; i++)
        if (i != SOURCE_CHIP && strcmp(arg, kind_names[i]) == 0) {
            o->kind = (enum source_kind)i;
            return 0;
        }
    bool emu = strncmp(arg, "emu:", 4) == 0;
    const char *chip = emu ? arg + 4 : arg;
    if (!drivers_model(chip, NULL)) {
        char keys[300];
        drivers_model_keys(keys, sizeof keys, 0);
        snprintf(err, errlen, "--sensor: '%s' is not one of auto, replay, emu, emu:CHIP or a "
                 "chip (%s)", arg, keys);
        return -1;
    }
    o->kind = emu ? SOURCE_EMU : SOURCE_CHIP;
    o->chip = chip;
    return 0;
}

const char *source_kind_name(enum source_kind k)
{
    return k < SOURCE_KIND_COUNT ? kind_names[k] : "?";
}

const char *source_state_name(enum source_state s)
{
    static const char *names[] = {"LIVE", "DEMO", "REPLAY", "SENSOR LOST"};
    return names[s];
}

const char *source_assets_dir(void)
{
    const char *env = getenv("STATION_ASSETS");
    if (env && *env)
        return env;
    if (access("assets/" DEMO_TRACE, R_OK) == 0)
        return "assets";
    /* build/station run from another directory: the source tree's assets,
     * found from the executable itself */
    static char beside[PATH_MAX];
    char exe[PATH_MAX], probe[PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(probe, sizeof probe, "%s/../assets/" DEMO_TRACE, exe);
            if (access(probe, R_OK) == 0) {
                snprintf(beside, sizeof beside, "%s/../assets", exe);
                return beside;
            }
        }
    }
    return STATION_DATADIR;
}

void source_push(struct source *s, enum source_event_kind kind, double t, double len,
                 const char *text)
{
    if (s->nev == SOURCE_EVQ) {
        memmove(s->ev, s->ev + 1, sizeof s->ev[0] * (SOURCE_EVQ - 1));
        s->nev--;
    }
    struct source_event *e = &s->ev[s->nev++];
    e->kind = kind;
    e->t = t;
    e->length_s = len;
    snprintf(e->text, sizeof e->text, "%s", text);
}

bool source_next_event(struct source *s, struct source_event *ev)
{
    if (s->be->pump_events)
        s->be->pump_events(s);
    if (s->nev == 0)
        return false;
    *ev = s->ev[0];
    memmove(s->ev, s->ev + 1, sizeof s->ev[0] * (size_t)(s->nev - 1));
    s->nev--;
    return true;
}

int source_check(const struct source_options *opt, char *err, size_t errlen)
{
    if (opt->faults && *opt->faults) {
        if (opt->kind != SOURCE_EMU) {
            snprintf(err, errlen, "--faults: only the emulator takes a fault script "
                     "(--sensor emu), not --sensor %s",
                     opt->kind == SOURCE_CHIP && opt->chip ? opt->chip
                                                           : source_kind_name(opt->kind));
            return -1;
        }
        struct fault_script fs;
        if (faults_parse(&fs, opt->faults, err, errlen) < 0)
            return -1;
        if (fs.chip[0] && opt->chip && strcmp(fs.chip, opt->chip) != 0) {
            snprintf(err, errlen, "--faults chip=%s and --sensor emu:%s name two different "
                     "chips: name the emulated chip once", fs.chip, opt->chip);
            return -1;
        }
    }
    if (opt->trace && opt->kind != SOURCE_EMU && opt->kind != SOURCE_REPLAY) {
        /* a real sensor plays nothing: a trace named with it would be ignored */
        snprintf(err, errlen, "--trace %s: only --sensor emu and --sensor replay play a trace, "
                 "not --sensor %s", opt->trace,
                 opt->kind == SOURCE_CHIP && opt->chip ? opt->chip : source_kind_name(opt->kind));
        return -1;
    }
    if (opt->trace) {
        struct trace_reader *r = trace_reader_open(opt->trace, err, errlen);
        if (!r)
            return -1;
        trace_reader_close(r);
    }
    return 0;
}

struct source *source_open(const struct source_options *opt,
                           const struct station_config *cfg, double now,
                           char *err, size_t errlen)
{
    struct source *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    char demo[512];
    snprintf(demo, sizeof demo, "%s/%s", source_assets_dir(), DEMO_TRACE);
    const char *trace = opt->trace ? opt->trace : demo;
    int rc = -1;
    s->kind = opt->kind;
    switch (opt->kind) {
    case SOURCE_CHIP:
        rc = source_chip_open(s, opt, cfg, now, err, errlen);
        break;
    case SOURCE_EMU:
        rc = source_emu_open(s, opt, cfg, trace, now, err, errlen);
        break;
    case SOURCE_REPLAY:
        rc = source_replay_open(s, trace, opt->speed, opt->loop, now, err, errlen);
        s->state = opt->trace ? SOURCE_STATE_REPLAY : SOURCE_STATE_DEMO;
        break;
    case SOURCE_AUTO: {
        char why[300];
        s->kind = SOURCE_CHIP;
        if (source_chip_open(s, opt, cfg, now, why, sizeof why) == 0) {
            rc = 0;
            break;
        }
        s->kind = SOURCE_REPLAY;
        rc = source_replay_open(s, demo, opt->speed > 0 ? opt->speed : 1, true, now, err,
                                errlen);
        s->state = SOURCE_STATE_DEMO;
        char note[512];
        snprintf(note, sizeof note, "no sensor (%s): showing the DEMO recording", why);
        source_push(s, SOURCE_EV_NOTICE, 0, 0, note);
        break;
    }
    default:
        snprintf(err, errlen, "unknown source");
    }
    if (rc < 0) {
        source_close(s);
        return NULL;
    }
    return s;
}

size_t source_read(struct source *s, double now, struct sample *out, size_t max)
{
    return s->be->read(s, now, out, max);
}

bool source_done(const struct source *s)
{
    return s->done;
}

const char *source_error(const struct source *s)
{
    return s->error[0] ? s->error : NULL;
}

enum source_state source_state(const struct source *s)
{
    return s->state;
}

enum source_kind source_kind_of(const struct source *s)
{
    return s->kind;
}

const struct trace_meta *source_meta(const struct source *s)
{
    return &s->meta;
}

int source_fd(const struct source *s)
{
    return s->be->fd ? s->be->fd(s) : -1;
}

double source_poll_interval(const struct source *s)
{
    return s->be->poll_interval(s);
}

void source_stats(const struct source *s, struct source_stats *st)
{
    memset(st, 0, sizeof *st);
    if (s->be->stats)
        s->be->stats(s, st);
}

bool source_stats_line(const struct source *s, char *out, size_t len)
{
    if (s->kind == SOURCE_REPLAY)
        return false;
    struct source_stats st;
    source_stats(s, &st);
    snprintf(out, len, "sensor: %llu samples read, %llu FIFO overflows, %llu losses, "
             "%llu I2C errors, %llu resets", st.samples, st.overflows, st.losses, st.io_errors,
             st.resets);
    return true;
}

void source_close(struct source *s)
{
    if (!s)
        return;
    if (s->be && s->be->close)
        s->be->close(s);
    free(s);
}
