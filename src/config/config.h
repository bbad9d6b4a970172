/* SPDX-License-Identifier: GPL-3.0-or-later */
/* config: the station's configuration, loaded from a libconfig file.
 *
 * Every key lives in one table (config.c) with its type, range and default,
 * so adding a key is one row. Unknown keys are errors (they are usually
 * typos), missing keys take their defaults. */
#ifndef STATION_CONFIG_H
#define STATION_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define CONFIG_STR_MAX 256

struct config_sensor {
    char chip[CONFIG_STR_MAX]; /* "auto" or a chip's name (the drivers' table) */
    int i2c_bus;
    int address;
    int sample_rate_hz;
    int dlpf_hz;
    int accel_range_g;
    int gyro_range_dps;
    char int_gpiochip[CONFIG_STR_MAX];
    int int_line; /* -1: no INT line wired, a timer paces the reads */
};

struct config_buttons {
    char gpiochip[CONFIG_STR_MAX];
    int start_line;
    int next_line;
    int stop_line;
    bool active_low;
    int debounce_ms;
    int long_press_ms;
};

struct config_display {
    bool fullscreen;
    int width;
    int height;
    bool light;         /* the light theme, for bright rooms */
};

struct config_audio {
    bool sounds;        /* pacer tick and end-of-hold chime */
    bool speech;        /* spoken cues */
    bool instructions;  /* name, how-to and caution of each exercise */
    bool counts;        /* three, two, one before a hold's target */
    bool pacer;         /* tick at the target rate while rocking */
    int volume;
    char voice[CONFIG_STR_MAX];
    int speed_wpm;
    double cue_interval_s;
    char phrases[CONFIG_STR_MAX];
};

struct config_rocking {
    double rate_min_hz;
    double rate_max_hz;
    double rhythm_cv_max;
    double swing_min_deg;
    double swing_max_deg;
    double set_s;
};

struct config_holds {
    double min_hold_s;
    double child_pose_s;
    double stretch_s;
    int stretch_reps;
    int table_reps;
    double bounce_s;
    int bounce_reps;
    double backblock_s;
    double backblock_min_s;
};

/* storage.directory when the configuration names none */
#define CONFIG_STORAGE_DEFAULT "/var/lib/station"

struct config_storage {
    char directory[CONFIG_STR_MAX];
};

struct config_session {
    int stage;
    int advanced_per_week;
    double tolerance;
    double rest_s;
    double step_timeout_s;
    double bridge_s;
    double curl_rep_s;
    bool unattended_over_limit;
};

struct config_posture {
    bool check;
    double slack_deg;
};

/* Sending finished sessions to a clinic's server (`station upload`). */
struct config_clinic {
    bool enabled;
    char station_id[CONFIG_STR_MAX];   /* "" : the host name, lower case */
    char host[CONFIG_STR_MAX];
    int port;
    char ca_file[CONFIG_STR_MAX];
    char cert_file[CONFIG_STR_MAX];
    char key_file[CONFIG_STR_MAX];
    char username[CONFIG_STR_MAX];     /* "" : the station id */
    char password_file[CONFIG_STR_MAX];
    int resend_s;
    bool send_trace;
};

struct station_config {
    struct config_sensor sensor;
    struct config_buttons buttons;
    struct config_display display;
    struct config_audio audio;
    struct config_rocking rocking;
    struct config_holds holds;
    struct config_storage storage;
    struct config_session session;
    struct config_posture posture;
    struct config_clinic clinic;
};

/* A rule from a module above config (the sensor drivers: config knows no
 * chip): key's value, when the file sets it, must be one of allowed (an
 * integer key, 0-terminated) or names (a string key, NULL-terminated). */
#define CONFIG_RULE_MAX 24
struct config_rule {
    const char *key;     /* NULL: no rule */
    const char *because; /* said after the allowed values: "with sensor.chip = ..." */
    int allowed[CONFIG_RULE_MAX];
    const char *names[CONFIG_RULE_MAX];
};

/* Gives the rules for a configuration as loaded so far (the values of one
 * key decide what another may be). Returns how many it wrote into out. */
typedef size_t (*config_rules_fn)(const struct station_config *cfg, struct config_rule *out,
                                  size_t max);

/* Fills cfg with every key's default. Never fails. */
void config_defaults(struct station_config *cfg);

/* Loads path over the defaults. Returns the number of errors found (0 on
 * success). Each error is one line "FILE:LINE: key: what is wrong (what is
 * allowed)" appended to errbuf (NUL-terminated, truncated to errlen).
 * On error cfg holds the defaults plus whatever keys were valid. */
int config_load(struct station_config *cfg, const char *path,
                char *errbuf, size_t errlen);

/* config_load, then the rules (NULL: none) on every key the file sets,
 * each broken one an error "FILE:LINE: key: V is not one of A, B (because)". */
int config_load_ruled(struct station_config *cfg, const char *path, config_rules_fn rules,
                      char *errbuf, size_t errlen);

/* The most a configuration (the file and every file it includes, together)
 * may hold: parsing is quadratic in libconfig, and a reload must not keep the
 * main loop (and systemd's watchdog) waiting. The station's own file is
 * about 6 kB. */
#define CONFIG_MAX_BYTES (64 * 1024)
#define CONFIG_MAX_INCLUDE_DEPTH 10

/* Checks what libconfig will read before it reads it: path and every file
 * it @includes (as libconfig resolves them, to a depth of 10) must be
 * regular files that open, hold no NUL byte and start without a byte-order
 * mark, and all together hold at most CONFIG_MAX_BYTES. libconfig's scanner
 * exits the whole process when it is handed a directory to read; this is
 * the one place that keeps it from ever being. Returns 0, or -1 with one
 * line "FILE:LINE: problem (what is allowed)" in err. */
int config_file_check(const char *path, char *err, size_t errlen);

/* What is wrong with a set of broker settings (station.cfg's clinic group,
 * clinic.cfg's mqtt group) beyond each key's type: a host that is empty or
 * holds control characters, an empty CA file (TLS only), a client
 * certificate without its key or a key without its certificate. Fills
 * out[] with the key's last name ("host", "ca_file", "cert_file",
 * "key_file") and what is wrong and allowed; returns how many (up to 4). */
struct config_problem {
    const char *key, *why;
};
int config_broker_problems(const char *host, const char *ca_file, const char *cert_file,
                           const char *key_file, struct config_problem out[4]);

/* Writes a commented listing of every key with its default, range and help
 * text to buf: the source of truth the README and station.cfg follow. */
void config_describe(char *buf, size_t len);

#endif
