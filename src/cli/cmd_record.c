/* SPDX-License-Identifier: GPL-3.0-or-later */
/* station record: write the sensor's samples to a trace file as they come. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../sensor/acquire.h"
#include "../sensor/source.h"
#include "../trace/trace.h"
#include "cli.h"

/* A crash or power cut loses at most this much of the recording. */
#define SYNC_EVERY_S 1.0
/* Wall seconds without a sample before the clock alone may end --seconds. */
#define QUIET_S 0.5

struct record_config {
    double seconds; /* 0: until a signal or the end of a replay */
    const char *out;
    bool force;     /* --force: an existing plain file may be replaced */
    const char *config;
    struct source_options src;
};

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: station record --out FILE.csv [--force] [--seconds N] [--sensor KIND]\n"
            "                      [--trace FILE] [--speed X] [--config FILE]\n"
            "Records raw samples in the station trace format, synced to disk every\n"
            "second. Ctrl-C or SIGTERM ends the recording cleanly.\n"
            "  --out FILE.csv    a new file; never written through a symbolic link\n"
            "  --force           replace FILE.csv if it exists (a plain file)\n"
            "%s", cli_source_usage);
}

static void parse_config(int argc, char **argv, struct record_config *rc)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'F'},
        {"seconds", required_argument, NULL, 'n'},
        CLI_SOURCE_LONG_OPTIONS,
        {"config", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    memset(rc, 0, sizeof *rc);
    rc->src.kind = SOURCE_AUTO;
    rc->src.speed = 1;
    int c;
    while ((c = getopt_long(argc, argv, "o:n:s:t:x:c:f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': rc->out = optarg; break;
        case 'F': rc->force = true; break;
        case 'n': rc->seconds = parse_double_or_die("--seconds", optarg, 0.01, 1e7); break;
        case 'c': rc->config = optarg; break;
        case 'h': usage(stdout); exit(0);
        default:
            if (!cli_source_option(c, optarg, &rc->src)) {
                usage(stderr);
                exit(EXIT_USAGE);
            }
        }
    }
    if (optind < argc)
        die(EXIT_USAGE, "record: unexpected argument '%s'", argv[optind]);
    if (!rc->out)
        die(EXIT_USAGE, "record: --out FILE is required");
}

static int signal_fd(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, NULL);
    return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

/* What the acquisition loop's handlers share while recording. */
struct recording {
    struct trace_writer *w;
    double seconds;  /* 0: no limit */
    double t_first;  /* the first sample's source time: the trace starts at 0 */
    double last_sync;
    double t_rel;    /* the last sample written */
    double t_src;    /* the last sample's source time */
    bool live;       /* a chip or its emulator: its clock runs while it is lost */
    struct acquire_clock clock;
    double lost_t;   /* NAN, or the source time the sensor was lost at */
    double t_open;   /* the source time at the open: --seconds before any sample */
    bool failed;
    const char *why; /* why it stopped */
};

static bool on_signal(void *ctx, int signo)
{
    struct recording *r = ctx;
    (void)signo; /* SIGINT or SIGTERM: drain what the sensor has, then stop */
    r->why = "signal";
    return true;
}

static bool on_sample(void *ctx, const struct sample *in)
{
    struct recording *r = ctx;
    struct sample s = *in;
    if (isnan(r->t_first))
        r->t_first = s.t;
    s.t -= r->t_first;
    if (r->seconds > 0 && s.t >= r->seconds) {
        r->why = "time reached";
        return false;
    }
    r->t_rel = s.t;
    r->t_src = in->t;
    r->failed = r->failed || trace_writer_sample(r->w, &s) < 0;
    return !r->failed;
}

static void on_event(void *ctx, const struct source_event *ev, double now)
{
    struct recording *r = ctx;
    if (ev->kind == SOURCE_EV_LOST) {
        r->lost_t = ev->t;
        if (isnan(r->t_src)) /* lost before any sample: its clock runs from here */
            acquire_clock_mark(&r->clock, ev->t, now);
    }
    if (ev->kind == SOURCE_EV_GAP || ev->kind == SOURCE_EV_RESUMED)
        r->lost_t = NAN;
    if (ev->kind == SOURCE_EV_GAP) {
        char line[300];
        acquire_gap_comment(line, sizeof line, ev, r->t_first);
        r->failed = r->failed || trace_writer_comment(r->w, line) < 0;
    }
    fprintf(stderr, "station: %s\n", ev->text);
}

static bool after_pass(void *ctx, double now, size_t n)
{
    struct recording *r = ctx;
    if (n > 0 && !isnan(r->t_src))
        acquire_clock_mark(&r->clock, r->t_src, now);
    /* --seconds counts the sensor's clock, which runs on while no sample
     * comes: a parted cable still ends the recording on time. Only after
     * a quiet spell, so that samples on their way are not cut off. */
    double t0 = isnan(r->t_first) ? r->t_open : r->t_first;
    if (r->live && r->seconds > 0 && n == 0 && now - r->clock.wall >= QUIET_S &&
        acquire_clock_now(&r->clock, now) - t0 >= r->seconds) {
        r->why = "time reached with no samples coming";
        return false;
    }
    if (!r->failed && now - r->last_sync >= SYNC_EVERY_S) {
        r->failed = trace_writer_sync(r->w) < 0;
        r->last_sync = now;
    }
    return !r->failed;
}

/* Opens the recording's file: created new, or with force an existing plain
 * file emptied; never through a symbolic link (O_NOFOLLOW, O_EXCL), and a
 * device or pipe (/dev/null, a fifo) written as it is. Returns the fd, or
 * dies with what to do. */
static int open_out(const char *path, bool force)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd >= 0)
        return fd;
    if (errno == EEXIST) /* it exists: a link is not followed, a file checked below */
        fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ELOOP)
        die(EXIT_USAGE, "record: --out %s is a symbolic link: record does not write through "
            "one; name a new file", path);
    if (fd < 0)
        die_perror("record: %s", path);
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        if (!force) {
            close(fd);
            die(EXIT_USAGE, "record: --out %s exists; name a new file, or add --force to "
                "replace it", path);
        }
        if (ftruncate(fd, 0) < 0)
            die_perror("record: %s", path);
    }
    return fd;
}

