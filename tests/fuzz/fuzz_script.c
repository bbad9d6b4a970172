/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_script: the button-script reader on any bytes. */
#include <math.h>

#include "app/script.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64], err[512];
    int fd = fuzz_file(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    struct script s;
    if (script_load(&s, path, err, sizeof err) == 0) {
        enum session_cmd cmd;
        int n = 0;
        while (script_due(&s, INFINITY, &cmd))
            n++;
        if (n != s.n)
            __builtin_trap();
        for (int i = 1; i < s.n; i++)
            if (s.t[i] < s.t[i - 1])
                __builtin_trap(); /* accepted scripts are in time order */
    }
    close(fd);
    return 0;
}
