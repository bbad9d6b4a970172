/* SPDX-License-Identifier: GPL-3.0-or-later */
/* station check-config FILE...: validate configuration files. */
#include <stdio.h>
#include <string.h>

#include "../coach/phrases.h"
#include "../sensor/drivers.h"
#include "cli.h"

int cmd_check_config(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fprintf(argc < 2 ? stderr : stdout,
                "usage: station check-config FILE...\n"
                "       station check-config --keys   (list every key)\n"
                "       station check-config --phrases FILE...   (phrase files)\n"
                "Checks each configuration file; prints 'FILE: ok' or every error\n"
                "as FILE:LINE: key: problem. Exits 2 when any file has an error.\n");
        return argc < 2 ? EXIT_USAGE : 0;
    }
    if (strcmp(argv[1], "--keys") == 0) {
        /* every key as a Markdown table: what the README's table is made from */
        char buf[16384];
        config_describe(buf, sizeof buf);
        printf("| key | default | allowed | meaning |\n|---|---|---|---|\n%s", buf);
        return 0;
    }
    if (strcmp(argv[1], "--phrases") == 0) {
        /* phrase files: the same contract as configuration files */
        int bad = 0;
        for (int i = 2; i < argc; i++) {
            struct phrases p;
            char errs[8192];
            if (phrases_load(&p, argv[i], errs, sizeof errs) > 0) {
                fputs(errs, stdout);
                bad = 1;
            } else {
                printf("%s: ok\n", argv[i]);
            }
        }
        return bad || argc < 3 ? EXIT_USAGE : 0;
    }
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        struct station_config cfg;
        char errs[8192];
        if (config_load_ruled(&cfg, argv[i], drivers_config_rules, errs, sizeof errs) > 0) {
            fputs(errs, stdout);
            bad = 1;
        } else {
            printf("%s: ok\n", argv[i]);
        }
    }
    return bad ? EXIT_USAGE : 0;
}
