/* SPDX-License-Identifier: GPL-3.0-or-later */
/* station upload: finished sessions to the clinic's server, the clinic's
 * programs back (src/upload/). */
#include <getopt.h>
#include <stdio.h>

#include "../history/history.h"
#include "../upload/upload.h"
#include "cli.h"

int cmd_upload(int argc, char **argv)
{
    static const struct option opts[] = {
        {"storage", required_argument, NULL, 'D'},
        {"config", required_argument, NULL, 'c'},
        {"once", no_argument, NULL, '1'},
        {"timeout", required_argument, NULL, 't'},
        {"scan", required_argument, NULL, 's'},
        {"retry-max", required_argument, NULL, 'r'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    const char *given = NULL, *config = NULL;
    struct upload_options o = {.scan_s = 5, .retry_max_s = 60};
    int c;
    while ((c = getopt_long(argc, argv, "D:c:1t:s:r:vh", opts, NULL)) != -1) {
        switch (c) {
        case 'D': given = optarg; break;
        case 'c': config = optarg; break;
        case '1': o.once = true; break;
        case 't': o.timeout_s = parse_double_or_die("--timeout", optarg, 0, 1e7); break;
        case 's': o.scan_s = parse_double_or_die("--scan", optarg, 0.1, 3600); break;
        case 'r': o.retry_max_s = parse_double_or_die("--retry-max", optarg, 0.1, 3600); break;
        case 'v': o.verbose = true; break;
        case 'h':
        default:
            fprintf(c == 'h' ? stdout : stderr,
                    "usage: station upload [--storage DIR] [--config FILE] [--once [--timeout S]]\n"
                    "                      [--scan S] [--retry-max S] [--verbose]\n"
                    "Sends each finished live session to the clinic's server (the clinic\n"
                    "group of the configuration) until the server confirms it, and applies\n"
                    "the programs the clinic sets. --once stops when every session is\n"
                    "stored (exit 1 at --timeout with some not); --scan: seconds between\n"
                    "looks for new sessions (5); --retry-max: the longest pause between\n"
                    "tries to reach the broker (60).\n");
            return c == 'h' ? 0 : EXIT_USAGE;
        }
    }
    if (optind != argc)
        die(EXIT_USAGE, "upload: takes no arguments (--storage DIR names the folder)");
    struct station_config cfg;
    cli_load_config_or_die(config, &cfg);
    if (!cfg.clinic.enabled)
        die(EXIT_USAGE, "upload: sending to a clinic is off (clinic.enabled = false in %s): "
            "nothing leaves the station", cli_config_path(config) ? cli_config_path(config)
                                                                  : "the configuration");
    char storage[600], err[800];
    cli_storage_or_die("upload", given, &cfg, false, storage, sizeof storage);
    o.storage = storage;
    int rc = upload_run(&cfg, &o, err, sizeof err);
    if (rc < 0)
        die(1, "upload: %s", err);
    return rc;
}
