/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench: cost of the motion core per sample, without file reading.
 *
 * usage: bench TRACE.csv [REPEAT]
 * Loads the trace into memory, then feeds it REPEAT times through the core
 * (bench_core, which callgrind counts alone with --toggle-collect) and
 * prints samples, wall time, speed as a multiple of real time, and the
 * memory the core keeps. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "motion/motion.h"
#include "trace/trace.h"

/* Kept out of line so callgrind can count it alone. */
__attribute__((noinline)) size_t bench_core(struct motion *m, const struct sample *s, size_t n)
{
    struct motion_event ev[64];
    size_t events = 0;
    for (size_t i = 0; i < n; i++)
        events += (size_t)motion_feed(m, &s[i], ev, 64);
    events += (size_t)motion_finish(m, ev, 64);
    return events;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench TRACE.csv [REPEAT]\n");
        return 2;
    }
    int repeat = argc > 2 ? atoi(argv[2]) : 1;
    char err[256];
    struct trace_reader *r = trace_reader_open(argv[1], err, sizeof err);
    if (!r) {
        fprintf(stderr, "bench: %s\n", err);
        return 1;
    }
    size_t cap = 1 << 16, n = 0;
    struct sample *s = malloc(cap * sizeof *s);
    while (trace_reader_next(r, &s[n], err, sizeof err) == 1)
        if (++n == cap)
            s = realloc(s, (cap *= 2) * sizeof *s);
    trace_reader_close(r);
    double span = n > 1 ? s[n - 1].t - s[0].t : 0;

    struct motion_params p;
    motion_params_default(&p);
    void *mem = malloc(motion_size());
    double best = 1e9;
    size_t events = 0;
    for (int k = 0; k < repeat; k++) {
        struct motion *m = motion_init(mem, &p);
        double t0 = now();
        events = bench_core(m, s, n);
        double dt = now() - t0;
        if (dt < best)
            best = dt;
    }
    printf("samples %zu\nspan_s %.1f\nevents %zu\ncore_s %.6f\n", n, span, events, best);
    printf("core_x_realtime %.0f\nns_per_sample %.1f\nstate_bytes %zu\n", span / best,
           best / (double)n * 1e9, motion_size());
    free(mem);
    free(s);
    return 0;
}
