/* SPDX-License-Identifier: GPL-3.0-or-later */
/* web: `station-clinic web`, the clinicians' pages (libmicrohttpd, one
 * thread: one PostgreSQL connection serves every request in turn).
 *
 * web.c       the server: routes, headers, cookies, the POST body
 * web_auth.c  clinicians, passwords (argon2id), login sessions, CSRF
 * web_pages.c the pages (server-rendered HTML, SVG charts from web_svg.c)
 * web_data.c  a patient's data: program (check, store, publish), export, delete
 * web_style.c the style sheet
 * web_util.c, web_svg.c  the pure pieces (escaping, forms, cookies, charts)
 * web_cmd.c   the command-line entries (web, add-clinician, export-patient,
 *             delete-patient)
 * Every page shows only the patients of the clinician's own clinic: an id
 * of another clinic's patient is answered as if it did not exist. */
#ifndef STATION_WEB_H
#define STATION_WEB_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#include "clinic.h"
#include "web_util.h"

#define WEB_TOKEN_HEX 64 /* 32 random bytes */
#define WEB_SESSION_HOURS 12 /* a login lasts a working day */

struct web {
    struct clinic_config cfg;
    PGconn *db;
    struct ratelimit rl;       /* failed logins by address */
    struct ratelimit rl_login; /* by login: its own table, so no flood of
                                * addresses pushes a login's lock out */
};

/* The clinician a request comes from. */
struct who {
    int clinician_id, clinic_id;
    char login[64], clinic[128];
    char csrf[WEB_TOKEN_HEX + 1];
    char token[WEB_TOKEN_HEX + 1];
};

/* ---- database (web_auth.c) ---- */

/* Connects (again, when the connection was lost). Returns 0, or -1 with a
 * message on stderr. */
int web_db_ready(struct web *w);
/* One statement with text parameters; NULL (and a message on stderr) when
 * it failed. The result is the caller's to PQclear. */
PGresult *web_q(struct web *w, const char *sql, int n, const char *const *params);
/* A statement without rows; 0 or -1. */
int web_exec(struct web *w, const char *sql, int n, const char *const *params);
/* The same with one parameter ($1), the most common case. */
PGresult *web_q1(struct web *w, const char *sql, const char *param);
int web_exec1(struct web *w, const char *sql, const char *param);

/* ---- clinicians and logins (web_auth.c) ---- */

/* A new password (10..200 characters) for login; her open logins end.
 * Returns 0; 1 when there is no such clinician; -1; err says why. */
int auth_set_password(struct web *w, const char *login, const char *password, char *err,
                      size_t errlen);

/* Adds a clinician of clinic (by name) with an argon2id hash of password
 * (10..200 characters). Returns 0, or -1 with err. */
int auth_add_clinician(struct web *w, const char *login, const char *clinic,
                       const char *password, char *err, size_t errlen);
/* Checks login and password; on success makes a login session (random
 * token, stored hashed, expiring after WEB_SESSION_HOURS) and fills who.
 * Returns 0, 1 for a wrong login or password, -1 for a fault. */
int auth_login(struct web *w, const char *login, const char *password, struct who *who);
/* The clinician of a session token from a cookie. 0, 1 when none (or
 * expired), -1 for a fault. */
int auth_session(struct web *w, const char *token, struct who *who);
void auth_logout(struct web *w, const char *token);
/* A new random token (hex, WEB_TOKEN_HEX digits). */
void auth_token(char out[WEB_TOKEN_HEX + 1]);

/* ---- pages (web_pages.c): each appends a whole HTML page to b and
 * returns the HTTP status ---- */

struct page_req {
    struct web *w;
    const struct who *who;
    int patient_id;
    const char *arg;     /* the session id (session page), or NULL */
    const char *notice;  /* a line to show on top (program stored), or NULL */
    const char *error;   /* a line to show on top as a problem, or NULL */
    const char *failed;  /* what did not happen, before error ("The program was not stored") */
    const char *form;    /* the program form as sent back (after an error), or NULL */
};

