/* SPDX-License-Identifier: GPL-3.0-or-later */
/* clinic_config: station-clinic's settings, one table of keys. */
#include "clinic.h"

#include <arpa/inet.h>
#include <libconfig.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/exit_codes.h"

enum ckey_type { CK_STR, CK_PORT, CK_BOOL };

struct ckey {
    const char *path;
    enum ckey_type type;
    size_t offset, size;
    const char *def;
};

#define CS(p, f, d) {p, CK_STR, offsetof(struct clinic_config, f), \
                     sizeof(((struct clinic_config *)0)->f), d}
#define CP(p, f, d) {p, CK_PORT, offsetof(struct clinic_config, f), sizeof(int), d}
#define CB(p, f, d) {p, CK_BOOL, offsetof(struct clinic_config, f), sizeof(bool), d}

static const struct ckey ckeys[] = {
    CS("database", database, "postgresql:///station_clinic"),
    CS("migrations", migrations, ""),
    CS("mqtt.host", mqtt.host, "localhost"),
    CP("mqtt.port", mqtt.port, "8883"),
    CS("mqtt.ca_file", mqtt.ca_file, STATION_SYSCONFDIR "/clinic-ca.crt"),
    CS("mqtt.cert_file", mqtt.cert_file, ""),
    CS("mqtt.key_file", mqtt.key_file, ""),
    CS("mqtt.username", mqtt.username, "collector"),
    CS("mqtt.password_file", mqtt.password_file,
       "/run/credentials/station-clinic-collect.service/collector.pass"),
    CS("mqtt.client_id", mqtt.client_id, "station-clinic-collector"),
    CS("web.listen", web.listen, "127.0.0.1"),
    CP("web.port", web.port, "8443"),
    CS("web.tls_cert", web.tls_cert, ""),
    CS("web.tls_key", web.tls_key, ""),
    CB("web.behind_proxy", web.behind_proxy, "false"),
    CS("web.mqtt_username", web.mqtt_username, "clinic-web"),
    CS("web.mqtt_password_file", web.mqtt_password_file,
       "/run/credentials/station-clinic-web.service/clinic-web.pass"),
};
#define NCKEYS (sizeof ckeys / sizeof ckeys[0])
_Static_assert(NCKEYS <= sizeof(((struct clinic_config *)0)->line) / sizeof(int),
               "clinic_config.line holds a line for every key");

static void set_default(struct clinic_config *c, const struct ckey *k)
{
    char *f = (char *)c + k->offset;
    switch (k->type) {
    case CK_STR: snprintf(f, k->size, "%s", k->def); break;
    case CK_PORT: *(int *)f = atoi(k->def); break;
    case CK_BOOL: *(bool *)f = strcmp(k->def, "true") == 0; break;
    }
}

struct sink {
    char *buf;
    size_t len, used;
    int count;
};

__attribute__((format(printf, 2, 3))) static void err_line(struct sink *s, const char *fmt, ...)
{
    s->count++;
    if (s->used + 1 >= s->len)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(s->buf + s->used, s->len - s->used, fmt, ap);
    va_end(ap);
    if (n > 0)
        s->used += (size_t)n < s->len - s->used ? (size_t)n : s->len - s->used - 1;
    if (s->used + 1 < s->len) {
        s->buf[s->used++] = '\n';
        s->buf[s->used] = '\0';
    }
}

static const struct ckey *find(const char *path)
{
    for (size_t i = 0; i < NCKEYS; i++)
        if (strcmp(ckeys[i].path, path) == 0)
            return &ckeys[i];
    return NULL;
}

static void load_one(struct clinic_config *c, const char *file, config_setting_t *s,
                     const char *path, struct sink *e)
{
    const struct ckey *k = find(path);
    int line = config_setting_source_line(s);
    if (!k) {
        err_line(e, "%s:%d: %s: not a setting of station-clinic (config/clinic.cfg lists them)",
                 file, line, path);
        return;
    }
    c->line[k - ckeys] = line;
    char *f = (char *)c + k->offset;
    int t = config_setting_type(s);
    if (k->type == CK_STR) {
        const char *v = config_setting_get_string(s);
        if (t != CONFIG_TYPE_STRING)
            err_line(e, "%s:%d: %s: not a quoted string", file, line, path);
        else if (strlen(v) >= k->size)
            err_line(e, "%s:%d: %s: longer than %zu characters", file, line, path, k->size - 1);
        else
            snprintf(f, k->size, "%s", v);
    } else if (k->type == CK_PORT) {
        int v = config_setting_get_int(s);
        if (t != CONFIG_TYPE_INT || v < 1 || v > 65535)
            err_line(e, "%s:%d: %s: a port number is allowed (1..65535)", file, line, path);
        else
            *(int *)f = v;
    } else {
        if (t != CONFIG_TYPE_BOOL)
            err_line(e, "%s:%d: %s: true or false is allowed", file, line, path);
        else
            *(bool *)f = config_setting_get_bool(s);
    }
}

