/* SPDX-License-Identifier: GPL-3.0-or-later */
/* clinic_store: one session message into PostgreSQL, in one transaction,
 * idempotent on its session id (docs/clinic-protocol.md). */
#include "clinic_store.h"

#include <cjson/cJSON.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../history/history.h"

/* The parts of a message the tables need, checked. */
struct session_msg {
    const char *session_id, *folder, *trace;
    char started[32];
    char *summary, *events; /* unformatted JSON, malloc'ed */
    struct hist_session s;
};

static const char *jstr(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* "20261126-070318" (maybe "-2") as UTC, the time PostgreSQL reads */
static int folder_started(const char *folder, char *out, size_t len)
{
    time_t when;
    if (!history_folder_time(folder, &when) || strlen(folder) < 15)
        return -1;
    snprintf(out, len, "%.4s-%.2s-%.2s %.2s:%.2s:%.2s+00", folder, folder + 4, folder + 6,
             folder + 9, folder + 11, folder + 13);
    return 0;
}

/* A session's folder time between 2000 and a day ahead of now (a station's
 * clock may run a little ahead; anything further is a wrong clock or a
 * forged message, and would sit at the top of every list). */
static bool folder_plausible(const char *folder, time_t now)
{
    time_t when; /* the folder's digits begin with the year */
    return history_folder_time(folder, &when) && strncmp(folder, "2000", 4) >= 0 &&
           when <= now + 86400;
}

/* The station's key of a person: exactly 16 lower-case hex digits. */
static bool person_key_ok(const char *k)
{
    size_t n = strspn(k, "0123456789abcdef");
    return n == 16 && k[n] == '\0';
}

static int parse_msg(cJSON *root, const char *topic_id, struct session_msg *m, char *why,
                     size_t len)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "v");
    const char *station = jstr(root, "station_id");
    m->session_id = jstr(root, "session_id");
    m->folder = jstr(root, "folder");
    m->trace = jstr(root, "trace_csv");
    const cJSON *summary = cJSON_GetObjectItemCaseSensitive(root, "summary");
    const cJSON *events = cJSON_GetObjectItemCaseSensitive(root, "events");
    char expect[160];
    if (!cJSON_IsNumber(v) || v->valueint != 1) {
        snprintf(why, len, "not a version 1 session message");
        return -1;
    }
    if (!station || strcmp(station, topic_id) != 0) {
        snprintf(why, len, "station_id is not the topic's station '%s'", topic_id);
        return -1;
    }
    if (!m->folder || folder_started(m->folder, m->started, sizeof m->started) < 0) {
        snprintf(why, len, "folder is not a session folder name (YYYYmmdd-HHMMSS)");
        return -1;
    }
    if (!folder_plausible(m->folder, time(NULL))) {
        snprintf(why, len, "folder %s: a session from before 2000 or more than a day ahead "
                 "of the server's clock", m->folder);
        return -1;
    }
    snprintf(expect, sizeof expect, "%s/%s", station, m->folder);
    if (!m->session_id || strcmp(m->session_id, expect) != 0) {
        snprintf(why, len, "session_id is not '%s'", expect);
        return -1;
    }
    if (!cJSON_IsObject(summary) || !cJSON_IsArray(events)) {
        snprintf(why, len, "%s: summary must be an object and events an array", expect);
        return -1;
    }
    m->summary = cJSON_PrintUnformatted(summary);
    m->events = cJSON_PrintUnformatted(events);
    if (!m->summary || !m->events || history_parse(m->summary, m->folder, 0, &m->s) < 0) {
        snprintf(why, len, "%s: the summary cannot be read", expect);
        return -1;
    }
    const cJSON *key = cJSON_GetObjectItemCaseSensitive(summary, "person_key");
    if (key && !(cJSON_IsString(key) && person_key_ok(key->valuestring))) {
        snprintf(why, len, "%s: summary.person_key is not 16 hex digits (0-9, a-f)", expect);
        return -1;
    }
    if (strcmp(m->s.mode, "live") != 0 || !m->s.status[0] ||
        strcmp(m->s.status, "in progress") == 0) {
        snprintf(why, len, "%s: only finished live sessions are kept (mode '%s', status '%s')",
                 expect, m->s.mode, m->s.status);
        return -1;
    }
    return 0;
}

/* SQLSTATE classes that say "try again": the connection (08), a rolled
 * back transaction (40), resources (53), the operator (57), system (58). */
static bool retryable(PGconn *db, PGresult *r)
{
    if (PQstatus(db) != CONNECTION_OK)
        return true;
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (!state)
        return true;
    static const char *const again[] = {"08", "40", "53", "57", "58"};
    for (size_t i = 0; i < sizeof again / sizeof again[0]; i++)
        if (strncmp(state, again[i], 2) == 0)
            return true;
    return false;
}

