// SPDX-License-Identifier: GPL-3.0-or-later
/* A patient's data: her program (checked by the station's own parser,
 * stored, and published retained to her stations), her export and her
 * deletion. */
#include "web.h"

#include <cjson/cJSON.h>
#include <mosquitto.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../export/export.h"
#include "../history/history.h"
#include "../people/people.h"
#include "../report/print.h"

#define PUBLISH_TIMEOUT_S 10

bool data_patient_of(struct web *w, int patient_id, int clinic_id, char *name, size_t len)
{
    char pid[16], cid[16];
    snprintf(pid, sizeof pid, "%d", patient_id);
    snprintf(cid, sizeof cid, "%d", clinic_id);
    const char *p[] = {pid, cid};
    PGresult *r = web_q(w, "SELECT name FROM patients WHERE id = $1 AND clinic_id = $2", 2, p);
    bool ok = r && PQntuples(r) == 1;
    if (ok)
        snprintf(name, len, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    return ok;
}

/* ---- publishing: one retained message a station ---- */

/* The program message of station (contract: docs/clinic-protocol.md):
 * every patient of its clinic with sessions there and a program. */
static char *program_message(struct web *w, const char *station)
{
    PGresult *r = web_q1(w,
                        "SELECT p.person_key, p.name, g.program::text, "
                        "to_char(g.updated AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
                        "FROM patients p "
                        "JOIN programs g ON g.patient_id = p.id "
                        "JOIN stations t ON t.id = $1 AND t.clinic_id = p.clinic_id "
                        "WHERE EXISTS (SELECT 1 FROM sessions s WHERE s.patient_id = p.id "
                        "AND s.station_id = $1) OR EXISTS (SELECT 1 FROM patient_stations l "
                        "WHERE l.patient_id = p.id AND l.station_id = $1) ORDER BY p.id",
                        station);
    if (!r)
        return NULL;
    cJSON *m = cJSON_CreateObject(), *people = cJSON_CreateArray();
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    cJSON_AddNumberToObject(m, "v", 1);
    cJSON_AddStringToObject(m, "updated", now);
    cJSON_AddItemToObject(m, "people", people);
    for (int i = 0; i < PQntuples(r); i++) {
        cJSON *one = cJSON_CreateObject();
        cJSON_AddStringToObject(one, "person_key", PQgetvalue(r, i, 0));
        cJSON_AddStringToObject(one, "name", PQgetvalue(r, i, 1));
        /* hers: the station applies a program only once, and only hers changed */
        cJSON_AddStringToObject(one, "updated", PQgetvalue(r, i, 3));
        cJSON *prog = cJSON_Parse(PQgetvalue(r, i, 2));
        cJSON_AddItemToObject(one, "program", prog ? prog : cJSON_CreateObject());
        cJSON_AddItemToArray(people, one);
    }
    PQclear(r);
    char *text = cJSON_PrintUnformatted(m);
    cJSON_Delete(m);
    return text;
}

struct pub_state {
    bool connected, failed;
    int rc;
    int pending;
};

static void on_connect(struct mosquitto *m, void *obj, int rc)
{
    (void)m;
    struct pub_state *s = obj;
    s->connected = rc == 0;
    s->failed = rc != 0;
    s->rc = rc;
}

static void on_publish(struct mosquitto *m, void *obj, int mid)
{
    (void)m;
    (void)mid;
    struct pub_state *s = obj;
    s->pending--;
}

/* Publishes each station's program, retained, QoS 1, and waits for the
 * broker's acknowledgements. Returns how many went, or -1 with err. */
static int publish_programs(struct web *w, PGresult *stations, char *err, size_t errlen)
{
    int n = PQntuples(stations);
    if (n == 0)
        return 0;
    /* the mqtt group's broker, as the web page's own user */
    struct mqtt_settings ms = w->cfg.mqtt;
    snprintf(ms.username, sizeof ms.username, "%s", w->cfg.web.mqtt_username);
    snprintf(ms.password_file, sizeof ms.password_file, "%s", w->cfg.web.mqtt_password_file);
    ms.client_id[0] = '\0';
    struct pub_state st = {0};
    int done = -1;
    struct mosquitto *m = mqtt_link_new(&ms, true, &st, err, errlen);
    if (!m)
        return -1;
    mosquitto_connect_callback_set(m, on_connect);
    mosquitto_publish_callback_set(m, on_publish);
    int rc = mqtt_link_connect(m, &ms, err, errlen) == 0 ? MOSQ_ERR_SUCCESS : MOSQ_ERR_NO_CONN;
    if (rc != MOSQ_ERR_SUCCESS)
        goto out;
    time_t until = time(NULL) + PUBLISH_TIMEOUT_S;
    while (rc == MOSQ_ERR_SUCCESS && !st.connected && !st.failed && time(NULL) < until)
        rc = mosquitto_loop(m, 200, 1);
    if (rc != MOSQ_ERR_SUCCESS || !st.connected) {
        snprintf(err, errlen, "the broker %s:%d: %s", ms.host, ms.port,
                 st.failed ? mqtt_link_connack(st.rc) : mosquitto_strerror(rc));
        goto out;
    }
    for (int i = 0; i < n; i++) {
        const char *station = PQgetvalue(stations, i, 0);
        char *msg = program_message(w, station), topic[96];
        if (!msg) {
            snprintf(err, errlen, "the database did not answer");
            goto out;
        }
        snprintf(topic, sizeof topic, "station/%s/program", station);
        rc = mosquitto_publish(m, NULL, topic, (int)strlen(msg), msg, 1, true);
        free(msg);
        if (rc != MOSQ_ERR_SUCCESS) {
            snprintf(err, errlen, "publishing to %s: %s", topic, mosquitto_strerror(rc));
            goto out;
        }
        st.pending++;
    }
    while (st.pending > 0 && time(NULL) < until &&
           (rc = mosquitto_loop(m, 200, 1)) == MOSQ_ERR_SUCCESS)
        ;
    if (st.pending > 0) {
        snprintf(err, errlen, "the broker did not acknowledge %d of %d programs", st.pending, n);
        goto out;
    }
    done = n;
    mosquitto_disconnect(m);
out:
    mosquitto_destroy(m);
    return done;
}

static PGresult *stations_of(struct web *w, const char *pid)
{
    return web_q1(w, WEB_SQL_HER_STATIONS, pid);
}

int data_send_to_station(struct web *w, int patient_id, int clinic_id, const char *form,
                         char *station, size_t stationlen, char *err, size_t errlen)
{
    char pid[16], cid[16];
    snprintf(pid, sizeof pid, "%d", patient_id);
    snprintf(cid, sizeof cid, "%d", clinic_id);
    if (form_get(form, "station", station, stationlen) < 0 || !station[0]) {
        snprintf(err, errlen, "choose a station");
        return -1;
    }
    const char *p[] = {station, cid, pid};
    PGresult *r = web_q(w, "SELECT EXISTS (SELECT 1 FROM stations WHERE id = $1 AND "
                           "clinic_id = $2::int), EXISTS (SELECT 1 FROM programs WHERE "
                           "patient_id = $3::int)", 3, p);
    if (!r) {
        snprintf(err, errlen, "the database did not answer; try again");
        return -1;
    }
    bool known = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    bool has_program = strcmp(PQgetvalue(r, 0, 1), "t") == 0;
    PQclear(r);
    if (!known) {
        snprintf(err, errlen, "'%.60s' is not a station of your clinic", station);
        return -1;
    }
    if (!has_program) {
        snprintf(err, errlen, "store her program first (with every field empty it is "
                              "\"follow the station's configuration\")");
        return -1;
    }
    const char *l[] = {pid, station};
    if (web_exec(w, "INSERT INTO patient_stations (patient_id, station_id) VALUES ($1, $2) "
                    "ON CONFLICT DO NOTHING", 2, l) < 0) {
        snprintf(err, errlen, "the database did not store it; try again");
        return -1;
    }
    PGresult *one = web_q1(w, "SELECT $1::text", station);
    char why[300] = "the database did not answer";
    int n = one ? publish_programs(w, one, why, sizeof why) : -1;
    PQclear(one);
    if (n < 0) {
        snprintf(err, errlen, "it is recorded, but not sent (%s): send it again when the broker "
                              "is back", why);
        return -1;
    }
    fprintf(stderr, "station-clinic web: the program of patient %d sent to station %s\n",
            patient_id, station);
    return 0;
}

int data_set_program(struct web *w, const struct who *who, int patient_id, const char *form,
                     int *published, char *err, size_t errlen)
{
    *published = 0;
    cJSON *prog = cJSON_CreateObject();
    time_t now = time(NULL);
    double lo = 0, hi = 0;
    /* every value is checked before anything is stored */
    for (int k = 0; k < PK_COUNT; k++) {
        const char *name = program_key_name((enum program_key)k);
        char val[128], assign[192];
        if (form_get(form, name, val, sizeof val) < 0)
            continue;
        /* spaces round a value are no part of it; inside one program_parse refuses them */
        char *v = val + strspn(val, " \t");
        size_t vl = strlen(v);
        while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
            v[--vl] = '\0';
        if (!*v)
            continue;
        enum program_key key;
        struct program_item item;
        snprintf(assign, sizeof assign, "%s=%s", name, v);
        if (program_parse(assign, now, &key, &item, err, errlen) < 0) {
            cJSON_Delete(prog);
            return -1;
        }
        if (key == PK_RATE_MIN)
            lo = item.base;
        if (key == PK_RATE_MAX)
            hi = item.base;
        cJSON_AddStringToObject(prog, name, v);
    }
    if ((lo > 0) != (hi > 0)) {
        /* the other end would be the station's configuration, which the
         * server does not know: a band is given whole */
        snprintf(err, errlen, "give both ends of her rocking band (rate_min_hz and rate_max_hz), "
                              "or neither to follow the station's configuration");
        cJSON_Delete(prog);
        return -1;
    }
    if (lo > 0 && hi > 0 && lo >= hi) {
        snprintf(err, errlen, "rate_min_hz=%g is not below rate_max_hz=%g: her band's low end "
                              "must be below its top",
                 lo, hi);
        cJSON_Delete(prog);
        return -1;
    }
    char *text = cJSON_PrintUnformatted(prog);
    cJSON_Delete(prog);
    char pid[16], by[16];
    snprintf(pid, sizeof pid, "%d", patient_id);
    snprintf(by, sizeof by, "%d", who->clinician_id);
    const char *p[] = {pid, text ? text : "{}", by};
    int rc = web_exec(w,
                      "INSERT INTO programs (patient_id, program, updated, updated_by) "
                      "VALUES ($1, $2::jsonb, now(), $3) ON CONFLICT (patient_id) DO UPDATE "
                      "SET program = EXCLUDED.program, updated = now(), "
                      "updated_by = EXCLUDED.updated_by",
                      3, p);
    free(text);
    if (rc < 0) {
        snprintf(err, errlen, "the database did not store it; try again");
        return -1;
    }
    PGresult *st = stations_of(w, pid);
    if (!st) {
        snprintf(err, errlen, "stored, but her stations could not be read: store it again");
        return -1;
    }
    char why[300];
    int n = publish_programs(w, st, why, sizeof why);
    PQclear(st);
    if (n < 0) {
        snprintf(err, errlen, "it is stored, but not sent (%s): store it again when the broker "
                              "is back",
                 why);
        fprintf(stderr, "station-clinic web: program of patient %d not sent: %s\n", patient_id,
                why);
        return -1;
    }
    *published = n;
    fprintf(stderr, "station-clinic web: %s set the program of patient %d; sent to %d %s\n",
            who->login, patient_id, n, n == 1 ? "station" : "stations");
    return 0;
}

/* The database's own words for the last failure (web_q logged it too). */
static int db_failed(struct web *w, char *err, size_t errlen)
{
    const char *why = w->db ? PQerrorMessage(w->db) : "";
    snprintf(err, errlen, "the database: %.*s", (int)strcspn(why, "\n"),
             why[0] ? why : "no connection");
    return -1;
}

static int put(const struct export_sink *to, const char *s, char *err, size_t errlen)
{
    if (to->put(to->ctx, s, strlen(s)) == 0)
        return 0;
    snprintf(err, errlen, "writing the export: %s", strerror(errno));
    return -1;
}

/* Session by session: the whole as one jsonb would stop at jsonb's 256 MB
 * (a patient with her traces grows past it), and would be held whole. */
int data_export_json(struct web *w, int patient_id, const struct export_sink *to, char *err,
                     size_t errlen)
{
    char pid[16];
    snprintf(pid, sizeof pid, "%d", patient_id);
    PGresult *r = web_q1(
        w,
        "SELECT jsonb_pretty(jsonb_build_object('id', p.id, 'name', p.name, 'person_key', "
        "p.person_key, 'clinic', k.name)), coalesce((SELECT jsonb_pretty(jsonb_build_object("
        "'values', g.program, 'updated', g.updated)) FROM programs g WHERE g.patient_id = p.id), "
        "'null'), (SELECT coalesce(string_agg(s.session_id, E'\\n' ORDER BY s.started), '') "
        "FROM sessions s WHERE s.patient_id = p.id) "
        "FROM patients p JOIN clinics k ON k.id = p.clinic_id WHERE p.id = $1", pid);
    if (!r)
        return db_failed(w, err, errlen);
    if (PQntuples(r) != 1) {
        PQclear(r);
        snprintf(err, errlen, "no patient %d", patient_id);
        return 1;
    }
    char *ids = strdup(PQgetvalue(r, 0, 2));
    int rc = !ids ? (snprintf(err, errlen, "out of memory"), -1)
             : put(to, "{\"v\": 1,\n\"patient\": ", err, errlen) < 0 ||
                     put(to, PQgetvalue(r, 0, 0), err, errlen) < 0 ||
                     put(to, ",\n\"program\": ", err, errlen) < 0 ||
                     put(to, PQgetvalue(r, 0, 1), err, errlen) < 0 ||
                     put(to, ",\n\"sessions\": [", err, errlen) < 0
                 ? -1
                 : 0;
    PQclear(r);
    bool first = true;
    for (char *id = ids, *next; rc == 0 && id && *id; id = next) {
        next = strchr(id, '\n');
        if (next)
            *next++ = '\0';
        PGresult *one = web_q1(
            w,
            "SELECT jsonb_pretty(jsonb_build_object('session_id', s.session_id, 'station_id', "
            "s.station_id, 'folder', s.folder, 'started', s.started, 'mode', s.mode, 'status', "
            "s.status, 'summary', s.summary, 'events', s.events, 'trace_csv', s.trace)) "
            "FROM sessions s WHERE s.session_id = $1", id);
        if (!one)
            rc = db_failed(w, err, errlen);
        else if (PQntuples(one) == 1) /* none: deleted meanwhile */
            rc = put(to, first ? "\n" : ",\n", err, errlen) < 0 ||
                         put(to, PQgetvalue(one, 0, 0), err, errlen) < 0
                     ? -1
                     : 0;
        first = first && !(one && PQntuples(one) == 1);
        PQclear(one);
    }
    free(ids);
    if (rc == 0)
        rc = put(to, "\n]}\n", err, errlen);
    return rc;
}

/* Her sessions from rows of (folder, epoch of its start, summary, station
 * id), oldest first, parsed as the station parses summary.json; live_only:
 * demo and replay sessions left out. A calloc'ed array (free it); *n how
 * many; NULL when out of memory. */
static struct hist_session *sessions_of_rows(PGresult *r, bool live_only, int *n)
{
    int rows = PQntuples(r), k = 0;
    struct hist_session *v = calloc(rows ? (size_t)rows : 1, sizeof *v);
    for (int i = 0; v && i < rows; i++)
        if (history_parse(PQgetvalue(r, i, 2), PQgetvalue(r, i, 0),
                          (time_t)atof(PQgetvalue(r, i, 1)), &v[k]) == 0 &&
            (!live_only || strcmp(v[k].mode, "live") == 0)) {
            /* the station's name as the clinic knows it */
            snprintf(v[k].station, sizeof v[k].station, "%s", PQgetvalue(r, i, 3));
            k++;
        }
    *n = k;
    return v;
}

#define SQL_SESSION_ROWS "SELECT folder, extract(epoch FROM started), summary::text, station_id "

int data_export_csv(struct web *w, int patient_id, struct wbuf *out)
{
    char pid[16];
    snprintf(pid, sizeof pid, "%d", patient_id);
    PGresult *r = web_q1(w, SQL_SESSION_ROWS "FROM sessions WHERE patient_id = $1 ORDER BY started",
                         pid);
    if (!r)
        return -1;
    int k = 0;
    struct hist_session *v = sessions_of_rows(r, false, &k);
    char *text = NULL;
    size_t len = 0;
    FILE *f = v ? open_memstream(&text, &len) : NULL;
    int rc = -1;
    if (f) {
        rc = export_csv(f, v, k) < 0 ? -1 : 0;
        if (fclose(f) != 0)
            rc = -1;
        if (rc == 0)
            wbuf_putn(out, text, len);
    }
    free(text);
    free(v);
    PQclear(r);
    return rc == 0 && !out->oom ? 0 : -1;
}

static cairo_status_t pdf_to_wbuf(void *closure, const unsigned char *data, unsigned int len)
{
    struct wbuf *b = closure;
    wbuf_putn(b, (const char *)data, len);
    return b->oom ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

int data_report_pdf(struct web *w, int patient_id, const char *name, const char *from,
                    const char *to, struct wbuf *out, int *sessions)
{
    time_t t0, t1;
    if (history_parse_date(from, &t0) < 0 || history_parse_date(to, &t1) < 0)
        return -1;
    /* both days included: up to the start of the day after to */
    struct tm tm;
    localtime_r(&t1, &tm);
    tm.tm_mday++;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    t1 = mktime(&tm);
    char pid[16], a[24], b[24];
    snprintf(pid, sizeof pid, "%d", patient_id);
    snprintf(a, sizeof a, "%lld", (long long)t0);
    snprintf(b, sizeof b, "%lld", (long long)t1);
    const char *p[] = {pid, a, b};
    PGresult *r = web_q(w, SQL_SESSION_ROWS "FROM sessions WHERE patient_id = $1 AND started >= "
                           "to_timestamp($2::bigint) AND started < to_timestamp($3::bigint) "
                           "ORDER BY started", 3, p);
    if (!r)
        return -1;
    int n = 0;
    struct hist_session *v = sessions_of_rows(r, true, &n);
    PQclear(r);
    if (!v)
        return -1;
    /* the configuration's bands are the station's: its sessions record theirs */
    struct print_context ctx = {.person = name, .from = from, .to = to,
                                .rate_min_hz = NAN, .rate_max_hz = NAN, .rhythm_cv_max = NAN};
    int rc = print_person_stream(v, n, &ctx, pdf_to_wbuf, out);
    free(v);
    *sessions = n;
    return rc == 0 && !out->oom ? 0 : -1;
}

int data_delete(struct web *w, int patient_id, char *err, size_t errlen)
{
    char pid[16];
    snprintf(pid, sizeof pid, "%d", patient_id);
    PGresult *st = stations_of(w, pid);
    if (!st || web_exec1(w, "DELETE FROM patients WHERE id = $1", pid) < 0) {
        PQclear(st);
        snprintf(err, errlen, "the database did not answer; nothing was deleted");
        return -1;
    }
    fprintf(stderr, "station-clinic: deleted patient %d with her sessions and program\n",
            patient_id);
    /* her stations' retained programs no longer name her */
    char why[300];
    if (publish_programs(w, st, why, sizeof why) < 0)
        fprintf(stderr, "station-clinic: the programs of her stations were not sent again: %s\n",
                why);
    PQclear(st);
    return 0;
}
