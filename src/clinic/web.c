// SPDX-License-Identifier: GPL-3.0-or-later
/* The server of `station-clinic web`: one route table, the headers every
 * answer carries, the login cookie and the CSRF check on every POST. */
#include "web.h"

#include "../history/history.h"
#include "../report/print.h"
#include "../util/json.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <sodium.h>
#include <netdb.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define POST_MAX (64 * 1024) /* the largest form we take */
/* TLS 1.2 and 1.3 only, AEAD ciphers only (no CBC), forward secrecy */
#define TLS_PRIORITIES "SECURE128:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-CIPHER-ALL:" \
                       "+AES-256-GCM:+AES-128-GCM:+CHACHA20-POLY1305:-MAC-ALL:+AEAD:" \
                       "-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:%SERVER_PRECEDENCE"
/* One thread answers (the database connection and the login limits are
 * not shared across threads): a client may hold this many connections,
 * and an idle or slow one is closed after this many seconds, so idle
 * connections from a few addresses cannot shut the others out. Behind a
 * proxy every connection is the proxy's: the proxy limits per client. */
#define PER_IP_CONNECTIONS 16
#define CONNECTIONS_MAX 512
#define IDLE_TIMEOUT_S 15u

/* What a request is building. */
struct ctx {
    struct web *w;
    struct MHD_Connection *conn;
    const char *path;
    const char *body;   /* a POST's form, "" otherwise */
    bool logged_in;
    struct who who;
    struct wbuf out;
    int status;
    const char *type;   /* content type */
    char cookie[2][256];
    char location[256];
    char filename[96];  /* a download's name */
    int patient_id;
    const char *rest;   /* the path after /patient/N */
    char patient_name[128];
};

/* The POST body as it arrives. */
struct upload {
    struct wbuf body;
    bool too_big;
};

