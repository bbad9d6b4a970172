/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_people: people, programs and the session index (SQLite), and the
 * stored sessions read back (history). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config/config.h"
#include "history/history.h"
#include "motion/motion.h"
#include "people/people.h"
#include "test_util.h"

static char root[128];

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/station-people-%d", (int)getpid());
    return test_rm_rf(root);
}

static int teardown(void **state)
{
    (void)state;
    return test_rm_rf(root);
}

/* A session folder with a summary. */
static void session_at(const char *folder, const char *mode, const char *person, const char *key,
                       bool advanced)
{
    char path[400];
    mkdir(root, 0755);
    snprintf(path, sizeof path, "%s/%s", root, folder);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/%s/summary.json", root, folder);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fprintf(fp, "{\n");
    if (person)
        fprintf(fp, "  \"person\": \"%s\",\n  \"person_key\": \"%s\",\n", person, key);
    fprintf(fp,
            "  \"status\": \"partial\",\n  \"mode\": \"%s\",\n  \"stage\": 2,\n"
            "  \"started_s\": 1.0,\n  \"ended_s\": 301.0,\n  \"early_stop\": true,\n"
            "  \"exercises_total\": 3,\n  \"exercises_done\": 1,\n  \"steps\": [\n"
            "    {\"step\": 1, \"exercise\": \"backblock\", \"name\": \"BackBlock\", \"kind\": "
            "\"hold\", \"target_s\": 180.0, \"target_reps\": 1, \"done\": false, \"skipped\": "
            "true, \"holds_s\": [166.0, \"x\", -3], \"done_of_target\": \"166 of 180 s\"},\n"
            "    {\"step\": 2, \"exercise\": \"knees_rocking\", \"kind\": \"rocking\", "
            "\"rocking_s\": 70.5, \"cycles\": 73, \"rate_hz\": 1e300, \"sets\": "
            "[{\"seconds\": 70.5, \"cycles\": 73, \"rate_hz\": 1.036, \"rate\": \"on target\"}]}\n"
            "  ],\n  \"advanced_stretch_done\": %s\n}\n",
            mode, advanced ? "true" : "false");
    fclose(fp);
}

static void test_names(void **state)
{
    (void)state;
    char err[400];
    assert_int_equal(people_check_name("Anna", err, sizeof err), 0);
    assert_int_equal(people_check_name("Anna-Lena O'Neil Jr.", err, sizeof err), 0);
    assert_int_equal(people_check_name("Zoë Ø 李", err, sizeof err), 0);
    assert_int_equal(people_check_name("patient_07", err, sizeof err), 0);
    const char *bad[] = {"", " Anna", "Anna ", "An  na", "a\tb", "a/b", "a\"b", "a;b",
                         "0123456789012345678901234567890123456789x", "\xff\xfe", "a\xc2\xa0", "-1+1", "'x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        assert_int_equal(people_check_name(bad[i], err, sizeof err), -1);
        assert_non_null(strstr(err, "letters, digits")); /* says what is allowed */
    }
}

static void test_add_list_rename_remove(void **state)
{
    (void)state;
    struct people *db;
    char err[800];
    assert_int_equal(people_open(root, false, &db, err, sizeof err), -1); /* no index yet */
    assert_int_equal(people_open(root, true, &db, err, sizeof err), 0);
    struct person a, b, p[8];
    assert_int_equal(people_add(db, "Bea", 1000000, &b, err, sizeof err), 0);
    assert_int_equal(people_add(db, "anna", 1000000, &a, err, sizeof err), 0);
    assert_int_equal(strlen(a.key), HIST_KEY_LEN);
    assert_string_not_equal(a.key, b.key);
    assert_int_equal(people_add(db, "ANNA", 1000000, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "already"));
    assert_int_equal(people_add(db, "a\nb", 1000000, NULL, err, sizeof err), -1);
    assert_int_equal(people_list(db, p, 8), 2);
    assert_string_equal(p[0].name, "anna"); /* by name, whatever the case */
    assert_string_equal(p[1].name, "Bea");
    assert_int_equal(people_rename(db, "Anna", "Anna K", err, sizeof err), 0);
    assert_int_equal(people_find(db, "anna k", &p[0]), 0);
    assert_string_equal(p[0].key, a.key); /* the key stays: her sessions stay hers */
    assert_int_equal(people_rename(db, "Nobody", "X", err, sizeof err), -1);
    assert_non_null(strstr(err, "no person called 'Nobody'"));
    assert_int_equal(people_rename(db, "Bea", "Anna K", err, sizeof err), -1);
    assert_int_equal(people_remove(db, "bea", err, sizeof err), 0);
    assert_int_equal(people_list(db, p, 8), 1);
    assert_int_equal(people_remove(db, "bea", err, sizeof err), -1);
    people_close(db);
    /* a second open finds what the first stored, schema and all */
    assert_int_equal(people_open(root, false, &db, err, sizeof err), 0);
    assert_int_equal(people_list(db, p, 8), 1);
    people_close(db);
}

static void test_symlinked_index_is_refused(void **state)
{
    (void)state;
    mkdir(root, 0755);
    char path[300];
    snprintf(path, sizeof path, "%s/" PEOPLE_DB, root);
    assert_int_equal(symlink("/tmp/elsewhere.db", path), 0);
    struct people *db;
    char err[800];
    assert_int_equal(people_open(root, true, &db, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a regular file"));
}

static void test_history_reads_what_is_there(void **state)
{
    (void)state;
    session_at("20261101-090000", "live", "Anna", "00112233aabbccdd", true);
    struct hist_session s;
    char err[400];
    assert_int_equal(history_read(root, "20261101-090000", &s, err, sizeof err), 0);
    assert_string_equal(s.person, "Anna");
    assert_string_equal(s.status, "partial");
    assert_int_equal(s.stage, 2);
    assert_true(s.early_stop);
    assert_near(s.duration_s, 300, 1e-9);
    assert_int_equal(s.nsteps, 2);
    assert_int_equal(s.steps[0].nholds, 1); /* "x" and -3 are not hold lengths */
    assert_near(s.steps[0].holds[0], 166, 1e-9);
    assert_string_equal(s.steps[0].done_of_target, "166 of 180 s");
    assert_true(isnan(s.steps[1].rate_hz)); /* 1e300 is no rate */
    assert_int_equal(s.steps[1].nsets, 1);
    assert_near(s.steps[1].sets[0].rate_hz, 1.036, 1e-9);
    assert_int_equal(s.steps[1].sets[0].cycles, 73);
    assert_true(isnan(s.steps[1].sets[0].rhythm_cv));
    assert_int_equal(history_read(root, "20261101-090001", &s, err, sizeof err), -1);
    assert_int_equal(history_read(root, "notasession", &s, err, sizeof err), -1);
    assert_int_equal(history_parse("[1, 2]", "x", 0, &s), -1);
    assert_int_equal(history_parse("{}", "x", 0, &s), 0);
    assert_string_equal(s.mode, "live"); /* a record from before "mode" */
}

static void test_dates_and_folder_names(void **state)
{
    (void)state;
    time_t t;
    assert_int_equal(history_parse_date("2026-11-28", &t), 0);
    struct tm tm;
    localtime_r(&t, &tm);
    assert_int_equal(tm.tm_mday, 28);
    assert_int_equal(tm.tm_hour, 0);
    const char *bad[] = {"2026-02-30", "2026-13-01", "26-11-28", "2026-11-28x", "2026/11/28",
                         "", "2026-1-28", "+026-11-28"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(history_parse_date(bad[i], &t), -1);
    assert_true(history_folder_time("20261126-070318", &t));
    assert_true(history_folder_time("20261126-070318-12", &t));
    assert_false(history_folder_time("20261126-070318-", &t));
    assert_false(history_folder_time("20261126-070318x", &t));
    assert_false(history_folder_time(PEOPLE_DB, &t));
}

static void test_listing_by_person_date_and_mode(void **state)
{
    (void)state;
    session_at("20261101-090000", "live", "Anna", "00112233aabbccdd", true);
    session_at("20261103-090000", "live", "Bea", "ffeeddccbbaa9988", true);
    session_at("20261105-090000", "replay", "Anna", "00112233aabbccdd", true);
    session_at("20261105-100000", "demo", NULL, NULL, false);
    session_at("20261109-090000", "live", "Anna", "00112233aabbccdd", false);
    session_at("20261104-090000", "live", NULL, NULL, true);
    struct hist_session *v;
    char err[400];
    struct history_filter f = {"00112233aabbccdd", 0, 0, false};
    assert_int_equal(history_list(root, &f, &v, err, sizeof err), 2);
    assert_string_equal(v[0].folder, "20261101-090000"); /* oldest first */
    assert_string_equal(v[1].folder, "20261109-090000");
    free(v);
    f.all_modes = true;
    assert_int_equal(history_list(root, &f, &v, err, sizeof err), 3);
    free(v);
    time_t from, to;
    history_parse_date("2026-11-02", &from);
    history_parse_date("2026-11-09", &to);
    struct history_filter g = {NULL, from, to, false};
    assert_int_equal(history_list(root, &g, &v, err, sizeof err), 2); /* Bea, nobody */
    free(v);
    /* the weekly limit: her own live sessions only */
    time_t now;
    history_parse_date("2026-11-06", &now);
    assert_int_equal(history_count_advanced(root, "00112233aabbccdd", now), 1);
    assert_int_equal(history_count_advanced(root, "ffeeddccbbaa9988", now), 1);
    assert_int_equal(history_count_advanced(root, NULL, now), 3);
    assert_int_equal(history_list("/nonexistent-station", &f, &v, err, sizeof err), -1);
}

static void test_reindex_and_restore(void **state)
{
    (void)state;
    session_at("20261101-090000", "live", "Anna", "00112233aabbccdd", true);
    session_at("20261103-090000", "live", "Bea", "ffeeddccbbaa9988", false);
    session_at("20261105-090000", "replay", "Cleo", "0123456789abcdef", false);
    char path[300];
    snprintf(path, sizeof path, "%s/20261106-090000", root);
    mkdir(path, 0755); /* no summary: counted, not indexed */
    struct people *db;
    char err[800];
    assert_int_equal(people_open(root, true, &db, err, sizeof err), 0);
    struct reindex_stats st;
    assert_int_equal(people_reindex(db, root, &st, err, sizeof err), 0);
    assert_int_equal(st.sessions, 3);
    assert_int_equal(st.live, 2);
    assert_int_equal(st.unreadable, 1);
    assert_int_equal(st.people_restored, 3); /* a lost index gets its people back */
    struct person p;
    assert_int_equal(people_find(db, "Anna", &p), 0);
    assert_string_equal(p.key, "00112233aabbccdd");
    assert_int_equal(p.sessions, 1);
    assert_string_equal(p.last, "2026-11-01");
    assert_int_equal(people_find(db, "Cleo", &p), 0);
    assert_int_equal(p.sessions, 0); /* replays are not her history */
    /* a removed person stays removed */
    assert_int_equal(people_remove(db, "Bea", err, sizeof err), 0);
    assert_int_equal(people_reindex(db, root, &st, err, sizeof err), 0);
    assert_int_equal(st.people_restored, 0);
    assert_int_equal(people_find(db, "Bea", &p), -1);
    people_close(db);
}

static void test_programs(void **state)
{
    (void)state;
    enum program_key k;
    struct program_item it;
    char err[800];
    time_t now = 1800000000;
    assert_int_equal(program_parse("backblock_s=180+30/week..300", now, &k, &it, err, sizeof err), 0);
    assert_int_equal(k, PK_BACKBLOCK_S);
    assert_near(program_value(&it, now), 180, 0);
    assert_near(program_value(&it, now + 6 * 86400), 180, 0);
    assert_near(program_value(&it, now + 7 * 86400), 210, 0);
    assert_near(program_value(&it, now + 15 * 86400), 240, 0);
    assert_near(program_value(&it, now + 70 * 86400), 300, 0); /* the ceiling */
    assert_int_equal(program_parse("backblock_s=180+30/week", now, &k, &it, err, sizeof err), 0);
    assert_near(program_value(&it, now + 1000 * 86400), 3600, 0); /* the key's maximum */
    assert_int_equal(program_parse("stage=2", now, &k, &it, err, sizeof err), 0);
    const char *bad[] = {"stage=3", "stage=1.5", "stage=1+1/week", "nokey=1", "stage",
                         "rate_min_hz=abc", "rate_min_hz=0.1", "backblock_s=180+30",
                         "backblock_s=180+30/week..100", "backblock_s=180+30/weekly",
                         "child_pose_s=-5", "child_pose_s= 60", "stretch_reps=1e9"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        assert_int_equal(program_parse(bad[i], now, &k, &it, err, sizeof err), -1);
        assert_true(strstr(err, "allowed") || strstr(err, "keys are"));
    }
    struct station_config cfg;
    config_defaults(&cfg);
    struct person_program p;
    memset(&p, 0, sizeof p);
    assert_int_equal(program_parse("stage=2", now, &k, &it, err, sizeof err), 0);
    p.item[k] = it;
    assert_int_equal(program_parse("rate_max_hz=1.5", now, &k, &it, err, sizeof err), 0);
    p.item[k] = it;
    assert_int_equal(program_parse("backblock_s=180+30/week..600", now, &k, &it, err, sizeof err), 0);
    p.item[k] = it;
    assert_int_equal(program_parse("advanced_per_week=1", now, &k, &it, err, sizeof err), 0);
    p.item[k] = it;
    program_apply(&p, now + 14 * 86400, &cfg);
    assert_int_equal(cfg.session.stage, 2);
    assert_near(cfg.rocking.rate_max_hz, 1.5, 0);
    assert_near(cfg.holds.backblock_s, 240, 0);
    assert_int_equal(cfg.session.advanced_per_week, 1);
    assert_near(cfg.holds.child_pose_s, 120, 0); /* the configuration's, not set */
    char desc[400];
    program_describe(&p, now, desc, sizeof desc);
    assert_non_null(strstr(desc, "stage=2"));
    assert_non_null(strstr(desc, "backblock_s=180+30/week..600"));

    /* stored and read back; a band upside down is refused */
    struct people *db;
    assert_int_equal(people_open(root, true, &db, err, sizeof err), 0);
    struct person a;
    assert_int_equal(people_add(db, "Anna", now, &a, err, sizeof err), 0);
    config_defaults(&cfg);
    for (int i = 0; i < PK_COUNT; i++)
        if (p.item[i].set)
            assert_int_equal(people_program_set(db, a.id, (enum program_key)i, &p.item[i], &cfg,
                                                err, sizeof err), 0);
    program_parse("rate_min_hz=1.6", now, &k, &it, err, sizeof err);
    assert_int_equal(people_program_set(db, a.id, k, &it, &cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "below"));
    struct person_program q;
    assert_int_equal(people_program_get(db, a.id, &q), 0);
    assert_true(q.item[PK_BACKBLOCK_S].set);
    assert_near(q.item[PK_BACKBLOCK_S].per_week, 30, 0);
    assert_false(q.item[PK_RATE_MIN].set);
    assert_int_equal(people_program_unset(db, a.id, PK_STAGE), 0);
    assert_int_equal(people_program_get(db, a.id, &q), 0);
    assert_false(q.item[PK_STAGE].set);
    /* removing her removes her program */
    assert_int_equal(people_remove(db, "Anna", err, sizeof err), 0);
    assert_int_equal(people_program_get(db, a.id, &q), 0);
    assert_false(q.item[PK_BACKBLOCK_S].set);
    people_close(db);
}

/* A command's assignments: unset by name, and one program checked whole */
static void test_program_assign(void **state)
{
    (void)state;
    time_t now = 1764000000;
    char err[800];
    struct person_program p;
    memset(&p, 0, sizeof p);
    assert_int_equal(program_assign(&p, "stage=2", false, now, err, sizeof err), 0);
    assert_int_equal(program_assign(&p, "backblock_s=200", false, now, err, sizeof err), 0);
    /* value 1 is out of range for backblock_s: the key is still found by name */
    assert_int_equal(program_assign(&p, "backblock_s", true, now, err, sizeof err), 0);
    assert_false(p.item[PK_BACKBLOCK_S].set);
    assert_true(p.item[PK_STAGE].set);
    assert_int_equal(program_assign(&p, "colour", true, now, err, sizeof err), -1);
    assert_non_null(strstr(err, "'colour': no such key; the program's keys are stage,"));
    assert_int_equal(program_assign(&p, "backblock_s=200", true, now, err, sizeof err), -1);
    assert_int_equal(program_assign(&p, "stage=3", false, now, err, sizeof err), -1);
    assert_near(p.item[PK_STAGE].base, 2, 0); /* a refused assignment changes nothing */

    /* both ends of a band above the configuration's, in one program */
    struct station_config cfg;
    config_defaults(&cfg);
    struct people *db;
    assert_int_equal(people_open(root, true, &db, err, sizeof err), 0);
    struct person a;
    assert_int_equal(people_add(db, "Eva", now, &a, err, sizeof err), 0);
    assert_int_equal(program_assign(&p, "rate_min_hz=1.5", false, now, err, sizeof err), 0);
    assert_int_equal(program_assign(&p, "rate_max_hz=2.0", false, now, err, sizeof err), 0);
    assert_int_equal(people_program_replace(db, a.id, &p, &cfg, err, sizeof err), 0);
    /* a band upside down with the configuration: nothing of the program stored */
    struct person_program q = p;
    assert_int_equal(program_assign(&q, "child_pose_s=60", false, now, err, sizeof err), 0);
    assert_int_equal(program_assign(&q, "rate_max_hz", true, now, err, sizeof err), 0);
    assert_int_equal(people_program_replace(db, a.id, &q, &cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "1.5..1.3"));
    assert_int_equal(people_program_get(db, a.id, &q), 0);
    assert_false(q.item[PK_CHILD_POSE_S].set);
    assert_near(q.item[PK_RATE_MAX].base, 2.0, 0);
    people_close(db);
}

/* The storage folder a command uses: the one named is always the one */
static void test_storage_folder(void **state)
{
    (void)state;
    char out[600], err[800], named[600], want[600];
    struct stat st;
    snprintf(named, sizeof named, "%s/clinic/home", root);
    /* a read: an absent folder named is nothing stored yet, not made */
    assert_int_equal(history_storage(NULL, named, true, false, out, sizeof out, err, sizeof err), 0);
    assert_string_equal(out, named);
    assert_int_equal(stat(named, &st), -1);
    /* a write: made, with the folders above it */
    assert_int_equal(history_storage(NULL, named, true, true, out, sizeof out, err, sizeof err), 0);
    assert_string_equal(out, named);
    assert_int_equal(stat(named, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    /* --storage wins */
    assert_int_equal(history_storage("/x/y", named, true, false, out, sizeof out, err, sizeof err),
                     0);
    assert_string_equal(out, "/x/y");
    /* a folder named that cannot be made: an error, never another folder */
    assert_int_equal(history_storage(NULL, "/proc/no/such", true, true, out, sizeof out, err,
                                     sizeof err), -1);
    assert_non_null(strstr(err, "/proc/no/such: cannot create the storage directory"));
    /* the default, not this user's: the per-user folder, and 1 to say so */
    snprintf(want, sizeof want, "%s/state", root);
    setenv("XDG_STATE_HOME", want, 1);
    strcat(want, "/station");
    assert_int_equal(history_storage(NULL, "/proc/no/such", false, false, out, sizeof out, err,
                                     sizeof err), 1);
    assert_string_equal(out, want);
    assert_int_equal(history_storage(NULL, "/proc/no/such", false, true, out, sizeof out, err,
                                     sizeof err), 1);
    assert_int_equal(stat(want, &st), 0);
    unsetenv("XDG_STATE_HOME");
}

static void test_weeks_for_the_screen(void **state)
{
    (void)state;
    const char *anna = "00112233aabbccdd";
    session_at("20261119-080000", "live", "Anna", anna, false); /* Thursday, today */
    session_at("20261118-090000", "live", "Anna", anna, false);
    session_at("20261117-090000", "live", "Anna", anna, false);
    session_at("20261115-090000", "live", "Anna", anna, false); /* Sunday: the week before */
    session_at("20261110-090000", "live", "Anna", anna, false);
    session_at("20261119-070000", "replay", "Anna", anna, false);
    session_at("20261116-090000", "live", "Bea", "ffeeddccbbaa9988", false);
    time_t now;
    assert_int_equal(history_parse_date("2026-11-19", &now), 0);
    now += 12 * 3600;
    struct history_weeks w;
    assert_int_equal(history_weeks(root, anna, now, &w), 0);
    assert_int_equal(w.this_week, 3);
    assert_int_equal(w.streak_days, 3); /* 17, 18, 19; the 16th was Bea's */
    assert_int_equal(w.week[HISTORY_WEEKS - 1].sessions, 3);
    assert_int_equal(w.week[HISTORY_WEEKS - 2].sessions, 2);
    assert_int_equal(w.week[0].sessions, 0);
    assert_true(isnan(w.week[0].rate_hz));
    assert_near(w.week[HISTORY_WEEKS - 1].rate_hz, 1.036, 1e-9);
    assert_near(w.week[HISTORY_WEEKS - 1].backblock_s, 166, 1e-9);
    assert_true(isnan(w.week[HISTORY_WEEKS - 1].child_pose_s));
    struct tm tm;
    localtime_r(&w.week[HISTORY_WEEKS - 1].start, &tm);
    assert_int_equal(tm.tm_wday, 1); /* Monday */
    assert_int_equal(tm.tm_mday, 16);
    /* the next morning, before a session: the streak still counts */
    assert_int_equal(history_weeks(root, anna, now + 20 * 3600, &w), 0);
    assert_int_equal(w.streak_days, 3);
    assert_int_equal(history_weeks(root, anna, now + 44 * 3600, &w), 0);
    assert_int_equal(w.streak_days, 0);
}

static void test_chooser(void **state)
{
    (void)state;
    struct people_chooser c;
    chooser_load(&c, root); /* no index: nobody, never asks */
    assert_int_equal(chooser_count(&c), 0);
    assert_null(chooser_current(&c));
    assert_false(chooser_asks(&c));
    struct people *db;
    char err[800];
    assert_int_equal(people_open(root, true, &db, err, sizeof err), 0);
    assert_int_equal(people_add(db, "Bea", 0, NULL, err, sizeof err), 0);
    people_close(db);
    chooser_load(&c, root);
    assert_false(chooser_asks(&c)); /* one person: never asks */
    assert_string_equal(chooser_current(&c)->name, "Bea");
    assert_int_equal(people_open(root, false, &db, err, sizeof err), 0);
    assert_int_equal(people_add(db, "Anna", 0, NULL, err, sizeof err), 0);
    assert_int_equal(people_add(db, "Cleo", 0, NULL, err, sizeof err), 0);
    people_close(db);
    chooser_load(&c, root);
    assert_true(chooser_asks(&c));
    assert_string_equal(chooser_current(&c)->name, "Anna");
    chooser_next(&c);
    assert_string_equal(chooser_current(&c)->name, "Bea");
    chooser_next(&c);
    chooser_next(&c);
    assert_string_equal(chooser_current(&c)->name, "Anna"); /* wraps */
    assert_int_equal(chooser_select(&c, "cleo"), 0);
    assert_string_equal(chooser_current(&c)->name, "Cleo");
    assert_int_equal(chooser_select(&c, "Dora"), -1);
    /* a reload keeps whose turn it is, and sees who was added */
    assert_int_equal(people_open(root, false, &db, err, sizeof err), 0);
    assert_int_equal(people_add(db, "Aaron", 0, NULL, err, sizeof err), 0);
    people_close(db);
    chooser_reload(&c, root);
    assert_int_equal(chooser_count(&c), 4);
    assert_string_equal(chooser_current(&c)->name, "Cleo");

    char out[600];
    struct motion_params mp;
    motion_params_default(&mp);
    mp.rate_min_hz = 0.9;
    people_splice_summary(chooser_current(&c), &mp, "{\n  \"status\": \"complete\"\n}\n", out,
                          sizeof out);
    const char *head = "{\n  \"person\": \"Cleo\",\n  \"person_key\": \"";
    assert_true(strncmp(out, head, strlen(head)) == 0);
    assert_non_null(strstr(out, "\"software\": \"station "));
    assert_non_null(strstr(out, ",\n  \"status\": \"complete\"\n}\n"));
    struct hist_session s;
    assert_int_equal(history_parse(out, "x", 0, &s), 0); /* still JSON */
    assert_string_equal(s.person, "Cleo");
    assert_near(s.rate_min_hz, 0.9, 1e-9);
    assert_near(s.rate_max_hz, mp.rate_max_hz, 1e-9);
    people_splice_summary(NULL, NULL, "{\n  \"status\": \"complete\"\n}\n", out, sizeof out);
    assert_null(strstr(out, "person"));
    assert_int_equal(history_parse(out, "x", 0, &s), 0);
    assert_true(isnan(s.rate_min_hz)); /* no band recorded: unknown */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_add_list_rename_remove, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symlinked_index_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_history_reads_what_is_there, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dates_and_folder_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_listing_by_person_date_and_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reindex_and_restore, setup, teardown),
        cmocka_unit_test_setup_teardown(test_programs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_program_assign, setup, teardown),
        cmocka_unit_test_setup_teardown(test_storage_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_weeks_for_the_screen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chooser, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
