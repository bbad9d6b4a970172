// SPDX-License-Identifier: GPL-3.0-or-later
/* Clinicians and their logins. Passwords are argon2id hashes
 * (crypto_pwhash_str); a login session is a random token in the cookie and
 * only its SHA-256 in the database, so a copy of the database opens no
 * session. */
#include "web.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int web_db_ready(struct web *w)
{
    if (w->db && PQstatus(w->db) == CONNECTION_OK)
        return 0;
    /* a lost connection (the server restarted) is made again, once a request */
    PQfinish(w->db);
    char err[512];
    w->db = clinic_db_connect(&w->cfg, err, sizeof err);
    if (!w->db) {
        fprintf(stderr, "station-clinic: %s\n", err);
        return -1;
    }
    return 0;
}

PGresult *web_q(struct web *w, const char *sql, int n, const char *const *params)
{
    if (web_db_ready(w) < 0)
        return NULL;
    PGresult *r = PQexecParams(w->db, sql, n, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_FATAL_ERROR && PQstatus(w->db) == CONNECTION_BAD) {
        /* the server restarted since the last request: connect again, once */
        PQclear(r);
        if (web_db_ready(w) < 0)
            return NULL;
        r = PQexecParams(w->db, sql, n, NULL, params, NULL, NULL, 0);
        st = PQresultStatus(r);
    }
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        clinic_db_say_error(r);
        PQclear(r);
        return NULL;
    }
    return r;
}

int web_exec(struct web *w, const char *sql, int n, const char *const *params)
{
    PGresult *r = web_q(w, sql, n, params);
    PQclear(r);
    return r ? 0 : -1;
}

PGresult *web_q1(struct web *w, const char *sql, const char *param)
{
    return web_q(w, sql, 1, &param);
}

int web_exec1(struct web *w, const char *sql, const char *param)
{
    return web_exec(w, sql, 1, &param);
}

void auth_token(char out[WEB_TOKEN_HEX + 1])
{
    unsigned char raw[WEB_TOKEN_HEX / 2];
    randombytes_buf(raw, sizeof raw);
    hex_encode(raw, sizeof raw, out);
}

static void token_hash(const char *token, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    hex_encode(h, sizeof h, out);
}