static const char *const security_headers[][2] = {
    {"Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; "
                                "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"},
    {"X-Frame-Options", "DENY"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
};

/* HTTPS here, or at the proxy in front: cookies are then Secure */
static bool web_https(const struct web *w)
{
    return w->cfg.web.tls_cert[0] || w->cfg.web.behind_proxy;
}

static void set_cookie(struct ctx *x, const char *name, const char *value, int max_age)
{
    int i = x->cookie[0][0] ? 1 : 0;
    snprintf(x->cookie[i], sizeof x->cookie[i], "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s",
             name, value, web_https(x->w) ? "; Secure" : "",
             max_age == 0 ? "; Max-Age=0" : "");
}

static void redirect(struct ctx *x, const char *to)
{
    x->status = MHD_HTTP_SEE_OTHER;
    snprintf(x->location, sizeof x->location, "%s", to);
    wbuf_put(&x->out, "");
}

static void client_key(struct ctx *x, char *out, size_t len)
{
    const char *real = x->w->cfg.web.behind_proxy
                           ? MHD_lookup_connection_value(x->conn, MHD_HEADER_KIND, "X-Real-IP")
                           : NULL;
    if (real) {
        snprintf(out, len, "ip %s", real);
        return;
    }
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(x->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char host[INET6_ADDRSTRLEN] = "?";
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        socklen_t sl = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                 : sizeof(struct sockaddr_in);
        getnameinfo(sa, sl, host, sizeof host, NULL, 0, NI_NUMERICHOST);
    }
    snprintf(out, len, "ip %s", host);
}

static bool csrf_ok(struct ctx *x)
{
    char sent[WEB_TOKEN_HEX + 2];
    return form_get(x->body, "csrf", sent, sizeof sent) == 0 && token_equal(sent, x->who.csrf);
}

static void refuse_csrf(struct ctx *x)
{
    x->status = page_message(&x->out, x->logged_in ? &x->who : NULL, MHD_HTTP_FORBIDDEN,
                             "This form was refused",
                             "It has expired, or it did not come from this site. Go back, "
                             "reload the page and send it again.");
}

/* ---- the routes ---- */

static void get_style(struct ctx *x)
{
    x->type = "text/css; charset=utf-8";
    wbuf_put(&x->out, web_style_css);
}

static void get_login(struct ctx *x)
{
    char pre[WEB_TOKEN_HEX + 2];
    const char *ck = MHD_lookup_connection_value(x->conn, MHD_HEADER_KIND, "Cookie");
    if (!ck || cookie_get(ck, "pre", pre, sizeof pre) < 0 ||
        !token_well_formed(pre, WEB_TOKEN_HEX)) {
        auth_token(pre);
        set_cookie(x, "pre", pre, -1);
    }
    x->status = page_login(&x->out, pre, NULL);
}

static void post_login(struct ctx *x)
{
    char pre[WEB_TOKEN_HEX + 2], sent[WEB_TOKEN_HEX + 2], login[64], pw[256], ip[96], lk[96];
    const char *ck = MHD_lookup_connection_value(x->conn, MHD_HEADER_KIND, "Cookie");
    /* before a login there is no session: the form's token must match the
     * cookie the login page set (a double-submit token) */
    if (!ck || cookie_get(ck, "pre", pre, sizeof pre) < 0 ||
        form_get(x->body, "csrf", sent, sizeof sent) < 0 || !token_equal(pre, sent)) {
        refuse_csrf(x);
        return;
    }
    if (form_get(x->body, "login", login, sizeof login) < 0 ||
        form_get(x->body, "password", pw, sizeof pw) < 0) {
        x->status = page_login(&x->out, pre, "Give your login and your password.");
        x->status = MHD_HTTP_BAD_REQUEST;
        return;
    }
    client_key(x, ip, sizeof ip);
    snprintf(lk, sizeof lk, "login %s", login);
    long long now = (long long)time(NULL);
    long long wait = rl_wait(&x->w->rl, ip, now);
    if (wait == 0)
        wait = rl_wait(&x->w->rl_login, lk, now);
    if (wait > 0) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "Too many wrong passwords. Try again in %lld minutes, or ask your clinic's "
                 "administrator.",
                 (wait + 59) / 60);
        page_login(&x->out, pre, msg);
        x->status = MHD_HTTP_TOO_MANY_REQUESTS;
        return;
    }
    int rc = auth_login(x->w, login, pw, &x->who);
    sodium_memzero(pw, sizeof pw);
    if (rc == 1) {
        rl_fail(&x->w->rl, ip, now);
        rl_fail(&x->w->rl_login, lk, now);
        /* the login is what someone typed: never a control character into the log */
        fprintf(stderr, "station-clinic web: a wrong login or password for '%s' from %s\n",
                text_is_plain(login) ? login : "(unprintable)", ip + 3);
        page_login(&x->out, pre, "That login and password do not match. Try again.");
        x->status = MHD_HTTP_UNAUTHORIZED;
        return;
    }
    if (rc < 0) {
        x->status = page_message(&x->out, NULL, MHD_HTTP_SERVICE_UNAVAILABLE,
                                 "The database is not answering",
                                 "Nothing was changed. Try again in a minute.");
        return;
    }
    rl_clear(&x->w->rl_login, lk);
    set_cookie(x, "sid", x->who.token, -1);
    redirect(x, "/");
}

static void post_logout(struct ctx *x)
{
    auth_logout(x->w, x->who.token);
    set_cookie(x, "sid", "", 0);
    redirect(x, "/login");
}

static struct page_req preq(struct ctx *x)
{
    return (struct page_req){.w = x->w, .who = &x->who, .patient_id = x->patient_id};
}

static void get_patients(struct ctx *x)
{
    struct page_req r = preq(x);
    if (MHD_lookup_connection_value(x->conn, MHD_GET_ARGUMENT_KIND, "deleted"))
        r.notice = "Her data is deleted from the clinic's server.";
    x->status = page_patients(&x->out, &r);
}