/* Runs a statement; on failure says why and whether to retry. */
static enum store_result step(PGconn *db, const char *sql, int n, const char *const *p,
                              PGresult **out, char *why, size_t len)
{
    PGresult *r = PQexecParams(db, sql, n, NULL, p, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
        if (out)
            *out = r;
        else
            PQclear(r);
        return STORE_OK;
    }
    snprintf(why, len, "%s", PQresultErrorMessage(r));
    why[strcspn(why, "\n")] = '\0';
    enum store_result res = retryable(db, r) ? STORE_RETRY : STORE_REFUSED;
    PQclear(r);
    return res;
}

static enum store_result store_tx(PGconn *db, const char *station, struct session_msg *m,
                                  char *why, size_t len)
{
    PGresult *r = NULL;
    enum store_result rc = step(db, "BEGIN", 0, NULL, NULL, why, len);
    if (rc != STORE_OK)
        return rc;
    const char *ps[1] = {station};
    rc = step(db, "SELECT clinic_id FROM stations WHERE id = $1 AND removed IS NULL", 1, ps, &r,
              why, len);
    if (rc != STORE_OK)
        return rc;
    if (PQntuples(r) != 1) {
        PQclear(r);
        snprintf(why, len, "%s: station '%s' is not known here (station-clinic add-station) "
                 "or was removed (remove-station)",
                 m->session_id, station);
        return STORE_REFUSED;
    }
    char clinic[16], patient[16] = "";
    snprintf(clinic, sizeof clinic, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    if (m->s.person_key[0]) {
        const char *pp[3] = {clinic, m->s.person_key, m->s.person[0] ? m->s.person : "?"};
        rc = step(db, "INSERT INTO patients (clinic_id, person_key, name) VALUES ($1, $2, $3) "
                  "ON CONFLICT (clinic_id, person_key) DO UPDATE SET person_key = "
                  "EXCLUDED.person_key RETURNING id", 3, pp, &r, why, len);
        if (rc != STORE_OK)
            return rc;
        snprintf(patient, sizeof patient, "%s", PQgetvalue(r, 0, 0));
        PQclear(r);
    }
    char stage[16], done[16], total[16];
    snprintf(stage, sizeof stage, "%d", m->s.stage);
    snprintf(done, sizeof done, "%d", m->s.exercises_done);
    snprintf(total, sizeof total, "%d", m->s.exercises_total);
    const char *p[13] = {m->session_id, station, patient[0] ? patient : NULL, m->folder,
                         m->started, m->s.mode, m->s.status,
                         m->s.stage > 0 ? stage : NULL, m->s.early_stop ? "true" : "false",
                         m->s.exercises_done >= 0 ? done : NULL,
                         m->s.exercises_total >= 0 ? total : NULL, m->summary, m->events};
    const char *pt[2] = {m->trace, m->session_id};
    rc = step(db, "INSERT INTO sessions (session_id, station_id, patient_id, folder, started, "
              "mode, status, stage, early_stop, exercises_done, exercises_total, summary, "
              "events) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
              "ON CONFLICT (session_id) DO NOTHING", 13, p, NULL, why, len);
    if (rc == STORE_OK && m->trace)
        rc = step(db, "UPDATE sessions SET trace = $1 WHERE session_id = $2 AND trace IS NULL",
                  2, pt, NULL, why, len);
    if (rc == STORE_OK)
        rc = step(db, "UPDATE stations SET last_seen = now() WHERE id = $1", 1, ps, NULL, why,
                  len);
    if (rc == STORE_OK)
        rc = step(db, "COMMIT", 0, NULL, NULL, why, len);
    return rc;
}

enum store_result clinic_store_session(PGconn *db, const char *station, const char *payload,
                                       size_t len, char *session_id, size_t idlen, char *why,
                                       size_t whylen)
{
    session_id[0] = '\0';
    cJSON *root = cJSON_ParseWithLength(payload, len);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        snprintf(why, whylen, "not a JSON object");
        return STORE_REFUSED;
    }
    struct session_msg m = {0};
    enum store_result rc = STORE_REFUSED;
    if (parse_msg(root, station, &m, why, whylen) == 0) {
        snprintf(session_id, idlen, "%s", m.session_id);
        rc = store_tx(db, station, &m, why, whylen);
        if (rc != STORE_OK && PQstatus(db) == CONNECTION_OK)
            PQclear(PQexec(db, "ROLLBACK"));
    }
    free(m.summary);
    free(m.events);
    cJSON_Delete(root);
    return rc;
}
