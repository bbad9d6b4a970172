/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_print: the printable reports (cairo): whole files, A4 pages, a PNG
 * of the first page, a page more for a long table, no file through a
 * symlink, and a clear error where nothing can be written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "history/history.h"
#include "report/print.h"
#include "test_util.h"

static char dir[128];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/station-print-%d", (int)getpid());
    return mkdir(dir, 0755);
}

static int teardown(void **state)
{
    (void)state;
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    static char buf[4 << 20];
    *len = fread(buf, 1, sizeof buf - 1, fp);
    buf[*len] = '\0';
    fclose(fp);
    return buf;
}

static int pages(const char *pdf, size_t len)
{
    int n = 0;
    for (size_t i = 0; i + 11 < len; i++)
        if (memcmp(pdf + i, "/Type /Page", 11) == 0 && pdf[i + 11] != 's')
            n++;
    return n;
}

static const char *summary =
    "{\"person\": \"Anna\", \"person_key\": \"00112233aabbccdd\", \"station\": \"clinic-1\", "
    "\"software\": \"station 1.1 (test)\", \"rate_band_hz\": [1.0, 1.3], \"rhythm_cv_max\": 0.12, "
    "\"status\": \"partial\", \"mode\": \"%s\", \"stage\": 1, \"started_s\": 0.5, \"ended_s\": 200, "
    "\"early_stop\": true, \"exercises_total\": 4, \"exercises_done\": 1, \"steps\": ["
    "{\"step\": 1, \"exercise\": \"child_pose\", \"name\": \"Child pose\", \"kind\": \"hold\", "
    "\"target_s\": 120, \"target_reps\": 1, \"started\": true, \"done\": true, \"holds_s\": [132.0]},"
    "{\"step\": 2, \"exercise\": \"knees_rocking\", \"name\": \"Knees rocking\", \"kind\": "
    "\"rocking\", \"target_s\": 60, \"started\": true, \"skipped\": true, \"rocking_s\": 50.3, "
    "\"cycles\": 52, \"done_of_target\": \"50 of 60 s of rocking\", \"sets\": [{\"seconds\": 30, "
    "\"cycles\": 30, \"rate_hz\": 1.03, \"rhythm_cv\": 0.02, \"swing_deg\": 11, \"rate\": "
    "\"on target\", \"rhythm\": \"steady\", \"effort\": \"gentle\"}, {\"seconds\": 20.3, "
    "\"cycles\": 22, \"rate_hz\": 1.6, \"rhythm_cv\": 0.2, \"swing_deg\": 25, \"rate\": \"too fast\", "
    "\"rhythm\": \"uneven\", \"effort\": \"vigorous\"}]}]}";

static void session(struct hist_session *s, const char *mode, time_t when)
{
    char json[4000];
    snprintf(json, sizeof json, summary, mode);
    assert_int_equal(history_parse(json, "20261104-090000", when, s), 0);
}

static void test_session_report(void **state)
{
    (void)state;
    struct hist_session *s = malloc(sizeof *s);
    session(s, "live", 1793786400);
    struct print_context ctx = {NULL, NULL, NULL, false, 1.0, 1.3, 0.12};
    char pdf[200], png[200], err[400];
    snprintf(pdf, sizeof pdf, "%s/s.pdf", dir);
    snprintf(png, sizeof png, "%s/s.png", dir);
    assert_int_equal(print_session(s, &ctx, pdf, png, err, sizeof err), 0);
    size_t len = 0;
    char *d = slurp(pdf, &len);
    assert_non_null(d);
    assert_true(len > 5000);
    assert_memory_equal(d, "%PDF-", 5);
    assert_int_equal(pages(d, len), 1);
    assert_non_null(memmem(d, len, "/MediaBox [ 0 0 595 842 ]", 25)); /* A4 */
    d = slurp(png, &len);
    assert_non_null(d);
    assert_memory_equal(d, "\x89PNG\r\n\x1a\n", 8);
    unsigned w = (unsigned char)d[18] << 8 | (unsigned char)d[19];
    unsigned h = (unsigned char)d[22] << 8 | (unsigned char)d[23];
    assert_int_equal(w, 1190);
    assert_int_equal(h, 1684);
    /* nothing but the two files: no temporary left */
    char cmd[300];
    snprintf(cmd, sizeof cmd, "test $(ls %s | wc -l) -eq 2", dir);
    assert_int_equal(system(cmd), 0);
    free(s);
}

