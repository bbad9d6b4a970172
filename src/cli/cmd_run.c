/* SPDX-License-Identifier: GPL-3.0-or-later */
/* station run: the live station (the default command). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app/app.h"
#include "cli.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: station [run] [--headless] [--sensor KIND] [--trace FILE] [--speed X]\n"
            "                     [--seconds N] [--stage 1|2] [--storage DIR] [--no-record]\n"
            "                     [--fullscreen | --window] [--mute] [--no-demo] [--config FILE]\n"
            "       station run --replay TRACE [--script FILE] [--storage DIR]\n"
            "The feedback station: the real sensor when one answers, else the DEMO\n"
            "recording. Keys: space start/pause, right next, left back, escape stop,\n"
            "q quit. Each session is stored in the storage directory.\n"
            "  --headless        no screen: one status line a second\n"
            "  --mute            no sound (spoken cues are still logged)\n"
            "  --no-demo         no sensor: wait for one (the service) rather than\n"
            "                    play the DEMO recording\n"
            "  --replay TRACE    drive a whole session from a recorded trace, as fast\n"
            "                    as possible; --script gives its timed button presses\n"
            "  --screenshot PNG  draw offscreen and save the last frame\n"
            "  --screenshot-at S save the frame at S seconds of data instead (with\n"
            "                    --replay --script: any moment of a session)\n"
            "  --person NAME     the sessions are for this person (`station person list`);\n"
            "                    else, with several people, next chooses at idle\n"
            "%s", cli_source_usage);
}

static void parse_config(int argc, char **argv, struct app_options *o)
{
    static const struct option opts[] = {
        {"headless", no_argument, NULL, 'H'},
        CLI_SOURCE_LONG_OPTIONS,
        {"seconds", required_argument, NULL, 'n'},
        {"config", required_argument, NULL, 'c'},
        {"replay", required_argument, NULL, 'R'},
        {"script", required_argument, NULL, 'S'},
        {"stage", required_argument, NULL, 'g'},
        {"storage", required_argument, NULL, 'D'},
        {"no-record", no_argument, NULL, 'N'},
        {"mute", no_argument, NULL, 'M'},
        {"fullscreen", no_argument, NULL, 'F'},
        {"window", no_argument, NULL, 'W'},
        {"screenshot", required_argument, NULL, 'P'},
        {"screenshot-at", required_argument, NULL, 'A'},
        {"no-demo", no_argument, NULL, 'Z'},
        {"person", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    memset(o, 0, sizeof *o);
    o->src.kind = SOURCE_AUTO;
    o->src.speed = 1;
    int c;
    while ((c = getopt_long(argc, argv, "Hs:t:x:n:c:h", opts, NULL)) != -1) {
        switch (c) {
        case 'H': o->headless = true; break;
        case 'n': o->seconds = parse_double_or_die("--seconds", optarg, 0.01, 1e7); break;
        case 'c': o->config = optarg; break;
        case 'R': o->replay = optarg; break;
        case 'S': o->script = optarg; break;
        case 'g':
            if (strcmp(optarg, "1") != 0 && strcmp(optarg, "2") != 0)
                die(EXIT_USAGE, "--stage: '%s' is not 1 or 2", optarg);
            o->stage = optarg[0] - '0';
            break;
        case 'D': o->storage = optarg; break;
        case 'N': o->no_record = true; break;
        case 'M': o->mute = true; break;
        case 'F': o->fullscreen = true; break;
        case 'W': o->window = true; break;
        case 'P': o->screenshot = optarg; break;
        case 'A':
            o->screenshot_at = parse_double_or_die("--screenshot-at", optarg, 0.01, 1e7);
            break;
        case 'Z': o->no_demo = true; break;
        case 'p': o->person = optarg; break;
        case 'h': usage(stdout); exit(0);
        default:
            if (!cli_source_option(c, optarg, &o->src)) {
                usage(stderr);
                exit(EXIT_USAGE);
            }
            o->speed_given = o->speed_given || c == 'x';
        }
    }
    if (optind < argc)
        die(EXIT_USAGE, "run: unexpected argument '%s'", argv[optind]);
    if (o->script && !o->replay)
        die(EXIT_USAGE, "run: --script goes with --replay");
    if (o->screenshot_at > 0 && !o->screenshot)
        die(EXIT_USAGE, "run: --screenshot-at goes with --screenshot FILE.png");
}

int cmd_run(int argc, char **argv)
{
    struct app_options o;
    parse_config(argc, argv, &o);
    return app_run(&o);
}
