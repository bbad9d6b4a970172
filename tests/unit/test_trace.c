/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_trace: the trace format's writer and reader, and their errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"
#include "trace/trace.h"

static char path[64];

static const char *file_with(const char *text)
{
    snprintf(path, sizeof path, "/tmp/station-trace-%d.csv", (int)getpid());
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    return path;
}

#define HEADER "# station-trace 1\n# sample_rate_hz=100\n" TRACE_COLUMNS "\n"

static void test_roundtrip(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/station-trace-%d.csv", (int)getpid());
    struct trace_meta meta = {0};
    meta.sample_rate_hz = 200;
    meta.accel_range_g = 4;
    meta.gyro_range_dps = 500;
    trace_meta_set(&meta, "placement", "left thigh");
    struct trace_writer w;
    assert_int_equal(trace_writer_open(&w, path, &meta), 0);
    for (int i = 0; i < 50; i++) {
        struct sample s = {i * 0.005, {0.01 * i, -0.5, 1.0}, {1.25 * i, 0, -300.5}};
        assert_int_equal(trace_writer_sample(&w, &s), 0);
        if (i == 20)
            assert_int_equal(trace_writer_comment(&w, "gap start_s=0.1 length_s=0"), 0);
    }
    assert_int_equal(trace_writer_close(&w), 0);

    char err[256];
    struct trace_reader *r = trace_reader_open(path, err, sizeof err);
    assert_non_null(r);
    const struct trace_meta *m = trace_reader_meta(r);
    assert_near(m->sample_rate_hz, 200, 1e-9);
    assert_int_equal(m->accel_range_g, 4);
    assert_int_equal(m->gyro_range_dps, 500);
    assert_string_equal(trace_meta_get(m, "placement"), "left thigh");
    struct sample s;
    int n = 0;
    while (trace_reader_next(r, &s, err, sizeof err) == 1) {
        assert_near(s.t, n * 0.005, 1e-6);
        assert_near(s.a[0], 0.01 * n, 1e-5);
        assert_near(s.g[0], 1.25 * n, 1e-4);
        assert_near(s.g[2], -300.5, 1e-4);
        n++;
    }
    assert_int_equal(n, 50);
    assert_int_equal(trace_reader_gaps(r, NULL), 0);
    trace_reader_close(r);
    unlink(path);
}

static void expect_error(const char *text, const char *want, int at_row)
{
    char err[256] = "";
    struct trace_reader *r = trace_reader_open(file_with(text), err, sizeof err);
    if (at_row < 0) {
        assert_null(r);
    } else {
        assert_non_null(r);
        struct sample s;
        int rc, rows = 0;
        while ((rc = trace_reader_next(r, &s, err, sizeof err)) == 1)
            rows++;
        assert_int_equal(rc, -1);
        assert_int_equal(rows, at_row);
        trace_reader_close(r);
    }
    if (!strstr(err, want))
        fail_msg("error '%s' does not contain '%s'", err, want);
    unlink(path);
}

static void test_header_errors(void **state)
{
    (void)state;
    expect_error("t_s,ax_g\n", ":1: not a station trace", -1);
    expect_error("# station-trace 2\n", ":1: trace format version 2; this station reads version 1", -1);
    expect_error("# station-trace 1\nt,ax,ay\n", ":2: expected the column line", -1);
    expect_error("# station-trace 1\n# sample_rate_hz=fast\n", ":2: sample_rate_hz: 'fast'", -1);
    expect_error("", ":1: empty file", -1);
    /* binary junk is shown escaped, not echoed raw */
    expect_error(HEADER "0.00,\x01\x1b[2J\xff,0,1,0,0,0\n",
                 ":4: ax_g: '\\x01\\x1B[2J\\xFF' is not a number", 0);
    expect_error("# station-trace 1\n# sample_rate_hz=\x1b]0;x\n", ":2: sample_rate_hz: '\\x1B]0;x'", -1);
}

static void test_row_errors_name_the_line(void **state)
{
    (void)state;
    expect_error(HEADER "0.00,0,0,1,0,0,0\n0.01,0,zero,1,0,0,0\n",
                 ":5: ay_g: 'zero' is not a number", 1);
    expect_error(HEADER "0.00,0,0,1,0,0\n", ":4: expected 7 comma-separated values", 0);
    expect_error(HEADER "0.00,0,0,1,0,0,0,9\n", ":4: expected 7 comma-separated values", 0);
}

/* A reading beyond the sensor's largest range is a corrupted row: dropped
 * and counted like a NaN, not a refusal of the whole file; an underflowing
 * number (1e-400) is a number, near enough 0. */
