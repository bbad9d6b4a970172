/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_config: the configuration loader's table, defaults and errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "sensor/drivers.h"
#include "test_util.h"

static char path[64];

static void write_cfg(const char *text)
{
    snprintf(path, sizeof path, "/tmp/station-test-%d.cfg", (int)getpid());
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static int load(const char *text, struct station_config *cfg, char *errs, size_t len)
{
    write_cfg(text);
    int n = config_load_ruled(cfg, path, drivers_config_rules, errs, len);
    unlink(path);
    return n;
}

static void test_defaults(void **state)
{
    (void)state;
    struct station_config cfg;
    config_defaults(&cfg);
    assert_int_equal(cfg.sensor.i2c_bus, 1);
    assert_int_equal(cfg.sensor.address, 0x68);
    assert_int_equal(cfg.sensor.sample_rate_hz, 100);
    assert_int_equal(cfg.sensor.accel_range_g, 2);
    assert_int_equal(cfg.sensor.gyro_range_dps, 250);
    assert_true(cfg.buttons.active_low);
    assert_near(cfg.rocking.rate_min_hz, 1.0, 1e-12);
    assert_near(cfg.rocking.rate_max_hz, 1.3, 1e-12);
    assert_near(cfg.holds.child_pose_s, 120, 1e-12);
    assert_string_equal(cfg.storage.directory, "/var/lib/station");
}

static void test_shipped_file_is_valid(void **state)
{
    (void)state;
    struct station_config cfg, def;
    char errs[2048];
    assert_int_equal(config_load(&cfg, "config/station.cfg", errs, sizeof errs), 0);
    config_defaults(&def);
    /* the shipped file states the defaults, nothing else */
    assert_memory_equal(&cfg, &def, sizeof cfg);
}

static void test_values_and_missing_keys(void **state)
{
    (void)state;
    struct station_config cfg;
    char errs[1024];
    int n = load("sensor = { i2c_bus = 3; address = 0x69; sample_rate_hz = 200; };\n"
                 "rocking = { rate_min_hz = 1; rate_max_hz = 1.4; };\n"
                 "display = { fullscreen = true; };\n"
                 "storage = { directory = \"/srv/st\"; };\n",
                 &cfg, errs, sizeof errs);
    assert_int_equal(n, 0);
    assert_int_equal(cfg.sensor.i2c_bus, 3);
    assert_int_equal(cfg.sensor.address, 0x69);
    assert_int_equal(cfg.sensor.sample_rate_hz, 200);
    assert_near(cfg.rocking.rate_min_hz, 1.0, 1e-12); /* an int where a float goes */
    assert_near(cfg.rocking.rate_max_hz, 1.4, 1e-12);
    assert_true(cfg.display.fullscreen);
    assert_string_equal(cfg.storage.directory, "/srv/st");
    assert_int_equal(cfg.sensor.dlpf_hz, 44); /* missing: default */
}

static void test_range_error_names_file_line_key(void **state)
{
    (void)state;
    struct station_config cfg;
    char errs[1024];
    int n = load("# comment\n\nsensor = {\n  sample_rate_hz = 3000;\n};\n", &cfg, errs,
                 sizeof errs);
    assert_int_equal(n, 1);
    char want[256];
    snprintf(want, sizeof want, "%s:4: sensor.sample_rate_hz: 3000 is out of range 10..1000\n",
             path);
    assert_string_equal(errs, want);
    assert_int_equal(cfg.sensor.sample_rate_hz, 100); /* bad value not taken */
}

static void test_choices_type_unknown(void **state)
{
    (void)state;
    struct station_config cfg;
    char errs[2048];
    int n = load("sensor = { address = 0x50; accel_range_g = 3; };\n"
                 "buttons = { debounce_ms = \"fast\"; active_low = 1; };\n"
                 "rocking = { rate_mn_hz = 1.0; };\n"
                 "colour = { x = 1; };\n",
                 &cfg, errs, sizeof errs);
    assert_int_equal(n, 6);
    assert_non_null(strstr(errs, ":1: sensor.address: 0x50 is not one of 0x68, 0x69, 0x6a, 0x6b "
                                 "(with sensor.chip = \"auto\")"));
    assert_non_null(strstr(errs, ":1: sensor.accel_range_g: 3 is not one of 2, 4, 8, 16"));
    assert_non_null(strstr(errs, ":2: buttons.debounce_ms: expected a whole number (1..500)"));
    assert_non_null(strstr(errs, ":2: buttons.active_low: expected true or false"));
    assert_non_null(strstr(errs, ":3: rocking.rate_mn_hz: unknown key (did you mean "
                                 "rocking.rate_min_hz?)"));
    assert_non_null(strstr(errs, ":4: colour: unknown section"));
}

static void test_section_used_as_value(void **state)
{
    (void)state;
    struct station_config cfg;
    char errs[512];
    assert_int_equal(load("sensor = 5;\n", &cfg, errs, sizeof errs), 1);
    assert_non_null(strstr(errs, ":1: sensor: is a section"));
}

static void test_cross_key_rule(void **state)
{
    (void)state;
    struct station_config cfg;
    char errs[512];
    assert_int_equal(load("rocking = { rate_min_hz = 1.5; rate_max_hz = 1.2; };\n", &cfg,
                          errs, sizeof errs), 1);
    assert_non_null(strstr(errs, "rocking.rate_min_hz (1.5) must be below rocking.rate_max_hz"));
}

static void test_syntax_error_and_missing_file(void **state)
{
    (void)state;
    struct station_config cfg;
    char errs[512];
    assert_int_equal(load("sensor = {\n  i2c_bus = 1;\n  address = = 0x68;\n};\n", &cfg, errs,
                          sizeof errs), 1);
    assert_non_null(strstr(errs, ":3: syntax error"));
    assert_int_equal(config_load(&cfg, "/nonexistent/station.cfg", errs, sizeof errs), 1);
    assert_non_null(strstr(errs, "/nonexistent/station.cfg: cannot open"));
}

static void test_errors_truncate_safely(void **state)
{
    (void)state;
    struct station_config cfg;
    char errs[16];
    int n = load("a = 1;\nb = 2;\nc = 3;\n", &cfg, errs, sizeof errs);
    assert_int_equal(n, 3); /* all counted even when the text does not fit */
    assert_true(strlen(errs) < sizeof errs);    /* whole lines only, and how many were left out */
    char text[4000] = "", many[600];
    for (int i = 0; i < 200; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "k%d = 1;\n", i);
    assert_int_equal(load(text, &cfg, many, sizeof many), 200);
    assert_non_null(strstr(many, "more errors not shown\n"));
    for (char *l = many; *l; l = strchr(l, '\n') + 1)
        assert_non_null(strchr(l, '\n'));
}

/* libconfig's scanner exits the process when it reads a directory (a
 * SIGHUP reload would kill the station): such files are refused with
 * FILE:LINE before libconfig sees them. */
static void test_directory_include_is_refused_not_fatal(void **state)
{
    (void)state;
    char dir[96], inc[96], top[96], text[300];
    snprintf(dir, sizeof dir, "/tmp/station-test-%d.d", (int)getpid());
    snprintf(inc, sizeof inc, "/tmp/station-test-%d-inc.cfg", (int)getpid());
    snprintf(top, sizeof top, "/tmp/station-test-%d-top.cfg", (int)getpid());
    assert_int_equal(mkdir(dir, 0700), 0);
    struct station_config cfg;
    char errs[1024], want[400];
    snprintf(text, sizeof text, "# a comment\n  @include \"%s\"\n", dir);
    assert_int_equal(load(text, &cfg, errs, sizeof errs), 1);
    snprintf(want, sizeof want, "%s:2: @include \"%s\": is a directory", path, dir);
    assert_non_null(strstr(errs, want));
    /* the directory itself as the file */
    assert_int_equal(config_load(&cfg, dir, errs, sizeof errs), 1);
    assert_non_null(strstr(errs, "is a directory"));
    /* nested: the file and line that include it are named */
    FILE *fp = fopen(inc, "w");
    fprintf(fp, "@include \"%s\"\n", dir);
    fclose(fp);
    fp = fopen(top, "w");
    fprintf(fp, "@include \"%s\"\n", inc);
    fclose(fp);
    assert_int_equal(config_load(&cfg, top, errs, sizeof errs), 1);
    snprintf(want, sizeof want, "%s:1: @include \"%s\": is a directory", inc, dir);
    assert_non_null(strstr(errs, want));
    /* an error inside an included file names that file, not the top one */
    fp = fopen(inc, "w");
    fprintf(fp, "\n\nsensor = { sample_rate_hz = 5000; };\n");
    fclose(fp);
    assert_int_equal(config_load(&cfg, top, errs, sizeof errs), 1);
    snprintf(want, sizeof want, "%s:3: sensor.sample_rate_hz: 5000 is out of range", inc);
    assert_non_null(strstr(errs, want));
    unlink(top);
    unlink(inc);
    rmdir(dir);
}

static void test_size_bom_nul_address(void **state)
{
    (void)state;
    struct station_config cfg;
    char errs[1024];
    /* bigger than the limit: refused at once, before libconfig parses it */
    size_t big = CONFIG_MAX_BYTES + 10;
    char *text = malloc(big + 1);
    memset(text, '#', big);
    for (size_t i = 80; i < big; i += 81)
        text[i] = '\n';
    text[big] = '\0';
    assert_int_equal(load(text, &cfg, errs, sizeof errs), 1);
    free(text);
    assert_non_null(strstr(errs, "too large"));
    assert_non_null(strstr(errs, "at most 65536 bytes"));
    assert_int_equal(load("\xEF\xBB\xBFsensor = { i2c_bus = 1; };\n", &cfg, errs, sizeof errs), 1);
    assert_non_null(strstr(errs, ":1: starts with a byte-order mark"));
    write_cfg("");
    FILE *fp = fopen(path, "w");
    fwrite("# a\n# b\0\n", 1, 10, fp);
    fclose(fp);
    assert_int_equal(config_load(&cfg, path, errs, sizeof errs), 1);
    unlink(path);
    assert_non_null(strstr(errs, ":2: a NUL byte"));
    /* libconfig wraps numbers past 32 bits and turns those past 64 into -1 */
    assert_int_equal(load("sensor = { i2c_bus = 4294967297; };\n", &cfg, errs, sizeof errs), 1);
    assert_non_null(strstr(errs, ":1: 4294967297: too large a whole number"));
    assert_int_equal(load("# 99999999999999999999\nstorage = { directory = \"/a/99999999999999999999\"; };\n"
                          "sensor = { i2c_bus = 99999999999999999999; };\n", &cfg, errs, sizeof errs), 1);
    assert_non_null(strstr(errs, ":3: 99999999999999999999: too large a whole number"));
    assert_int_equal(load("holds = { stretch_s = 12345678901234567890.0; };\n", &cfg, errs, sizeof errs), 1);
    assert_non_null(strstr(errs, "holds.stretch_s")); /* a float: libconfig's own range message */
    assert_int_equal(load("storage = { directory = \"caf\xc3\xa9\"; };\n", &cfg, errs, sizeof errs), 0);
    assert_int_equal(load("# caf\xe9\n", &cfg, errs, sizeof errs), 1);
    assert_non_null(strstr(errs, ":1: byte 0xe9 is not UTF-8"));
    /* -1 as an address: named as it was written (no float-to-unsigned UB) */
    assert_int_equal(load("sensor = { address = -1; };\n", &cfg, errs, sizeof errs), 1);
    assert_non_null(strstr(errs, "sensor.address: -1 is out of range 0x03..0x77"));
}

static void test_describe_lists_every_key(void **state)
{
    (void)state;
    char buf[16384];
    config_describe(buf, sizeof buf);
    assert_non_null(strstr(buf, "`sensor.sample_rate_hz` | 100 | 10..1000 |"));
    assert_non_null(strstr(buf, "`sensor.address` | 0x68 | 0x03..0x77 |"));
    assert_non_null(strstr(buf, "`storage.directory` | \"/var/lib/station\""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_shipped_file_is_valid),
        cmocka_unit_test(test_values_and_missing_keys),
        cmocka_unit_test(test_range_error_names_file_line_key),
        cmocka_unit_test(test_choices_type_unknown),
        cmocka_unit_test(test_section_used_as_value),
        cmocka_unit_test(test_cross_key_rule),
        cmocka_unit_test(test_syntax_error_and_missing_file),
        cmocka_unit_test(test_errors_truncate_safely),
        cmocka_unit_test(test_describe_lists_every_key),
        cmocka_unit_test(test_directory_include_is_refused_not_fatal),
        cmocka_unit_test(test_size_bom_nul_address),
    };
    return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
