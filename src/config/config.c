/* SPDX-License-Identifier: GPL-3.0-or-later */
/* config: libconfig loader driven by one table of keys. */
#include "config.h"

#include "../util/json.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum key_type { KEY_INT, KEY_FLOAT, KEY_BOOL, KEY_STRING };

/* A key whose allowed values are a short list instead of a range names
 * them in `choices` (terminated by a 0 entry; ranges then go unused). */
struct config_key {
    const char *path;
    enum key_type type;
    size_t offset;
    double min, max;
    double def_num;
    const char *def_str;
    const int *choices;
    const char *help;
};

static const int accel_choices[] = {2, 4, 8, 16, 0};
static const int gyro_choices[] = {250, 500, 1000, 2000, 0};

#define OFF(f) offsetof(struct station_config, f)
#define INT(p, f, lo, hi, d, h) {p, KEY_INT, OFF(f), lo, hi, d, NULL, NULL, h}
#define CHOICE(p, f, c, d, h) {p, KEY_INT, OFF(f), 0, 0, d, NULL, c, h}
#define FLT(p, f, lo, hi, d, h) {p, KEY_FLOAT, OFF(f), lo, hi, d, NULL, NULL, h}
#define BOOL(p, f, d, h) {p, KEY_BOOL, OFF(f), 0, 1, d, NULL, NULL, h}
#define STR(p, f, d, h) {p, KEY_STRING, OFF(f), 0, 0, 0, d, NULL, h}

