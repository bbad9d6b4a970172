/* SPDX-License-Identifier: GPL-3.0-or-later */
/* clinic_collect: `station-clinic collect`, the stations' sessions from the
 * broker into PostgreSQL. A session is acknowledged to its station (on
 * station/<id>/ack) only after its transaction committed; while the
 * database is away the sessions wait here in memory, are retried with a
 * growing pause and nothing is acknowledged (a station sends again what
 * was not acknowledged, so a crash here loses nothing either).
 *
 * libmosquitto answers a QoS 1 delivery (PUBACK) before on_message sees
 * it, so what arrives is kept; to hold no more than --queue-max, the
 * collector disconnects when it is full and the broker keeps the rest in
 * this collector's persistent session until half of it is stored. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <libpq-fe.h>
#include <mosquitto.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clinic.h"
#include "clinic_store.h"
#include "../util/clock.h"
#include "../util/exit_codes.h"

#define BACKOFF_MIN_S 0.5
#define BACKOFF_MAX_S 30.0 /* the default of --retry-max */
/* held while the database is away: at either limit the collector stops
 * taking deliveries until half of it is stored */
#define QUEUE_MAX 20000
#define QUEUE_MB_DEFAULT 64
#define MB (1024.0 * 1024.0)

struct pending {
    char station[MQTT_ID_MAX + 1];
    char *payload;
    size_t len;
    struct pending *next;
};

/* a session stored while the broker was away: its ack goes at the next
 * connection */
struct late_ack {
    char station[MQTT_ID_MAX + 1];
    char session_id[160];
    struct late_ack *next;
};

struct collector {
    struct clinic_config cfg;
    struct mosquitto *m;
    PGconn *db;
    bool connected, verbose;
    struct pending *head, *tail;
    int queued;
    size_t queued_bytes, queue_max; /* payloads and their entries */
    bool paused; /* full: disconnected on purpose until half is stored */
    struct late_ack *acks;
    double db_retry_at, db_backoff;
    struct mqtt_keeper keeper;
    long stored, refused;
};

static volatile sig_atomic_t stop;
static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static void send_late_acks(struct collector *c);

static void on_connect(struct mosquitto *m, void *ud, int rc)
{
    struct collector *c = ud;
    if (rc != 0) {
        fprintf(stderr, "station-clinic: the broker refused the collector: %s\n",
                mqtt_link_connack(rc));
        return;
    }
    c->connected = true;
    mqtt_keeper_connected(&c->keeper);
    int s = mosquitto_subscribe(m, NULL, "station/+/session", 1);
    if (s == MOSQ_ERR_SUCCESS)
        s = mosquitto_subscribe(m, NULL, "station/+/program-status", 1);
    fprintf(stderr, "station-clinic: connected to %s:%d%s\n", c->cfg.mqtt.host, c->cfg.mqtt.port,
            s == MOSQ_ERR_SUCCESS ? "" : " (the subscription failed)");
    /* the acks that waited go first, before this connection can fill up
     * and be paused again */
    send_late_acks(c);
}

static void on_disconnect(struct mosquitto *m, void *ud, int rc)
{
    (void)m;
    struct collector *c = ud;
    if (c->connected && rc != 0 && !c->paused)
        fprintf(stderr, "station-clinic: lost the broker: %s\n", mqtt_link_reason(rc));
    c->connected = false;
}

static bool db_ready(struct collector *c, double now);

/* A station's word on the clinic's program (retained: it comes again at
 * the next connection when the database was away now). */
