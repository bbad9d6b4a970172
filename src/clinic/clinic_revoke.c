// SPDX-License-Identifier: GPL-3.0-or-later
/* clinic_revoke: taking access away. A clinician's password changed or her
 * access ended (her open logins end with it), a station's sessions refused
 * from now on. The broker's own users are the broker's: the commands print
 * what to remove there. */
#include "web.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/exit_codes.h"

/* The web context for a command taking exactly one argument; *arg is it. */
static struct web *open_one(int argc, char **argv, const char *usage, const char **arg)
{
    struct web *w = calloc(1, sizeof *w);
    if (!w)
        clinic_die(1, "out of memory");
    int i;
    web_open(w, argc, argv, &i);
    if (argc - i != 1 || argv[i][0] == '-')
        clinic_die(EXIT_USAGE, "usage: station-clinic %s", usage);
    *arg = argv[i];
    return w;
}

static void close_web(struct web *w)
{
    PQfinish(w->db);
    free(w);
}

int clinic_cmd_passwd(int argc, char **argv)
{
    const char *login;
    struct web *w = open_one(argc, argv, "passwd LOGIN (the new password on stdin)", &login);
    char pw[256], err[300] = "the database is not answering";
    if (web_read_password(pw, sizeof pw) < 0)
        clinic_die(EXIT_USAGE, "no password on stdin");
    int rc = web_db_ready(w) < 0 ? -1 : auth_set_password(w, login, pw, err, sizeof err);
    sodium_memzero(pw, sizeof pw);
    close_web(w);
    if (rc != 0)
        clinic_die(1, "passwd: %s", err);
    printf("clinician '%s': new password; her open logins ended\n", login);
    return 0;
}

/* Runs sql on arg, which changes one row or none; exits 1 when it failed
 * (what) or changed none (none, a format taking arg). */
static void change_one(struct web *w, const char *cmd, const char *sql, const char *arg,
                       const char *none)
{
    PGresult *r = web_q1(w, sql, arg);
    int n = r ? PQntuples(r) : -1;
    PQclear(r);
    close_web(w);
    if (n < 0)
        clinic_die(1, "%s: the database did not answer (see above)", cmd);
    if (n == 0) {
        fprintf(stderr, "station-clinic: %s: ", cmd);
        fprintf(stderr, none, arg);
        fputc('\n', stderr);
        exit(1);
    }
}

int clinic_cmd_remove_clinician(int argc, char **argv)
{
    const char *login;
    struct web *w = open_one(argc, argv, "remove-clinician LOGIN", &login);
    /* the row stays (the programs she set name her); no password matches
     * "!": passwd gives her access again */
    change_one(w, "remove-clinician",
               "WITH c AS (UPDATE clinicians SET pwhash = '!' WHERE login = $1 RETURNING id), "
               "s AS (DELETE FROM web_sessions WHERE clinician_id IN (SELECT id FROM c)) "
               "SELECT id FROM c",
               login, "no clinician '%s'");
    printf("clinician '%s' removed: her logins ended and no password opens her login; "
           "`station-clinic passwd %s` gives her access again\n", login, login);
    return 0;
}

int clinic_cmd_remove_station(int argc, char **argv)
{
    const char *id;
    struct web *w = open_one(argc, argv, "remove-station ID", &id);
    change_one(w, "remove-station",
               "UPDATE stations SET removed = now() WHERE id = $1 AND removed IS NULL RETURNING id",
               id, "no station '%s' (or removed already)");
    printf("station '%s' removed: the sessions it sent stay; new ones are refused\n"
           "# and on the broker, so that it cannot connect or publish at all:\n"
           "#   mosquitto_passwd -D /etc/mosquitto/passwd %s\n"
           "#   delete its block in /etc/mosquitto/acl (from \"user %s\" to the blank line)\n"
           "#   systemctl reload mosquitto\n",
           id, id, id);
    return 0;
}
