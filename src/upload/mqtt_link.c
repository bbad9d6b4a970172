/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mqtt_link: the TLS client both ends of the clinic's transport use. */
#include "mqtt_link.h"

#include <errno.h>
#include <fcntl.h>
#include <mosquitto.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

bool mqtt_station_id_ok(const char *id)
{
    size_t n = strlen(id);
    if (n < 1 || n > MQTT_ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= '0' && id[i] <= '9') || id[i] == '-'))
            return false;
    return true;
}

int mqtt_topic(char *buf, size_t len, const char *id, const char *what)
{
    if (!mqtt_station_id_ok(id))
        return -1;
    int n = snprintf(buf, len, "station/%s/%s", id, what);
    return n < 0 || (size_t)n >= len ? -1 : 0;
}

int mqtt_topic_id(const char *topic, const char *what, char *id)
{
    if (strncmp(topic, "station/", 8) != 0)
        return -1;
    const char *p = topic + 8, *slash = strchr(p, '/');
    if (!slash || (size_t)(slash - p) > MQTT_ID_MAX || strcmp(slash + 1, what) != 0)
        return -1;
    memcpy(id, p, (size_t)(slash - p));
    id[slash - p] = '\0';
    return mqtt_station_id_ok(id) ? 0 : -1;
}

/* The first line of the password file (never through a symlink). */
static int read_password(const char *path, char *out, size_t len, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s (the broker password, one line)", path, strerror(errno));
        return -1;
    }
    ssize_t n = read(fd, out, len - 1);
    close(fd);
    if (n < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    out[n] = '\0';
    out[strcspn(out, "\r\n")] = '\0';
    if (!out[0]) {
        snprintf(err, errlen, "%s: empty (the broker password, one line)", path);
        return -1;
    }
    return 0;
}

struct mosquitto *mqtt_link_new(const struct mqtt_settings *s, bool clean, void *userdata,
                                char *err, size_t errlen)
{
    static bool inited;
    if (!inited) {
        mosquitto_lib_init();
        inited = true;
    }
    /* libmosquitto says only "invalid arguments" for a file it cannot read */
    const struct {
        const char *path, *what;
    } files[] = {
        {s->ca_file, "the CA that signed the broker's certificate"},
        {s->cert_file, "the client certificate"},
        {s->key_file, "the client certificate's key"},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if ((files[i].path[0] || i == 0) && access(files[i].path, R_OK) < 0) {
            snprintf(err, errlen, "%s: %s (%s)", files[i].path[0] ? files[i].path : "(none)",
                     strerror(errno), files[i].what);
            return NULL;
        }
    char pw[256];
    if (read_password(s->password_file, pw, sizeof pw, err, errlen) < 0)
        return NULL;
    struct mosquitto *m = mosquitto_new(s->client_id[0] ? s->client_id : NULL, clean, userdata);
    if (!m) {
        snprintf(err, errlen, "mosquitto_new: %s", strerror(errno));
        return NULL;
    }
    int rc = mosquitto_username_pw_set(m, s->username, pw);
    memset(pw, 0, sizeof pw);
    if (rc == MOSQ_ERR_SUCCESS)
        rc = mosquitto_tls_set(m, s->ca_file, NULL, s->cert_file[0] ? s->cert_file : NULL,
                               s->key_file[0] ? s->key_file : NULL, NULL);
    if (rc == MOSQ_ERR_SUCCESS)
        rc = mosquitto_tls_opts_set(m, 1, "tlsv1.2", NULL);
    if (rc == MOSQ_ERR_SUCCESS)
        rc = mosquitto_int_option(m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
    if (rc != MOSQ_ERR_SUCCESS) {
        snprintf(err, errlen, "TLS settings (ca_file %s%s%s): %s", s->ca_file,
                 s->cert_file[0] ? ", cert_file " : "", s->cert_file, mosquitto_strerror(rc));
        mosquitto_destroy(m);
        return NULL;
    }
    return m;
}

int mqtt_link_connect(struct mosquitto *m, const struct mqtt_settings *s, char *err,
                      size_t errlen)
{
    int rc = mosquitto_connect_async(m, s->host, s->port, 30);
    const char *why = mqtt_link_loop_error(rc);
    if (rc != MOSQ_ERR_SUCCESS) {
        snprintf(err, errlen, "%s:%d: %s", s->host, s->port, why ? why : mosquitto_strerror(rc));
        return -1;
    }
    return 0;
}

const char *mqtt_link_loop_error(int rc)
{
    switch (rc) {
    case MOSQ_ERR_SUCCESS:
    case MOSQ_ERR_CONN_PENDING:
    case MOSQ_ERR_NO_CONN: /* before the first connection: the keeper connects */
        return NULL;
    case MOSQ_ERR_TLS:
        return "the TLS connection failed: the broker's certificate is not signed by ca_file, "
               "or it is not for the name in host (host must be a name the broker's "
               "certificate is for, e.g. mqtt.clinic.example, not localhost)";
    case MOSQ_ERR_ERRNO:
        return strerror(errno);
    default:
        return mosquitto_strerror(rc);
    }
}

const char *mqtt_link_connack(int rc)
{
    return mosquitto_connack_string(rc);
}

const char *mqtt_link_reason(int rc)
{
    /* mosquitto_strerror(MOSQ_ERR_ERRNO) reads errno, stale in a callback */
    if (rc == MOSQ_ERR_ERRNO)
        return "the connection failed (a network error)";
    return mosquitto_strerror(rc);
}

void mqtt_keeper_init(struct mqtt_keeper *k, double max_s)
{
    k->retry_at = 0;
    k->backoff = 1.0 < max_s ? 1.0 : max_s;
    k->max_s = max_s;
    k->tries = 0;
}

void mqtt_keeper_tick(struct mqtt_keeper *k, struct mosquitto *m, const struct mqtt_settings *s,
                      bool connected, double now, const char *who)
{
    if (connected || now < k->retry_at)
        return;
    if (k->tries == 1) /* said once a failure, not at every try */
        fprintf(stderr, "%s: no connection to the broker %s:%d yet; trying again, at most every "
                "%g s\n", who, s->host, s->port, k->max_s);
    char err[600];
    if (mqtt_link_connect(m, s, err, sizeof err) < 0 && k->tries == 0)
        fprintf(stderr, "%s: the broker: %s\n", who, err);
    k->tries++;
    k->retry_at = now + (k->backoff > MQTT_CONNECT_WAIT_S ? k->backoff : MQTT_CONNECT_WAIT_S);
    k->backoff = k->backoff * 2 > k->max_s ? k->max_s : k->backoff * 2;
}

void mqtt_keeper_connected(struct mqtt_keeper *k)
{
    k->retry_at = 0;
    k->backoff = 1.0 < k->max_s ? 1.0 : k->max_s;
    k->tries = 0;
}
