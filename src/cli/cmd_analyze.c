/* SPDX-License-Identifier: GPL-3.0-or-later */
/* station analyze: rocking sets, holds and bounces found in trace files. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../motion/motion.h"
#include "analyze_file.h"
#include "cli.h"

struct analyze_config {
    bool json;
    const char *config;
};

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: station analyze [--json] [--config FILE] TRACE...\n"
            "Runs the live analysis over each trace as fast as it can and prints the\n"
            "rocking sets, holds and micro-bounce it found (times in seconds from the\n"
            "first sample). --json prints one JSON object per trace, one per line.\n");
}

static void print_text(const char *path, const struct motion_params *p,
                       const struct motion_summary *s, const struct analyze_info *in)
{
    double t0 = in->t0;
    printf("%s: %.1f s, %zu samples at %.0f Hz", path, in->duration_s, in->samples,
           in->sample_rate_hz);
    if (in->gaps)
        printf(", %zu gaps (%.2f s missing)", in->gaps, in->missing_s);
    if (in->truncated)
        printf(", last row cut off");
    if (in->dropped)
        printf(", %zu glitches dropped", in->dropped);
    printf("\n");
    if (s->rocking.n) {
        printf("  knees rocking      start     end  cycles  rate/s  rhythm  swing  verdict\n");
        for (size_t i = 0; i < s->rocking.n; i++) {
            const struct motion_event *e = &s->rocking.v[i];
            struct motion_live l;
            analyze_verdicts(p, e, &l);
            printf("  %13zu %8.1f %7.1f %7d %7.2f %6.1f%% %5.1f°  %s, %s, %s\n", i + 1,
                   e->start - t0, e->end - t0, e->cycles, e->rate_hz, e->rhythm_cv * 100,
                   e->swing_deg, verdict_name(l.rate_v, 0), verdict_name(l.rhythm_v, 1),
                   verdict_name(l.effort_v, 2));
        }
    }
    if (s->holds.n) {
        printf("  holds              start     end  length   angle  wobble\n");
        for (size_t i = 0; i < s->holds.n; i++) {
            const struct motion_event *e = &s->holds.v[i];
            printf("  %13zu %8.1f %7.1f %6.1f s %6.1f° %6.2f°\n", i + 1, e->start - t0,
                   e->end - t0, e->duration_s, e->angle_deg, e->steadiness_deg);
        }
    }
    if (s->bounces.n) {
        printf("  micro-bounce       start     end  length  rate/s  bounces  swing\n");
        for (size_t i = 0; i < s->bounces.n; i++) {
            const struct motion_event *e = &s->bounces.v[i];
            printf("  %13zu %8.1f %7.1f %6.1f s %6.2f %8d %5.1f°\n", i + 1, e->start - t0,
                   e->end - t0, e->end - e->start, e->rate_hz, e->cycles, e->swing_deg);
        }
    }
    if (!s->rocking.n && !s->holds.n && !s->bounces.n)
        printf("  no rocking, holds or micro-bounce found\n");
}

int cmd_analyze(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"config", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    struct analyze_config ac = {false, NULL};
    int c;
    while ((c = getopt_long(argc, argv, "jc:h", opts, NULL)) != -1) {
        switch (c) {
        case 'j': ac.json = true; break;
        case 'c': ac.config = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    struct station_config cfg;
    cli_load_config_or_die(ac.config, &cfg);
    struct motion_params p;
    cli_motion_params(&cfg, &p);

    int status = 0;
    for (int i = optind; i < argc; i++) {
        struct motion_summary s;
        struct analyze_info in;
        char err[512];
        if (analyze_file(argv[i], &p, &s, &in, err, sizeof err) < 0) {
            fprintf(stderr, "station: analyze: %s\n", err);
            status = EXIT_USAGE; /* a trace that is missing or malformed */
        } else if (ac.json) {
            analyze_write_json(stdout, argv[i], &p, &s, &in);
        } else {
            print_text(argv[i], &p, &s, &in);
        }
        summary_free(&s);
    }
    return status;
}
