/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_record: session folders, atomic summaries, recovery, history. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "record/record.h"
#include "test_util.h"

static char root[128];

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/station-rec-%d", (int)getpid());
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf /tmp/station-rec-%d", (int)getpid());
    return system(cmd);
}

static char *slurp(const char *dir, const char *name)
{
    static char buf[65536];
    char path[700];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    return buf;
}

static void test_a_session_folder(void **state)
{
    (void)state;
    struct record r;
    struct trace_meta meta = {0};
    meta.sample_rate_hz = 100;
    char err[300];
    time_t now = time(NULL);
    assert_int_equal(record_open(&r, root, now, &meta, err, sizeof err), 0);
    for (int i = 0; i < 250; i++) {
        struct sample s = {1000.0 + i * 0.01, {0, 0, 1}, {0, 0, 0}};
        assert_int_equal(record_sample(&r, &s), 0);
    }
    assert_int_equal(record_event(&r, 1001.0, "rep", "\"step\": 1"), 0);
    assert_int_equal(record_summary(&r, "{\"status\": \"in progress\"}\n"), 0);
    assert_int_equal(record_sync(&r), 0);
    assert_int_equal(record_summary(&r, "{\"status\": \"complete\"}\n"), 0);
    assert_int_equal(record_close(&r), 0);
    /* times in the files count from the first sample */
    assert_non_null(strstr(slurp(r.dir, "trace.csv"), "\n0.000000,"));
    assert_string_equal(slurp(r.dir, "events.jsonl"),
                        "{\"t\": 1.000, \"type\": \"rep\", \"step\": 1}\n");
    assert_string_equal(slurp(r.dir, "summary.json"), "{\"status\": \"complete\"}\n");
    assert_null(slurp(r.dir, "summary.json.tmp"));
    /* a second session in the same second gets its own folder */
    struct record r2;
    assert_int_equal(record_open(&r2, root, now, &meta, err, sizeof err), 0);
    assert_string_not_equal(r.dir, r2.dir);
    assert_non_null(strstr(r2.dir, "-2"));
    record_close(&r2);
}

/* Recovery leaves a folder without a lock alone while it is seconds old
 * (a session being made): the test's folders are an hour old. */
static void age(const char *dir)
{
    struct timespec ts[2] = {{time(NULL) - 3600, 0}, {time(NULL) - 3600, 0}};
    utimensat(AT_FDCWD, dir, ts, AT_SYMLINK_NOFOLLOW);
}

static void make_session(const char *name, const char *summary)
{
    char dir[300], path[400];
    char parent[128];
    snprintf(parent, sizeof parent, "/tmp/station-rec-%d", (int)getpid());
    mkdir(parent, 0755);
    mkdir(root, 0755);
    snprintf(dir, sizeof dir, "%s/%s", root, name);
    mkdir(dir, 0755);
    if (summary) {
        snprintf(path, sizeof path, "%s/summary.json", dir);
        FILE *fp = fopen(path, "w");
        fputs(summary, fp);
        fclose(fp);
    }
    age(dir);
}

static void name_for(time_t t, char *out, size_t len)
{
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, len, "%Y%m%d-%H%M%S", &tm);
}

static void test_recovery_marks_unfinished_sessions(void **state)
{
    (void)state;
    strcat(root, "/recover");
    make_session("20260101-080000", "{\n  \"status\": \"in progress\",\n  \"stage\": 1\n}\n");
    make_session("20260101-090000", NULL); /* crashed before its first summary */
    make_session("20260101-100000", "{\n  \"status\": \"complete\"\n}\n");
    make_session("not-a-session", NULL);
    char report[300];
    assert_int_equal(record_recover(root, report, sizeof report), 2);
    char dir[300];
    snprintf(dir, sizeof dir, "%s/20260101-080000", root);
    assert_string_equal(slurp(dir, "summary.json"),
                        "{\n  \"status\": \"incomplete\",\n  \"stage\": 1\n}\n");
    snprintf(dir, sizeof dir, "%s/20260101-090000", root);
    assert_non_null(strstr(slurp(dir, "summary.json"), "\"status\": \"incomplete\""));
    snprintf(dir, sizeof dir, "%s/20260101-100000", root);
    assert_non_null(strstr(slurp(dir, "summary.json"), "\"complete\""));
    assert_non_null(strstr(report, "20260101-080000"));
    /* a second pass finds nothing left to do */
    assert_int_equal(record_recover(root, report, sizeof report), 0);
}

