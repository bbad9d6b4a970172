/* SPDX-License-Identifier: GPL-3.0-or-later */
/* clinic_db: the connection to PostgreSQL and the schema's migrations. */
#include "clinic.h"

#include <dirent.h>
#include <errno.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

PGconn *clinic_db_connect(const struct clinic_config *c, char *err, size_t errlen)
{
    PGconn *db = PQconnectdb(c->database);
    if (PQstatus(db) != CONNECTION_OK) {
        snprintf(err, errlen, "the database (%s): %s", c->database, PQerrorMessage(db));
        err[strcspn(err, "\n")] = '\0';
        PQfinish(db);
        return NULL;
    }
    /* one stored time zone: what a session's time means does not depend on
     * where the server runs */
    PQclear(PQexec(db, "SET TIME ZONE 'UTC'"));
    PQclear(PQexec(db, "SET client_min_messages = warning"));
    return db;
}

void clinic_db_say_error(const PGresult *r)
{
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    char msg[600];
    snprintf(msg, sizeof msg, "%s", PQresultErrorMessage(r));
    msg[strcspn(msg, "\n")] = '\0';
    /* undefined_table: the schema is not there yet */
    fprintf(stderr, "station-clinic: the database: %s%s\n", msg,
            state && strcmp(state, "42P01") == 0
                ? " (no clinic tables in this database yet: run `station-clinic migrate` first)"
                : "");
}

const char *clinic_migrations_dir(const struct clinic_config *c)
{
    static const char *const installed = STATION_DATADIR "/clinic/migrations";
    struct stat st;
    if (c->migrations[0])
        return c->migrations;
    if (stat(installed, &st) == 0 && S_ISDIR(st.st_mode))
        return installed;
    return "clinic/migrations";
}

/* "001_initial.sql" -> 1; -1 for any other name */
static int migration_version(const char *name)
{
    int v = 0, n = 0;
    while (name[n] >= '0' && name[n] <= '9' && n < 6)
        v = v * 10 + (name[n++] - '0');
    size_t len = strlen(name);
    if (n != 3 || name[3] != '_' || len < 8 || strcmp(name + len - 4, ".sql") != 0)
        return -1;
    return v;
}

static char *slurp(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "re");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    char chunk[4096];
    size_t n;
    while (mem && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, n, mem);
    bool bad = ferror(f) || !mem;
    fclose(f);
    if (mem)
        fclose(mem);
    if (bad) {
        free(buf);
        snprintf(err, errlen, "%s: could not be read", path);
        return NULL;
    }
    return buf;
}

static bool exec_ok(PGconn *db, const char *sql, const char *what, char *err, size_t errlen)
{
    PGresult *r = PQexec(db, sql);
    ExecStatusType st = PQresultStatus(r);
    bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (!ok) {
        snprintf(err, errlen, "%s: %s", what, PQresultErrorMessage(r));
        err[strcspn(err, "\n")] = '\0';
    }
    PQclear(r);
    return ok;
}

static int applied(PGconn *db, int version)
{
    char v[16];
    snprintf(v, sizeof v, "%d", version);
    const char *p[1] = {v};
    PGresult *r = PQexecParams(db, "SELECT 1 FROM schema_migrations WHERE version = $1", 1,
                               NULL, p, NULL, NULL, 0);
    int rc = PQresultStatus(r) != PGRES_TUPLES_OK ? -1 : PQntuples(r) > 0;
    PQclear(r);
    return rc;
}

static int apply(PGconn *db, const char *dir, const char *name, int version, char *err,
                 size_t errlen)
{
    char path[CONFIG_STR_MAX + 300];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *sql = slurp(path, err, errlen);
    if (!sql)
        return -1;
    char rec[160];
    snprintf(rec, sizeof rec, "INSERT INTO schema_migrations (version, applied_at) "
             "VALUES (%d, now())", version);
    /* one transaction each; the lock keeps two migrating servers in turn */
    bool ok = exec_ok(db, "BEGIN", path, err, errlen) &&
              exec_ok(db, "SELECT pg_advisory_xact_lock(7011013)", path, err, errlen);
    int done = ok ? applied(db, version) : -1;
    if (done == 0)
        ok = exec_ok(db, sql, path, err, errlen) && exec_ok(db, rec, path, err, errlen);
    free(sql);
    if (!ok || done < 0) {
        PQclear(PQexec(db, "ROLLBACK"));
        return -1;
    }
    return exec_ok(db, "COMMIT", path, err, errlen) ? done == 0 : -1;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_migration(const struct dirent *d)
{
    return migration_version(d->d_name) >= 0;
}

int clinic_db_migrate(PGconn *db, const char *dir, char *err, size_t errlen)
{
    if (!exec_ok(db, "CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, "
                 "applied_at timestamptz NOT NULL)", "schema_migrations", err, errlen))
        return -1;
    struct dirent **list;
    int n = scandir(dir, &list, is_migration, by_name);
    if (n < 0) {
        snprintf(err, errlen, "%s: %s (the migrations: NNN_name.sql)", dir, strerror(errno));
        return -1;
    }
    int count = 0;
    for (int i = 0; i < n; i++) {
        if (count >= 0) {
            int rc = apply(db, dir, list[i]->d_name, migration_version(list[i]->d_name), err,
                           errlen);
            count = rc < 0 ? -1 : count + rc;
        }
        free(list[i]);
    }
    free(list);
    return count;
}