static const struct config_key keys[] = {
    STR("sensor.chip", sensor.chip, "auto",
        "the IMU: auto (probe 0x68, 0x69, 0x6a, 0x6b), mpu6050, lsm6ds3 or lsm6dso"),
    INT("sensor.i2c_bus", sensor.i2c_bus, 0, 255, 1,
        "I2C adapter number: /dev/i2c-N (1 on a Raspberry Pi header)"),
    INT("sensor.address", sensor.address, 0x03, 0x77, 0x68,
        "7-bit address (tried first): MPU-6050 0x68/0x69 (AD0), LSM6DSx 0x6a/0x6b (SA0)"),
    INT("sensor.sample_rate_hz", sensor.sample_rate_hz, 10, 1000, 100,
        "samples per second read from the FIFO; an LSM6DSx has 26, 52, 104, 208, 416, 833"),
    INT("sensor.dlpf_hz", sensor.dlpf_hz, 1, 1000, 44,
        "low-pass filter bandwidth in Hz; which ones depends on sensor.chip (check-config says)"),
    CHOICE("sensor.accel_range_g", sensor.accel_range_g, accel_choices, 2,
           "accelerometer full scale, +-g"),
    CHOICE("sensor.gyro_range_dps", sensor.gyro_range_dps, gyro_choices, 250,
           "gyroscope full scale, +-degrees per second"),
    STR("sensor.int_gpiochip", sensor.int_gpiochip, "gpiochip0",
        "GPIO chip of the INT line"),
    INT("sensor.int_line", sensor.int_line, -1, 511, -1,
        "line offset of the sensor's INT pin (INT1 on an LSM6DSx), -1 when not wired"),
    STR("buttons.gpiochip", buttons.gpiochip, "gpiochip0",
        "GPIO chip the buttons are on"),
    INT("buttons.start_line", buttons.start_line, 0, 511, 17,
        "line offset of the start/pause button"),
    INT("buttons.next_line", buttons.next_line, 0, 511, 27,
        "line offset of the next button"),
    INT("buttons.stop_line", buttons.stop_line, 0, 511, 22,
        "line offset of the stop button"),
    BOOL("buttons.active_low", buttons.active_low, 1,
         "buttons pull the line to ground when pressed"),
    INT("buttons.debounce_ms", buttons.debounce_ms, 1, 500, 30,
        "edges closer than this are contact bounce"),
    INT("buttons.long_press_ms", buttons.long_press_ms, 200, 10000, 1500,
        "holding a button this long is a long press"),
    BOOL("display.fullscreen", display.fullscreen, 0,
         "fill the screen (a Pi without a desktop is always fullscreen)"),
    INT("display.width", display.width, 320, 7680, 1280,
        "window width in pixels"),
    INT("display.height", display.height, 240, 4320, 720,
        "window height in pixels"),
    BOOL("display.light", display.light, 0,
         "the light theme (dark text on a light ground), for bright rooms"),
    BOOL("audio.sounds", audio.sounds, 1,
         "soft pacer tick and end-of-hold chime"),
    BOOL("audio.speech", audio.speech, 1,
         "spoken cues (espeak-ng): the exercise, hold, counts, corrections"),
    BOOL("audio.instructions", audio.instructions, 1,
         "say how to do each exercise, and its caution, when it starts"),
    BOOL("audio.counts", audio.counts, 1,
         "count three, two, one before a hold's target"),
    BOOL("audio.pacer", audio.pacer, 1,
         "tick at the target rate while rocking (needs audio.sounds)"),
    INT("audio.volume", audio.volume, 0, 100, 70, "loudness, percent"),
    STR("audio.voice", audio.voice, "en", "espeak-ng voice: en, en-gb, de, fr, ..."),
    INT("audio.speed_wpm", audio.speed_wpm, 80, 300, 150, "speaking speed, words a minute"),
    FLT("audio.cue_interval_s", audio.cue_interval_s, 2, 60, 6,
        "at most one spoken rocking correction this often, seconds"),
    STR("audio.phrases", audio.phrases, "",
        "phrase file (libconfig); empty: the phrases.cfg of the assets"),
    FLT("rocking.rate_min_hz", rocking.rate_min_hz, 0.3, 3.0, 1.0,
        "lowest rocking rate that is on target, cycles per second"),
    FLT("rocking.rate_max_hz", rocking.rate_max_hz, 0.3, 3.0, 1.3,
        "highest rocking rate that is on target, cycles per second"),
    FLT("rocking.rhythm_cv_max", rocking.rhythm_cv_max, 0.01, 1.0, 0.12,
        "largest period-to-period variation that counts as steady"),
    FLT("rocking.swing_min_deg", rocking.swing_min_deg, 0.5, 90, 4,
        "smallest thigh swing, peak to peak, that is enough"),
    FLT("rocking.swing_max_deg", rocking.swing_max_deg, 1, 120, 30,
        "largest thigh swing that is still gentle"),
    FLT("rocking.set_s", rocking.set_s, 10, 1800, 60,
        "knees rocking time per turn in the session, seconds"),
    FLT("holds.min_hold_s", holds.min_hold_s, 1, 60, 4,
        "stillness shorter than this is not counted as a hold, seconds"),
    FLT("holds.child_pose_s", holds.child_pose_s, 10, 1800, 120,
        "child pose hold target, seconds"),
    FLT("holds.stretch_s", holds.stretch_s, 1, 600, 5,
        "table and nerve-root stretch hold target, seconds"),
    INT("holds.stretch_reps", holds.stretch_reps, 1, 20, 2,
        "nerve-root stretch holds per leg"),
    INT("holds.table_reps", holds.table_reps, 1, 20, 3,
        "table stretch holds"),
    FLT("holds.bounce_s", holds.bounce_s, 5, 600, 30,
        "advanced stretch micro-bounce time, seconds"),
    INT("holds.bounce_reps", holds.bounce_reps, 1, 5, 2,
        "advanced stretch micro-bounce rounds"),
    FLT("holds.backblock_s", holds.backblock_s, 30, 3600, 180,
        "BackBlock time, seconds: the goal, built up slowly"),
    FLT("holds.backblock_min_s", holds.backblock_min_s, 10, 3600, 120,
        "a BackBlock this long counts as done while the goal is being built up, seconds"),
    STR("storage.directory", storage.directory, CONFIG_STORAGE_DEFAULT,
        "where session records are stored"),
    INT("session.stage", session.stage, 1, 2, 1,
        "1: exercises 1-4 (pregnancy, severe pain); 2: exercises 5-7 (after "
        "delivery or mild pain)"),
    INT("session.advanced_per_week", session.advanced_per_week, 1, 7, 2,
        "advanced nerve stretch sessions a week before the station asks to confirm"),
    FLT("session.tolerance", session.tolerance, 0, 0.3, 0.1,
        "a hold, bounce round or rocking time this close to its target (a fraction) "
        "counts as done"),
    FLT("session.rest_s", session.rest_s, 0, 120, 5,
        "rest / get-ready countdown between repetitions, rounds and exercises, seconds"),
    FLT("session.step_timeout_s", session.step_timeout_s, 0, 3600, 0,
        "a step with no progress this long is left (what was done is kept); 0: the "
        "step's own time plus two minutes"),
    FLT("session.bridge_s", session.bridge_s, 0.5, 10, 3,
        "advanced stretch: a pause in the bouncing shorter than this stays in the round"),
    FLT("session.curl_rep_s", session.curl_rep_s, 4, 60, 12,
        "curl downs are guided by time (the thigh sees too little of them): seconds "
        "a repetition"),
    BOOL("session.unattended_over_limit", session.unattended_over_limit, 0,
         "with nobody to ask (headless, no buttons): do the advanced stretch over its "
         "weekly limit anyway (false: leave it out and say why)"),
    BOOL("posture.check", posture.check, 1,
         "credit holds only in the exercise's posture (learnt as the session goes)"),
    FLT("posture.slack_deg", posture.slack_deg, 0, 60, 15,
        "degrees of leeway around each posture band"),
    BOOL("clinic.enabled", clinic.enabled, 0,
         "send finished live sessions to a clinic's server (`station upload`)"),
    STR("clinic.station_id", clinic.station_id, "",
        "this station's name at the clinic: 1 to 32 of a-z, 0-9 and -; empty: the host name"),
    STR("clinic.host", clinic.host, "localhost", "the clinic's MQTT broker"),
    INT("clinic.port", clinic.port, 1, 65535, 8883, "the broker's TLS port"),
    STR("clinic.ca_file", clinic.ca_file, "/etc/station/clinic-ca.crt",
        "the CA that signed the broker's certificate"),
    STR("clinic.cert_file", clinic.cert_file, "",
        "this station's client certificate, when the broker asks for one"),
    STR("clinic.key_file", clinic.key_file, "", "the client certificate's key"),
    STR("clinic.username", clinic.username, "", "the broker user; empty: the station id"),
    STR("clinic.password_file", clinic.password_file,
        "/run/credentials/station-upload.service/clinic.pass",
        "the file holding the broker password (one line); the default is where "
        "station-upload.service hands over /etc/station/clinic.pass"),
    INT("clinic.resend_s", clinic.resend_s, 1, 86400, 600,
        "a session the clinic has not confirmed is sent again after this long, seconds"),
    BOOL("clinic.send_trace", clinic.send_trace, 0,
         "send the raw sensor trace too (large; the summary and events are enough for the "
         "clinic)"),
};