static void get_patient(struct ctx *x)
{
    struct page_req r = preq(x);
    const char *n = MHD_lookup_connection_value(x->conn, MHD_GET_ARGUMENT_KIND, "stored");
    if (MHD_lookup_connection_value(x->conn, MHD_GET_ARGUMENT_KIND, "sent"))
        r.notice = "Her program is sent to the station; it adds her under her key at its next "
                   "connection.";
    if (n)
        r.notice = "The program is stored and sent to her stations. Each station checks it "
                   "again when it takes it; a refusal shows here after its next connection.";
    x->status = page_patient(&x->out, &r);
}

static void get_session(struct ctx *x)
{
    struct page_req r = preq(x);
    r.arg = MHD_lookup_connection_value(x->conn, MHD_GET_ARGUMENT_KIND, "id");
    x->status = page_session(&x->out, &r);
}

static void post_program(struct ctx *x)
{
    char err[400];
    int published = 0;
    if (data_set_program(x->w, &x->who, x->patient_id, x->body, &published, err,
                         sizeof err) == 0) {
        char to[64];
        snprintf(to, sizeof to, "/patient/%d?stored=%d", x->patient_id, published);
        redirect(x, to);
        return;
    }
    struct page_req r = preq(x);
    r.error = err;
    r.form = x->body;
    x->status = page_patient(&x->out, &r);
    if (x->status == MHD_HTTP_OK)
        x->status = 422;
}

static int put_wbuf(void *ctx, const char *p, size_t n)
{
    struct wbuf *b = ctx;
    wbuf_putn(b, p, n);
    if (!b->oom)
        return 0;
    errno = ENOMEM;
    return -1;
}

static void post_station(struct ctx *x)
{
    char err[400], station[64];
    if (data_send_to_station(x->w, x->patient_id, x->who.clinic_id, x->body, station,
                             sizeof station, err, sizeof err) == 0) {
        char to[64];
        snprintf(to, sizeof to, "/patient/%d?sent=1", x->patient_id);
        redirect(x, to);
        return;
    }
    struct page_req r = preq(x);
    r.error = err;
    r.failed = "Her program was not sent to the station";
    x->status = page_patient(&x->out, &r);
    if (x->status == MHD_HTTP_OK)
        x->status = 422;
}

static void get_export(struct ctx *x)
{
    bool csv = strcmp(x->rest, "/export.csv") == 0;
    char why[600] = "the database did not answer";
    struct export_sink to = {put_wbuf, &x->out};
    int rc = csv ? data_export_csv(x->w, x->patient_id, &x->out)
                 : data_export_json(x->w, x->patient_id, &to, why, sizeof why);
    if (rc != 0) {
        fprintf(stderr, "station-clinic web: the export of patient %d failed: %s\n",
                x->patient_id, why);
        wbuf_free(&x->out);
        x->status = page_message(&x->out, &x->who, MHD_HTTP_SERVICE_UNAVAILABLE,
                                 "The export failed",
                                 strstr(why, "out of memory") || strstr(why, "Cannot allocate")
                                     ? "It is larger than this server can hold. The command "
                                       "station-clinic export-patient writes it to a file."
                                     : "The database did not answer. Try again.");
        return;
    }
    x->type = csv ? "text/csv; charset=utf-8" : "application/json";
    snprintf(x->filename, sizeof x->filename, "patient-%d.%s", x->patient_id, csv ? "csv" : "json");
}

/* A day of the report's period from the query (YYYY-MM-DD, as the
 * station's --from and --to); absent: back days before today. 0, or -1
 * when it is not such a day. */
