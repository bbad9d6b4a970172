/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upload: the outbox sent to the clinic, one poll loop. */
#include "upload.h"

#include <ctype.h>
#include <errno.h>
#include <cjson/cJSON.h>
#include <mosquitto.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/clock.h"
#include "mqtt_link.h"
#include "outbox.h"
#include "programs.h"

/* sessions handed to the broker and not yet taken (PUBACK) at once */
#define INFLIGHT_MAX 16

/* A session of the outbox this run knows about. */
struct entry {
    char folder[OUTBOX_NAME_MAX];
    double sent_at; /* 0: not sent since the last (re)connect */
    int mid;        /* the publish waiting for its PUBACK, or -1 */
    bool stored, seen;
};

struct uploader {
    const struct station_config *cfg;
    const struct upload_options *o;
    struct mqtt_settings ms;
    char id[MQTT_ID_MAX + 1];
    struct mosquitto *m;
    bool connected;
    struct entry *e;
    int n, cap, inflight;
    double next_scan;
    struct mqtt_keeper keeper;
    int subacks, last_rc;
    char last_scan_err[300]; /* said once, not at every scan */
    double subscribed_at; /* both subscriptions taken (retained programs follow) */
    long sent, stored;
    double delay_sum;
    int stays; /* finished demo and replay sessions: never sent */
};

static volatile sig_atomic_t stop;
static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