#define NKEYS (sizeof keys / sizeof keys[0])

static void *field(struct station_config *cfg, const struct config_key *k)
{
    return (char *)cfg + k->offset;
}

void config_defaults(struct station_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    for (size_t i = 0; i < NKEYS; i++) {
        const struct config_key *k = &keys[i];
        void *f = field(cfg, k);
        switch (k->type) {
        case KEY_INT: *(int *)f = (int)k->def_num; break;
        case KEY_FLOAT: *(double *)f = k->def_num; break;
        case KEY_BOOL: *(bool *)f = k->def_num != 0; break;
        case KEY_STRING:
            snprintf((char *)f, CONFIG_STR_MAX, "%s", k->def_str);
            break;
        }
    }
}

struct errsink {
    char *buf;
    size_t len, used;
    int count, dropped;
};

/* Whole lines only: one that does not fit is counted, and the count said at
 * the end (room for that sentence is kept). */
__attribute__((format(printf, 2, 3)))
static void report(struct errsink *e, const char *fmt, ...)
{
    e->count++;
    if (!e->buf || e->len == 0)
        return;
    char line[1400];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    size_t reserve = e->len > 256 ? 80 : 0;
    if (n < 0 || e->used + (size_t)n + 2 + reserve > e->len) {
        e->dropped++;
        return;
    }
    memcpy(e->buf + e->used, line, (size_t)n);
    e->used += (size_t)n;
    e->buf[e->used++] = '\n';
    e->buf[e->used] = '\0';
}

