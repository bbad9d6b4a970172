/* SPDX-License-Identifier: GPL-3.0-or-later */
/* station reindex: the station's index rebuilt from the session folders. */
#include <getopt.h>
#include <stdio.h>

#include "../history/history.h"
#include "../people/people.h"
#include "cli.h"

int cmd_reindex(int argc, char **argv)
{
    static const struct option opts[] = {
        {"storage", required_argument, NULL, 'D'},
        {"config", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    const char *given = NULL, *config = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "D:c:h", opts, NULL)) != -1) {
        switch (c) {
        case 'D': given = optarg; break;
        case 'c': config = optarg; break;
        case 'h':
        default:
            fprintf(c == 'h' ? stdout : stderr,
                    "usage: station reindex [--storage DIR] [--config FILE]\n"
                    "Rebuilds the index of sessions (STORAGE/" PEOPLE_DB ") from the\n"
                    "session folders, which stay the record of truth. A lost index\n"
                    "gets its people back from their sessions.\n");
            return c == 'h' ? 0 : EXIT_USAGE;
        }
    }
    if (optind != argc)
        die(EXIT_USAGE, "reindex: takes no arguments (--storage DIR names the folder)");
    struct station_config cfg;
    cli_load_config_or_die(config, &cfg);
    char storage[600], err[800];
    cli_storage_or_die("reindex", given, &cfg, true, storage, sizeof storage);
    struct people *db;
    if (people_open(storage, true, &db, err, sizeof err) < 0)
        die(1, "reindex: %s", err);
    struct reindex_stats st;
    int rc = people_reindex(db, storage, &st, err, sizeof err);
    people_close(db);
    if (rc < 0)
        die(1, "reindex: %s", err);
    printf("indexed %d session%s in %s (%d live; demo and replay sessions are kept out of the "
           "history)\n", st.sessions, st.sessions == 1 ? "" : "s", storage, st.live);
    if (st.unreadable > 0)
        printf("%d folder%s without a readable summary left out\n", st.unreadable,
               st.unreadable == 1 ? "" : "s");
    if (st.people_restored > 0)
        printf("%d %s restored from the sessions (with the configuration's program)\n",
               st.people_restored, st.people_restored == 1 ? "person" : "people");
    return 0;
}