static void test_advanced_stretch_history_is_a_week(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/station-rec-%d/history", (int)getpid());
    time_t now = time(NULL);
    char name[64];
    const char *done = "{\"advanced_stretch_done\": true}";
    const char *not_done = "{\"advanced_stretch_done\": false}";
    name_for(now - 2 * 86400, name, sizeof name);
    make_session(name, done);
    name_for(now - 6 * 86400, name, sizeof name);
    make_session(name, done);
    name_for(now - 3 * 86400, name, sizeof name);
    make_session(name, not_done);
    name_for(now - 9 * 86400, name, sizeof name);
    make_session(name, done);
    assert_int_equal(record_count_advanced(root, now), 2);
    assert_int_equal(record_count_advanced("/nonexistent", now), 0);
}

static void test_unwritable_storage_is_a_clear_error(void **state)
{
    (void)state;
    struct record r;
    struct trace_meta meta = {0};
    char err[300];
    assert_true(record_open(&r, "/proc/station-cannot", time(NULL), &meta, err, sizeof err) < 0);
    assert_non_null(strstr(err, "/proc/station-cannot: cannot create the storage directory"));
}

static void put(const char *dir, const char *name, const char *text)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

/* #3: NAME, NAME-2 ... NAME-99 taken and NAME-100 a symlink: the new
 * session gets a folder of its own, nothing taken is written into. */
static void test_taken_names_and_symlinks_are_never_reused(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/station-rec-%d/collide", (int)getpid());
    time_t now = time(NULL);
    char name[64], dir[400], victim[300];
    name_for(now, name, sizeof name);
    make_session(name, NULL);
    for (int k = 2; k <= 99; k++) {
        snprintf(dir, sizeof dir, "%s-%d", name, k);
        make_session(dir, NULL);
    }
    snprintf(dir, sizeof dir, "%s/%s-99", root, name);
    put(dir, "trace.csv", "keep me\n");
    snprintf(victim, sizeof victim, "/tmp/station-rec-%d/victim", (int)getpid());
    mkdir(victim, 0755);
    snprintf(dir, sizeof dir, "%s/%s-100", root, name);
    assert_int_equal(symlink(victim, dir), 0);
    struct record r;
    struct trace_meta meta = {0};
    char err[300];
    assert_int_equal(record_open(&r, root, now, &meta, err, sizeof err), 0);
    snprintf(dir, sizeof dir, "%s/%s-101", root, name);
    assert_string_equal(r.dir, dir);
    assert_int_equal(record_summary(&r, "{\"status\": \"complete\"}\n"), 0);
    assert_int_equal(record_close(&r), 0);
    snprintf(dir, sizeof dir, "%s/%s-99", root, name);
    assert_string_equal(slurp(dir, "trace.csv"), "keep me\n");
    assert_null(slurp(victim, "trace.csv"));
    assert_null(slurp(victim, "summary.json"));
}

/* #4: a storage path too long for the session's names is refused up front. */
static void test_long_storage_path_is_refused(void **state)
{
    (void)state;
    char longp[700];
    int n = snprintf(longp, sizeof longp, "/tmp/station-rec-%d/", (int)getpid());
    memset(longp + n, 'x', 589 - (size_t)n);
    longp[589] = '\0';
    struct record r;
    struct trace_meta meta = {0};
    char err[300];
    assert_int_equal(record_open(&r, longp, time(NULL), &meta, err, sizeof err), -ENAMETOOLONG);
    assert_non_null(strstr(err, "589 characters long: at most 512 are allowed"));
}

/* #5, #6: recovery leaves a live session (another holder of its lock)
 * alone and never writes through a symlink. */