static int report_day(struct ctx *x, const char *key, int back, char out[11], time_t *t)
{
    const char *v = MHD_lookup_connection_value(x->conn, MHD_GET_ARGUMENT_KIND, key);
    if (v && *v) {
        if (history_parse_date(v, t) < 0)
            return -1;
    } else {
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        tm.tm_mday -= back;
        tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
        tm.tm_isdst = -1;
        *t = mktime(&tm);
    }
    struct tm tm;
    localtime_r(t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
    return 0;
}

static void get_report(struct ctx *x)
{
    char from[11], to[11];
    time_t t0, t1;
    /* four weeks, both ends included, as the station's report */
    if (report_day(x, "from", 27, from, &t0) < 0 || report_day(x, "to", 0, to, &t1) < 0 ||
        t0 > t1) {
        x->status = page_message(&x->out, &x->who, MHD_HTTP_BAD_REQUEST, "Not a period",
                                 "The report's period is two days as YYYY-MM-DD, from 2000 to "
                                 "2200, the first not after the second.");
        return;
    }
    int n = 0;
    if (data_report_pdf(x->w, x->patient_id, x->patient_name, from, to, &x->out, &n) < 0) {
        fprintf(stderr, "station-clinic web: the report of patient %d failed\n", x->patient_id);
        wbuf_free(&x->out);
        x->status = page_message(&x->out, &x->who, MHD_HTTP_SERVICE_UNAVAILABLE,
                                 "The report failed", "The database did not answer, or the "
                                 "report could not be drawn. Try again.");
        return;
    }
    x->type = "application/pdf";
    snprintf(x->filename, sizeof x->filename, "report-patient-%d-%s-%s.pdf", x->patient_id, from,
             to);
}

static void get_delete(struct ctx *x)
{
    struct page_req r = preq(x);
    x->status = page_delete_confirm(&x->out, &r);
}

static void post_delete(struct ctx *x)
{
    char err[300], confirm[8];
    if (form_get(x->body, "confirm", confirm, sizeof confirm) < 0 || strcmp(confirm, "yes") != 0) {
        redirect(x, "/");
        return;
    }
    if (data_delete(x->w, x->patient_id, err, sizeof err) < 0) {
        x->status = page_message(&x->out, &x->who, MHD_HTTP_SERVICE_UNAVAILABLE,
                                 "Her data was not deleted", err);
        return;
    }
    redirect(x, "/?deleted=1");
}

/* One row a route. patient: the path is /patient/N + rest, and N must be a
 * patient of the clinician's clinic. */
static const struct route {
    const char *method, *path;
    bool login, patient;
    void (*fn)(struct ctx *x);
} routes[] = {
    {"GET", "/style.css", false, false, get_style},
    {"GET", "/login", false, false, get_login},
    {"POST", "/login", false, false, post_login},
    {"POST", "/logout", true, false, post_logout},
    {"GET", "/", true, false, get_patients},
    {"GET", "/session", true, false, get_session},
    {"GET", "", true, true, get_patient},
    {"GET", "/export.json", true, true, get_export},
    {"GET", "/export.csv", true, true, get_export},
    {"GET", "/report.pdf", true, true, get_report},
    {"GET", "/delete", true, true, get_delete},
    {"POST", "/delete", true, true, post_delete},
    {"POST", "/program", true, true, post_program},
    {"POST", "/station", true, true, post_station},
};

static void not_found(struct ctx *x)
{
    x->status = page_message(&x->out, x->logged_in ? &x->who : NULL, MHD_HTTP_NOT_FOUND,
                             "Not found", "There is no such page, or it is not one of your "
                                          "clinic's.");
}

static void route(struct ctx *x, const char *method)
{
    bool post = strcmp(method, "POST") == 0;
    if (!post && strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        x->status = MHD_HTTP_METHOD_NOT_ALLOWED;
        wbuf_put(&x->out, "method not allowed\n");
        x->type = "text/plain; charset=utf-8";
        return;
    }
    const char *m = post ? "POST" : "GET";
    int id = 0;
    const char *rest = NULL;
    bool is_patient = path_id(x->path, "/patient/", &id, &rest) == 0;
    const struct route *hit = NULL;
    for (size_t i = 0; i < sizeof routes / sizeof routes[0] && !hit; i++) {
        const struct route *r = &routes[i];
        if (strcmp(r->method, m) == 0 &&
            (r->patient ? is_patient && strcmp(rest, r->path) == 0 : strcmp(x->path, r->path) == 0))
            hit = r;
    }
    if (!hit) {
        not_found(x);
        return;
    }
    if (hit->login && !x->logged_in) {
        if (post)
            refuse_csrf(x);
        else
            redirect(x, "/login");
        return;
    }
    /* every POST of a logged-in clinician carries her session's token */
    if (post && hit->login && !csrf_ok(x)) {
        refuse_csrf(x);
        return;
    }
    if (hit->patient) {
        if (!data_patient_of(x->w, id, x->who.clinic_id, x->patient_name,
                             sizeof x->patient_name)) {
            not_found(x);
            return;
        }
        x->patient_id = id;
        x->rest = rest;
    }
    hit->fn(x);
}

static enum MHD_Result send_answer(struct ctx *x)
{
    if (x->out.oom) {
        wbuf_free(&x->out);
        x->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
        wbuf_put(&x->out, "out of memory\n");
        x->type = "text/plain; charset=utf-8";
    }
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        x->out.len, x->out.p ? x->out.p : (char *)"", MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    for (size_t i = 0; i < sizeof security_headers / sizeof security_headers[0]; i++)
        MHD_add_response_header(resp, security_headers[i][0], security_headers[i][1]);
    if (x->w->cfg.web.tls_cert[0])
        MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
    MHD_add_response_header(resp, "Content-Type", x->type);
    /* patient data is never kept by a browser or a proxy */
    MHD_add_response_header(resp, "Cache-Control",
                            strcmp(x->path, "/style.css") == 0 ? "max-age=3600" : "no-store");
    for (int i = 0; i < 2; i++)
        if (x->cookie[i][0])
            MHD_add_response_header(resp, "Set-Cookie", x->cookie[i]);
    if (x->location[0])
        MHD_add_response_header(resp, "Location", x->location);
    if (x->filename[0]) {
        char cd[160];
        snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", x->filename);
        MHD_add_response_header(resp, "Content-Disposition", cd);
    }
    enum MHD_Result r = MHD_queue_response(x->conn, (unsigned)x->status, resp);
    MHD_destroy_response(resp);
    return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)version;
    struct web *w = cls;
    struct upload *up = *con_cls;
    if (!up) {
        up = calloc(1, sizeof *up);
        if (!up)
            return MHD_NO;
        *con_cls = up;
        return MHD_YES;
    }
    if (*upload_size) {
        if (up->body.len + *upload_size > POST_MAX)
            up->too_big = true;
        else
            wbuf_putn(&up->body, upload_data, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    struct ctx x = {.w = w, .conn = conn, .path = url, .status = MHD_HTTP_OK,
                    .type = "text/html; charset=utf-8"};
    x.body = up->body.p ? up->body.p : "";
    if (up->too_big || up->body.oom) {
        x.status = page_message(&x.out, NULL, 413, "Too large",
                                "That form is larger than any of ours.");
    } else {
        char sid[WEB_TOKEN_HEX + 2];
        const char *ck = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Cookie");
        int rc = ck && cookie_get(ck, "sid", sid, sizeof sid) == 0 ? auth_session(w, sid, &x.who)
                                                                   : 1;
        x.logged_in = rc == 0;
        if (rc < 0)
            x.status = page_message(&x.out, NULL, MHD_HTTP_SERVICE_UNAVAILABLE,
                                    "The database is not answering",
                                    "Nothing was changed. Try again in a minute.");
        else
            route(&x, method);
    }
    enum MHD_Result r = send_answer(&x);
    wbuf_free(&x.out);
    return r;
}

static void on_done(void *cls, struct MHD_Connection *conn, void **con_cls,
                    enum MHD_RequestTerminationCode code)
{
    (void)cls;
    (void)conn;
    (void)code;
    struct upload *up = *con_cls;
    if (up) {
        wbuf_free(&up->body);
        free(up);
        *con_cls = NULL;
    }
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct wbuf b = {0};
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        wbuf_putn(&b, buf, n);
    fclose(f);
    if (b.oom) {
        wbuf_free(&b);
        return NULL;
    }
    return b.p;
}

/* libmicrohttpd's messages, with what they mean where it says too little */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[300];
    vsnprintf(msg, sizeof msg, fmt, ap);
    msg[strcspn(msg, "\n")] = '\0';
    if (strstr(msg, "handshake message out of context"))
        fprintf(stderr, "station-clinic web: a client's TLS handshake failed and its connection "
                        "was closed (a client that does not trust the page's certificate, plain "
                        "HTTP sent to the HTTPS port, or a browser dropping a spare "
                        "connection); the page serves on\n");
    else
        fprintf(stderr, "station-clinic web: libmicrohttpd: %s\n", msg);
}

int web_serve(struct web *w)
{
    struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
                             .ai_socktype = SOCK_STREAM}, *ai = NULL;
    char port[8];
    snprintf(port, sizeof port, "%d", w->cfg.web.port);
    if (getaddrinfo(w->cfg.web.listen, port, &hints, &ai) != 0) {
        fprintf(stderr, "station-clinic web: web.listen '%s' is not an IPv4 or IPv6 address\n",
                w->cfg.web.listen);
        return 1;
    }
    /* poll, not select: CONNECTIONS_MAX is not bound by FD_SETSIZE */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ERROR_LOG;
    if (ai->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    char *cert = NULL, *key = NULL;
    if (w->cfg.web.tls_cert[0]) {
        cert = read_all(w->cfg.web.tls_cert);
        key = read_all(w->cfg.web.tls_key);
        if (!cert || !key) {
            fprintf(stderr, "station-clinic web: cannot read %s\n",
                    cert ? w->cfg.web.tls_key : w->cfg.web.tls_cert);
            free(cert);
            free(key);
            freeaddrinfo(ai);
            return 1;
        }
        flags |= MHD_USE_TLS;
    }
    /* the signals are taken by sigwait below, in this thread only */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    unsigned per_ip = w->cfg.web.behind_proxy ? 0u : PER_IP_CONNECTIONS;
    struct MHD_OptionItem common[] = {
        {MHD_OPTION_SOCK_ADDR, 0, ai->ai_addr},
        {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_done, w},
        {MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_log, NULL},
        {MHD_OPTION_CONNECTION_TIMEOUT, IDLE_TIMEOUT_S, NULL},
        {MHD_OPTION_CONNECTION_LIMIT, CONNECTIONS_MAX, NULL},
        {MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip, NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    struct MHD_Daemon *d =
        cert ? MHD_start_daemon(flags, 0, NULL, NULL, on_request, w, MHD_OPTION_ARRAY, common,
                                MHD_OPTION_HTTPS_MEM_CERT, cert, MHD_OPTION_HTTPS_MEM_KEY, key,
                                MHD_OPTION_HTTPS_PRIORITIES, TLS_PRIORITIES, MHD_OPTION_END)
             : MHD_start_daemon(flags, 0, NULL, NULL, on_request, w, MHD_OPTION_ARRAY, common,
                                MHD_OPTION_END);
    freeaddrinfo(ai);
    if (!d) {
        fprintf(stderr, "station-clinic web: cannot listen on %s port %d (in use? a bad "
                        "certificate or key?)\n",
                w->cfg.web.listen, w->cfg.web.port);
        free(cert);
        free(key);
        return 1;
    }
    fprintf(stderr, "station-clinic web: listening on %s://%s:%d/\n", cert ? "https" : "http",
            w->cfg.web.listen, w->cfg.web.port);
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "station-clinic web: stopping (%s)\n", strsignal(sig));
    MHD_stop_daemon(d);
    print_cleanup(); /* cairo's and fontconfig's caches from the reports */
    free(cert);
    free(key);
    return 0;
}