static int finish_errors(struct errsink *e, const char *path)
{
    if (e->dropped && e->buf && e->used + 1 < e->len)
        snprintf(e->buf + e->used, e->len - e->used, "%s: %d more error%s not shown\n", path,
                 e->dropped, e->dropped > 1 ? "s" : "");
    return e->count;
}

static const char *type_name(enum key_type t)
{
    static const char *names[] = {"a whole number", "a number", "true or false",
                                  "a quoted string"};
    return names[t];
}

/* Shows v as the key is written: addresses in hex. */
static void shown_value(const struct config_key *k, double v, char *out, size_t len)
{
    if (k->offset == OFF(sensor.address) && v >= 0 && v <= 0xffff)
        snprintf(out, len, "0x%02x", (unsigned)v);
    else
        snprintf(out, len, "%g", v);
}

static void allowed(const struct config_key *k, char *out, size_t len)
{
    if (k->choices) {
        size_t used = 0;
        used += (size_t)snprintf(out, len, "one of ");
        for (const int *c = k->choices; *c && used < len; c++) {
            bool hex = k->offset == OFF(sensor.address);
            used += (size_t)snprintf(out + used, len - used,
                                     hex ? "%s0x%02x" : "%s%d",
                                     c == k->choices ? "" : ", ", *c);
        }
    } else if (k->type == KEY_INT && k->offset == OFF(sensor.address)) {
        snprintf(out, len, "0x%02x..0x%02x", (unsigned)k->min, (unsigned)k->max);
    } else if (k->type == KEY_INT) {
        snprintf(out, len, "%.0f..%.0f", k->min, k->max);
    } else if (k->type == KEY_FLOAT) {
        snprintf(out, len, "%g..%g", k->min, k->max);
    } else {
        snprintf(out, len, "%s", type_name(k->type));
    }
}

static const struct config_key *find_key(const char *path)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (strcmp(keys[i].path, path) == 0)
            return &keys[i];
    return NULL;
}

/* Edit distance, for "did you mean": most unknown keys are typos. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    size_t row[64];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t sub = prev + (a[i - 1] != b[j - 1]);
            size_t del = row[j] + 1, ins = row[j - 1] + 1;
            row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            prev = cur;
        }
    }
    return row[lb];
}

static const char *closest_key(const char *path)
{
    const char *best = NULL;
    size_t bd = 4; /* further than this is no typo */
    for (size_t i = 0; i < NKEYS; i++) {
        size_t d = distance(path, keys[i].path);
        if (d < bd) {
            bd = d;
            best = keys[i].path;
        }
    }
    return best;
}

static bool is_group_prefix(const char *path)
{
    size_t n = strlen(path);
    for (size_t i = 0; i < NKEYS; i++)
        if (strncmp(keys[i].path, path, n) == 0 && keys[i].path[n] == '.')
            return true;
    return false;
}

static void apply(struct station_config *cfg, const struct config_key *k,
                  config_setting_t *s, const char *file, struct errsink *e)
{
    int line = config_setting_source_line(s);
    if (config_setting_source_file(s)) /* the included file it came from */
        file = config_setting_source_file(s);
    int t = config_setting_type(s);
    void *f = field(cfg, k);
    char allow[128];
    allowed(k, allow, sizeof allow);

    switch (k->type) {
    case KEY_BOOL:
        if (t != CONFIG_TYPE_BOOL) {
            report(e, "%s:%d: %s: expected true or false", file, line, k->path);
            return;
        }
        *(bool *)f = config_setting_get_bool(s);
        return;
    case KEY_STRING: {
        if (t != CONFIG_TYPE_STRING) {
            report(e, "%s:%d: %s: expected a quoted string", file, line, k->path);
            return;
        }
        const char *v = config_setting_get_string(s);
        if (strlen(v) >= CONFIG_STR_MAX) {
            report(e, "%s:%d: %s: longer than %d characters", file, line,
                   k->path, CONFIG_STR_MAX - 1);
            return;
        }
        snprintf((char *)f, CONFIG_STR_MAX, "%s", v);
        return;
    }
    case KEY_INT:
    case KEY_FLOAT: {
        double v;
        if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64)
            v = (double)config_setting_get_int64(s);
        else if (t == CONFIG_TYPE_FLOAT && k->type == KEY_FLOAT)
            v = config_setting_get_float(s);
        else {
            report(e, "%s:%d: %s: expected %s (%s)", file, line, k->path,
                   type_name(k->type), allow);
            return;
        }
        bool ok;
        if (k->choices) {
            ok = false;
            for (const int *c = k->choices; *c; c++)
                ok = ok || v == *c;
        } else {
            ok = isfinite(v) && v >= k->min && v <= k->max;
        }
        if (!ok) {
            char shown[64];
            shown_value(k, v, shown, sizeof shown);
            report(e, "%s:%d: %s: %s is %s %s", file, line, k->path, shown,
                   k->choices ? "not" : "out of range", allow);
            return;
        }
        if (k->type == KEY_INT)
            *(int *)f = (int)v;
        else
            *(double *)f = v;
        return;
    }
    }
}

