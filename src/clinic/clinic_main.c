/* SPDX-License-Identifier: GPL-3.0-or-later */
/* station-clinic: the clinic server. main only dispatches; each command is
 * one row of the table below. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clinic.h"
#include "web.h"
#include "../util/exit_codes.h"

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *what;
} commands[] = {
    {"migrate", clinic_cmd_migrate, "bring the database's schema up to date"},
    {"add-clinic", clinic_cmd_add_clinic, "add a clinic: add-clinic NAME"},
    {"add-station", clinic_cmd_add_station,
     "let a station send: add-station --clinic NAME ID (prints its broker lines)"},
    {"collect", clinic_cmd_collect, "store the stations' sessions from the broker"},
    {"web", web_cmd_web, "serve the clinicians' web page"},
    {"add-clinician", web_cmd_add_clinician,
     "add a clinician: add-clinician LOGIN --clinic NAME (the password on stdin)"},
    {"export-patient", web_cmd_export_patient,
     "a patient's data to stdout: export-patient [--csv] ID"},
    {"delete-patient", web_cmd_delete_patient,
     "delete a patient's sessions and program: delete-patient ID --yes"},
    {"passwd", clinic_cmd_passwd,
     "a clinician's new password: passwd LOGIN (on stdin); her open logins end"},
    {"remove-clinician", clinic_cmd_remove_clinician,
     "end a clinician's access: remove-clinician LOGIN (her logins end at once)"},
    {"remove-station", clinic_cmd_remove_station,
     "refuse a station's sessions from now on: remove-station ID (prints the broker's lines)"},
};

static void usage(FILE *fp)
{
    fprintf(fp, "usage: station-clinic [--config FILE] COMMAND [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(fp, "  %-14s %s\n", commands[i].name, commands[i].what);
    fprintf(fp, "\nThe settings are read from --config, $STATION_CLINIC_CONFIG or %s.\n",
            CLINIC_DEFAULT_CONFIG);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    if (argc >= 3 && strcmp(argv[1], "--config") == 0) {
        setenv("STATION_CLINIC_CONFIG", argv[2], 1);
        argv[2] = argv[0];
        argc -= 2;
        argv += 2;
    }
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "station-clinic: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