static void test_recovery_leaves_live_sessions_and_symlinks(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/station-rec-%d/live", (int)getpid());
    struct record r;
    struct trace_meta meta = {0};
    char err[300], report[300];
    assert_int_equal(record_open(&r, root, time(NULL) - 3600, &meta, err, sizeof err), 0);
    assert_int_equal(record_summary(&r, "{\"status\": \"in progress\"}\n"), 0);
    char victim[300], link[400];
    snprintf(victim, sizeof victim, "/tmp/station-rec-%d/victim2", (int)getpid());
    mkdir(victim, 0755);
    put(victim, "summary.json", "{\"status\": \"in progress\"}\n");
    snprintf(link, sizeof link, "%s/20260101-080000", root);
    assert_int_equal(symlink(victim, link), 0);  /* a folder that is a symlink */
    make_session("20260101-090000", NULL);       /* a real one whose summary is a symlink */
    char dir[400], target[400];
    snprintf(dir, sizeof dir, "%s/20260101-090000/summary.json", root);
    snprintf(target, sizeof target, "%s/summary.json", victim);
    assert_int_equal(symlink(target, dir), 0);
    snprintf(dir, sizeof dir, "%s/20260101-090000", root);
    age(dir);
    assert_int_equal(record_recover(root, report, sizeof report), 1);
    assert_non_null(strstr(report, "20260101-090000"));
    assert_string_equal(slurp(r.dir, "summary.json"), "{\"status\": \"in progress\"}\n");
    assert_string_equal(slurp(victim, "summary.json"), "{\"status\": \"in progress\"}\n");
    /* once the session is closed (its lock released), recovery may act */
    record_close(&r);
    assert_int_equal(record_recover(root, report, sizeof report), 1);
    assert_non_null(strstr(slurp(r.dir, "summary.json"), "incomplete"));
}

/* A folder seconds old with no lock yet may be a session being made by
 * another station right now: recovery leaves it for the next start. */
static void test_recovery_leaves_a_new_unlocked_folder(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/station-rec-%d/new", (int)getpid());
    make_session("20260101-070000", NULL);
    char dir[300], report[300];
    snprintf(dir, sizeof dir, "%s/20260101-070000", root);
    struct timespec now[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
    utimensat(AT_FDCWD, dir, now, 0);
    assert_int_equal(record_recover(root, report, sizeof report), 0);
    assert_null(slurp(dir, "summary.json"));
    age(dir);
    assert_int_equal(record_recover(root, report, sizeof report), 1);
}

/* #9: the trace's header is on the disk before the first sync. */
static void test_header_is_written_at_open(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/station-rec-%d/header", (int)getpid());
    struct record r;
    struct trace_meta meta = {0};
    meta.sample_rate_hz = 100;
    char err[300];
    assert_int_equal(record_open(&r, root, time(NULL), &meta, err, sizeof err), 0);
    const char *t = slurp(r.dir, "trace.csv");
    assert_non_null(t);
    assert_non_null(strstr(t, "# station-trace"));
    assert_non_null(strstr(t, "t_s,"));
    record_close(&r);
}

/* #10: a final summary that cannot be written leaves "incomplete" on the
 * disk, not "in progress". */
static void test_mark_incomplete_in_place(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/station-rec-%d/mark", (int)getpid());
    struct record r;
    struct trace_meta meta = {0};
    char err[300];
    assert_int_equal(record_open(&r, root, time(NULL), &meta, err, sizeof err), 0);
    assert_int_equal(record_summary(&r, "{\"status\": \"in progress\", \"x\": 1}\n"), 0);
    assert_int_equal(record_mark_incomplete(&r), 0);
    assert_string_equal(slurp(r.dir, "summary.json"),
                        "{\"status\": \"incomplete\" , \"x\": 1}\n");
    record_close(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_session_folder),
        cmocka_unit_test(test_recovery_marks_unfinished_sessions),
        cmocka_unit_test(test_advanced_stretch_history_is_a_week),
        cmocka_unit_test(test_unwritable_storage_is_a_clear_error),
        cmocka_unit_test(test_taken_names_and_symlinks_are_never_reused),
        cmocka_unit_test(test_long_storage_path_is_refused),
        cmocka_unit_test(test_recovery_leaves_live_sessions_and_symlinks),
        cmocka_unit_test(test_header_is_written_at_open),
        cmocka_unit_test(test_recovery_leaves_a_new_unlocked_folder),
        cmocka_unit_test(test_mark_incomplete_in_place),
    };
    return cmocka_run_group_tests_name("record", tests, setup, teardown);
}