static void walk(struct station_config *cfg, config_setting_t *group,
                 const char *prefix, const char *file, struct errsink *e)
{
    int n = config_setting_length(group);
    for (int i = 0; i < n; i++) {
        config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
        const char *name = config_setting_name(s);
        char path[256];
        snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "",
                 name ? name : "?");
        int line = config_setting_source_line(s);
        const char *in = config_setting_source_file(s) ? config_setting_source_file(s) : file;
        if (config_setting_is_group(s)) {
            if (is_group_prefix(path))
                walk(cfg, s, path, file, e);
            else
                report(e, "%s:%d: %s: unknown section", in, line, path);
            continue;
        }
        const struct config_key *k = find_key(path);
        if (!k) {
            const char *near = closest_key(path);
            if (is_group_prefix(path))
                report(e, "%s:%d: %s: is a section, not a value (use %s = { ... })", in,
                       line, path, path);
            else if (near)
                report(e, "%s:%d: %s: unknown key (did you mean %s?)", in, line, path,
                       near);
            else
                report(e, "%s:%d: %s: unknown key", in, line, path);
            continue;
        }
        apply(cfg, k, s, file, e);
    }
}

/* Reads a whole regular file of at most *budget bytes into a new buffer
 * (NUL-terminated). where names the file for messages ("FILE" or
 * "FILE:LINE: @include \"X\""). */
static char *read_config_text(const char *path, const char *where, size_t *budget,
                              size_t *len, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot open: %s", where, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: is %s; a configuration is a regular file", where,
                 S_ISDIR(st.st_mode) ? "a directory" : "not a regular file");
        close(fd);
        return NULL;
    }
    if ((unsigned long long)st.st_size > *budget) {
        snprintf(err, errlen, "%s: too large (%lld bytes): a configuration, with what it "
                 "includes, may hold at most %d bytes", where, (long long)st.st_size,
                 CONFIG_MAX_BYTES);
        close(fd);
        return NULL;
    }
    char *buf = malloc(*budget + 1);
    size_t n = 0;
    ssize_t r = 0;
    while (buf && n <= *budget && (r = read(fd, buf + n, *budget + 1 - n)) > 0)
        n += (size_t)r;
    close(fd);
    if (!buf || r < 0) {
        snprintf(err, errlen, "%s: cannot read: %s", where, buf ? strerror(errno) : "out of memory");
        free(buf);
        return NULL;
    }
    if (n > *budget) { /* it grew while we read it */
        snprintf(err, errlen, "%s: too large: a configuration, with what it includes, may "
                 "hold at most %d bytes", where, CONFIG_MAX_BYTES);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *budget -= n;
    *len = n;
    return buf;
}