int upload_station_id(const struct config_clinic *c, char *id, size_t len, char *err,
                      size_t errlen)
{
    char host[256] = "";
    const char *src = c->station_id;
    if (!src[0]) {
        if (gethostname(host, sizeof host - 1) < 0)
            host[0] = '\0';
        for (char *p = host; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        host[strcspn(host, ".")] = '\0';
        src = host;
    }
    if (!mqtt_station_id_ok(src)) {
        snprintf(err, errlen, "the station id '%s' is not allowed (1 to %d of a-z, 0-9 and -): "
                 "set clinic.station_id", src, MQTT_ID_MAX);
        return -1;
    }
    snprintf(id, len, "%s", src);
    return 0;
}

static struct entry *find(struct uploader *u, const char *folder)
{
    for (int i = 0; i < u->n; i++)
        if (strcmp(u->e[i].folder, folder) == 0)
            return &u->e[i];
    return NULL;
}

static void on_connect(struct mosquitto *m, void *ud, int rc)
{
    struct uploader *u = ud;
    if (rc != 0) {
        fprintf(stderr, "station: upload: the broker refused station '%s': %s\n", u->id,
                mqtt_link_connack(rc));
        return;
    }
    char ack[64], prog[64];
    mqtt_topic(ack, sizeof ack, u->id, "ack");
    mqtt_topic(prog, sizeof prog, u->id, "program");
    mosquitto_subscribe(m, NULL, ack, 1);
    mosquitto_subscribe(m, NULL, prog, 1);
    u->connected = true;
    mqtt_keeper_connected(&u->keeper);
    /* everything not yet stored goes again, now */
    for (int i = 0; i < u->n; i++) {
        u->e[i].sent_at = 0;
        u->e[i].mid = -1;
    }
    u->inflight = 0;
    u->next_scan = 0;
    u->subacks = 0;
    u->last_rc = MOSQ_ERR_SUCCESS;
    fprintf(stderr, "station: upload: connected to %s:%d as '%s'\n", u->ms.host, u->ms.port, u->id);
}

static void on_subscribe(struct mosquitto *m, void *ud, int mid, int n, const int *qos)
{
    (void)m, (void)mid, (void)n, (void)qos;
    struct uploader *u = ud;
    if (++u->subacks == 2)
        u->subscribed_at = mono_now();
}

static void on_disconnect(struct mosquitto *m, void *ud, int rc)
{
    (void)m;
    struct uploader *u = ud;
    if (u->connected && rc != 0)
        fprintf(stderr, "station: upload: lost the broker: %s\n", mqtt_link_reason(rc));
    u->connected = false;
}

static void on_publish(struct mosquitto *m, void *ud, int mid)
{
    (void)m;
    struct uploader *u = ud;
    for (int i = 0; i < u->n; i++) {
        struct entry *e = &u->e[i];
        if (e->mid != mid)
            continue;
        e->mid = -1;
        u->inflight--;
        u->sent++;
        char err[600];
        if (!e->stored && outbox_mark(u->o->storage, e->folder, OUTBOX_SENT, err, sizeof err) < 0)
            fprintf(stderr, "station: upload: %s\n", err);
        return;
    }
}

static void took_ack(struct uploader *u, const char *payload, int len)
{
    cJSON *root = cJSON_ParseWithLength(payload, (size_t)len);
    const cJSON *sid = cJSON_GetObjectItemCaseSensitive(root, "session_id");
    size_t idlen = strlen(u->id);
    const char *s = cJSON_IsString(sid) ? sid->valuestring : "";
    struct entry *e = NULL;
    if (strncmp(s, u->id, idlen) == 0 && s[idlen] == '/')
        e = find(u, s + idlen + 1);
    if (e && !e->stored) {
        char err[600];
        if (outbox_mark(u->o->storage, e->folder, OUTBOX_STORED, err, sizeof err) < 0) {
            fprintf(stderr, "station: upload: %s\n", err); /* sent again, acked again */
        } else {
            e->stored = true;
            u->stored++;
            double delay = e->sent_at > 0 ? mono_now() - e->sent_at : 0;
            u->delay_sum += delay;
            if (u->o->verbose)
                fprintf(stderr, "station: upload: %s stored at the clinic %.0f ms after sending\n",
                        e->folder, delay * 1000);
        }
    }
    cJSON_Delete(root);
}

/* What the station did with the clinic's program message, retained on
 * station/<id>/program-status for the clinic (docs/clinic-protocol.md). */
static void tell_status(struct uploader *u, const struct programs_result *res)
{
    cJSON *s = cJSON_CreateObject(), *refused = cJSON_CreateArray();
    cJSON_AddNumberToObject(s, "v", 1);
    cJSON_AddStringToObject(s, "updated", res->updated);
    cJSON_AddNumberToObject(s, "applied", res->applied);
    cJSON_AddNumberToObject(s, "applied_before", res->unchanged);
    cJSON_AddItemToObject(s, "refused", refused);
    for (int i = 0; i < res->refused && i < PROGRAMS_TOLD; i++) {
        cJSON *one = cJSON_CreateObject();
        cJSON_AddStringToObject(one, "person_key", res->refused_key[i]);
        cJSON_AddStringToObject(one, "why", res->refused_why[i]);
        cJSON_AddItemToArray(refused, one);
    }
    char *text = cJSON_PrintUnformatted(s);
    cJSON_Delete(s);
    char topic[80];
    mqtt_topic(topic, sizeof topic, u->id, "program-status");
    int rc = text ? mosquitto_publish(u->m, NULL, topic, (int)strlen(text), text, 1, true)
                  : MOSQ_ERR_NOMEM;
    if (rc != MOSQ_ERR_SUCCESS)
        fprintf(stderr, "station: upload: telling the clinic what was applied: %s\n",
                mosquitto_strerror(rc));
    free(text);
}

static void on_message(struct mosquitto *m, void *ud, const struct mosquitto_message *msg)
{
    (void)m;
    struct uploader *u = ud;
    char id[MQTT_ID_MAX + 1], err[600];
    if (mqtt_topic_id(msg->topic, "ack", id) == 0 && strcmp(id, u->id) == 0) {
        took_ack(u, msg->payload, msg->payloadlen);
    } else if (mqtt_topic_id(msg->topic, "program", id) == 0 && strcmp(id, u->id) == 0 &&
               msg->payloadlen > 0) {
        struct programs_result res;
        if (programs_apply(u->o->storage, u->cfg, msg->payload, (size_t)msg->payloadlen, &res,
                           err, sizeof err) < 0) {
            fprintf(stderr, "station: upload: the clinic's program message was not applied: %s\n",
                    err);
            return;
        }
        fprintf(stderr, "station: upload: the clinic's programs: %d applied, %d applied before, "
                "%d refused\n", res.applied, res.unchanged, res.refused);
        if (res.refused)
            fprintf(stderr, "station: upload: refused (the others are applied): %s\n", res.why);
        tell_status(u, &res);
    }
}

/* The outbox looked at again: new sessions in, stored ones out. */
static void scan(struct uploader *u)
{
    char(*names)[OUTBOX_NAME_MAX];
    char err[600];
    int n = outbox_scan(u->o->storage, &names, &u->stays, err, sizeof err);
    if (n < 0) {
        if (strcmp(err, u->last_scan_err) != 0)
            fprintf(stderr, "station: upload: %s; looking again every %g s\n", err, u->o->scan_s);
        snprintf(u->last_scan_err, sizeof u->last_scan_err, "%s", err);
        return;
    }
    u->last_scan_err[0] = '\0';
    for (int i = 0; i < u->n; i++)
        u->e[i].seen = false;
    for (int i = 0; i < n; i++) {
        struct entry *e = find(u, names[i]);
        if (!e) {
            if (u->n == u->cap) {
                int cap = u->cap ? u->cap * 2 : 64;
                struct entry *more = realloc(u->e, (size_t)cap * sizeof *more);
                if (!more)
                    break;
                u->e = more;
                u->cap = cap;
            }
            e = &u->e[u->n++];
            memset(e, 0, sizeof *e);
            snprintf(e->folder, sizeof e->folder, "%s", names[i]);
            e->mid = -1;
        }
        e->seen = true;
    }
    free(names);
    /* forget what is stored (or gone) and not waiting for its PUBACK */
    int w = 0;
    for (int i = 0; i < u->n; i++)
        if ((u->e[i].seen && !u->e[i].stored) || u->e[i].mid >= 0)
            u->e[w++] = u->e[i];
    u->n = w;
}

static void send_due(struct uploader *u, double now)
{
    char topic[64];
    mqtt_topic(topic, sizeof topic, u->id, "session");
    for (int i = 0; i < u->n && u->inflight < INFLIGHT_MAX; i++) {
        struct entry *e = &u->e[i];
        if (e->stored || e->mid >= 0 || (e->sent_at > 0 && now - e->sent_at < u->cfg->clinic.resend_s))
            continue;
        char err[600];
        size_t len;
        char *msg = outbox_message(u->o->storage, e->folder, u->id, u->cfg->clinic.send_trace,
                                   &len, err, sizeof err);
        if (!msg) {
            fprintf(stderr, "station: upload: %s\n", err);
            e->sent_at = now; /* tried again after resend_s */
            continue;
        }
        int mid;
        int rc = mosquitto_publish(u->m, &mid, topic, (int)len, msg, 1, false);
        free(msg);
        if (rc != MOSQ_ERR_SUCCESS) {
            fprintf(stderr, "station: upload: sending %s: %s\n", e->folder, mosquitto_strerror(rc));
            return;
        }
        e->mid = mid;
        e->sent_at = now;
        u->inflight++;
    }
}

static bool all_stored(const struct uploader *u)
{
    for (int i = 0; i < u->n; i++)
        if (!u->e[i].stored)
            return false;
    return true;
}

static void settings(struct uploader *u)
{
    const struct config_clinic *c = &u->cfg->clinic;
    struct mqtt_settings *s = &u->ms;
    snprintf(s->host, sizeof s->host, "%s", c->host);
    s->port = c->port;
    snprintf(s->ca_file, sizeof s->ca_file, "%s", c->ca_file);
    snprintf(s->cert_file, sizeof s->cert_file, "%s", c->cert_file);
    snprintf(s->key_file, sizeof s->key_file, "%s", c->key_file);
    snprintf(s->username, sizeof s->username, "%s", c->username[0] ? c->username : u->id);
    snprintf(s->password_file, sizeof s->password_file, "%s", c->password_file);
    snprintf(s->client_id, sizeof s->client_id, "station-%s", u->id);
}

int upload_run(const struct station_config *cfg, const struct upload_options *o, char *err,
               size_t errlen)
{
    static struct uploader u;
    memset(&u, 0, sizeof u);
    u.cfg = cfg;
    u.o = o;
    if (upload_station_id(&cfg->clinic, u.id, sizeof u.id, err, errlen) < 0)
        return -1;
    settings(&u);
    /* marks half written when an uploader was killed (kill -9, power) */
    int stale = outbox_clean(o->storage);
    if (stale > 0)
        fprintf(stderr, "station: upload: removed %d temporary marks left by a stopped "
                        "uploader\n", stale);
    /* a clean session: what the broker would keep for us, the outbox keeps */
    u.m = mqtt_link_new(&u.ms, true, &u, err, errlen);
    if (!u.m)
        return -1;
    mosquitto_connect_callback_set(u.m, on_connect);
    mosquitto_disconnect_callback_set(u.m, on_disconnect);
    mosquitto_publish_callback_set(u.m, on_publish);
    mosquitto_subscribe_callback_set(u.m, on_subscribe);
    mosquitto_message_callback_set(u.m, on_message);
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    mqtt_keeper_init(&u.keeper, o->retry_max_s);
    double start = mono_now(), now = start;
    int result = 0;
    while (!stop) {
        int rc = mosquitto_loop(u.m, 100, 1);
        now = mono_now();
        if (rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_CONN_PENDING) {
            const char *why = mqtt_link_loop_error(rc);
            if (rc != u.last_rc && why)
                fprintf(stderr, "station: upload: the broker %s:%d: %s\n", u.ms.host, u.ms.port,
                        why);
            u.last_rc = rc;
            u.connected = false;
        }
        mqtt_keeper_tick(&u.keeper, u.m, &u.ms, u.connected, now, "station: upload");
        if (now >= u.next_scan) {
            scan(&u);
            u.next_scan = now + o->scan_s;
        }
        /* once: done when everything is stored and the clinic's retained
         * program, which follows the subscriptions, has had its moment */
        if (o->once && u.connected && u.subacks >= 2 && now - u.subscribed_at > 0.5 &&
            all_stored(&u))
            break;
        if (u.connected)
            send_due(&u, now);
        if (o->once && o->timeout_s > 0 && now - start > o->timeout_s) {
            result = 1;
            break;
        }
    }
    int left = 0;
    for (int i = 0; i < u.n; i++)
        left += !u.e[i].stored;
    fprintf(stderr, "station: upload: %ld sent, %ld stored at the clinic (mean %.0f ms after "
            "sending), %d not yet; %d demo/replay session%s stay%s on the station\n", u.sent,
            u.stored, u.stored ? u.delay_sum / (double)u.stored * 1000 : 0.0, left, u.stays,
            u.stays == 1 ? "" : "s", u.stays == 1 ? "s" : "");
    mosquitto_disconnect(u.m);
    mosquitto_loop(u.m, 100, 1);
    mosquitto_destroy(u.m);
    mosquitto_lib_cleanup();
    free(u.e);
    return left > 0 && o->once ? 1 : result;
}
