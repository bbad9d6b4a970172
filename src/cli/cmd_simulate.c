/* SPDX-License-Identifier: GPL-3.0-or-later */
/* station simulate: a synthetic trace and its truth file from the thigh model. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/sim.h"
#include "../trace/trace.h"
#include "cli.h"

struct simulate_config {
    struct sim_options sim;
    const char *out;
    const char *truth;
};

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: station simulate --scenario NAME --out FILE.csv [--truth FILE]\n"
            "                        [--seed N] [--rate HZ] [--drop P]\n"
            "Writes a synthetic thigh trace and, beside it (FILE.truth.csv unless\n"
            "--truth says otherwise), the segments it contains.\n"
            "  --rate HZ   sample rate, 10..1000 (default 100)\n"
            "  --drop P    chance of losing each sample (default: the scenario's)\n"
            "  --noise X   sensor noise, times the datasheet's (default 1)\n"
            "  --bias DPS  largest gyro bias per axis (default 3)\n"
            "scenarios:\n");
    for (const char *const *s = sim_scenarios; *s; s++)
        fprintf(fp, "  %-15s %s\n", *s, sim_scenario_help(*s));
}

static void parse_config(int argc, char **argv, struct simulate_config *sc)
{
    static const struct option opts[] = {
        {"scenario", required_argument, NULL, 's'},
        {"out", required_argument, NULL, 'o'},
        {"truth", required_argument, NULL, 'T'},
        {"seed", required_argument, NULL, 'n'},
        {"rate", required_argument, NULL, 'r'},
        {"drop", required_argument, NULL, 'd'},
        {"noise", required_argument, NULL, 'N'},
        {"bias", required_argument, NULL, 'B'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    memset(sc, 0, sizeof *sc);
    sc->sim.seed = 1;
    sc->sim.rate_hz = 100;
    sc->sim.drop_prob = -1;
    sc->sim.accel_range_g = 2;
    sc->sim.gyro_range_dps = 250;
    int c;
    while ((c = getopt_long(argc, argv, "s:o:T:n:r:d:N:B:h", opts, NULL)) != -1) {
        switch (c) {
        case 's': sc->sim.scenario = optarg; break;
        case 'o': sc->out = optarg; break;
        case 'T': sc->truth = optarg; break;
        case 'n': sc->sim.seed = (uint64_t)parse_double_or_die("--seed", optarg, 0, 1e15); break;
        case 'r': sc->sim.rate_hz = parse_double_or_die("--rate", optarg, 10, 1000); break;
        case 'd': sc->sim.drop_prob = parse_double_or_die("--drop", optarg, 0, 0.5); break;
        case 'N': sc->sim.noise = parse_double_or_die("--noise", optarg, 0.1, 50); break;
        case 'B': sc->sim.bias_dps = parse_double_or_die("--bias", optarg, 0.01, 100); break;
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); exit(EXIT_USAGE);
        }
    }
    if (!sc->sim.scenario || !sc->out) {
        usage(stderr);
        exit(EXIT_USAGE);
    }
    if (!sim_scenario_help(sc->sim.scenario))
        die(EXIT_USAGE, "simulate: no scenario '%s' (see --help)", sc->sim.scenario);
}

static int sink(void *ctx, const struct sample *s)
{
    return trace_writer_sample(ctx, s) < 0 ? -1 : 0;
}

int cmd_simulate(int argc, char **argv)
{
    struct simulate_config sc;
    parse_config(argc, argv, &sc);
    char truth_path[1024];
    if (sc.truth) {
        snprintf(truth_path, sizeof truth_path, "%s", sc.truth);
    } else {
        size_t n = strlen(sc.out);
        if (n > 4 && strcmp(sc.out + n - 4, ".csv") == 0)
            n -= 4;
        snprintf(truth_path, sizeof truth_path, "%.*s.truth.csv", (int)n, sc.out);
    }

    struct trace_meta meta = {0};
    meta.sample_rate_hz = sc.sim.rate_hz;
    meta.accel_range_g = sc.sim.accel_range_g;
    meta.gyro_range_dps = sc.sim.gyro_range_dps;
    char src[128];
    snprintf(src, sizeof src, "simulated: %s, seed %llu", sc.sim.scenario,
             (unsigned long long)sc.sim.seed);
    trace_meta_set(&meta, "source", src);
    trace_meta_set(&meta, "placement", "thigh");

    struct trace_writer w;
    int rc = trace_writer_open(&w, sc.out, &meta);
    if (rc < 0) {
        errno = -rc;
        die_perror("simulate: %s", sc.out);
    }
    struct sim_truth truth;
    rc = sim_generate(&sc.sim, sink, &w, &truth);
    if (rc == 0)
        trace_writer_comment(&w, truth.description);
    int crc = trace_writer_close(&w);
    if (rc != 0 || crc < 0)
        die(1, "simulate: %s: %s", sc.out, crc < 0 ? strerror(-crc) : "generation failed");

    FILE *fp = fopen(truth_path, "w");
    if (!fp)
        die_perror("simulate: %s", truth_path);
    fprintf(fp, "start_s,end_s,kind,rate_hz,count\n");
    for (size_t i = 0; i < truth.n; i++) {
        const struct sim_truth_seg *s = &truth.seg[i];
        fprintf(fp, "%.3f,%.3f,%s,%.4f,%d\n", s->start_s, s->end_s, sim_kind_name(s->kind),
                s->rate_hz, s->count);
    }
    if (fclose(fp) != 0)
        die_perror("simulate: %s", truth_path);
    fprintf(stderr, "station: %s: %.1f s of '%s' at %g Hz; truth in %s\n", sc.out,
            truth.duration_s, sc.sim.scenario, sc.sim.rate_hz, truth_path);
    sim_truth_free(&truth);
    return 0;
}