static int check_file(const char *path, const char *where, int depth, size_t *budget,
                      char *err, size_t errlen)
{
    size_t len;
    char *text = read_config_text(path, where, budget, &len, err, errlen);
    if (!text)
        return -1;
    int rc = 0, line;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        snprintf(err, errlen, "%s:1: starts with a byte-order mark (U+FEFF): save it as "
                 "plain UTF-8 without one", path);
        rc = -1;
    }
    const char *nul = memchr(text, '\0', len);
    if (rc == 0 && nul) {
        line = 1;
        for (const char *c = text; c < nul; c++)
            line += *c == '\n';
        snprintf(err, errlen, "%s:%d: a NUL byte: a configuration is text", path, line);
        rc = -1;
    }
    line = 1;
    for (size_t i = 0; rc == 0 && i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        line += c == '\n';
        if (c < 0x80)
            continue;
        int k = utf8_len((const unsigned char *)text + i);
        if (k == 0) {
            snprintf(err, errlen, "%s:%d: byte 0x%02x is not UTF-8: save the file as UTF-8",
                     path, line, c);
            rc = -1;
        }
        i += k > 0 ? (size_t)k - 1 : 0;
    }
    /* libconfig turns a whole number too big for 64 bits into -1 without a
     * word: find one first (outside strings and comments) */
    bool in_str = false, in_comment = false, in_block = false;
    line = 1;
    for (size_t i = 0; rc == 0 && i < len; i++) {
        char c = text[i];
        if (c == '\n') {
            line++;
            in_comment = false;
        }
        if (in_comment)
            continue;
        if (in_block) {
            if (c == '*' && text[i + 1] == '/')
                in_block = false, i++;
            continue;
        }
        if (in_str) {
            if (c == '\\' && text[i + 1])
                i++;
            else if (c == '"')
                in_str = false;
            continue;
        }
        if (c == '"')
            in_str = true;
        else if (c == '#' || (c == '/' && text[i + 1] == '/'))
            in_comment = true;
        else if (c == '/' && text[i + 1] == '*')
            in_block = true, i++;
        else if (c >= '0' && c <= '9' &&
                 (i == 0 || !(isalnum((unsigned char)text[i - 1]) || text[i - 1] == '.' ||
                              text[i - 1] == '_'))) {
            size_t j = i;
            while (j < len && text[j] >= '0' && text[j] <= '9')
                j++;
            bool frac = j < len && (text[j] == '.' || text[j] == 'e' || text[j] == 'E');
            /* libconfig 1.5 wraps a number past 32 bits (4294967296 reads as 0)
             * unless it ends in L, and past 64 bits it gives -1 */
            char digits[48];
            snprintf(digits, sizeof digits, "%.*s", (int)(j - i > 40 ? 40 : j - i), text + i);
            errno = 0;
            long long v = strtoll(digits, NULL, 10);
            bool wide = j < len && text[j] == 'L';
            if (!frac && (errno == ERANGE || j - i > 40 || (!wide && v > 2147483647LL))) {
                snprintf(err, errlen, "%s:%d: %s: too large a whole number (at most "
                         "2147483647)", path, line, digits);
                rc = -1;
            }
            i = j - 1;
        }
    }
    line = 1;
    /* libconfig's own rule: ^[ \t]*@include[ \t]+"FILE" with no escapes */
    for (const char *p = text; rc == 0 && *p; line++) {
        const char *eol = strchr(p, '\n');
        const char *q = p;
        while (*q == ' ' || *q == '\t')
            q++;
        if (strncmp(q, "@include", 8) == 0 && (q[8] == ' ' || q[8] == '\t')) {
            q += 8;
            while (*q == ' ' || *q == '\t')
                q++;
            const char *end = *q == '"' ? strchr(q + 1, '"') : NULL;
            if (end && (!eol || end < eol)) {
                char inc[512], at[640];
                size_t n = (size_t)(end - q - 1);
                if (n >= sizeof inc)
                    n = sizeof inc - 1;
                memcpy(inc, q + 1, n);
                inc[n] = '\0';
                snprintf(at, sizeof at, "%s:%d: @include \"%s\"", path, line, inc);
                if (depth + 1 > CONFIG_MAX_INCLUDE_DEPTH) {
                    snprintf(err, errlen, "%s: includes nested deeper than %d", at,
                             CONFIG_MAX_INCLUDE_DEPTH);
                    rc = -1;
                } else {
                    rc = check_file(inc, at, depth + 1, budget, err, errlen);
                }
            }
        }
        if (!eol)
            break;
        p = eol + 1;
    }
    free(text);
    return rc;
}

int config_file_check(const char *path, char *err, size_t errlen)
{
    size_t budget = CONFIG_MAX_BYTES;
    return check_file(path, path, 0, &budget, err, errlen);
}

