/* SPDX-License-Identifier: GPL-3.0-or-later */
/* json: string quoting. */
#include "json.h"

#include <stdbool.h>
#include <stdio.h>

int utf8_len(const unsigned char *s)
{
    unsigned c = s[0];
    int n;
    unsigned min, cp;
    if (c >= 0xc2 && c <= 0xdf)
        n = 2, min = 0x80, cp = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef)
        n = 3, min = 0x800, cp = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4)
        n = 4, min = 0x10000, cp = c & 0x07;
    else
        return 0;
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) /* also stops at the NUL */
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

bool text_is_plain(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p < 0x20 || *p == 0x7f)
            return false;
        if (*p < 0x80) {
            p++;
            continue;
        }
        int k = utf8_len(p);
        if (k == 0 || (k == 2 && p[0] == 0xc2 && p[1] < 0xa0)) /* stray byte, or C1 control */
            return false;
        p += k;
    }
    return true;
}

char *json_quote(const char *s, char *out, size_t len)
{
    size_t n = 0;
    if (len < 3) {
        if (len)
            out[0] = '\0';
        return out;
    }
    out[n++] = '"';
    for (; *s && n + 8 < len; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            out[n++] = '\\';
            out[n++] = (char)c;
        } else if (c < 0x20 || c == 0x7f) {
            n += (size_t)snprintf(out + n, len - n, "\\u%04x", c);
        } else if (c < 0x80) {
            out[n++] = (char)c;
        } else {
            /* valid UTF-8 is copied; a stray byte becomes U+FFFD, so the
             * line stays valid JSON whatever a phrase file or a file name
             * held */
            int k = utf8_len((const unsigned char *)s);
            if (k == 0) {
                n += (size_t)snprintf(out + n, len - n, "\\ufffd");
                continue;
            }
            for (int i = 0; i < k; i++)
                out[n++] = s[i];
            s += k - 1;
        }
    }
    out[n++] = '"';
    out[n] = '\0';
    return out;
}
