/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mqtt_link: one door to the broker for the station's uploader and the
 * clinic's collector: a libmosquitto client over TLS with a user and the
 * password read from a file, and the checks both sides make on topics. */
#ifndef STATION_MQTT_LINK_H
#define STATION_MQTT_LINK_H

#include <stdbool.h>
#include <stddef.h>

#include "../config/config.h"

struct mosquitto;

struct mqtt_settings {
    char host[CONFIG_STR_MAX];
    int port;
    char ca_file[CONFIG_STR_MAX];
    char cert_file[CONFIG_STR_MAX]; /* "" : no client certificate */
    char key_file[CONFIG_STR_MAX];
    char username[CONFIG_STR_MAX];
    char password_file[CONFIG_STR_MAX];
    char client_id[CONFIG_STR_MAX];
};

#define MQTT_ID_MAX 32

/* A station id: 1 to 32 of a-z, 0-9 and '-'. */
bool mqtt_station_id_ok(const char *id);

/* "station/<id>/<what>" into buf; -1 when id is not a station id. */
int mqtt_topic(char *buf, size_t len, const char *id, const char *what);

/* The id of a topic "station/<id>/<what>" (what must match), into id
 * (MQTT_ID_MAX + 1 bytes). Returns 0, or -1 for any other topic. */
int mqtt_topic_id(const char *topic, const char *what, char *id);

/* A client for s (TLS with s->ca_file, the password from s->password_file;
 * clean: a clean session). Not connected yet. Returns NULL with the reason
 * in err. */
struct mosquitto *mqtt_link_new(const struct mqtt_settings *s, bool clean, void *userdata,
                                char *err, size_t errlen);

/* Connects (or reconnects) without waiting for the broker's answer (the
 * connect callback says it). Returns 0, or -1 with the reason in err. */
int mqtt_link_connect(struct mosquitto *m, const struct mqtt_settings *s, char *err,
                      size_t errlen);

/* Keeping a connection up. libmosquitto's asynchronous TLS connect to a
 * port that refuses reports nothing, ever: so a connection not made within
 * MQTT_CONNECT_WAIT_S (or the pause, when longer) is tried again, the pause
 * doubling from 1 s up to max_s while it fails. */
#define MQTT_CONNECT_WAIT_S 3.0
struct mqtt_keeper {
    double retry_at, backoff, max_s;
    int tries; /* since the last connection */
};
void mqtt_keeper_init(struct mqtt_keeper *k, double max_s);
/* Call at every turn of the loop: (re)connects when not connected and due;
 * who names the program in the log ("station: upload"). */
void mqtt_keeper_tick(struct mqtt_keeper *k, struct mosquitto *m, const struct mqtt_settings *s,
                      bool connected, double now, const char *who);
/* The broker answered: the next loss is tried again at once. */
void mqtt_keeper_connected(struct mqtt_keeper *k);

/* "not authorised", "connection refused: bad user name or password" ... */
const char *mqtt_link_connack(int rc);

/* Why a connection ended, from the code the disconnect callback gets:
 * libmosquitto's words, never errno (which by then is another call's). */
const char *mqtt_link_reason(int rc);

/* What a mosquitto_loop() result says to a person, or NULL when it is no
 * news: done, a connection under way, or not connected yet (the keeper
 * says that). A TLS failure names its likely causes. */
const char *mqtt_link_loop_error(int rc);

#endif