static void took_status(struct collector *c, const char *station,
                        const struct mosquitto_message *msg)
{
    char *text = strndup(msg->payload, (size_t)msg->payloadlen);
    cJSON *j = text ? cJSON_Parse(text) : NULL;
    if (!cJSON_IsObject(j)) {
        fprintf(stderr, "station-clinic: %s: a program status that is not a JSON object: "
                "left out\n", station);
    } else if (db_ready(c, mono_now())) {
        const char *p[] = {station, text};
        PGresult *r = PQexecParams(c->db, "INSERT INTO program_status (station_id, status) "
                                   "SELECT $1, $2::jsonb WHERE EXISTS (SELECT 1 FROM stations "
                                   "WHERE id = $1) ON CONFLICT (station_id) DO UPDATE SET "
                                   "status = EXCLUDED.status, received = now()", 2, NULL, p,
                                   NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            fprintf(stderr, "station-clinic: %s: the program status was not stored: %s", station,
                    PQresultErrorMessage(r));
        PQclear(r);
    }
    cJSON_Delete(j);
    free(text);
}

static void on_message(struct mosquitto *m, void *ud, const struct mosquitto_message *msg)
{
    struct collector *c = ud;
    char id[MQTT_ID_MAX + 1];
    if (mqtt_topic_id(msg->topic, "program-status", id) == 0 && msg->payloadlen > 0) {
        took_status(c, id, msg);
        return;
    }
    if (mqtt_topic_id(msg->topic, "session", id) < 0)
        return;
    struct pending *p = calloc(1, sizeof *p);
    char *copy = malloc((size_t)msg->payloadlen + 1);
    if (!p || !copy) {
        free(p);
        free(copy);
        fprintf(stderr, "station-clinic: out of memory: a session from %s left for its "
                "station to send again\n", id);
        return;
    }
    memcpy(copy, msg->payload, (size_t)msg->payloadlen);
    copy[msg->payloadlen] = '\0';
    snprintf(p->station, sizeof p->station, "%s", id);
    p->payload = copy;
    p->len = (size_t)msg->payloadlen;
    if (c->tail)
        c->tail->next = p;
    else
        c->head = p;
    c->tail = p;
    c->queued++;
    c->queued_bytes += p->len + sizeof *p;
    if (!c->paused && (c->queued_bytes >= c->queue_max || c->queued >= QUEUE_MAX)) {
        /* what is already on its way still arrives (and is kept): the
         * broker's in-flight window, not more */
        c->paused = true;
        fprintf(stderr, "station-clinic: %d sessions (%.1f MB) wait to be stored, the most "
                "this collector holds (--queue-max %.0f MB, %d sessions): the broker keeps the "
                "rest until half of them are stored\n", c->queued, (double)c->queued_bytes / MB,
                (double)c->queue_max / MB, QUEUE_MAX);
        mosquitto_disconnect(m);
        /* acks from now on wait for the next connection (a publish on a
         * connection being closed is lost, and the next one may close as
         * soon as it fills again) */
        c->connected = false;
    }
}

static void pop(struct collector *c)
{
    struct pending *p = c->head;
    c->head = p->next;
    if (!c->head)
        c->tail = NULL;
    c->queued--;
    c->queued_bytes -= p->len + sizeof *p;
    free(p->payload);
    free(p);
}

static double retry_max_s = BACKOFF_MAX_S;

static double grow(double b)
{
    return b * 2 > retry_max_s ? retry_max_s : b * 2;
}

static bool db_ready(struct collector *c, double now)
{
    if (c->db && PQstatus(c->db) == CONNECTION_OK)
        return true;
    if (now < c->db_retry_at)
        return false;
    if (c->db)
        PQfinish(c->db);
    char err[1200];
    c->db = clinic_db_connect(&c->cfg, err, sizeof err);
    if (!c->db) {
        fprintf(stderr, "station-clinic: %s; trying again in %.1f s\n", err, c->db_backoff);
        c->db_retry_at = now + c->db_backoff;
        c->db_backoff = grow(c->db_backoff);
        return false;
    }
    c->db_backoff = BACKOFF_MIN_S;
    return true;
}

/* Keeps an ack for the next connection (a station that never gets it
 * sends the session again, which changes nothing). */
static void ack_later(struct collector *c, const char *station, const char *session_id)
{
    struct late_ack *a = calloc(1, sizeof *a);
    if (!a)
        return;
    snprintf(a->station, sizeof a->station, "%s", station);
    snprintf(a->session_id, sizeof a->session_id, "%s", session_id);
    a->next = c->acks;
    c->acks = a;
}

static void ack(struct collector *c, const char *station, const char *session_id)
{
    if (!c->connected) {
        ack_later(c, station, session_id);
        return;
    }
    char topic[64], body[200];
    mqtt_topic(topic, sizeof topic, station, "ack");
    int n = snprintf(body, sizeof body, "{\"v\":1,\"session_id\":\"%s\"}", session_id);
    int rc = mosquitto_publish(c->m, NULL, topic, n, body, 1, false);
    if (rc != MOSQ_ERR_SUCCESS) /* stored all the same: the next send is acked */
        fprintf(stderr, "station-clinic: ack of %s: %s\n", session_id, mosquitto_strerror(rc));
}

/* The acks of sessions stored while the broker was away. */
static void send_late_acks(struct collector *c)
{
    while (c->acks && c->connected) {
        struct late_ack *a = c->acks;
        c->acks = a->next;
        ack(c, a->station, a->session_id);
        free(a);
    }
}

/* Stores what waits, up to max of them, while the database answers (also
 * while the broker is away: the acks then wait for the next connection). */
static void drain(struct collector *c, double now, int max)
{
    while (c->head && max-- > 0 && db_ready(c, now)) {
        struct pending *p = c->head;
        char sid[160], why[600];
        enum store_result r = clinic_store_session(c->db, p->station, p->payload, p->len, sid,
                                                   sizeof sid, why, sizeof why);
        if (r == STORE_RETRY) {
            fprintf(stderr, "station-clinic: storing %s: %s; trying again in %.1f s\n",
                    sid[0] ? sid : p->station, why, c->db_backoff);
            c->db_retry_at = now + c->db_backoff;
            c->db_backoff = grow(c->db_backoff);
            if (PQstatus(c->db) != CONNECTION_OK) {
                PQfinish(c->db);
                c->db = NULL;
            }
            return;
        }
        c->db_backoff = BACKOFF_MIN_S;
        if (r == STORE_OK) {
            c->stored++;
            if (c->verbose)
                fprintf(stderr, "station-clinic: stored %s\n", sid);
            ack(c, p->station, sid);
        } else {
            c->refused++;
            fprintf(stderr, "station-clinic: refused a session from %s: %s\n", p->station, why);
        }
        pop(c);
    }
}

int clinic_cmd_collect(int argc, char **argv)
{
    static struct collector c;
    int i = clinic_common_args(argc, argv, &c.cfg);
    long queue_mb = QUEUE_MB_DEFAULT;
    for (; i < argc; i++) {
        char *end;
        if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0)
            c.verbose = true;
        else if (strcmp(argv[i], "--retry-max") == 0 && i + 1 < argc &&
                 (retry_max_s = strtod(argv[i + 1], &end)) >= 0.1 && retry_max_s <= 3600 && !*end)
            i++;
        else if (strcmp(argv[i], "--queue-max") == 0 && i + 1 < argc &&
                 (queue_mb = strtol(argv[i + 1], &end, 10)) >= 1 && queue_mb <= 4096 && !*end)
            i++;
        else
            clinic_die(EXIT_USAGE, "usage: station-clinic collect [--config FILE] [--verbose] "
                       "[--retry-max SECONDS (0.1..3600, default 30)] "
                       "[--queue-max MB (1..4096, default %d)]", QUEUE_MB_DEFAULT);
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    char err[600];
    c.m = mqtt_link_new(&c.cfg.mqtt, false, &c, err, sizeof err);
    if (!c.m)
        clinic_die(1, "collect: %s", err);
    /* QoS 1 all the way; the broker keeps what comes while we are away */
    mosquitto_connect_callback_set(c.m, on_connect);
    mosquitto_disconnect_callback_set(c.m, on_disconnect);
    mosquitto_message_callback_set(c.m, on_message);
    c.db_backoff = BACKOFF_MIN_S;
    c.queue_max = (size_t)queue_mb * 1024 * 1024;
    mqtt_keeper_init(&c.keeper, retry_max_s);
    double now = mono_now();
    int last_rc = MOSQ_ERR_SUCCESS;
    db_ready(&c, now);
    fprintf(stderr, "station-clinic: collecting (client id %s)\n", c.cfg.mqtt.client_id);
    while (!stop) {
        int rc = mosquitto_loop(c.m, c.head && c.connected ? 10 : 200, 1);
        now = mono_now();
        if (rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_CONN_PENDING) {
            const char *why = mqtt_link_loop_error(rc);
            if (rc != last_rc && why && !c.paused)
                fprintf(stderr, "station-clinic: the broker %s:%d: %s\n", c.cfg.mqtt.host,
                        c.cfg.mqtt.port, why);
            c.connected = false;
        }
        if (c.paused && c.queued_bytes <= c.queue_max / 2 && c.queued <= QUEUE_MAX / 2) {
            c.paused = false;
            mqtt_keeper_connected(&c.keeper); /* at once, not after a backoff */
            fprintf(stderr, "station-clinic: %d sessions wait: taking the broker's again\n",
                    c.queued);
        }
        /* paused: the broker holds the sessions until there is room here */
        mqtt_keeper_tick(&c.keeper, c.m, &c.cfg.mqtt, c.connected || c.paused, now,
                         "station-clinic");
        last_rc = c.connected ? MOSQ_ERR_SUCCESS : rc;
        drain(&c, now, 20);
        send_late_acks(&c);
        if (rc == MOSQ_ERR_NO_CONN && !(c.head && db_ready(&c, now)))
            nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL); /* nothing to wait on */
    }
    fprintf(stderr, "station-clinic: stopping: %ld stored, %ld refused, %d not yet stored "
            "(their stations send them again)\n", c.stored, c.refused, c.queued);
    while (c.head)
        pop(&c);
    while (c.acks) {
        struct late_ack *a = c.acks;
        c.acks = a->next;
        free(a);
    }
    mosquitto_disconnect(c.m);
    mosquitto_destroy(c.m);
    mosquitto_lib_cleanup();
    if (c.db)
        PQfinish(c.db);
    return 0;
}
