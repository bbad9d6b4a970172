/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_config: the configuration loader and the phrase table on any bytes. */
#include <string.h>

#include "coach/phrases.h"
#include "config/config.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64], errs[4096];
    int fd = fuzz_file(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    struct station_config cfg;
    int n = config_load(&cfg, path, errs, sizeof errs);
    if (n == 0 && cfg.sensor.sample_rate_hz < 10)
        __builtin_trap(); /* a loaded file always satisfies the table */
    if (strlen(errs) >= sizeof errs)
        __builtin_trap();
    struct phrases p;
    phrases_load(&p, path, errs, sizeof errs);
    char out[400];
    for (int i = 0; i < PH_COUNT; i++)
        phrase_format(&p, (enum phrase_id)i, 3, 7, "name", out, sizeof out);
    close(fd);
    return 0;
}
