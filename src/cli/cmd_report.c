/* station report SESSION_DIR: a PNG a clinician can read, and a summary. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "../report/report.h"
#include "../sensor/source.h"
#include "cli.h"

int cmd_report(int argc, char **argv)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},
        {"config", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    const char *out = NULL, *config = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "o:c:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'c': config = optarg; break;
        case 'h':
        default:
            fprintf(c == 'h' ? stdout : stderr,
                    "usage: station report [--out FILE.png] SESSION_DIR\n"
                    "Draws the session (thigh angle with holds and sets, rocking rate\n"
                    "against its band, what was done) into SESSION_DIR/report.png\n"
                    "unless --out says otherwise, and prints a summary.\n");
            return c == 'h' ? 0 : EXIT_USAGE;
        }
    }
    if (optind != argc - 1)
        die(EXIT_USAGE, "report: give one session folder");
    const char *dir = argv[optind];
    struct station_config cfg;
    cli_load_config_or_die(config, &cfg);
    struct motion_params mp;
    cli_motion_params(&cfg, &mp);
    char png[800], fonts[600], err[600];
    if (out)
        snprintf(png, sizeof png, "%s", out);
    else
        snprintf(png, sizeof png, "%s/report.png", dir);
    snprintf(fonts, sizeof fonts, "%s/fonts", source_assets_dir());
    if (report_write(dir, png, &mp, fonts, stdout, err, sizeof err) < 0)
        die(1, "report: %s", err);
    printf("picture: %s\n", png);
    return 0;
}
