/* SPDX-License-Identifier: GPL-3.0-or-later */
/* clinic_admin: the schema, clinics and stations, from the command line. */
#include <libpq-fe.h>
#include <stdio.h>
#include <string.h>

#include "clinic.h"
#include "../util/exit_codes.h"

static PGconn *connect_or_die(const struct clinic_config *c)
{
    char err[1200];
    PGconn *db = clinic_db_connect(c, err, sizeof err);
    if (!db)
        clinic_die(1, "%s", err);
    return db;
}

int clinic_cmd_migrate(int argc, char **argv)
{
    struct clinic_config c;
    int i = clinic_common_args(argc, argv, &c);
    if (i != argc)
        clinic_die(EXIT_USAGE, "usage: station-clinic migrate [--config FILE]");
    PGconn *db = connect_or_die(&c);
    char err[1200];
    const char *dir = clinic_migrations_dir(&c);
    int n = clinic_db_migrate(db, dir, err, sizeof err);
    PQfinish(db);
    if (n < 0)
        clinic_die(1, "migrate: %s", err);
    printf("%d migration%s applied from %s\n", n, n == 1 ? "" : "s", dir);
    return 0;
}

/* Runs one statement with parameters; returns the result when it did what
 * `want` says, else prints the error and returns NULL. */
static PGresult *run(PGconn *db, const char *sql, int n, const char *const *p,
                     ExecStatusType want)
{
    PGresult *r = PQexecParams(db, sql, n, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(r) != want) {
        clinic_db_say_error(r);
        PQclear(r);
        return NULL;
    }
    return r;
}

int clinic_cmd_add_clinic(int argc, char **argv)
{
    struct clinic_config c;
    int i = clinic_common_args(argc, argv, &c);
    if (argc - i != 1 || !argv[i][0] || strlen(argv[i]) > 100)
        clinic_die(EXIT_USAGE, "usage: station-clinic add-clinic NAME (1 to 100 characters)");
    PGconn *db = connect_or_die(&c);
    const char *p[1] = {argv[i]};
    PGresult *r = run(db, "INSERT INTO clinics (name) VALUES ($1) ON CONFLICT (name) DO NOTHING "
                      "RETURNING id", 1, p, PGRES_TUPLES_OK);
    int rc = 1;
    if (r && PQntuples(r) == 1) {
        printf("clinic '%s' added (id %s)\n", argv[i], PQgetvalue(r, 0, 0));
        rc = 0;
    } else if (r) {
        fprintf(stderr, "station-clinic: a clinic called '%s' is there already\n", argv[i]);
    }
    PQclear(r);
    PQfinish(db);
    return rc;
}

/* The lines a broker needs for station id (docs/clinic-protocol.md). */
static void print_broker_lines(const char *id)
{
    printf("# mosquitto: the station's user (asks for its password):\n"
           "#   mosquitto_passwd /etc/mosquitto/passwd %s\n"
           "# and its lines in the ACL file:\n"
           "user %s\n"
           "topic write station/%s/session\n"
           "topic read station/%s/ack\n"
           "topic read station/%s/program\n"
           "topic write station/%s/program-status\n",
           id, id, id, id, id, id);
}

int clinic_cmd_add_station(int argc, char **argv)
{
    struct clinic_config c;
    int i = clinic_common_args(argc, argv, &c);
    const char *clinic = NULL;
    if (i + 1 < argc && strcmp(argv[i], "--clinic") == 0) {
        clinic = argv[i + 1];
        i += 2;
    }
    if (!clinic || argc - i != 1)
        clinic_die(EXIT_USAGE, "usage: station-clinic add-station --clinic NAME ID");
    const char *id = argv[i];
    /* the broker's own users are not station names */
    if (!mqtt_station_id_ok(id) || strcmp(id, "collector") == 0 ||
        strcmp(id, "clinic-web") == 0)
        clinic_die(EXIT_USAGE, "add-station: '%s' is not a station id: 1 to %d of a-z, 0-9 and "
                   "'-' are allowed (not collector or clinic-web)", id, MQTT_ID_MAX);
    PGconn *db = connect_or_die(&c);
    const char *p[2] = {id, clinic};
    PGresult *r = run(db, "INSERT INTO stations (id, clinic_id) SELECT $1, id FROM clinics "
                      "WHERE name = $2 ON CONFLICT (id) DO NOTHING RETURNING clinic_id", 2, p,
                      PGRES_TUPLES_OK);
    int rc = 1;
    if (r && PQntuples(r) == 1) {
        printf("station '%s' added to clinic '%s'\n", id, clinic);
        print_broker_lines(id);
        rc = 0;
    } else if (r) {
        PGresult *k = run(db, "SELECT 1 FROM clinics WHERE name = $1", 1, p + 1,
                          PGRES_TUPLES_OK);
        if (k && PQntuples(k) == 0)
            fprintf(stderr, "station-clinic: no clinic called '%s' (add-clinic adds one)\n",
                    clinic);
        else if (k)
            fprintf(stderr, "station-clinic: a station '%s' is there already\n", id);
        PQclear(k);
    }
    PQclear(r);
    PQfinish(db);
    return rc;
}
