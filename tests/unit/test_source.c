/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_source: replay pacing and looping, and the emulated sensor source. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sensor/source.h"
#include "test_util.h"

static char path[64];

static void write_trace(int rows, double rate)
{
    snprintf(path, sizeof path, "/tmp/station-src-%d.csv", (int)getpid());
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fprintf(fp, "# station-trace 1\n# sample_rate_hz=%g\n%s\n", rate, TRACE_COLUMNS);
    for (int i = 0; i < rows; i++)
        fprintf(fp, "%.6f,0,0,1,%d,0,0\n", 5.0 + i / rate, i);
    fclose(fp);
}

static void test_replay_as_fast_as_possible(void **state)
{
    (void)state;
    write_trace(1000, 100);
    struct station_config cfg;
    config_defaults(&cfg);
    struct source_options opt = {SOURCE_REPLAY, path, 0, false, NULL, NULL};
    char err[256];
    struct source *s = source_open(&opt, &cfg, 0, err, sizeof err);
    assert_non_null(s);
    assert_int_equal(source_state(s), SOURCE_STATE_REPLAY);
    struct sample buf[300];
    size_t total = 0, n;
    while ((n = source_read(s, 0, buf, 300)) > 0) {
        for (size_t i = 0; i < n; i++) {
            assert_near(buf[i].g[0], (double)(total + i), 1e-9);
            assert_near(buf[i].t, (total + i) / 100.0, 1e-9); /* from 0 */
        }
        total += n;
    }
    assert_int_equal(total, 1000);
    assert_true(source_done(s));
    assert_null(source_error(s));
    source_close(s);
    unlink(path);
}

static void test_replay_in_real_time_and_loop(void **state)
{
    (void)state;
    write_trace(100, 100); /* one second */
    struct station_config cfg;
    config_defaults(&cfg);
    struct source_options opt = {SOURCE_REPLAY, path, 1, true, NULL, NULL};
    char err[256];
    struct source *s = source_open(&opt, &cfg, 10.0, err, sizeof err);
    assert_non_null(s);
    struct sample buf[400];
    size_t n = source_read(s, 10.5, buf, 400);
    assert_int_equal(n, 51); /* samples due by half a second: 0.00 .. 0.50 */
    n += source_read(s, 12.505, buf + n, 400 - n);
    assert_int_equal(n, 251); /* looped: time keeps going up */
    for (size_t i = 1; i < n; i++)
        assert_near(buf[i].t - buf[i - 1].t, 0.01, 1e-9);
    assert_false(source_done(s));
    source_close(s);
    unlink(path);
}

static void test_bad_trace_is_an_error(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/station-src-%d.csv", (int)getpid());
    FILE *fp = fopen(path, "w");
    fprintf(fp, "# station-trace 1\n%s\n0,0,0,1,0,0,0\n0.01,0,0,x,0,0,0\n", TRACE_COLUMNS);
    fclose(fp);
    struct station_config cfg;
    config_defaults(&cfg);
    struct source_options opt = {SOURCE_REPLAY, path, 0, false, NULL, NULL};
    char err[256];
    struct source *s = source_open(&opt, &cfg, 0, err, sizeof err);
    assert_non_null(s);
    struct sample buf[10];
    size_t n = source_read(s, 0, buf, 10);
    assert_int_equal(n, 1);
    assert_true(source_done(s));
    assert_non_null(strstr(source_error(s), ":4: az_g: 'x' is not a number"));
    source_close(s);
    unlink(path);
    opt.trace = "/nonexistent.csv";
    assert_null(source_open(&opt, &cfg, 0, err, sizeof err));
    assert_non_null(strstr(err, "/nonexistent.csv: cannot open"));
}

/* Reads an emulator source for two seconds: samples evenly spaced at
 * rate_hz, the trace's gyro x ramp (100 deg/s per second) played. Returns
 * how many. */
static size_t plays_the_ramp(struct source *s, double rate_hz)
{
    static struct sample buf[1000];
    size_t n = 0;
    for (double now = 100.0; now < 102.0; now += 0.02)
        n += source_read(s, now, buf + n, 1000 - n);
    assert_true(n > 1);
    for (size_t i = 1; i < n; i++)
        assert_near(buf[i].t - buf[i - 1].t, 1 / rate_hz, 5e-4);
    assert_near(buf[n - 1].g[0] - buf[0].g[0], 100 * (buf[n - 1].t - buf[0].t), 2);
    return n;
}

