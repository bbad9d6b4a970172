/* SPDX-License-Identifier: GPL-3.0-or-later */
/* outbox: the station's session folders as the clinic's outbox
 * (docs/clinic-protocol.md). A finished live session is to be sent until
 * its folder holds `.stored` (the clinic's server has it); `.sent` says
 * the broker took it. Marks are made whole or not at all, never through a
 * symlink. */
#ifndef STATION_OUTBOX_H
#define STATION_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>

#define OUTBOX_SENT ".sent"
#define OUTBOX_STORED ".stored"
#define OUTBOX_NAME_MAX 64

/* The folders under storage still to be sent, oldest first, in a
 * malloc'ed array of names (*out; free it): finished (complete, partial,
 * incomplete; no session holding its lock), live, without `.stored`.
 * *stays (when not NULL): how many finished demo and replay sessions
 * there are, which never leave the station. Returns how many to send, or
 * -1 with the reason in err. */
int outbox_scan(const char *storage, char (**out)[OUTBOX_NAME_MAX], int *stays, char *err,
                size_t errlen);

/* Writes the mark (OUTBOX_SENT or OUTBOX_STORED) in storage/folder.
 * Returns 0, or -1 with the reason in err. */
int outbox_mark(const char *storage, const char *folder, const char *mark, char *err,
                size_t errlen);

/* Removes the temporary marks (".sent.PID", ".stored.PID") a process
 * killed while writing them left in the session folders under storage;
 * those of a process still running are kept. Returns how many, or -1 when
 * storage cannot be read. */
int outbox_clean(const char *storage);

/* The session message of the protocol for storage/folder, sent as station
 * id: malloc'ed JSON text (free it) and its length in *len; the trace only
 * with trace. NULL with the reason in err. */
char *outbox_message(const char *storage, const char *folder, const char *id, bool trace,
                     size_t *len, char *err, size_t errlen);

#endif
