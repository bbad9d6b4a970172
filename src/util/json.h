/* json: the one JSON string escaper the station's writers share. */
#ifndef STATION_JSON_H
#define STATION_JSON_H

#include <stddef.h>

/* Writes s as a quoted JSON string into out (always NUL-terminated,
 * truncated to len). Returns out. */
char *json_quote(const char *s, char *out, size_t len);

#endif
