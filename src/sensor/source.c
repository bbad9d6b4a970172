/* SPDX-License-Identifier: GPL-3.0-or-later */
/* source: real sensor, emulator and replay behind one interface. */
#include "source.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i2c_transport.h"
#include "int_line.h"
#include "mpu6050.h"
#include "mpu6050_emu.h"

#ifndef STATION_DATADIR
#define STATION_DATADIR "/usr/local/share/station"
#endif

#define DEMO_TRACE "demo.csv"
/* The emulator holds its trace in memory (56 bytes a sample): 1 M samples
 * are 2.8 h at 100 Hz and 56 MB; a longer trace is for --sensor replay. */
#define EMU_TRACE_MAX 1000000
/* A replayed trace whose clock jumps forward by more than this has a gap. */
#define REPLAY_GAP_S 1.0
#define EVQ 16
#define MAX_FAULTS 16

const char source_faults_help[] =
    "disconnect@T+LEN, stuck@T+LEN, stall@T+LEN, nack@TxN, corrupt@T, brownout@T, chip=NAME";

enum fault_kind { F_DISCONNECT, F_STUCK, F_STALL, F_NACK, F_CORRUPT, F_BROWNOUT };

struct fault {
    enum fault_kind kind;
    double at, len;
    int count;
    bool started, ended;
};

static const char *kind_names[SOURCE_KIND_COUNT] = {"auto", "mpu6050", "emu", "replay"};

/* A whole trace in memory: the emulator samples it at arbitrary times. */
struct trace_buf {
    struct sample *s;
    size_t n;
    double t0, span;
};

struct source {
    enum source_kind kind;
    enum source_state state;
    struct trace_meta meta;
    struct source_event ev[EVQ];
    int nev;
    char error[256];
    bool done;
    /* mpu6050 and emu */
    struct i2c_transport i2c;
    struct int_line *irq;
    struct mpu6050 dev;
    struct mpu6050_emu emu;
    double emu_t0;
    double emu_clock;     /* how far the emulated chip has been run */
    double emu_speed;     /* emulated time per real second */
    double open_now;      /* real time the emulator started */
    enum mpu6050_chip_id emu_chip;
    const char *faults_spec;
    struct fault faults[MAX_FAULTS];
    int nfaults;
    double stall_until;
    struct trace_buf tb;
    size_t tb_cursor;
    /* replay */
    struct trace_reader *rd;
    const char *replay_path;
    char path_buf[512];
    double speed;
    bool loop;
    double start_now;   /* monotonic time the replay started */
    double trace_t0;    /* first sample time of the current pass */
    double loop_offset; /* added to trace times on later passes */
    struct sample pending;
    bool have_pending;
    double last_t;
};