/* Every scalar under group s (a path prefix), checked against the table. */
static void load_group(struct clinic_config *c, const char *file, config_setting_t *g,
                       const char *prefix, struct sink *e)
{
    for (int i = 0; i < config_setting_length(g); i++) {
        config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
        char path[128];
        snprintf(path, sizeof path, "%s%s%s", prefix, prefix[0] ? "." : "",
                 config_setting_name(s));
        if (config_setting_is_group(s) && !prefix[0])
            load_group(c, file, s, path, e);
        else
            load_one(c, file, s, path, e);
    }
}

void clinic_config_where(const struct clinic_config *c, const char *key, char *out, size_t len)
{
    const struct ckey *k = find(key);
    int line = k ? c->line[k - ckeys] : 0;
    if (line > 0)
        snprintf(out, len, "%s:%d", c->path, line);
    else
        snprintf(out, len, "%s", c->path);
}

/* Settings that must agree with each other (each key alone was checked). */
static void check_together(const struct clinic_config *c, struct sink *e)
{
    char where[CONFIG_STR_MAX + 16], key[32];
    struct config_problem p[4];
    int n = config_broker_problems(c->mqtt.host, c->mqtt.ca_file, c->mqtt.cert_file,
                                   c->mqtt.key_file, p);
    for (int i = 0; i < n; i++) {
        snprintf(key, sizeof key, "mqtt.%s", p[i].key);
        clinic_config_where(c, key, where, sizeof where);
        err_line(e, "%s: %s: %s", where, key, p[i].why);
    }
    /* the web page's certificate and key: both or neither */
    static const char *const pair[][2] = {{"web.tls_cert", "web.tls_key"},
                                          {"web.tls_key", "web.tls_cert"}};
    for (size_t i = 0; i < 2; i++) {
        const struct ckey *set = find(pair[i][0]), *other = find(pair[i][1]);
        if (((const char *)c + set->offset)[0] && !((const char *)c + other->offset)[0]) {
            clinic_config_where(c, pair[i][0], where, sizeof where);
            err_line(e, "%s: %s: set without %s (the certificate and its key: both or neither)",
                     where, pair[i][0], pair[i][1]);
        }
    }
}

/* 127.0.0.0/8 and ::1 */
static bool loopback(const char *addr)
{
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, addr, &a4) == 1)
        return (ntohl(a4.s_addr) >> 24) == 127;
    return inet_pton(AF_INET6, addr, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
}

int clinic_config_web_check(const struct clinic_config *c, char *err, size_t errlen)
{
    char where[CONFIG_STR_MAX + 16];
    if (c->web.tls_cert[0])
        return 0;
    if (!c->web.behind_proxy) {
        const struct ckey *k = find("web.tls_cert");
        clinic_config_where(c, c->line[k - ckeys] ? "web.tls_cert" : "web.listen", where,
                            sizeof where);
        snprintf(err, errlen, "%s: web.tls_cert: not set, and web.behind_proxy is false: the "
                 "page would be plain HTTP (set web.tls_cert and web.tls_key for HTTPS, or "
                 "web.behind_proxy = true with web.listen on 127.0.0.1 or ::1 behind a TLS "
                 "proxy)", where);
        return -1;
    }
    if (!loopback(c->web.listen)) {
        clinic_config_where(c, "web.listen", where, sizeof where);
        snprintf(err, errlen, "%s: web.listen: \"%s\" is not a loopback address, and "
                 "web.behind_proxy = true trusts X-Real-IP from whoever connects (with "
                 "behind_proxy, 127.0.0.1 or ::1 is allowed; elsewhere set web.tls_cert and "
                 "web.tls_key)", where, c->web.listen);
        return -1;
    }
    return 0;
}

int clinic_config_load(struct clinic_config *c, const char *path, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < NCKEYS; i++)
        set_default(c, &ckeys[i]);
    snprintf(c->path, sizeof c->path, "%s", path);
    struct sink e = {err, errlen, 0, 0};
    if (errlen)
        err[0] = '\0';
    char why[CONFIG_STR_MAX + 64];
    if (config_file_check(path, why, sizeof why) < 0) {
        err_line(&e, "%s", why);
        return e.count;
    }
    config_t cf;
    config_init(&cf);
    if (config_read_file(&cf, path) != CONFIG_TRUE) {
        err_line(&e, "%s:%d: %s", config_error_file(&cf) ? config_error_file(&cf) : path,
                 config_error_line(&cf), config_error_text(&cf));
    } else {
        load_group(c, path, config_root_setting(&cf), "", &e);
        if (e.count == 0)
            check_together(c, &e);
    }
    config_destroy(&cf);
    return e.count;
}

noreturn void clinic_die(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "station-clinic: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(code);
}

int clinic_common_args(int argc, char **argv, struct clinic_config *c)
{
    const char *path = getenv("STATION_CLINIC_CONFIG");
    if (!path)
        path = CLINIC_DEFAULT_CONFIG;
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            path = argv[++i];
        else if (strncmp(argv[i], "--config=", 9) == 0)
            path = argv[i] + 9;
        else
            break;
    }
    char err[4096];
    if (clinic_config_load(c, path, err, sizeof err) > 0) {
        fputs(err, stderr);
        clinic_die(EXIT_USAGE, "%s: fix the settings above", path);
    }
    return i;
}
