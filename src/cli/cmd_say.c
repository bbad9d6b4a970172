/* SPDX-License-Identifier: GPL-3.0-or-later */
/* station say: speak a phrase with the configured voice into a WAV file,
 * to hear a changed or translated phrase table before a session. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "../ui/speech.h"
#include "cli.h"

int cmd_say(int argc, char **argv)
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
        default:
            fprintf(c == 'h' ? stdout : stderr,
                    "usage: station say --out FILE.wav TEXT\n"
                    "Speaks TEXT with the configured voice and speed into a WAV file.\n");
            return c == 'h' ? 0 : EXIT_USAGE;
        }
    }
    if (!out || optind != argc - 1)
        die(EXIT_USAGE, "say: give --out FILE.wav and one text");
    struct station_config cfg;
    cli_load_config_or_die(config, &cfg);
    char err[300];
    struct speech *sp = speech_open(cfg.audio.voice, cfg.audio.speed_wpm, err, sizeof err);
    if (!sp)
        die(1, "say: %s", err);
    int rc = speech_write_wav(sp, argv[optind], out);
    speech_close(sp);
    if (rc < 0)
        die(1, "say: %s: could not write the speech", out);
    printf("%s\n", out);
    return 0;
}