int source_kind_parse(const char *s, enum source_kind *out)
{
    for (int i = 0; i < SOURCE_KIND_COUNT; i++)
        if (strcmp(s, kind_names[i]) == 0) {
            *out = (enum source_kind)i;
            return 0;
        }
    return -1;
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

static void push(struct source *s, enum source_event_kind kind, double t, double len,
                 const char *text)
{
    if (s->nev == EVQ) {
        memmove(s->ev, s->ev + 1, sizeof s->ev[0] * (EVQ - 1));
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
    /* Driver events first become source events, in order. */
    struct mpu6050_event de;
    while ((s->kind == SOURCE_MPU6050 || s->kind == SOURCE_EMU) &&
           mpu6050_next_event(&s->dev, &de)) {
        static const enum source_event_kind map[MPU6050_EV_COUNT] = {
            [MPU6050_EV_CLONE] = SOURCE_EV_NOTICE, [MPU6050_EV_OVERFLOW] = SOURCE_EV_NOTICE,
            [MPU6050_EV_LOST] = SOURCE_EV_LOST, [MPU6050_EV_RESUMED] = SOURCE_EV_RESUMED,
            [MPU6050_EV_GAP] = SOURCE_EV_GAP, [MPU6050_EV_RESET] = SOURCE_EV_RESET,
        };
        push(s, map[de.kind], de.t, de.length_s, de.text);
    }
    if (s->nev == 0)
        return false;
    *ev = s->ev[0];
    memmove(s->ev, s->ev + 1, sizeof s->ev[0] * (size_t)(s->nev - 1));
    s->nev--;
    return true;
}

static int load_trace(struct trace_buf *tb, const char *path, char *err, size_t errlen)
{
    struct trace_reader *r = trace_reader_open(path, err, errlen);
    if (!r)
        return -1;
    size_t cap = 4096;
    tb->s = malloc(cap * sizeof *tb->s);
    tb->n = 0;
    int rc = tb->s ? 1 : -1;
    if (!tb->s)
        snprintf(err, errlen, "%s: out of memory", path);
    struct sample smp;
    while (rc == 1 && (rc = trace_reader_next(r, &smp, err, errlen)) == 1) {
        if (tb->n == EMU_TRACE_MAX) {
            snprintf(err, errlen, "%s: more than %d samples: the emulator holds its trace "
                     "in memory; play a longer one with --sensor replay", path, EMU_TRACE_MAX);
            rc = -1;
            break;
        }
        if (tb->n == cap) {
            struct sample *ns = realloc(tb->s, cap * 2 * sizeof *ns);
            if (!ns) {
                snprintf(err, errlen, "%s: out of memory", path);
                rc = -1;
                break;
            }
            cap *= 2;
            tb->s = ns;
        }
        tb->s[tb->n++] = smp;
    }
    trace_reader_close(r);
    if (rc < 0 || tb->n < 2) {
        if (rc >= 0)
            snprintf(err, errlen, "%s: needs at least two samples", path);
        free(tb->s);
        tb->s = NULL;
        return -1;
    }
    tb->t0 = tb->s[0].t;
    tb->span = tb->s[tb->n - 1].t - tb->t0;
    return 0;
}

/* The emulator's motion: the trace, linearly interpolated, looping. */
static void trace_motion(void *ctx, double t, struct sample *out)
{
    struct source *s = ctx;
    struct trace_buf *tb = &s->tb;
    double u = tb->t0 + fmod(t > 0 ? t : 0, tb->span);
    size_t i = s->tb_cursor;
    if (i >= tb->n - 1 || tb->s[i].t > u)
        i = 0;
    while (i + 1 < tb->n - 1 && tb->s[i + 1].t < u)
        i++;
    s->tb_cursor = i;
    const struct sample *a = &tb->s[i], *b = &tb->s[i + 1];
    double w = (u - a->t) / (b->t - a->t);
    if (w < 0)
        w = 0;
    if (w > 1)
        w = 1;
    for (int k = 0; k < 3; k++) {
        out->a[k] = a->a[k] + w * (b->a[k] - a->a[k]);
        out->g[k] = a->g[k] + w * (b->g[k] - a->g[k]);
    }
}

static void set_sensor_meta(struct source *s, const struct station_config *cfg)
{
    s->meta.sample_rate_hz = s->dev.rate_hz;
    s->meta.accel_range_g = cfg->sensor.accel_range_g;
    s->meta.gyro_range_dps = cfg->sensor.gyro_range_dps;
    trace_meta_set(&s->meta, "placement", "thigh");
}

static struct mpu6050_settings settings_of(const struct station_config *cfg)
{
    struct mpu6050_settings set = {cfg->sensor.sample_rate_hz, cfg->sensor.dlpf_hz,
                                   cfg->sensor.accel_range_g, cfg->sensor.gyro_range_dps};
    return set;
}

static int open_mpu6050(struct source *s, const struct station_config *cfg, double now,
                        char *err, size_t errlen)
{
    struct transport tr;
    char why[200];
    int rc = i2c_transport_open(&s->i2c, cfg->sensor.i2c_bus, cfg->sensor.address, &tr,
                                why, sizeof why);
    if (rc < 0) {
        snprintf(err, errlen, "%s", why);
        return rc;
    }
    struct mpu6050_settings set = settings_of(cfg);
    rc = mpu6050_open(&s->dev, &tr, &set, now, why, sizeof why);
    if (rc < 0) {
        snprintf(err, errlen, "MPU-6050 on /dev/i2c-%d at 0x%02x: %s", cfg->sensor.i2c_bus,
                 cfg->sensor.address, why);
        i2c_transport_close(&s->i2c);
        return rc;
    }
    s->state = SOURCE_STATE_LIVE;
    set_sensor_meta(s, cfg);
    if (cfg->sensor.int_line >= 0) {
        char why2[300];
        s->irq = int_line_open(cfg->sensor.int_gpiochip, cfg->sensor.int_line, why2, sizeof why2);
        push(s, SOURCE_EV_NOTICE, now, 0,
             s->irq ? "INT line wired: samples wake the station" : why2);
    }
    char src[96];
    snprintf(src, sizeof src, "%s on /dev/i2c-%d at 0x%02x", s->dev.chip->name,
             cfg->sensor.i2c_bus, cfg->sensor.address);
    trace_meta_set(&s->meta, "source", src);
    return 0;
}

static int parse_faults(struct source *s, const char *spec, char *err, size_t errlen)
{
    static const struct { const char *name; enum fault_kind kind; char sep; } kinds[] = {
        {"disconnect", F_DISCONNECT, '+'}, {"stuck", F_STUCK, '+'}, {"stall", F_STALL, '+'},
        {"nack", F_NACK, 'x'}, {"corrupt", F_CORRUPT, 0}, {"brownout", F_BROWNOUT, 0},
    };
    static const struct { const char *name; enum mpu6050_chip_id id; } chips[] = {
        {"mpu6050", MPU6050_CHIP_MPU6050}, {"mpu6500", MPU6050_CHIP_MPU6500},
        {"mpu9250", MPU6050_CHIP_MPU9250}, {"mpu9255", MPU6050_CHIP_MPU9255},
        {"icm20689", MPU6050_CHIP_ICM20689}, {"icm20602", MPU6050_CHIP_ICM20602},
        {"icm20608", MPU6050_CHIP_ICM20608},
    };
    char buf[512];
    if (spec && strlen(spec) >= sizeof buf) {
        snprintf(err, errlen, "--faults: %zu characters; at most %zu are allowed",
                 strlen(spec), sizeof buf - 1);
        return -1;
    }
    snprintf(buf, sizeof buf, "%s", spec ? spec : "");
    if (spec && strspn(spec, ",") == strlen(spec)) { /* "" or ",": asked for, but nothing */
        snprintf(err, errlen, "--faults: empty; give one or more of %s", source_faults_help);
        return -1;
    }
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (strncmp(tok, "chip=", 5) == 0) {
            size_t k = 0;
            while (k < sizeof chips / sizeof chips[0] && strcmp(chips[k].name, tok + 5) != 0)
                k++;
            if (k == sizeof chips / sizeof chips[0]) {
                snprintf(err, errlen, "--faults: no chip '%s'", tok + 5);
                return -1;
            }
            s->emu_chip = chips[k].id;
            continue;
        }
        char *at = strchr(tok, '@');
        size_t k = 0;
        if (at) {
            *at = '\0';
            while (k < sizeof kinds / sizeof kinds[0] && strcmp(kinds[k].name, tok) != 0)
                k++;
        }
        if (!at || k == sizeof kinds / sizeof kinds[0] || s->nfaults == MAX_FAULTS) {
            snprintf(err, errlen, "--faults: '%s' is not one of %s", tok, source_faults_help);
            return -1;
        }
        struct fault *f = &s->faults[s->nfaults++];
        memset(f, 0, sizeof *f);
        f->kind = kinds[k].kind;
        char *end;
        f->at = strtod(at + 1, &end);
        bool ok = end != at + 1 && f->at >= 0 && isfinite(f->at);
        if (kinds[k].sep == '+')
            ok = ok && *end == '+' && (f->len = strtod(end + 1, &end)) > 0 && isfinite(f->len) &&
                 !*end;
        else if (kinds[k].sep == 'x')
            ok = ok && *end == 'x' && (f->count = (int)strtol(end + 1, &end, 10)) > 0 && !*end;
        else
            ok = ok && !*end;
        if (!ok) {
            snprintf(err, errlen, "--faults: '%s@%s' is not of the form %s", tok, at + 1,
                     source_faults_help);
            return -1;
        }
    }
    return 0;
}

/* Applies the fault script up to emulated time et (seconds since start). */
static void run_faults(struct source *s, double et)
{
    for (int i = 0; i < s->nfaults; i++) {
        struct fault *f = &s->faults[i];
        if (!f->started && et >= f->at) {
            f->started = true;
            switch (f->kind) {
            case F_DISCONNECT: s->emu.disconnected = true; break;
            case F_STUCK: s->emu.stuck = true; break;
            case F_STALL: s->stall_until = f->at + f->len; break;
            case F_NACK: s->emu.nack_next += f->count; break;
            case F_CORRUPT: s->emu.corrupt_count_next++; break;
            case F_BROWNOUT: mpu6050_emu_power_cycle(&s->emu); break;
            }
        }
        if (f->started && !f->ended && f->len > 0 && et >= f->at + f->len) {
            f->ended = true;
            if (f->kind == F_STUCK)
                s->emu.stuck = false;
            if (f->kind == F_DISCONNECT) {
                /* plugged in again: a chip fresh from power-on; another
                 * disconnect still under way keeps it off the bus */
                s->emu.disconnected = false;
                for (int k = 0; k < s->nfaults; k++)
                    if (s->faults[k].kind == F_DISCONNECT && s->faults[k].started &&
                        !s->faults[k].ended)
                        s->emu.disconnected = true;
                mpu6050_emu_power_cycle(&s->emu);
            }
        }
    }
}

int source_check(const struct source_options *opt, char *err, size_t errlen)
{
    if (opt->faults && *opt->faults) {
        if (opt->kind != SOURCE_EMU) {
            snprintf(err, errlen, "--faults: only the emulator takes a fault script "
                     "(--sensor emu), not --sensor %s", source_kind_name(opt->kind));
            return -1;
        }
        struct source *tmp = calloc(1, sizeof *tmp);
        int rc = tmp ? parse_faults(tmp, opt->faults, err, errlen) : -1;
        free(tmp);
        if (rc < 0)
            return -1;
    }
    if (opt->trace && (opt->kind == SOURCE_EMU || opt->kind == SOURCE_REPLAY)) {
        struct trace_reader *r = trace_reader_open(opt->trace, err, errlen);
        if (!r)
            return -1;
        trace_reader_close(r);
    }
    return 0;
}

static int open_emu(struct source *s, const struct station_config *cfg, const char *trace,
                    double now, char *err, size_t errlen)
{
    if (parse_faults(s, s->faults_spec, err, errlen) < 0)
        return -1;
    if (load_trace(&s->tb, trace, err, errlen) < 0)
        return -1;
    mpu6050_emu_init(&s->emu, s->emu_chip, trace_motion, s);
    s->emu_t0 = now;
    struct transport tr = mpu6050_emu_transport(&s->emu);
    struct mpu6050_settings set = settings_of(cfg);
    char why[200];
    /* The emulator keeps its own clock from 0; the driver sees monotonic time. */
    if (mpu6050_open(&s->dev, &tr, &set, now, why, sizeof why) < 0) {
        snprintf(err, errlen, "emulator: %s", why);
        return -1;
    }
    /* The driver waited through the chip's resets on the emulator's clock
     * as if they took real time: keep both clocks on that assumption. */
    s->emu_t0 = now;
    s->state = SOURCE_STATE_DEMO;
    set_sensor_meta(s, cfg);
    char src[600];
    snprintf(src, sizeof src, "emulated %s playing %s", s->dev.chip->name, trace);
    trace_meta_set(&s->meta, "source", src);
    return 0;
}

static int open_replay(struct source *s, const char *trace, double now, char *err,
                       size_t errlen)
{
    snprintf(s->path_buf, sizeof s->path_buf, "%s", trace);
    s->replay_path = s->path_buf;
    s->rd = trace_reader_open(trace, err, errlen);
    if (!s->rd)
        return -1;
    s->meta = *trace_reader_meta(s->rd);
    char src[600];
    snprintf(src, sizeof src, "replay of %s", trace);
    trace_meta_set(&s->meta, "source", src);
    s->start_now = now;
    s->trace_t0 = NAN;
    s->last_t = -INFINITY;
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
    s->i2c.fd = -1;
    s->faults_spec = opt->faults;
    s->emu_speed = opt->speed > 0 ? opt->speed : 1;
    s->open_now = s->emu_clock = now;
    s->speed = opt->speed;
    s->loop = opt->loop;
    char demo[512];
    snprintf(demo, sizeof demo, "%s/%s", source_assets_dir(), DEMO_TRACE);
    const char *trace = opt->trace ? opt->trace : demo;
    int rc = 0;
    s->kind = opt->kind;
    switch (opt->kind) {
    case SOURCE_MPU6050:
        rc = open_mpu6050(s, cfg, now, err, errlen);
        break;
    case SOURCE_EMU:
        rc = open_emu(s, cfg, trace, now, err, errlen);
        break;
    case SOURCE_REPLAY:
        rc = open_replay(s, trace, now, err, errlen);
        s->state = opt->trace ? SOURCE_STATE_REPLAY : SOURCE_STATE_DEMO;
        break;
    case SOURCE_AUTO: {
        char why[300];
        if (open_mpu6050(s, cfg, now, why, sizeof why) == 0) {
            s->kind = SOURCE_MPU6050;
            break;
        }
        s->kind = SOURCE_REPLAY;
        s->loop = true;
        if (s->speed <= 0)
            s->speed = 1;
        rc = open_replay(s, demo, now, err, errlen);
        s->state = SOURCE_STATE_DEMO;
        char note[512];
        snprintf(note, sizeof note, "no sensor (%s): showing the DEMO recording", why);
        push(s, SOURCE_EV_NOTICE, 0, 0, note);
        break;
    }
    default:
        snprintf(err, errlen, "unknown source");
        rc = -1;
    }
    if (rc < 0) {
        source_close(s);
        return NULL;
    }
    return s;
}

static size_t read_replay(struct source *s, double now, struct sample *out, size_t max)
{
    size_t n = 0;
    double elapsed = now - s->start_now;
    while (n < max && !s->done) {
        if (!s->have_pending) {
            char err[256];
            int rc = trace_reader_next(s->rd, &s->pending, err, sizeof err);
            if (rc < 0) {
                snprintf(s->error, sizeof s->error, "%s", err);
                s->done = true;
                break;
            }
            if (rc == 0) {
                if (!s->loop) {
                    s->done = true;
                    break;
                }
                /* Start the recording again, continuing its clock. */
                trace_reader_close(s->rd);
                s->rd = trace_reader_open(s->replay_path, err, sizeof err);
                if (!s->rd) {
                    snprintf(s->error, sizeof s->error, "%s", err);
                    s->done = true;
                    break;
                }
                s->loop_offset = s->last_t + trace_reader_period(s->rd);
                s->trace_t0 = NAN;
                continue;
            }
            if (isnan(s->trace_t0))
                s->trace_t0 = s->pending.t;
            s->pending.t = s->pending.t - s->trace_t0 + s->loop_offset;
            s->have_pending = true;
            double jump = s->pending.t - s->last_t, period = trace_reader_period(s->rd);
            if (isfinite(s->last_t) && jump > REPLAY_GAP_S && jump > 5 * period) {
                /* a jump in the trace's clock is a gap in its data, told once;
                 * a real-time replay goes on at once rather than wait it out */
                char text[120];
                snprintf(text, sizeof text, "gap of %.2f s in the trace", jump - period);
                push(s, SOURCE_EV_GAP, s->last_t + period, jump - period, text);
                if (s->speed > 0)
                    s->start_now -= (jump - period) / s->speed;
            }
        }
        if (s->speed > 0 && s->pending.t / s->speed > elapsed)
            break;
        out[n++] = s->pending;
        s->last_t = s->pending.t; /* continuous across passes */
        s->have_pending = false;
    }
    return n;
}

size_t source_read(struct source *s, double now, struct sample *out, size_t max)
{
    if (s->irq)
        int_line_drain(s->irq);
    if (s->kind == SOURCE_REPLAY)
        return read_replay(s, now, out, max);
    size_t n = 0;
    if (s->kind == SOURCE_EMU) {
        /* the emulator's own time, sped up as asked; the driver lives in it.
         * It runs in steps of a quarter of its FIFO, each one read, so a
         * fast emulator (up to 1000x) never overflows between two polls. */
        double target = s->open_now + (now - s->open_now) * s->emu_speed;
        double step = s->dev.rate_hz > 0
                          ? (double)s->dev.chip->fifo_size / MPU6050_FRAME_BYTES / s->dev.rate_hz / 4
                          : 0.02;
        while (n < max && s->emu_clock < target) {
            double et = fmin(target, s->emu_clock + step);
            s->emu_clock = et;
            run_faults(s, et - s->emu_t0);
            mpu6050_emu_advance(&s->emu, et - s->emu_t0);
            if (et - s->emu_t0 < s->stall_until)
                continue; /* nobody reads: the FIFO fills up */
            n += mpu6050_read(&s->dev, et, out + n, max - n);
        }
    } else {
        n = mpu6050_read(&s->dev, now, out, max);
    }
    if (s->kind == SOURCE_MPU6050)
        s->state = s->dev.lost ? SOURCE_STATE_LOST : SOURCE_STATE_LIVE;
    else
        s->state = s->dev.lost ? SOURCE_STATE_LOST : SOURCE_STATE_DEMO;
    return n;
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
    return s->irq ? int_line_fd(s->irq) : -1;
}

double source_poll_interval(const struct source *s)
{

    if (s->kind == SOURCE_REPLAY && s->speed <= 0)
        return 0;
    /* A quarter of the FIFO's time at the current rate, and no more than a
     * frame of the display: the FIFO never gets near full. */
    if (s->kind != SOURCE_REPLAY && s->dev.rate_hz > 0) {
        double fifo_s = (double)(s->dev.chip ? s->dev.chip->fifo_size : 1024) /
                        MPU6050_FRAME_BYTES / s->dev.rate_hz;
        if (s->irq && int_line_fd(s->irq) >= 0 && !s->dev.lost)
            return fifo_s / 2; /* the INT line wakes us; this is the safety net */
        double iv = fifo_s / 4;
        iv = iv < 0.02 ? iv : 0.02;
        return s->kind == SOURCE_EMU ? iv / s->emu_speed : iv;
    }
    return 0.02;
}

void source_stats(const struct source *s, struct source_stats *st)
{
    st->samples = s->dev.samples;
    st->overflows = s->dev.overflows;
    st->losses = s->dev.losses;
    st->io_errors = s->dev.io_errors;
    st->resets = s->dev.resets;
}

void source_close(struct source *s)
{
    if (!s)
        return;
    if (s->rd)
        trace_reader_close(s->rd);
    int_line_close(s->irq);
    i2c_transport_close(&s->i2c);
    free(s->tb.s);
    free(s);
}