static void test_person_report_pages(void **state)
{
    (void)state;
    int n = 30;
    struct hist_session *v = calloc((size_t)n, sizeof *v);
    for (int i = 0; i < n; i++)
        session(&v[i], i % 5 ? "live" : "replay", 1793520000 + i * 86400);
    struct print_context ctx = {"Anna", "2026-11-01", "2026-11-30", true, 1.0, 1.3, 0.12};
    char pdf[200], png[200], err[400];
    snprintf(pdf, sizeof pdf, "%s/p.pdf", dir);
    snprintf(png, sizeof png, "%s/p.png", dir);
    assert_int_equal(print_person(v, n, &ctx, pdf, png, err, sizeof err), 0);
    size_t len = 0;
    char *d = slurp(pdf, &len);
    assert_non_null(d);
    assert_int_equal(pages(d, len), 2); /* 12 rows on the first page, 18 on the second */
    assert_int_equal(print_person(v, 0, &ctx, pdf, NULL, err, sizeof err), 0); /* nobody came */
    d = slurp(pdf, &len);
    assert_int_equal(pages(d, len), 1);
    free(v);
}

/* Sessions a week in the person report: Monday weeks, as the station
 * counts them, whatever day --from is */
static void test_person_report_monday_weeks(void **state)
{
    (void)state;
    const char *days[] = {"2026-11-05", "2026-11-07", "2026-11-08", /* Thu, Sat, Sun */
                          "2026-11-09", "2026-11-10", "2026-11-11", "2026-11-12", "2026-11-13"};
    int n = (int)(sizeof days / sizeof days[0]);
    struct hist_session *v = calloc((size_t)n, sizeof *v);
    for (int i = 0; i < n; i++) {
        time_t t;
        assert_int_equal(history_parse_date(days[i], &t), 0);
        session(&v[i], "live", t + 9 * 3600);
        snprintf(v[i].status, sizeof v[i].status, "%s", i == 4 ? "partial" : "complete");
    }
    time_t from, to, monday, first;
    assert_int_equal(history_parse_date("2026-11-05", &from), 0); /* a Thursday */
    assert_int_equal(history_parse_date("2026-11-13", &to), 0);
    assert_int_equal(history_parse_date("2026-11-02", &monday), 0);
    int done[60], part[60];
    assert_int_equal(print_weeks(v, n, from, to, done, part, 60, &first), 2);
    assert_int_equal(first, monday);
    assert_int_equal(done[0], 3); /* Thu, Sat, Sun of the week from Monday 2 November */
    assert_int_equal(part[0], 0);
    assert_int_equal(done[1], 4); /* Monday 9 to Friday 13: five, one not complete */
    assert_int_equal(part[1], 1);
    /* --from on a Monday: the same weeks */
    assert_int_equal(print_weeks(v, n, monday, to, done, part, 60, &first), 2);
    assert_int_equal(done[1] + part[1], 5);
    free(v);
}

static void test_files_are_never_written_through_a_symlink(void **state)
{
    (void)state;
    struct hist_session *s = malloc(sizeof *s);
    session(s, "demo", 0);
    struct print_context ctx = {NULL, NULL, NULL, false, 1.0, 1.3, 0.12};
    char pdf[200], victim[200], err[400];
    snprintf(pdf, sizeof pdf, "%s/l.pdf", dir);
    snprintf(victim, sizeof victim, "%s/victim", dir);
    assert_int_equal(symlink(victim, pdf), 0);
    assert_int_equal(print_session(s, &ctx, pdf, NULL, err, sizeof err), 0);
    struct stat st;
    assert_int_equal(lstat(pdf, &st), 0);
    assert_true(S_ISREG(st.st_mode)); /* the link was replaced */
    assert_int_equal(access(victim, F_OK), -1);
    snprintf(pdf, sizeof pdf, "%s/no/such/dir/r.pdf", dir);
    assert_int_equal(print_session(s, &ctx, pdf, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "r.pdf: No such file or directory"));
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_session_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_person_report_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_person_report_monday_weeks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_files_are_never_written_through_a_symlink, setup,
                                        teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    print_cleanup();
    return rc;
}
