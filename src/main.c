/* SPDX-License-Identifier: GPL-3.0-or-later */
/* station: the sciatica stretching feedback station. main only dispatches
 * to the subcommands; each lives in src/cli/cmd_*.c. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *what;
} commands[] = {
    {"run", cmd_run, "live feedback (the default): real sensor, else the demo"},
    {"record", cmd_record, "record raw samples to a trace file"},
    {"analyze", cmd_analyze, "find rocking sets, holds and bounces in traces"},
    {"report", cmd_report, "a picture and a summary of a stored session"},
    {"person", cmd_person, "the people a station knows and their programs: add, list, rename, remove, set, unset, show"},
    {"reindex", cmd_reindex, "rebuild the index of people and sessions from the folders"},
    {"export", cmd_export, "a person's sessions as CSV, one row per exercise"},
    {"upload", cmd_upload, "send finished sessions to a clinic's server, take its programs"},
    {"say", cmd_say, "speak a phrase into a WAV file, to hear the voice"},
    {"simulate", cmd_simulate, "generate a synthetic trace with its truth file"},
    {"check-config", cmd_check_config, "validate configuration files"},
};

static void usage(FILE *fp)
{
    fprintf(fp, "usage: station [COMMAND] [OPTIONS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(fp, "  %-13s %s\n", commands[i].name, commands[i].what);
    fprintf(fp, "\n'station COMMAND --help' tells more.\n");
}

int main(int argc, char **argv)
{
    /* A reader that goes away (`station run --headless | head`) makes
     * writes fail with EPIPE instead of killing the station before it has
     * written its summary. */
    signal(SIGPIPE, SIG_IGN);
    /* Started with stdin, stdout or stderr closed, the first file opened
     * would take their number and the log would be written into a trace:
     * hold them open on /dev/null. */
    for (int fd = 0; fd < 3; fd++)
        if (fcntl(fd, F_GETFD) < 0 && errno == EBADF && open("/dev/null", O_RDWR) != fd)
            return 1;
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return 0;
    }
    if (argc < 2 || argv[1][0] == '-')
        return cmd_run(argc, argv); /* options straight after `station` are run's */
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0) {
            int rc = commands[i].fn(argc - 1, argv + 1);
            /* what analyze, report and check-config print is their product:
             * output that could not be written (a full disk, a closed pipe)
             * is a failure. run's status lines are not its product. */
            if (commands[i].fn != cmd_run && (fflush(stdout) != 0 || ferror(stdout))) {
                fprintf(stderr, "station: %s: writing the output: %s\n", argv[1],
                        strerror(errno ? errno : EIO));
                return rc ? rc : 1;
            }
            return rc;
        }
    fprintf(stderr, "station: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
