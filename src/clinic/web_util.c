// SPDX-License-Identifier: GPL-3.0-or-later
#include "web_util.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/json.h"

void wbuf_free(struct wbuf *b)
{
    free(b->p);
    *b = (struct wbuf){0};
}

static bool wbuf_room(struct wbuf *b, size_t n)
{
    if (b->oom)
        return false;
    if (b->len + n + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + n + 1)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

void wbuf_putn(struct wbuf *b, const char *s, size_t n)
{
    if (!wbuf_room(b, n))
        return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void wbuf_put(struct wbuf *b, const char *s)
{
    wbuf_putn(b, s, strlen(s));
}

static void wbuf_vprintf(struct wbuf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || !wbuf_room(b, (size_t)n))
        return;
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void wbuf_printf(struct wbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    wbuf_vprintf(b, fmt, ap);
    va_end(ap);
}

void wbuf_html(struct wbuf *b, const char *s)
{
    static const char *const ent[128] = {
        ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;",
    };
    if (!s)
        return;
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        if (*u < 0x80) {
            if (ent[*u])
                wbuf_put(b, ent[*u]);
            else if (*u >= 0x20 && *u != 0x7f)
                wbuf_putn(b, (const char *)u, 1);
            else if (*u == '\t' || *u == '\n')
                wbuf_putn(b, (const char *)u, 1);
            u++;
            continue;
        }
        int n = utf8_len(u);
        if (n > 0) {
            /* C1 controls (U+0080..U+009F) are dropped like C0 ones */
            if (!(u[0] == 0xc2 && u[1] < 0xa0))
                wbuf_putn(b, (const char *)u, (size_t)n);
            u += n;
        } else {
            wbuf_put(b, "\xef\xbf\xbd");
            u++;
        }
    }
}

void wbuf_htmlf(struct wbuf *b, const char *fmt, ...)
{
    struct wbuf t = {0};
    va_list ap;
    va_start(ap, fmt);
    wbuf_vprintf(&t, fmt, ap);
    va_end(ap);
    if (t.oom)
        b->oom = true;
    wbuf_html(b, t.p);
    wbuf_free(&t);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* decodes [s, end) into out; -1 on a bad escape, a NUL or no room */
static int url_decode(const char *s, const char *end, char *out, size_t len)
{
    size_t o = 0;
    while (s < end) {
        int c = (unsigned char)*s;
        if (c == '+') {
            c = ' ';
            s++;
        } else if (c == '%') {
            int hi = end - s >= 3 ? hexval(s[1]) : -1;
            int lo = end - s >= 3 ? hexval(s[2]) : -1;
            if (hi < 0 || lo < 0)
                return -1;
            c = hi * 16 + lo;
            s += 3;
        } else {
            s++;
        }
        if (c == 0 || o + 1 >= len)
            return -1;
        out[o++] = (char)c;
    }
    if (len == 0)
        return -1;
    out[o] = '\0';
    return 0;
}

int form_get(const char *body, const char *name, char *out, size_t len)
{
    size_t nl = strlen(name);
    const char *p = body;
    while (p && *p) {
        const char *amp = strchr(p, '&');
        const char *end = amp ? amp : p + strlen(p);
        const char *eq = memchr(p, '=', (size_t)(end - p));
        if (eq && (size_t)(eq - p) == nl && memcmp(p, name, nl) == 0)
            return url_decode(eq + 1, end, out, len);
        p = amp ? amp + 1 : NULL;
    }
    return -1;
}

int cookie_get(const char *header, const char *name, char *out, size_t len)
{
    size_t nl = strlen(name);
    const char *p = header;
    while (p && *p) {
        while (*p == ' ' || *p == '\t')
            p++;
        const char *semi = strchr(p, ';');
        const char *end = semi ? semi : p + strlen(p);
        if ((size_t)(end - p) > nl && memcmp(p, name, nl) == 0 && p[nl] == '=') {
            const char *v = p + nl + 1;
            size_t vl = (size_t)(end - v);
            while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
                vl--;
            if (vl + 1 > len)
                return -1;
            memcpy(out, v, vl);
            out[vl] = '\0';
            return 0;
        }
        p = semi ? semi + 1 : NULL;
    }
    return -1;
}

bool token_equal(const char *a, const char *b)
{
    if (!a || !b)
        return false;
    size_t la = strlen(a), lb = strlen(b);
    if (la == 0 || la != lb)
        return false;
    volatile unsigned char d = 0;
    for (size_t i = 0; i < la; i++)
        d |= (unsigned char)(a[i] ^ b[i]);
    return d == 0;
}

bool token_well_formed(const char *s, size_t n)
{
    size_t i = 0;
    for (; s[i]; i++)
        if (i >= n || !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return i == n;
}

void hex_encode(const unsigned char *bytes, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}

int path_id(const char *path, const char *prefix, int *id, const char **rest)
{
    size_t pl = strlen(prefix);
    if (strncmp(path, prefix, pl) != 0)
        return -1;
    const char *p = path + pl;
    if (*p < '1' || *p > '9')
        return -1;
    long long v = 0;
    while (*p >= '0' && *p <= '9') {
        v = v * 10 + (*p++ - '0');
        if (v > INT32_MAX)
            return -1;
    }
    if (*p && *p != '/')
        return -1;
    *id = (int)v;
    *rest = p;
    return 0;
}

int axis_ticks(double lo, double hi, int max_ticks, struct axis *out)
{
    memset(out, 0, sizeof *out);
    if (!isfinite(lo) || !isfinite(hi) || max_ticks < 2)
        return -1;
    if (max_ticks > AXIS_MAX_TICKS)
        max_ticks = AXIS_MAX_TICKS;
    if (hi < lo) {
        double t = lo;
        lo = hi;
        hi = t;
    }
    if (hi - lo < 1e-9) {
        double pad = fabs(lo) > 1e-9 ? fabs(lo) * 0.1 : 1;
        lo -= pad;
        hi += pad;
    }
    static const double mult[] = {1, 2, 2.5, 5};
    double p = pow(10, floor(log10((hi - lo) / max_ticks)) - 1);
    double step = 0, first = 0;
    int n = 0;
    for (int e = 0; e < 4 && step == 0; e++, p *= 10)
        for (size_t m = 0; m < sizeof mult / sizeof mult[0]; m++) {
            double s = mult[m] * p;
            double f = floor(lo / s + 1e-9) * s, l = ceil(hi / s - 1e-9) * s;
            int k = (int)lround((l - f) / s);
            if (k + 1 <= max_ticks) {
                step = s;
                first = f;
                n = k + 1;
                break;
            }
        }
    if (step == 0)
        return -1;
    out->step = step;
    out->n = n;
    for (int i = 0; i < n; i++) {
        double t = first + i * step;
        out->tick[i] = fabs(t) < step * 1e-9 ? 0 : t;
    }
    out->lo = out->tick[0];
    out->hi = out->tick[n - 1];
    /* decimals: none for whole steps, else as many as the step needs */
    double s = step;
    int d = 0;
    while (d < 6 && fabs(s - round(s)) > 1e-9) {
        s *= 10;
        d++;
    }
    out->decimals = d;
    return 0;
}

static int rl_find(const struct ratelimit *r, const char *key)
{
    for (int i = 0; i < RL_SLOTS; i++)
        if (r->slot[i].fails > 0 && strcmp(r->slot[i].key, key) == 0)
            return i;
    return -1;
}

/* The slot a new key takes: a free or expired one, else the oldest that is
 * not locked (so failures of other keys never flush a lock), else, when
 * every one is locked, the oldest. */
static int rl_victim(const struct ratelimit *r, long long now)
{
    int oldest = 0, unlocked = -1;
    for (int j = 0; j < RL_SLOTS; j++) {
        if (r->slot[j].fails == 0 || now >= r->slot[j].start + RL_WINDOW_S)
            return j;
        if (r->slot[j].start < r->slot[oldest].start)
            oldest = j;
        if (r->slot[j].fails < RL_FAILS &&
            (unlocked < 0 || r->slot[j].start < r->slot[unlocked].start))
            unlocked = j;
    }
    return unlocked >= 0 ? unlocked : oldest;
}

long long rl_wait(const struct ratelimit *r, const char *key, long long now)
{
    int i = rl_find(r, key);
    if (i < 0 || r->slot[i].fails < RL_FAILS || now >= r->slot[i].start + RL_WINDOW_S)
        return 0;
    return r->slot[i].start + RL_WINDOW_S - now;
}

void rl_fail(struct ratelimit *r, const char *key, long long now)
{
    int i = rl_find(r, key);
    if (i >= 0 && now >= r->slot[i].start + RL_WINDOW_S)
        r->slot[i].fails = 0; /* the window is over: count afresh */
    if (i < 0 || r->slot[i].fails == 0) {
        if (i < 0)
            i = rl_victim(r, now);
        snprintf(r->slot[i].key, sizeof r->slot[i].key, "%s", key);
        r->slot[i].start = now;
        r->slot[i].fails = 0;
    }
    r->slot[i].fails++;
}

void rl_clear(struct ratelimit *r, const char *key)
{
    int i = rl_find(r, key);
    if (i >= 0)
        r->slot[i].fails = 0;
}

void wbuf_url(struct wbuf *b, const char *s)
{
    static const char digits[] = "0123456789ABCDEF";
    for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
        if ((*u >= 'A' && *u <= 'Z') || (*u >= 'a' && *u <= 'z') || (*u >= '0' && *u <= '9') ||
            strchr("-._~", *u)) {
            wbuf_putn(b, (const char *)u, 1);
        } else {
            char e[3] = {'%', digits[*u >> 4], digits[*u & 15]};
            wbuf_putn(b, e, 3);
        }
    }
}