static void test_emulated_sensor_source(void **state)
{
    (void)state;
    write_trace(300, 100);
    struct station_config cfg;
    config_defaults(&cfg);
    cfg.sensor.sample_rate_hz = 200;
    struct source_options opt = {SOURCE_EMU, path, 1, false, NULL, NULL};
    char err[256];
    struct source *s = source_open(&opt, &cfg, 100.0, err, sizeof err);
    assert_non_null(s);
    assert_int_equal(source_state(s), SOURCE_STATE_DEMO);
    assert_near(source_meta(s)->sample_rate_hz, 200, 1e-9);
    /* two seconds at 200 Hz, less the chip's 0.2 s of resets and the
     * start-up frames the driver drops */
    size_t n = plays_the_ramp(s, 200);
    assert_true(n > 330 && n <= 361);
    source_close(s);
    unlink(path);
}

static void test_sensor_names(void **state)
{
    (void)state;
    struct source_options o = {0};
    char err[400];
    assert_int_equal(source_sensor_parse("emu", &o, err, sizeof err), 0);
    assert_int_equal(o.kind, SOURCE_EMU);
    assert_null(o.chip);
    assert_int_equal(source_sensor_parse("emu:lsm6dso", &o, err, sizeof err), 0);
    assert_int_equal(o.kind, SOURCE_EMU);
    assert_string_equal(o.chip, "lsm6dso");
    assert_int_equal(source_sensor_parse("lsm6ds3", &o, err, sizeof err), 0);
    assert_int_equal(o.kind, SOURCE_CHIP);
    assert_string_equal(o.chip, "lsm6ds3");
    assert_int_equal(source_sensor_parse("mpu6050", &o, err, sizeof err), 0);
    assert_int_equal(o.kind, SOURCE_CHIP);
    assert_int_equal(source_sensor_parse("replay", &o, err, sizeof err), 0);
    assert_int_equal(o.kind, SOURCE_REPLAY);
    assert_null(o.chip);
    assert_int_equal(source_sensor_parse("usb", &o, err, sizeof err), -1);
    assert_non_null(strstr(err, "'usb' is not one of auto, replay, emu, emu:CHIP"));
    assert_non_null(strstr(err, "lsm6dso"));
    assert_int_equal(source_sensor_parse("emu:bmi160", &o, err, sizeof err), -1);
    assert_int_equal(source_sensor_parse("chip", &o, err, sizeof err), -1);
    assert_string_equal(source_kind_name(SOURCE_CHIP), "chip");
    assert_string_equal(source_state_name(SOURCE_STATE_DEMO), "DEMO");
}

/* The LSM6DSO's emulator behind the same source: the trace comes out of
 * its tagged FIFO at the chip's rate (104 Hz for 100 asked). */
static void test_emulated_lsm6dso_source(void **state)
{
    (void)state;
    write_trace(1000, 100);
    struct station_config cfg;
    config_defaults(&cfg);
    struct source_options opt = {SOURCE_EMU, path, 1, false, "chip=lsm6dso", NULL};
    char err[256];
    struct source *s = source_open(&opt, &cfg, 100.0, err, sizeof err);
    assert_non_null(s);
    assert_near(source_meta(s)->sample_rate_hz, 104, 1e-9);
    assert_non_null(strstr(trace_meta_get(source_meta(s), "source"), "LSM6DSO"));
    /* two seconds at 104 Hz, less the reset wait and the settling frames */
    size_t n = plays_the_ramp(s, 104);
    assert_true(n > 180 && n <= 208);
    struct source_stats st;
    source_stats(s, &st);
    assert_int_equal(st.samples, n);
    assert_int_equal(st.overflows, 0);
    source_close(s);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replay_as_fast_as_possible),
        cmocka_unit_test(test_replay_in_real_time_and_loop),
        cmocka_unit_test(test_bad_trace_is_an_error),
        cmocka_unit_test(test_emulated_sensor_source),
        cmocka_unit_test(test_sensor_names),
        cmocka_unit_test(test_emulated_lsm6dso_source),
    };
    return cmocka_run_group_tests_name("source", tests, NULL, NULL);
}
