/* station run: live feedback from the sensor (or the labelled demo), one
 * status line a second and a line for each event, in the terminal. */
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "../motion/motion.h"
#include "../sensor/source.h"
#include "cli.h"

#define EVMAX 64

struct run_config {
    const char *config;
    double seconds;
    struct source_options src;
};

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: station [run] [--headless] [--sensor KIND] [--trace FILE]\n"
            "                     [--speed X] [--seconds N] [--config FILE]\n"
            "Live feedback: the real sensor when one answers, else the DEMO\n"
            "recording. Prints a status line every second and each event.\n"
            "  --sensor auto|mpu6050|emu|replay  (default auto)\n"
            "  --seconds N   stop after N seconds of samples\n");
}

static void parse_config(int argc, char **argv, struct run_config *rc)
{
    static const struct option opts[] = {
        {"headless", no_argument, NULL, 'H'},
        {"sensor", required_argument, NULL, 's'},
        {"trace", required_argument, NULL, 't'},
        {"speed", required_argument, NULL, 'x'},
        {"seconds", required_argument, NULL, 'n'},
        {"config", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    memset(rc, 0, sizeof *rc);
    rc->src.kind = SOURCE_AUTO;
    rc->src.speed = 1;
    int c;
    while ((c = getopt_long(argc, argv, "Hs:t:x:n:c:h", opts, NULL)) != -1) {
        switch (c) {
        case 'H': break; /* the terminal view is the headless view */
        case 's':
            if (source_kind_parse(optarg, &rc->src.kind) < 0)
                die(EXIT_USAGE, "--sensor: '%s' is not one of auto, mpu6050, emu, replay",
                    optarg);
            break;
        case 't': rc->src.trace = optarg; break;
        case 'x': rc->src.speed = parse_double_or_die("--speed", optarg, 0, 1000); break;
        case 'n': rc->seconds = parse_double_or_die("--seconds", optarg, 0.01, 1e7); break;
        case 'c': rc->config = optarg; break;
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); exit(EXIT_USAGE);
        }
    }
    if (optind < argc)
        die(EXIT_USAGE, "run: unexpected argument '%s'", argv[optind]);
}

static void print_event(const struct motion_event *e, double t0, const char *label)
{
    const char *what = e->osc == OSC_BOUNCE ? "micro-bounce" : "rocking";
    double t = e->t - t0;
    switch (e->kind) {
    case MOTION_EV_SET_START:
        printf("[%s %7.1f s] %s started\n", label, t, what);
        break;
    case MOTION_EV_SET_END:
        printf("[%s %7.1f s] %s ended: %d cycles in %.0f s at %.2f/s, rhythm varies "
               "%.0f%%, swing %.0f deg\n", label, t, what, e->cycles, e->end - e->start,
               e->rate_hz, e->rhythm_cv * 100, e->swing_deg);
        break;
    case MOTION_EV_HOLD_START:
        printf("[%s %7.1f s] still: hold timer running\n", label, t);
        break;
    case MOTION_EV_HOLD_END:
        if (e->counted)
            printf("[%s %7.1f s] hold ended: %.1f s\n", label, t, e->duration_s);
        break;
    case MOTION_EV_GAP:
        printf("[%s %7.1f s] no samples for %.1f s\n", label, t, e->end - e->start);
        break;
    default:
        break;
    }
}

static void print_status(const struct motion_live *l, double t0, const char *label)
{
    printf("[%s %7.1f s] angle %6.1f deg", label, l->t - t0, l->angle_deg);
    if (l->in_set && l->osc == OSC_ROCKING && l->rate_hz > 0)
        printf(" | rocking %.2f/s (%s), rhythm %s, effort %s | %s", l->rate_hz,
               verdict_name(l->rate_v, 0), verdict_name(l->rhythm_v, 1),
               verdict_name(l->effort_v, 2), motion_cue_text(l->cue));
    else if (l->in_set)
        printf(" | micro-bounce %.1f/s", l->rate_hz);
    else if (l->holding)
        printf(" | holding %.0f s", l->hold_s);
    printf("\n");
    fflush(stdout);
}

int cmd_run(int argc, char **argv)
{
    struct run_config rc;
    parse_config(argc, argv, &rc);
    struct station_config cfg;
    cli_load_config_or_die(rc.config, &cfg);
    struct motion_params p;
    cli_motion_params(&cfg, &p);

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, NULL);
    int sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sfd < 0)
        die_perror("signalfd");

    char err[512];
    struct source *src = source_open(&rc.src, &cfg, cli_now(), err, sizeof err);
    if (!src)
        die(1, "%s", err);
    void *mem = malloc(motion_size());
    if (!mem)
        die(1, "out of memory");
    struct motion *m = motion_init(mem, &p);

    struct sample buf[256];
    struct motion_event ev[EVMAX];
    double t0 = NAN, next_status = 0;
    bool stop = false;
    while (!stop) {
        struct pollfd pfd = {sfd, POLLIN, 0};
        if (poll(&pfd, 1, (int)ceil(source_poll_interval(src) * 1000)) > 0)
            stop = true;
        const char *label = source_state_name(source_state(src));
        struct source_event se;
        while (source_next_event(src, &se))
            fprintf(stderr, "station: %s\n", se.text);
        size_t n = source_read(src, cli_now(), buf, sizeof buf / sizeof buf[0]);
        for (size_t i = 0; i < n; i++) {
            if (isnan(t0)) {
                t0 = buf[i].t;
                next_status = t0 + 1;
            }
            if (rc.seconds > 0 && buf[i].t - t0 >= rc.seconds) {
                stop = true;
                break;
            }
            int ne = motion_feed(m, &buf[i], ev, EVMAX);
            for (int k = 0; k < ne; k++)
                print_event(&ev[k], t0, label);
            if (buf[i].t >= next_status) {
                print_status(motion_live(m), t0, label);
                next_status += 1;
            }
        }
        if (source_done(src)) {
            if (source_error(src))
                fprintf(stderr, "station: %s\n", source_error(src));
            stop = true;
        }
    }
    int ne = motion_finish(m, ev, EVMAX);
    for (int k = 0; k < ne; k++)
        print_event(&ev[k], isnan(t0) ? 0 : t0, source_state_name(source_state(src)));
    free(mem);
    source_close(src);
    return 0;
}
