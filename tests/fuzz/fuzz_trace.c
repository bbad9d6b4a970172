/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_trace: the trace reader, and the analysis behind it, on any bytes. */
#include <math.h>
#include <stdlib.h>

#include "fuzz_util.h"
#include "motion/motion.h"
#include "trace/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64], err[512];
    int fd = fuzz_file(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    struct trace_reader *r = trace_reader_open(path, err, sizeof err);
    if (r) {
        struct motion_params p;
        motion_params_default(&p);
        void *mem = malloc(motion_size());
        struct motion *m = motion_init(mem, &p);
        struct motion_event ev[64];
        struct sample s;
        double last = -INFINITY;
        while (trace_reader_next(r, &s, err, sizeof err) == 1) {
            if (!(s.t > last) || !isfinite(s.a[0]))
                __builtin_trap(); /* the reader lets through only increasing, finite rows */
            last = s.t;
            motion_feed(m, &s, ev, 64);
        }
        motion_finish(m, ev, 64);
        free(mem);
        trace_reader_close(r);
    }
    close(fd);
    return 0;
}