static void test_out_of_range_dropped_underflow_read(void **state)
{
    (void)state;
    char err[256] = "";
    struct trace_reader *r = trace_reader_open(
        file_with(HEADER "0.00,0,0,1,0,0,0\n"
                         "0.01,0,0,99,0,0,1\n"      /* accel beyond +-16 g */
                         "0.02,0,0,1,1e300,0,2\n"   /* gyro beyond +-2000 dps */
                         "0.03,1e39,0,1,0,0,3\n"
                         "0.04,1e-400,0,1,0,0,4\n" /* underflows: a number */
                         "0.05,0,0,1,0,1e400,5\n"  /* overflows: infinite */
                         "0.06,0,0,1,0,0,6\n"),
        err, sizeof err);
    assert_non_null(r);
    struct sample s;
    double want_gz[] = {0, 4, 6};
    int rc, n = 0;
    while ((rc = trace_reader_next(r, &s, err, sizeof err)) == 1) {
        assert_true(n < 3);
        assert_near(s.g[2], want_gz[n], 1e-9);
        if (n == 1)
            assert_near(s.a[0], 0, 1e-300);
        n++;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(n, 3);
    struct trace_drops d;
    trace_reader_drops(r, &d);
    assert_int_equal(d.out_of_range, 3);
    assert_int_equal(d.not_finite, 1);
    assert_int_equal(d.time, 0);
    assert_int_equal(trace_reader_dropped(r), 4);
    trace_reader_close(r);
    unlink(path);
}

/* A repeated or backwards timestamp, a duplicated row and a NaN are
 * glitches: each is dropped and counted, never a gap, and the rows after it
 * are read. */
static void test_glitches_dropped_and_counted(void **state)
{
    (void)state;
    char err[256] = "";
    struct trace_reader *r = trace_reader_open(
        file_with(HEADER "0.00,0,0,1,0,0,0\n"
                         "0.01,0,0,1,0,0,1\n"
                         "0.01,0,0,1,0,0,1\n"    /* duplicated row */
                         "0.01,0,0,1,0,0,5\n"    /* repeated timestamp */
                         "0.02,0,0,1,0,0,2\n"
                         "0.015,0,0,1,0,0,9\n"   /* backwards */
                         "0.03,0,0,1,0,nan,3\n"  /* NaN in a value */
                         "nan,0,0,1,0,0,9\n"     /* NaN time */
                         "0.04,0,0,1,0,0,4\n"
                         "0.05,inf,0,1,0,0,9\n"  /* infinite */
                         "0.06,0,0,1,0,0,6\n"),
        err, sizeof err);
    assert_non_null(r);
    struct sample s;
    double want_t[] = {0.00, 0.01, 0.02, 0.04, 0.06}, want_gz[] = {0, 1, 2, 4, 6};
    int rc, n = 0;
    while ((rc = trace_reader_next(r, &s, err, sizeof err)) == 1) {
        assert_true(n < 5);
        assert_near(s.t, want_t[n], 1e-9);
        assert_near(s.g[2], want_gz[n], 1e-9);
        n++;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(n, 5);
    assert_int_equal(trace_reader_dropped(r), 6);
    /* the dropped rows leave holes of one or two periods: 0.02 -> 0.04 and
     * 0.04 -> 0.06 are gaps as any missing sample is */
    assert_int_equal(trace_reader_gaps(r, NULL), 2);
    trace_reader_close(r);
    unlink(path);
}

/* Without a sample rate in the header, glitches among the first rows must
 * not fool the rate estimate, and are dropped like any other. */
static void test_glitches_in_the_rate_probe(void **state)
{
    (void)state;
    char text[8192] = "# station-trace 1\n" TRACE_COLUMNS "\n";
    double t = 0;
    for (int i = 0; i < 40; i++) {
        char row[64];
        t += 0.02;
        snprintf(row, sizeof row, "%.3f,0,0,1,0,0,0\n", t);
        strcat(text, row);
        if (i == 3 || i == 7)
            strcat(text, row); /* a duplicated row */
        if (i == 5)
            strcat(text, "0.001,0,0,1,0,0,0\n"); /* backwards */
    }
    char err[256];
    struct trace_reader *r = trace_reader_open(file_with(text), err, sizeof err);
    assert_non_null(r);
    assert_near(trace_reader_period(r), 0.02, 1e-9);
    struct sample s;
    int n = 0;
    while (trace_reader_next(r, &s, err, sizeof err) == 1)
        n++;
    assert_int_equal(n, 40);
    assert_int_equal(trace_reader_dropped(r), 3);
    assert_int_equal(trace_reader_gaps(r, NULL), 0);
    trace_reader_close(r);
    unlink(path);
}

/* A timestamp out of place is judged by the rows after it: one far ahead,
 * or 1 s ahead, that the next row does not follow is a lone glitch, dropped
 * and counted, and every row after it is read; a clock that restarts (a
 * counter wrap) and goes on is a new time base continuing the old clock. */
static void test_clock_jumps_judged_by_the_next_row(void **state)
{
    (void)state;
    char text[16384] = HEADER;
    for (int i = 0; i < 200; i++) {
        double t = i * 0.01;
        if (i == 50)
            t = 99999; /* a corrupted timestamp */
        else if (i == 100)
            t += 1.0; /* one row 1 s ahead */
        else if (i >= 150)
            t -= 1.2; /* the counter restarts and goes on */
        char row[64];
        snprintf(row, sizeof row, "%.6f,0,0,1,0,0,%d\n", t, i);
        strcat(text, row);
    }
    char err[256];
    struct trace_reader *r = trace_reader_open(file_with(text), err, sizeof err);
    assert_non_null(r);
    struct sample s;
    int rc, n = 0;
    double last = -1;
    while ((rc = trace_reader_next(r, &s, err, sizeof err)) == 1) {
        assert_true(s.t > last);
        if (s.g[2] >= 150) /* after the restart: the old clock goes on */
            assert_near(s.t, s.g[2] * 0.01, 1e-6);
        last = s.t;
        n++;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(n, 198);
    assert_int_equal(trace_reader_dropped(r), 2);
    assert_near(last, 1.99, 1e-6);
    trace_reader_close(r);
    unlink(path);
}

static void test_gaps_and_comments(void **state)
{
    (void)state;
    char err[256];
    struct trace_reader *r = trace_reader_open(
        file_with(HEADER "0.00,0,0,1,0,0,0\n0.01,0,0,1,0,0,0\n# gap\n"
                         "0.05,0,0,1,0,0,0\n0.06,0,0,1,0,0,0\n\n1.06,0,0,1,0,0,0\n"
                         "1.07,0,0,1,0,0,0\n"),
        err, sizeof err);
    assert_non_null(r);
    struct sample s;
    int n = 0;
    while (trace_reader_next(r, &s, err, sizeof err) == 1)
        n++;
    /* the row after the 1 s jump confirms it: a gap, not a glitch */
    assert_int_equal(n, 6);
    assert_int_equal(trace_reader_dropped(r), 0);
    double missing;
    assert_int_equal(trace_reader_gaps(r, &missing), 2);
    assert_near(missing, (0.04 - 0.01) + (1.0 - 0.01), 1e-9);
    trace_reader_close(r);
    unlink(path);
}

static void test_rate_estimated_without_metadata(void **state)
{
    (void)state;
    char text[8192] = "# station-trace 1\n" TRACE_COLUMNS "\n";
    double t = 0;
    for (int i = 0; i < 40; i++) {
        char row[64];
        t += (i == 5 || i == 9) ? 0.06 : 0.02; /* two drops must not fool it */
        snprintf(row, sizeof row, "%.3f,0,0,1,0,0,0\n", t);
        strcat(text, row);
    }
    char err[256];
    struct trace_reader *r = trace_reader_open(file_with(text), err, sizeof err);
    assert_non_null(r);
    assert_near(trace_reader_period(r), 0.02, 1e-9);
    struct sample s;
    int n = 0;
    while (trace_reader_next(r, &s, err, sizeof err) == 1)
        n++;
    assert_int_equal(n, 40); /* read-ahead rows are replayed, none lost */
    assert_int_equal(trace_reader_gaps(r, NULL), 2);
    trace_reader_close(r);
    unlink(path);
}

static void test_writer_reports_full_disk(void **state)
{
    (void)state;
    if (access("/dev/full", W_OK) != 0) {
        /* /dev/full is how we reach ENOSPC without a real full disk */
        fail_msg("/dev/full is not writable here");
    }
    struct trace_meta meta = {0};
    struct trace_writer w;
    assert_int_equal(trace_writer_open(&w, "/dev/full", &meta), 0);
    struct sample s = {0, {0, 0, 1}, {0, 0, 0}};
    int rc = 0;
    for (int i = 0; i < 10000 && rc == 0; i++)
        rc = trace_writer_sample(&w, &s);
    if (rc == 0)
        rc = trace_writer_sync(&w);
    assert_int_equal(rc, -28); /* ENOSPC */
    assert_int_equal(trace_writer_close(&w), -28);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_header_errors),
        cmocka_unit_test(test_row_errors_name_the_line),
        cmocka_unit_test(test_gaps_and_comments),
        cmocka_unit_test(test_out_of_range_dropped_underflow_read),
        cmocka_unit_test(test_clock_jumps_judged_by_the_next_row),
        cmocka_unit_test(test_glitches_dropped_and_counted),
        cmocka_unit_test(test_glitches_in_the_rate_probe),
        cmocka_unit_test(test_rate_estimated_without_metadata),
        cmocka_unit_test(test_writer_reports_full_disk),
    };
    return cmocka_run_group_tests_name("trace", tests, NULL, NULL);
}