int page_login(struct wbuf *b, const char *csrf, const char *error);
int page_patients(struct wbuf *b, const struct page_req *r);
int page_patient(struct wbuf *b, const struct page_req *r);
int page_session(struct wbuf *b, const struct page_req *r);
int page_delete_confirm(struct wbuf *b, const struct page_req *r);
int page_message(struct wbuf *b, const struct who *who, int status, const char *title,
                 const char *text);
extern const char web_style_css[];

/* ---- a patient's data (web_data.c) ---- */

/* Whether the patient is one of clinic's; her name into name. */
bool data_patient_of(struct web *w, int patient_id, int clinic_id, char *name, size_t len);

/* A program form (fields named as the program's keys) checked with
 * program_parse (a rocking band given whole or not at all); on success
 * stored for the patient and published, retained, to her stations
 * (WEB_SQL_HER_STATIONS). Returns 0, or -1
 * with err (a bad value: nothing stored). *published: stations reached. */
int data_set_program(struct web *w, const struct who *who, int patient_id, const char *form,
                     int *published, char *err, size_t errlen);

/* The stations her program goes to: those she has sessions on and those
 * a clinician sent it to ($1: her id; one column, station_id). */
#define WEB_SQL_HER_STATIONS                                                       \
    "SELECT station_id FROM sessions WHERE patient_id = $1 UNION "                  \
    "SELECT station_id FROM patient_stations WHERE patient_id = $1 ORDER BY 1"

/* Sends her stored program to station (from the form's "station"), a
 * station of clinic_id where she has none yet: recorded, so its retained
 * program message names her from now on, and published. Returns 0, or -1
 * with err (nothing recorded when she has no program stored, or the
 * station is not one of the clinic's). */
int data_send_to_station(struct web *w, int patient_id, int clinic_id, const char *form,
                         char *station, size_t stationlen, char *err, size_t errlen);

/* Where an export goes: put writes n bytes, 0 or -1 with errno set. */
struct export_sink {
    int (*put)(void *ctx, const char *p, size_t n);
    void *ctx;
};
/* Her data as JSON (patient, program, sessions with summary, events and
 * trace), written to `to` a session at a time. Returns 0; 1 when there is
 * no such patient; -1 when the database or the writing failed; err says
 * which and why. */
int data_export_json(struct web *w, int patient_id, const struct export_sink *to, char *err,
                     size_t errlen);
/* As CSV (the station's export columns, a row per exercise step). 0/-1. */
int data_export_csv(struct web *w, int patient_id, struct wbuf *out);
/* Her printable report (the station's print_person) over the days from
 * to to (YYYY-MM-DD, both included): her live sessions in that period from
 * the database, the PDF appended to out, *sessions how many it shows.
 * Returns 0, or -1 (a bad day, the database, cairo, memory). */
int data_report_pdf(struct web *w, int patient_id, const char *name, const char *from,
                    const char *to, struct wbuf *out, int *sessions);
/* Deletes her sessions, program and the patient row; republishes the
 * programs of the stations she had sessions on. 0/-1. */
int data_delete(struct web *w, int patient_id, char *err, size_t errlen);

/* ---- the commands (web_cmd.c, clinic_revoke.c) ---- */

/* A web context with the configuration (--config parsed out of argv;
 * *first: the first argument left), libsodium started. */
void web_open(struct web *w, int argc, char **argv, int *first);
/* A password: the first line of stdin (asked for, without echo, on a
 * terminal). 0, or -1 when there is none. */
int web_read_password(char *out, size_t len);

/* Serves until SIGINT or SIGTERM (web.c). Returns the exit code. */
int web_serve(struct web *w);

/* ---- commands (web_cmd.c) ---- */
int web_cmd_web(int argc, char **argv);
int web_cmd_add_clinician(int argc, char **argv);
int web_cmd_export_patient(int argc, char **argv);
int web_cmd_delete_patient(int argc, char **argv);
int clinic_cmd_remove_clinician(int argc, char **argv);
int clinic_cmd_passwd(int argc, char **argv);
int clinic_cmd_remove_station(int argc, char **argv);

#endif