/* Whether out names the file in (both existing, one inode). */
static bool same_file(const char *out, const char *in)
{
    struct stat a, b;
    return in && stat(out, &a) == 0 && stat(in, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

int cmd_record(int argc, char **argv)
{
    struct record_config rc;
    parse_config(argc, argv, &rc);
    char demo[600];
    snprintf(demo, sizeof demo, "%s/demo.csv", source_assets_dir());
    const char *input = rc.src.trace ? rc.src.trace : demo;
    if (same_file(rc.out, input))
        die(EXIT_USAGE, "record: --out %s is the input trace %s: recording would destroy "
            "it; choose another file", rc.out, input);
    struct station_config cfg;
    cli_load_config_or_die(rc.config, &cfg);

    char bad[600];
    if (source_check(&rc.src, bad, sizeof bad) < 0)
        die(EXIT_USAGE, "record: %s", bad);
    int sfd = signal_fd();
    if (sfd < 0)
        die_perror("signalfd");
    char err[512];
    struct source *src = source_open(&rc.src, &cfg, cli_now(), err, sizeof err);
    if (!src) /* the emulator fails only on its input trace */
        die(rc.src.kind == SOURCE_EMU ? EXIT_USAGE : 1, "record: %s", err);

    struct trace_writer w;
    int wrc = trace_writer_open_fd(&w, open_out(rc.out, rc.force), rc.out, source_meta(src));
    if (wrc < 0) {
        errno = -wrc;
        die_perror("record: %s", rc.out);
    }
    /* the emulator is DEMO only when it plays the demo: a named trace is not */
    bool own_trace = source_kind_of(src) == SOURCE_EMU && rc.src.trace;
    fprintf(stderr, "station: recording %s%ssamples from %s to %s%s\n",
            own_trace ? "" : source_state_name(source_state(src)), own_trace ? "" : " ",
            trace_meta_get(source_meta(src), "source"), rc.out,
            rc.seconds > 0 ? "" : " until Ctrl-C");

    double now0 = cli_now();
    enum source_kind kind = source_kind_of(src);
    struct recording r = {.w = &w, .seconds = rc.seconds, .t_first = NAN, .last_sync = now0,
                          .t_src = NAN, .lost_t = NAN, .t_open = now0, .why = "end of input",
                          .live = kind == SOURCE_CHIP || kind == SOURCE_EMU};
    /* a chip's and the emulator's times are the monotonic clock at the open
     * (the emulator's moving at its speed) */
    r.clock.speed = kind == SOURCE_EMU && rc.src.speed > 0 ? rc.src.speed : 1;
    acquire_clock_mark(&r.clock, now0, now0);
    /* the header on the disk at once: an early kill leaves a trace */
    r.failed = trace_writer_sync(&w) < 0;
    struct acquire_ops ops = {.ctx = &r, .signal = on_signal, .sample = on_sample,
                              .event = on_event, .after = after_pass};
    bool bad_input = false;
    if (!r.failed && acquire_run(src, sfd, &ops) == ACQUIRE_DONE && source_error(src)) {
        fprintf(stderr, "station: %s\n", source_error(src));
        r.failed = bad_input = true;
    }
    if (!isnan(r.lost_t) && !r.failed) { /* still lost: the trace says so */
        char line[300];
        acquire_closing_gap(line, sizeof line, r.lost_t, acquire_clock_now(&r.clock, cli_now()),
                            r.t_first);
        r.failed = trace_writer_comment(&w, line) < 0;
        fprintf(stderr, "station: %s\n", line);
    }
    bool failed = r.failed;
    double t_rel = r.t_rel;
    const char *why = r.why;
    int close_rc = trace_writer_close(&w);
    char stats[300];
    if (source_stats_line(src, stats, sizeof stats))
        fprintf(stderr, "station: %s\n", stats);
    source_close(src);
    if (close_rc < 0 || (failed && w.error)) {
        die(1, "record: %s: %s: recording stopped at %.1f s; what was synced before "
            "is kept", rc.out, strerror(w.error ? w.error : -close_rc), t_rel);
    }
    fprintf(stderr, "station: %llu samples (%.1f s) in %s (%s)\n", w.rows,
            w.rows ? t_rel : 0.0, rc.out, why);
    return bad_input ? EXIT_USAGE : failed ? 1 : 0;
}