/* The argon2id hash of a password of 10..200 characters; -1 with err. */
static int hash_password(const char *password, char hash[crypto_pwhash_STRBYTES], char *err,
                         size_t errlen)
{
    size_t pl = strlen(password);
    if (pl < 10 || pl > 200) {
        snprintf(err, errlen, "the password has %zu characters: allowed are 10..200", pl);
        return -1;
    }
    if (crypto_pwhash_str(hash, password, pl, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        snprintf(err, errlen, "hashing the password failed: out of memory");
        return -1;
    }
    return 0;
}

int auth_set_password(struct web *w, const char *login, const char *password, char *err,
                      size_t errlen)
{
    char hash[crypto_pwhash_STRBYTES];
    if (hash_password(password, hash, err, errlen) < 0)
        return -1;
    const char *p[] = {login, hash};
    /* her open logins end with the old password */
    PGresult *r = web_q(w,
                        "WITH c AS (UPDATE clinicians SET pwhash = $2 WHERE login = $1 "
                        "RETURNING id), s AS (DELETE FROM web_sessions WHERE clinician_id IN "
                        "(SELECT id FROM c)) SELECT id FROM c",
                        2, p);
    if (!r) {
        snprintf(err, errlen, "the database did not change the password (see above)");
        return -1;
    }
    int n = PQntuples(r);
    PQclear(r);
    if (n == 1)
        return 0;
    snprintf(err, errlen, "no clinician '%.60s'", login);
    return 1;
}

int auth_add_clinician(struct web *w, const char *login, const char *clinic,
                       const char *password, char *err, size_t errlen)
{
    size_t ll = strlen(login);
    if (ll < 1 || ll > 40 || strspn(login, "abcdefghijklmnopqrstuvwxyz0123456789._-") != ll) {
        snprintf(err, errlen, "login '%.60s': allowed are 1..40 of a-z 0-9 . _ -", login);
        return -1;
    }
    char hash[crypto_pwhash_STRBYTES];
    if (hash_password(password, hash, err, errlen) < 0)
        return -1;
    const char *p[] = {login, clinic, hash};
    PGresult *r = web_q(w,
                        "INSERT INTO clinicians (clinic_id, login, pwhash) "
                        "SELECT id, $1, $3 FROM clinics WHERE name = $2 "
                        "ON CONFLICT (login) DO NOTHING RETURNING id",
                        3, p);
    if (!r) {
        snprintf(err, errlen, "the database refused the clinician (see above)");
        return -1;
    }
    int added = PQntuples(r);
    PQclear(r);
    if (added == 1)
        return 0;
    const char *c[] = {clinic};
    r = web_q(w, "SELECT 1 FROM clinics WHERE name = $1", 1, c);
    bool known = r && PQntuples(r) == 1;
    PQclear(r);
    if (!known)
        snprintf(err, errlen, "no clinic '%.100s' (add it with station-clinic add-clinic)", clinic);
    else
        snprintf(err, errlen, "there is a clinician '%.60s' already", login);
    return -1;
}

static int who_from(PGresult *r, struct who *who)
{
    if (PQntuples(r) != 1)
        return 1;
    who->clinician_id = atoi(PQgetvalue(r, 0, 0));
    who->clinic_id = atoi(PQgetvalue(r, 0, 1));
    snprintf(who->login, sizeof who->login, "%s", PQgetvalue(r, 0, 2));
    snprintf(who->clinic, sizeof who->clinic, "%s", PQgetvalue(r, 0, 3));
    return 0;
}

int auth_login(struct web *w, const char *login, const char *password, struct who *who)
{
    PGresult *r = web_q1(w,
                        "SELECT c.id, c.clinic_id, c.login, k.name, c.pwhash FROM clinicians c "
                        "JOIN clinics k ON k.id = c.clinic_id WHERE c.login = $1", login);
    if (!r)
        return -1;
    /* an unknown login costs the same time as a wrong password */
    static char dummy[crypto_pwhash_STRBYTES];
    if (!dummy[0] && crypto_pwhash_str(dummy, "not a password of anyone", 24,
                                       crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                       crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy[0] = '\0';
    bool found = PQntuples(r) == 1;
    const char *hash = found ? PQgetvalue(r, 0, 4) : dummy;
    bool ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0 && found;
    if (!ok || who_from(r, who) != 0) {
        PQclear(r);
        return 1;
    }
    PQclear(r);
    char hash_hex[65], hours[16], id[16];
    auth_token(who->token);
    auth_token(who->csrf);
    token_hash(who->token, hash_hex);
    snprintf(hours, sizeof hours, "%d", WEB_SESSION_HOURS);
    snprintf(id, sizeof id, "%d", who->clinician_id);
    const char *q[] = {hash_hex, id, who->csrf, hours};
    /* old sessions go when a new one is made: the table stays small */
    web_exec(w, "DELETE FROM web_sessions WHERE expires < now()", 0, NULL);
    return web_exec(w,
                    "INSERT INTO web_sessions (token_hash, clinician_id, csrf, expires) "
                    "VALUES ($1, $2, $3, now() + make_interval(hours => $4::int))",
                    4, q);
}

int auth_session(struct web *w, const char *token, struct who *who)
{
    if (!token_well_formed(token, WEB_TOKEN_HEX))
        return 1;
    char hash_hex[65];
    token_hash(token, hash_hex);
    PGresult *r = web_q1(w,
                        "SELECT c.id, c.clinic_id, c.login, k.name, s.csrf FROM web_sessions s "
                        "JOIN clinicians c ON c.id = s.clinician_id "
                        "JOIN clinics k ON k.id = c.clinic_id "
                        "WHERE s.token_hash = $1 AND s.expires > now()", hash_hex);
    if (!r)
        return -1;
    int rc = who_from(r, who);
    if (rc == 0) {
        snprintf(who->csrf, sizeof who->csrf, "%s", PQgetvalue(r, 0, 4));
        snprintf(who->token, sizeof who->token, "%s", token);
    }
    PQclear(r);
    return rc;
}

void auth_logout(struct web *w, const char *token)
{
    char hash_hex[65];
    token_hash(token, hash_hex);
    web_exec1(w, "DELETE FROM web_sessions WHERE token_hash = $1", hash_hex);
}
