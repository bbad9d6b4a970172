/* SPDX-License-Identifier: GPL-3.0-or-later */
/* faults: the fault script's parser and runner. */
#include "faults.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers.h"
#include "emu_core.h"

const char faults_help[] =
    "disconnect@T+LEN, stuck@T+LEN, stall@T+LEN, nack@TxN, corrupt@T, brownout@T, chip=NAME";

static int parse_chip(struct fault_script *fs, const char *name, char *err, size_t errlen)
{
    if (!drivers_model(name, NULL)) {
        char keys[300];
        drivers_model_keys(keys, sizeof keys, 0);
        snprintf(err, errlen, "--faults: no chip '%s' (one of %s)", name, keys);
        return -1;
    }
    snprintf(fs->chip, sizeof fs->chip, "%s", name);
    return 0;
}

/* A nack count: a whole number 1..FAULTS_NACK_MAX and nothing after it. */
static int parse_count(const char *s, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno == ERANGE || v < 1 || v > FAULTS_NACK_MAX)
        return -1;
    *out = (int)v;
    return 0;
}

int faults_parse(struct fault_script *fs, const char *spec, char *err, size_t errlen)
{
    static const struct { const char *name; enum fault_kind kind; char sep; } kinds[] = {
        {"disconnect", F_DISCONNECT, '+'}, {"stuck", F_STUCK, '+'}, {"stall", F_STALL, '+'},
        {"nack", F_NACK, 'x'}, {"corrupt", F_CORRUPT, 0}, {"brownout", F_BROWNOUT, 0},
    };
    memset(fs, 0, sizeof *fs);
    if (!spec)
        return 0;
    char buf[FAULTS_SPEC_MAX + 1];
    if (strlen(spec) >= sizeof buf) {
        snprintf(err, errlen, "--faults: %zu characters; at most %d are allowed",
                 strlen(spec), FAULTS_SPEC_MAX);
        return -1;
    }
    snprintf(buf, sizeof buf, "%s", spec);
    if (strspn(spec, ",") == strlen(spec)) { /* "" or ",": asked for, but nothing */
        snprintf(err, errlen, "--faults: empty; give one or more of %s", faults_help);
        return -1;
    }
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (strncmp(tok, "chip=", 5) == 0) {
            if (parse_chip(fs, tok + 5, err, errlen) < 0)
                return -1;
            continue;
        }
        char *at = strchr(tok, '@');
        size_t k = 0;
        if (at) {
            *at = '\0';
            while (k < sizeof kinds / sizeof kinds[0] && strcmp(kinds[k].name, tok) != 0)
                k++;
        }
        if (!at || k == sizeof kinds / sizeof kinds[0]) {
            snprintf(err, errlen, "--faults: '%s' is not one of %s", tok, faults_help);
            return -1;
        }
        if (fs->n == FAULTS_MAX) {
            snprintf(err, errlen, "--faults: more than %d faults; at most %d are allowed",
                     FAULTS_MAX, FAULTS_MAX);
            return -1;
        }
        struct fault *f = &fs->f[fs->n++];
        f->kind = kinds[k].kind;
        char *end;
        f->at = strtod(at + 1, &end);
        bool ok = end != at + 1 && f->at >= 0 && isfinite(f->at);
        if (kinds[k].sep == '+')
            ok = ok && *end == '+' && (f->len = strtod(end + 1, &end)) > 0 && isfinite(f->len) &&
                 !*end;
        else if (kinds[k].sep == 'x' && ok && *end == 'x') {
            if (parse_count(end + 1, &f->count) < 0) {
                snprintf(err, errlen, "--faults: '%s@%s': the count is not a whole number "
                         "from 1 to %d", tok, at + 1, FAULTS_NACK_MAX);
                return -1;
            }
        } else if (kinds[k].sep == 'x')
            ok = false;
        else
            ok = ok && !*end;
        if (!ok) {
            snprintf(err, errlen, "--faults: '%s@%s' is not of the form %s", tok, at + 1,
                     faults_help);
            return -1;
        }
    }
    return 0;
}

static void start(struct fault_script *fs, struct fault *f, const struct fault_target *t)
{
    switch (f->kind) {
    case F_DISCONNECT: t->bus->disconnected = true; break;
    case F_STUCK: t->bus->stuck = true; break;
    case F_STALL: fs->stall_until = f->at + f->len; break;
    case F_NACK: /* overlapping nacks add up, to INT_MAX at most */
        t->bus->nack_next = t->bus->nack_next > INT_MAX - f->count ? INT_MAX
                                                                   : t->bus->nack_next + f->count;
        break;
    case F_CORRUPT: t->bus->corrupt_count_next++; break;
    case F_BROWNOUT: t->power_cycle(t->emu); break;
    }
}

static void end(struct fault_script *fs, const struct fault *f, const struct fault_target *t)
{
    if (f->kind == F_STUCK)
        t->bus->stuck = false;
    if (f->kind == F_DISCONNECT) {
        /* plugged in again: a chip fresh from power-on; another disconnect
         * still under way keeps it off the bus */
        t->bus->disconnected = false;
        for (int k = 0; k < fs->n; k++)
            if (fs->f[k].kind == F_DISCONNECT && fs->f[k].started && !fs->f[k].ended)
                t->bus->disconnected = true;
        t->power_cycle(t->emu);
    }
}

void faults_run(struct fault_script *fs, double et, const struct fault_target *t)
{
    for (int i = 0; i < fs->n; i++) {
        struct fault *f = &fs->f[i];
        if (!f->started && et >= f->at) {
            f->started = true;
            start(fs, f, t);
        }
        if (f->started && !f->ended && f->len > 0 && et >= f->at + f->len) {
            f->ended = true;
            end(fs, f, t);
        }
    }
}

bool faults_stalled(const struct fault_script *fs, double et)
{
    return et < fs->stall_until;
}
