/* SPDX-License-Identifier: GPL-3.0-or-later */
/* json: the one JSON string escaper the station's writers share. */
#ifndef STATION_JSON_H
#define STATION_JSON_H

#include <stdbool.h>
#include <stddef.h>

/* Writes s as a quoted JSON string into out (always NUL-terminated,
 * truncated to len, never inside a character). Control characters are
 * escaped; bytes that are not well-formed UTF-8 become U+FFFD, so the
 * result is always valid JSON. Returns out. */
char *json_quote(const char *s, char *out, size_t len);

/* The length of the well-formed UTF-8 sequence of a character that does
 * not fit in ASCII at s (RFC 3629: no overlong forms, no surrogates,
 * nothing past U+10FFFF), or 0 when the bytes there are not one. */
int utf8_len(const unsigned char *s);

/* Whether s is plain text a terminal or a log can take: valid UTF-8 with no
 * control character (C0, DEL or C1). */
bool text_is_plain(const char *s);

#endif
