/* SPDX-License-Identifier: GPL-3.0-or-later */
/* clinic: the clinic server (`station-clinic`), a separate binary from the
 * station: its settings, its PostgreSQL connection and schema, and the
 * commands of its table in clinic_main.c. docs/clinic-protocol.md is the
 * contract with the stations. */
#ifndef STATION_CLINIC_H
#define STATION_CLINIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdnoreturn.h>

#include "../upload/mqtt_link.h"

#define CLINIC_DEFAULT_CONFIG STATION_SYSCONFDIR "/clinic.cfg"

struct clinic_web {
    char listen[CONFIG_STR_MAX];
    int port;
    char tls_cert[CONFIG_STR_MAX];
    char tls_key[CONFIG_STR_MAX];
    bool behind_proxy;
    /* the broker user that publishes programs, and its password file */
    char mqtt_username[CONFIG_STR_MAX];
    char mqtt_password_file[CONFIG_STR_MAX];
};

struct clinic_config {
    char path[CONFIG_STR_MAX];      /* the file it came from */
    char database[1024];            /* a libpq conninfo */
    char migrations[CONFIG_STR_MAX]; /* "" : the installed ones */
    struct mqtt_settings mqtt;
    struct clinic_web web;
    int line[24]; /* each key's line in the file (0: its default), by clinic_config.c's table */
};

/* Defaults, then path over them. Returns the number of errors, each a line
 * "FILE:LINE: key: what is wrong (what is allowed)" in err. */
int clinic_config_load(struct clinic_config *c, const char *path, char *err, size_t errlen);

/* Where a key was set: "FILE:LINE", or "FILE" when it has its default. */
void clinic_config_where(const struct clinic_config *c, const char *key, char *out, size_t len);

/* The web page's transport is safe: HTTPS here (web.tls_cert and tls_key),
 * or web.behind_proxy with a loopback web.listen (the proxy in front does
 * TLS, and only it can set X-Real-IP). Returns 0, or -1 with
 * "FILE:LINE: key: what is wrong (what is allowed)" in err. */
int clinic_config_web_check(const struct clinic_config *c, char *err, size_t errlen);

/* Prints "station-clinic: <message>" and exits with code. */
noreturn void clinic_die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The options every command takes (--config FILE), parsed out of argv,
 * and the configuration loaded (exits 2 on an error). Returns the index of
 * the first argument left. */
int clinic_common_args(int argc, char **argv, struct clinic_config *c);

/* ---- PostgreSQL ---- */
typedef struct pg_conn PGconn;
/* Connects; NULL with the reason in err. */
PGconn *clinic_db_connect(const struct clinic_config *c, char *err, size_t errlen);
/* Applies the migrations not yet applied, in order, each in a transaction.
 * Returns how many were applied, or -1 with the reason in err. */
int clinic_db_migrate(PGconn *db, const char *dir, char *err, size_t errlen);
typedef struct pg_result PGresult;
/* Prints a failed statement's error on stderr, with what to do when the
 * schema is missing (run `station-clinic migrate` first). */
void clinic_db_say_error(const PGresult *r);
/* The directory of the migrations: the configured, else the installed,
 * else ./clinic/migrations in a source tree. */
const char *clinic_migrations_dir(const struct clinic_config *c);

/* ---- the commands (one row each of the table in clinic_main.c) ---- */
int clinic_cmd_migrate(int argc, char **argv);
int clinic_cmd_add_clinic(int argc, char **argv);
int clinic_cmd_add_station(int argc, char **argv);
int clinic_cmd_collect(int argc, char **argv);

#endif
