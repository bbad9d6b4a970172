/* SPDX-License-Identifier: GPL-3.0-or-later */
/* clinic_store: a station's session message stored in PostgreSQL. */
#ifndef STATION_CLINIC_STORE_H
#define STATION_CLINIC_STORE_H

#include <stddef.h>

#include "clinic.h"

enum store_result {
    STORE_OK,      /* committed (or there already): ack it */
    STORE_RETRY,   /* the database is away or busy: keep it, try again */
    STORE_REFUSED, /* the message is wrong or its station unknown: never ack */
};

/* Stores the message the broker gave on station/<station>/session, in one
 * transaction: the station must be known, the session's patient is found
 * or made in the station's clinic, a session id already stored changes
 * nothing. session_id gets the message's id (or "" when unreadable); why
 * says what went wrong. */
enum store_result clinic_store_session(PGconn *db, const char *station, const char *payload,
                                       size_t len, char *session_id, size_t idlen, char *why,
                                       size_t whylen);

#endif