static void apply_rule(const struct station_config *cfg, const struct config_rule *r,
                       config_t *lc, const char *path, struct errsink *e)
{
    const struct config_key *k = r->key ? find_key(r->key) : NULL;
    config_setting_t *st = k ? config_lookup(lc, r->key) : NULL;
    if (!st)
        return; /* not set: its default is the driver's to adapt */
    const char *file = config_setting_source_file(st) ? config_setting_source_file(st) : path;
    int line = config_setting_source_line(st);
    const void *f = (const char *)cfg + k->offset;
    /* a value the key itself refused (wrong type, out of range) was told */
    int t = config_setting_type(st);
    if (k->type == KEY_STRING ? t != CONFIG_TYPE_STRING || strcmp(config_setting_get_string(st), f)
                              : (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64) ||
                                    config_setting_get_int64(st) != *(const int *)f)
        return;
    char list[400], shown[CONFIG_STR_MAX + 4];
    size_t used = 0;
    bool ok = false;
    list[0] = '\0';
    if (k->type == KEY_STRING) {
        snprintf(shown, sizeof shown, "\"%s\"", (const char *)f);
        for (int i = 0; i < CONFIG_RULE_MAX && r->names[i]; i++) {
            ok = ok || strcmp(r->names[i], f) == 0;
            used += (size_t)snprintf(list + used, sizeof list - used, "%s\"%s\"",
                                     i ? ", " : "", r->names[i]);
        }
    } else {
        int v = *(const int *)f;
        shown_value(k, v, shown, sizeof shown);
        for (int i = 0; i < CONFIG_RULE_MAX && r->allowed[i]; i++) {
            char one[16];
            shown_value(k, r->allowed[i], one, sizeof one);
            ok = ok || r->allowed[i] == v;
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
                                     one);
        }
    }
    if (!ok)
        report(e, "%s:%d: %s: %s is not one of %s (%s)", file, line, k->path, shown, list,
               r->because);
}

int config_broker_problems(const char *host, const char *ca_file, const char *cert_file,
                           const char *key_file, struct config_problem out[4])
{
    int n = 0;
    bool control = false;
    for (const unsigned char *p = (const unsigned char *)host; *p; p++)
        control = control || *p < 0x20 || *p == 0x7f;
    if (!host[0] || control)
        out[n++] = (struct config_problem){
            "host", host[0] ? "holds control characters (a host name or an IP address is allowed)"
                            : "empty (the broker's host name or IP address is required)"};
    if (!ca_file[0])
        out[n++] = (struct config_problem){
            "ca_file", "empty (the file of the CA that signed the broker's certificate is "
                       "required: the broker is reached over TLS only)"};
    if (cert_file[0] && !key_file[0])
        out[n++] = (struct config_problem){
            "cert_file", "set without key_file (a client certificate and its key: both or neither)"};
    if (key_file[0] && !cert_file[0])
        out[n++] = (struct config_problem){
            "key_file", "set without cert_file (a client certificate and its key: both or neither)"};
    return n;
}

int config_load(struct station_config *cfg, const char *path,
                char *errbuf, size_t errlen)
{
    return config_load_ruled(cfg, path, NULL, errbuf, errlen);
}

