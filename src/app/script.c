/* SPDX-License-Identifier: GPL-3.0-or-later */
/* script: a button script reader with file:line errors. */
#include "script.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A script is a few lines a person wrote: anything bigger is not one. */
#define SCRIPT_MAX_BYTES (1 << 20)

static int parse_time(const char *s, double *out)
{
    /* plain decimals only: strtod would also take "0x10", "inf" and "1e3" */
    if (!*s || strspn(s, "0123456789.:") != strlen(s))
        return -1;
    char *end;
    errno = 0;
    double a = strtod(s, &end);
    if (end == s || errno)
        return -1;
    if (*end == ':') {
        const char *sec = end + 1;
        double b = strtod(sec, &end);
        if (end == sec || *end || b < 0 || b >= 60) /* "1:" is not 60 s */
            return -1;
        a = a * 60 + b;
    }
    /* a session is hours, not weeks: anything longer is a typo */
    if (*end || !(a >= 0 && a <= SCRIPT_MAX_S))
        return -1;
    *out = a;
    return 0;
}

int script_load(struct script *s, const char *path, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    FILE *fp = fopen(path, "r");
    if (!fp) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(fp), &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > SCRIPT_MAX_BYTES) {
        snprintf(err, errlen, "%s: %s", path, S_ISREG(st.st_mode)
                 ? "larger than a script may be (1 MB)"
                 : "not a regular file: a script is a text file of TIME COMMAND lines");
        fclose(fp);
        return -1;
    }
    char line[256];
    int ln = 0;
    long at = 0;
    while (fgets(line, sizeof line, fp)) {
        ln++;
        long now = ftell(fp);
        size_t len = strlen(line);
        if (now >= 0 && (long)len != now - at) { /* fgets stopped at a NUL */
            snprintf(err, errlen, "%s:%d: a NUL byte: a script is text", path, ln);
            fclose(fp);
            return -1;
        }
        at = now;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char tbuf[64], cbuf[64], extra[8];
        int k = sscanf(line, "%63s %63s %7s", tbuf, cbuf, extra);
        if (k <= 0)
            continue;
        double t;
        enum session_cmd cmd;
        if (k != 2) {
            snprintf(err, errlen, "%s:%d: expected 'TIME COMMAND'", path, ln);
        } else if (parse_time(tbuf, &t) < 0) {
            snprintf(err, errlen, "%s:%d: '%s' is not a time (seconds or m:ss, up to %d s)",
                     path, ln, tbuf, SCRIPT_MAX_S);
        } else if (session_cmd_parse(cbuf, &cmd) < 0) {
            snprintf(err, errlen, "%s:%d: '%s' is not one of start, next, back, stop", path,
                     ln, cbuf);
        } else if (s->n > 0 && t < s->t[s->n - 1]) {
            snprintf(err, errlen, "%s:%d: %s comes before the line above", path, ln, tbuf);
        } else if (s->n == SCRIPT_MAX) {
            snprintf(err, errlen, "%s:%d: more than %d commands", path, ln, SCRIPT_MAX);
        } else {
            s->t[s->n] = t;
            s->cmd[s->n++] = cmd;
            continue;
        }
        fclose(fp);
        return -1;
    }
    fclose(fp);
    return 0;
}

int script_due(struct script *s, double t, enum session_cmd *cmd)
{
    if (s->next >= s->n || s->t[s->next] > t)
        return 0;
    *cmd = s->cmd[s->next++];
    return 1;
}
