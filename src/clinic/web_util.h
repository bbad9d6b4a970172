/* SPDX-License-Identifier: GPL-3.0-or-later */
/* web_util: the pure pieces of the clinic's web page: a growing text
 * buffer, HTML escaping, form and cookie parsing, token comparison and the
 * ticks of a chart's axis. No I/O, no allocation but the buffer's own: the
 * unit tests (tests/unit/test_clinic_web.c) drive every function here. */
#ifndef STATION_WEB_UTIL_H
#define STATION_WEB_UTIL_H

#include <stdbool.h>
#include <stddef.h>

/* A page being written. After a failed allocation it keeps what it had and
 * sets oom; the caller answers 500 instead of sending a cut page. */
struct wbuf {
    char *p;
    size_t len, cap;
    bool oom;
};

void wbuf_free(struct wbuf *b);
void wbuf_put(struct wbuf *b, const char *s);
void wbuf_putn(struct wbuf *b, const char *s, size_t n);
__attribute__((format(printf, 2, 3))) void wbuf_printf(struct wbuf *b, const char *fmt, ...);
/* s as HTML text or a quoted attribute's value: & < > " ' become entities,
 * control characters but tab and line break are dropped and bytes that are
 * not well-formed UTF-8 become U+FFFD. NULL writes nothing. */
void wbuf_html(struct wbuf *b, const char *s);
/* s percent-encoded for a URL's query value (all but A-Z a-z 0-9 - . _ ~),
 * so it is also safe in an HTML attribute. */
void wbuf_url(struct wbuf *b, const char *s);
/* printf, then the result escaped as wbuf_html does. */
__attribute__((format(printf, 2, 3))) void wbuf_htmlf(struct wbuf *b, const char *fmt, ...);

/* The value of field name in an application/x-www-form-urlencoded body
 * (+ is a space, %XX a byte). Returns 0, or -1 when the field is missing,
 * its value does not fit in len, has a bad %-escape or a NUL byte. */
int form_get(const char *body, const char *name, char *out, size_t len);

/* The value of cookie name in a Cookie header ("a=1; b=2"). Returns 0, or -1
 * when missing or longer than len - 1. */
int cookie_get(const char *header, const char *name, char *out, size_t len);

/* Whether a and b are the same non-empty string, in a time that does not
 * depend on where they differ (for CSRF tokens). */
bool token_equal(const char *a, const char *b);

/* Whether s is exactly n lower-case hex digits (a token as we make them). */
bool token_well_formed(const char *s, size_t n);

/* bytes as lower-case hex into out (2 * n + 1 bytes). */
void hex_encode(const unsigned char *bytes, size_t n, char *out);

/* "/patient/12/program" with prefix "/patient/": id 12 and rest
 * "/program". Returns 0, or -1 when the path does not start with prefix and
 * a decimal id of 1..2^31-1 (no sign, no leading zero). */
int path_id(const char *path, const char *prefix, int *id, const char **rest);

/* Ticks for a chart's axis over [lo, hi]: steps of 1, 2, 2.5 or 5 times a
 * power of ten, at most max_ticks of them, the first at or below lo and the
 * last at or above hi (lo == hi is widened). */
#define AXIS_MAX_TICKS 12
struct axis {
    double lo, hi, step;
    int n;
    double tick[AXIS_MAX_TICKS + 1];
    int decimals; /* enough to tell the ticks apart */
};
int axis_ticks(double lo, double hi, int max_ticks, struct axis *out);

/* Failed logins, counted per key (an address, a login) over a window:
 * after RL_FAILS failures in RL_WINDOW_S seconds the key is refused until
 * the window ends. A fixed table: when full, the oldest entry that is not
 * locked goes (the oldest locked one only when all are locked), so a flood
 * of other keys' failures does not lift a lock. */
#define RL_FAILS 5
#define RL_WINDOW_S (15 * 60)
#define RL_SLOTS 256
struct ratelimit {
    struct {
        char key[96];
        long long start;
        int fails;
    } slot[RL_SLOTS];
};
/* Seconds until key may try again; 0 when it may now. */
long long rl_wait(const struct ratelimit *r, const char *key, long long now);
void rl_fail(struct ratelimit *r, const char *key, long long now);
void rl_clear(struct ratelimit *r, const char *key);

#endif