int config_load_ruled(struct station_config *cfg, const char *path, config_rules_fn rules,
                      char *errbuf, size_t errlen)
{
    struct errsink e = {errbuf, errlen, 0, 0, 0};
    if (errbuf && errlen)
        errbuf[0] = '\0';
    config_defaults(cfg);

    char why_not[1200];
    if (config_file_check(path, why_not, sizeof why_not) < 0) {
        report(&e, "%s", why_not);
        return e.count;
    }
    FILE *fp = fopen(path, "r");
    if (!fp) {
        report(&e, "%s: cannot open: %m", path);
        return e.count;
    }
    config_t lc;
    config_init(&lc);
    if (!config_read(&lc, fp)) {
        const char *why = config_error_text(&lc);
        const char *in = config_error_file(&lc); /* an included file, or NULL */
        report(&e, "%s:%d: %s%s", in ? in : path, config_error_line(&lc),
               strcmp(why, "syntax error") == 0 ? "" : "syntax error: ", why);
        config_destroy(&lc);
        fclose(fp);
        return e.count;
    }
    fclose(fp);
    walk(cfg, config_root_setting(&lc), "", path, &e);
    if (rules) {
        struct config_rule r[8];
        size_t n = rules(cfg, r, sizeof r / sizeof r[0]);
        for (size_t i = 0; i < n; i++)
            apply_rule(cfg, &r[i], &lc, path, &e);
    }
    /* the station's name at the clinic is a topic level and a broker user */
    const char *id = cfg->clinic.station_id;
    if (id[0] && (strlen(id) > 32 || strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
                                         strlen(id))) {
        config_setting_t *s = config_lookup(&lc, "clinic.station_id");
        report(&e, "%s:%d: clinic.station_id: '%s' is not allowed (1 to 32 of a-z, 0-9 and -)",
               path, s ? config_setting_source_line(s) : 0, id);
    }
    struct config_problem bp[4];
    int nbp = config_broker_problems(cfg->clinic.host, cfg->clinic.ca_file,
                                     cfg->clinic.cert_file, cfg->clinic.key_file, bp);
    for (int i = 0; i < nbp; i++) {
        char key[32];
        snprintf(key, sizeof key, "clinic.%s", bp[i].key);
        config_setting_t *s = config_lookup(&lc, key);
        report(&e, "%s:%d: %s: %s", path, s ? config_setting_source_line(s) : 0, key, bp[i].why);
    }
    config_destroy(&lc);

    /* keys that must agree with each other: lo below hi (0 for hi: no limit) */
    const struct {
        const char *lo_key, *hi_key;
        double lo, hi;
        bool strict;
    } pairs[] = {
        {"rocking.rate_min_hz", "rocking.rate_max_hz", cfg->rocking.rate_min_hz,
         cfg->rocking.rate_max_hz, true},
        {"rocking.swing_min_deg", "rocking.swing_max_deg", cfg->rocking.swing_min_deg,
         cfg->rocking.swing_max_deg, true},
        /* a hold shorter than min_hold_s is never seen: no target may be shorter */
        {"holds.min_hold_s", "holds.stretch_s", cfg->holds.min_hold_s, cfg->holds.stretch_s, false},
        {"holds.min_hold_s", "holds.child_pose_s", cfg->holds.min_hold_s,
         cfg->holds.child_pose_s, false},
        {"holds.min_hold_s", "holds.backblock_min_s", cfg->holds.min_hold_s,
         cfg->holds.backblock_min_s, false},
        /* a step must not time out inside its own get-ready countdown */
        {"session.rest_s", "session.step_timeout_s", cfg->session.rest_s,
         cfg->session.step_timeout_s > 0 ? cfg->session.step_timeout_s : 1e300, true},
    };
    for (size_t i = 0; e.count == 0 && i < sizeof pairs / sizeof pairs[0]; i++)
        if (pairs[i].strict ? pairs[i].lo >= pairs[i].hi : pairs[i].lo > pairs[i].hi)
            report(&e, "%s: %s (%g) must be %s %s (%g)", path, pairs[i].lo_key, pairs[i].lo,
                   pairs[i].strict ? "below" : "at most", pairs[i].hi_key, pairs[i].hi);
    return finish_errors(&e, path);
}

void config_describe(char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < NKEYS && used < len; i++) {
        const struct config_key *k = &keys[i];
        char allow[128], def[CONFIG_STR_MAX + 8];
        allowed(k, allow, sizeof allow);
        switch (k->type) {
        case KEY_INT:
            snprintf(def, sizeof def, k->offset == OFF(sensor.address) ? "0x%02x" : "%d",
                     (int)k->def_num);
            break;
        case KEY_FLOAT: snprintf(def, sizeof def, "%g", k->def_num); break;
        case KEY_BOOL: snprintf(def, sizeof def, "%s", k->def_num ? "true" : "false"); break;
        case KEY_STRING: snprintf(def, sizeof def, "\"%s\"", k->def_str); break;
        }
        int n = snprintf(buf + used, len - used, "| `%s` | %s | %s | %s |\n",
                         k->path, def, allow, k->help);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}
