/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upload: `station upload`, the station's side of the clinic's transport
 * (docs/clinic-protocol.md). Sends each finished live session of the
 * outbox over MQTT (QoS 1, TLS) until the clinic says it stored it, sends
 * again what it has not confirmed, and applies the programs the clinic
 * sets. It is its own process with network access; the station's service
 * has none. */
#ifndef STATION_UPLOAD_H
#define STATION_UPLOAD_H

#include <stdbool.h>

#include "../config/config.h"

struct upload_options {
    const char *storage;   /* the session folders */
    bool once;             /* stop when everything is stored (or at timeout_s) */
    double timeout_s;      /* with once; 0: no limit */
    double scan_s;         /* how often the folders are looked at for new sessions */
    double retry_max_s;    /* the longest pause between tries to reach the broker */
    bool verbose;
};

/* The station id the configuration gives (the host name, lower case, when
 * none is set) into id (MQTT_ID_MAX + 1 bytes). Returns 0, or -1 with what
 * is wrong in err. */
int upload_station_id(const struct config_clinic *c, char *id, size_t len, char *err,
                      size_t errlen);

/* Runs until SIGTERM or SIGINT (or, with once, until every session is
 * stored). Returns 0, or 1 when once ended with sessions not stored, or -1
 * with the reason in err when it cannot start. */
int upload_run(const struct station_config *cfg, const struct upload_options *o, char *err,
               size_t errlen);

#endif
