/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_upload: the clinic's transport on the station's side without a
 * broker: topics and station ids, the outbox (which folders go, marks made
 * whole and never through a symlink, the message), and the clinic's
 * programs applied to the index. The broker and the server are tested for
 * real by tests/clinic/. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <mosquitto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/config.h"
#include "people/people.h"
#include "upload/mqtt_link.h"
#include "upload/outbox.h"
#include "upload/programs.h"
#include "test_util.h"

static char root[128];

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/station-upload-%d", (int)getpid());
    return test_rm_rf(root) || mkdir(root, 0755);
}

static int teardown(void **state)
{
    (void)state;
    return test_rm_rf(root);
}

static void put(const char *folder, const char *name, const char *text)
{
    char path[400];
    snprintf(path, sizeof path, "%s/%s", root, folder);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/%s/%s", root, folder, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void session(const char *folder, const char *mode, const char *status)
{
    char json[300];
    snprintf(json, sizeof json, "{\"mode\": \"%s\", \"status\": \"%s\", \"stage\": 1, "
             "\"person\": \"Anna\", \"person_key\": \"00000000000000aa\"}\n", mode, status);
    put(folder, "summary.json", json);
    put(folder, "events.jsonl", "{\"t\": 0.5, \"type\": \"start\"}\n{\"t\": 1.0, \"type\": "
        "\"step\"}\n{\"t\": 1.5, \"ty");  /* a torn last line */
}

static void test_ids_and_topics(void **state)
{
    (void)state;
    assert_true(mqtt_station_id_ok("home-anna"));
    assert_true(mqtt_station_id_ok("a"));
    assert_false(mqtt_station_id_ok(""));
    assert_false(mqtt_station_id_ok("Home"));
    assert_false(mqtt_station_id_ok("a/b"));
    assert_false(mqtt_station_id_ok("a+"));
    assert_false(mqtt_station_id_ok("0123456789012345678901234567890123"));
    char id[MQTT_ID_MAX + 1], t[64];
    assert_int_equal(mqtt_topic_id("station/home-anna/ack", "ack", id), 0);
    assert_string_equal(id, "home-anna");
    assert_int_equal(mqtt_topic_id("station/home-anna/ack", "session", id), -1);
    assert_int_equal(mqtt_topic_id("station/Home/ack", "ack", id), -1);
    assert_int_equal(mqtt_topic_id("station//ack", "ack", id), -1);
    assert_int_equal(mqtt_topic_id("other/x/ack", "ack", id), -1);
    assert_int_equal(mqtt_topic_id("station/x/ack/more", "ack", id), -1);
    assert_int_equal(mqtt_topic(t, sizeof t, "x-1", "program"), 0);
    assert_string_equal(t, "station/x-1/program");
    assert_int_equal(mqtt_topic(t, sizeof t, "x/#", "program"), -1);
}

static void test_outbox_scan(void **state)
{
    (void)state;
    session("20261102-070000", "live", "complete");
    session("20261101-070000", "live", "partial");
    session("20261103-070000", "replay", "complete");  /* never leaves */
    session("20261104-070000", "live", "in progress"); /* not finished */
    session("20261105-070000", "live", "complete");
    put("20261105-070000", ".stored", "x");            /* the clinic has it */
    session("20261106-070000", "live", "incomplete");  /* recovered after a crash */
    session("20261107-070000", "live", "complete");    /* still held by its recorder */
    session("notes", "live", "complete");              /* not a session's name */
    char path[400];
    snprintf(path, sizeof path, "%s/20261107-070000/.lock", root);
    int lk = open(path, O_CREAT | O_RDWR, 0644);
    assert_true(lk >= 0);
    assert_int_equal(flock(lk, LOCK_EX), 0);
    char(*names)[OUTBOX_NAME_MAX];
    char err[300];
    int stays = -1;
    int n = outbox_scan(root, &names, &stays, err, sizeof err);
    assert_int_equal(n, 3);
    assert_int_equal(stays, 1); /* the replay: said in the uploader's summary */
    assert_string_equal(names[0], "20261101-070000");
    assert_string_equal(names[1], "20261102-070000");
    assert_string_equal(names[2], "20261106-070000");
    free(names);
    close(lk); /* its recorder is done */
    n = outbox_scan(root, &names, NULL, err, sizeof err);
    assert_int_equal(n, 4);
    free(names);
    assert_int_equal(outbox_scan("/nonexistent/station", &names, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/station"));
}

static void test_outbox_marks(void **state)
{
    (void)state;
    session("20261102-070000", "live", "complete");
    char path[400], outside[400], err[300];
    /* a .sent that is a symlink is replaced, the file it names untouched */
    snprintf(outside, sizeof outside, "%s/outside", root);
    put(".", "outside", "keep me");
    snprintf(path, sizeof path, "%s/20261102-070000/.sent", root);
    assert_int_equal(symlink(outside, path), 0);
    assert_int_equal(outbox_mark(root, "20261102-070000", OUTBOX_SENT, err, sizeof err), 0);
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    FILE *fp = fopen(outside, "r");
    char buf[32] = "";
    assert_non_null(fgets(buf, sizeof buf, fp));
    fclose(fp);
    assert_string_equal(buf, "keep me");
    assert_int_equal(outbox_mark(root, "20261102-070000", OUTBOX_STORED, err, sizeof err), 0);
    char(*names)[OUTBOX_NAME_MAX];
    assert_int_equal(outbox_scan(root, &names, NULL, err, sizeof err), 0);
    free(names);
    /* a folder that is a symlink is not marked through */
    snprintf(path, sizeof path, "%s/20261103-070000", root);
    assert_int_equal(symlink(root, path), 0);
    assert_int_equal(outbox_mark(root, "20261103-070000", OUTBOX_SENT, err, sizeof err), -1);
    assert_int_equal(outbox_mark(root, "20261109-070000", OUTBOX_SENT, err, sizeof err), -1);
    assert_non_null(strstr(err, "20261109-070000"));
}

static void test_outbox_message(void **state)
{
    (void)state;
    session("20261102-070000", "live", "complete");
    put("20261102-070000", "trace.csv", "t,ax\n0,1\n");
    char err[300];
    size_t len;
    char *msg = outbox_message(root, "20261102-070000", "home-anna", false, &len, err, sizeof err);
    assert_non_null(msg);
    assert_int_equal(strlen(msg), len);
    cJSON *m = cJSON_Parse(msg);
    assert_non_null(m);
    assert_int_equal(cJSON_GetObjectItem(m, "v")->valueint, 1);
    assert_string_equal(cJSON_GetObjectItem(m, "session_id")->valuestring,
                        "home-anna/20261102-070000");
    assert_string_equal(cJSON_GetObjectItem(m, "station_id")->valuestring, "home-anna");
    assert_string_equal(cJSON_GetObjectItem(m, "folder")->valuestring, "20261102-070000");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(m, "summary"), "person")->valuestring,
                        "Anna");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(m, "events")), 2); /* torn line left out */
    assert_null(cJSON_GetObjectItem(m, "trace_csv"));
    cJSON_Delete(m);
    free(msg);
    msg = outbox_message(root, "20261102-070000", "home-anna", true, &len, err, sizeof err);
    m = cJSON_Parse(msg);
    assert_string_equal(cJSON_GetObjectItem(m, "trace_csv")->valuestring, "t,ax\n0,1\n");
    cJSON_Delete(m);
    free(msg);
    put("20261103-070000", "summary.json", "[1, 2]");
    assert_null(outbox_message(root, "20261103-070000", "home-anna", false, &len, err, sizeof err));
    assert_non_null(strstr(err, "summary.json: not a JSON object"));
}

/* The reason a connection ended never reads errno, stale in a callback. */
static void test_link_reason(void **state)
{
    (void)state;
    errno = ENOENT;
    assert_null(strstr(mqtt_link_reason(MOSQ_ERR_ERRNO), "No such file"));
    assert_string_equal(mqtt_link_reason(MOSQ_ERR_CONN_LOST), mosquitto_strerror(MOSQ_ERR_CONN_LOST));
}

/* A FIFO named events.jsonl or trace.csv is left out, not waited on (a
 * blocking open would hang here: the test would time out). */
static void test_outbox_fifo(void **state)
{
    (void)state;
    session("20261102-070000", "live", "complete");
    char path[400], err[300];
    snprintf(path, sizeof path, "%s/20261102-070000/events.jsonl", root);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(mkfifo(path, 0644), 0);
    snprintf(path, sizeof path, "%s/20261102-070000/trace.csv", root);
    assert_int_equal(mkfifo(path, 0644), 0);
    size_t len;
    alarm(10);
    char *msg = outbox_message(root, "20261102-070000", "home-anna", true, &len, err, sizeof err);
    alarm(0);
    assert_non_null(msg);
    cJSON *m = cJSON_Parse(msg);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(m, "events")), 0);
    assert_null(cJSON_GetObjectItem(m, "trace_csv"));
    cJSON_Delete(m);
    free(msg);
}

/* Temporary marks of a writer that is gone are removed, a running one's kept. */
static void test_outbox_clean(void **state)
{
    (void)state;
    session("20261102-070000", "live", "complete");
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    assert_true(child > 0);
    waitpid(child, NULL, 0); /* a pid that no longer runs */
    char dead[32], alive[32], path[400];
    snprintf(dead, sizeof dead, ".stored.%d", (int)child);
    snprintf(alive, sizeof alive, ".sent.%d", (int)getpid());
    put("20261102-070000", dead, "x");
    put("20261102-070000", alive, "x");
    put("20261102-070000", ".sent.x1", "x"); /* not a temporary mark's name */
    put("notes", ".sent.999999999", "x");    /* not a session folder */
    assert_int_equal(outbox_clean(root), 1);
    snprintf(path, sizeof path, "%s/20261102-070000/%s", root, dead);
    assert_int_equal(access(path, F_OK), -1);
    snprintf(path, sizeof path, "%s/20261102-070000/%s", root, alive);
    assert_int_equal(access(path, F_OK), 0);
    assert_int_equal(outbox_clean("/nonexistent/station"), -1);
}

static void show(const char *name, char *out, size_t len)
{
    struct people *db;
    char err[300];
    assert_int_equal(people_open(root, false, &db, err, sizeof err), 0);
    struct person p;
    assert_int_equal(people_find(db, name, &p), 0);
    struct person_program prog;
    people_program_get(db, p.id, &prog);
    program_describe(&prog, 1796000000, out, len);
    people_close(db);
}

static int apply(const char *msg, struct programs_result *res)
{
    struct station_config cfg;
    config_defaults(&cfg);
    char err[400] = "";
    int rc = programs_apply(root, &cfg, msg, strlen(msg), res, err, sizeof err);
    if (rc < 0)
        assert_true(err[0] != '\0');
    return rc;
}

static bool known(const char *name)
{
    struct people *db;
    char err[300];
    assert_int_equal(people_open(root, false, &db, err, sizeof err), 0);
    struct person p;
    bool found = people_find(db, name, &p) == 0;
    people_close(db);
    return found;
}

static void test_programs(void **state)
{
    (void)state;
    struct programs_result res;
    char before[600], after[600];
    const char *good =
        "{\"v\": 1, \"updated\": \"2026-11-28T10:00:00Z\", \"people\": ["
        "{\"person_key\": \"00000000000000aa\", \"name\": \"Anna\", \"program\": "
        "{\"stage\": \"2\", \"backblock_s\": \"180+30/week..600\"}}]}";
    assert_int_equal(apply(good, &res), 0);
    assert_int_equal(res.applied, 1);
    show("Anna", before, sizeof before);
    assert_non_null(strstr(before, "stage=2"));
    assert_non_null(strstr(before, "backblock_s=180+30/week..600"));
    /* the same message again: applied before, the same program */
    assert_int_equal(apply(good, &res), 0);
    assert_int_equal(res.applied, 0);
    assert_int_equal(res.unchanged, 1);
    show("Anna", after, sizeof after);
    assert_string_equal(before, after);
    /* a key absent follows the configuration again */
    const char *less = "{\"v\": 1, \"updated\": \"2026-11-29T10:00:00Z\", \"people\": ["
                       "{\"person_key\": \"00000000000000aa\", \"name\": \"Anna\", "
                       "\"program\": {\"stage\": \"2\"}}]}";
    assert_int_equal(apply(less, &res), 0);
    assert_int_equal(res.applied, 1);
    show("Anna", after, sizeof after);
    assert_null(strstr(after, "backblock_s"));
    /* refused whole: a message that is not one */
    const char *bad[] = {"{\"v\": 1, \"updated\": \"yesterday\", \"people\": []}", "not json",
                         "{\"v\": 2, \"updated\": \"2026-11-30T10:00:00Z\", \"people\": []}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(apply(bad[i], &res), -1);
    /* a person refused (a bad value, a band the wrong way round, one end
     * against the configuration's other, a bad key, an unknown key): the
     * others of the message are applied */
    const char *who[] = {
        "{\"person_key\": \"00000000000000bb\", \"name\": \"Bea\", \"program\": {\"stage\": \"9\"}}",
        "{\"person_key\": \"00000000000000bb\", \"name\": \"Bea\", \"program\": "
        "{\"rate_min_hz\": \"2\", \"rate_max_hz\": \"1.5\"}}",
        "{\"person_key\": \"00000000000000bb\", \"name\": \"Bea\", \"program\": "
        "{\"rate_min_hz\": \"1.5\"}}",
        "{\"person_key\": \"BB\", \"name\": \"Bea\", \"program\": {}}",
        "{\"person_key\": \"00000000000000bb\", \"name\": \"Bea\", \"program\": {\"colour\": \"red\"}}",
    };
    for (size_t i = 0; i < sizeof who / sizeof who[0]; i++) {
        char msg[900];
        snprintf(msg, sizeof msg, "{\"v\": 1, \"updated\": \"2026-12-%02zuT10:00:00Z\", "
                 "\"people\": [%s, {\"person_key\": \"00000000000000aa\", \"name\": \"Anna\", "
                 "\"program\": {\"stage\": \"1\", \"rocking_s\": \"%zu\"}}]}", i + 1, who[i],
                 60 + i);
        assert_int_equal(apply(msg, &res), 0);
        assert_int_equal(res.refused, 1);
        assert_int_equal(res.applied, 1);
        assert_non_null(strstr(res.why, "Bea: "));
        show("Anna", after, sizeof after);
        char want[32];
        snprintf(want, sizeof want, "rocking_s=%zu", 60 + i);
        assert_non_null(strstr(after, want));
        assert_false(known("Bea"));
    }
    const char *one_end = "{\"v\": 1, \"updated\": \"2026-12-20T10:00:00Z\", \"people\": ["
                          "{\"person_key\": \"00000000000000bb\", \"name\": \"Bea\", "
                          "\"program\": {\"rate_min_hz\": \"1.5\"}}]}";
    assert_int_equal(apply(one_end, &res), 0);
    assert_non_null(strstr(res.why, "Bea: the rocking band would be 1.5..1.3"));
}

/* A clinic room's station: a program message naming a hundred patients is
 * applied to all of them, and every one of them can be chosen at idle. */
static void test_programs_many(void **state)
{
    (void)state;
    size_t cap = 40000, used = 0;
    char *msg = malloc(cap);
    assert_non_null(msg);
    used += (size_t)snprintf(msg + used, cap - used,
                             "{\"v\": 1, \"updated\": \"2026-11-28T10:00:00Z\", \"people\": [");
    for (int i = 0; i < 100; i++)
        used += (size_t)snprintf(msg + used, cap - used,
                                 "%s{\"person_key\": \"%016x\", \"name\": \"Patient %03d\", "
                                 "\"program\": {\"stage\": \"2\"}}",
                                 i ? "," : "", 0x1000 + i, i);
    snprintf(msg + used, cap - used, "]}");
    struct programs_result res;
    assert_int_equal(apply(msg, &res), 0);
    assert_int_equal(res.applied, 100);
    assert_int_equal(res.refused, 0);
    free(msg);
    struct people_chooser c;
    chooser_load(&c, root);
    assert_int_equal(chooser_count(&c), 100);
}

/* A message naming Anna (her program set 2026-11-20, stage 1) and Bea (set
 * bea_at, stage bea_stage). */
static void two_people(char *out, size_t len, const char *at, const char *bea_at, int bea_stage)
{
    snprintf(out, len, "{\"v\": 1, \"updated\": \"%s\", \"people\": ["
             "{\"person_key\": \"00000000000000aa\", \"name\": \"Anna\", "
             "\"updated\": \"2026-11-20T09:00:00Z\", \"program\": {\"stage\": \"1\"}},"
             "{\"person_key\": \"00000000000000bb\", \"name\": \"Bea\", "
             "\"updated\": \"%s\", \"program\": {\"stage\": \"%d\"}}]}", at, bea_at,
             bea_stage);
}

/* A change made on the station, and a person removed there, stay until the
 * clinic changes her program again; a person's own "updated" counts. */
static void test_programs_local_wins(void **state)
{
    (void)state;
    struct programs_result res;
    char err[300], text[600];
    char msg[600], newer[600];
    two_people(msg, sizeof msg, "2026-11-28T10:00:00Z", "2026-11-28T10:00:00Z", 1);
    assert_int_equal(apply(msg, &res), 0);
    assert_int_equal(res.applied, 2);
    struct people *db;
    assert_int_equal(people_open(root, false, &db, err, sizeof err), 0);
    struct person p;
    assert_int_equal(people_find(db, "Anna", &p), 0);
    assert_int_equal(people_clinic_applied(db, "00000000000000aa"), 1795165200);
    struct program_item it;
    enum program_key k;
    assert_int_equal(program_parse("stage=2", 1796000000, &k, &it, err, sizeof err), 0);
    struct station_config cfg;
    config_defaults(&cfg);
    assert_int_equal(people_program_set(db, p.id, k, &it, &cfg, err, sizeof err), 0);
    assert_int_equal(people_remove(db, "Bea", err, sizeof err), 0);
    people_close(db);
    /* the retained message again (a reconnect), and a newer one that
     * changes only Bea's program: Anna keeps the station's change */
    assert_int_equal(apply(msg, &res), 0);
    assert_int_equal(res.unchanged, 2);
    show("Anna", text, sizeof text);
    assert_non_null(strstr(text, "stage=2"));
    assert_false(known("Bea"));
    two_people(newer, sizeof newer, "2026-11-30T10:00:00Z", "2026-11-30T10:00:00Z", 2);
    assert_int_equal(apply(newer, &res), 0);
    assert_int_equal(res.unchanged, 1);
    assert_int_equal(res.applied, 1);
    show("Anna", text, sizeof text);
    assert_non_null(strstr(text, "stage=2"));
    /* the clinic's newer change for her brings her back */
    assert_true(known("Bea"));
    show("Bea", text, sizeof text);
    assert_non_null(strstr(text, "stage=2"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids_and_topics),
        cmocka_unit_test_setup_teardown(test_outbox_scan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outbox_marks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outbox_message, setup, teardown),
        cmocka_unit_test(test_link_reason),
        cmocka_unit_test_setup_teardown(test_outbox_fifo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outbox_clean, setup, teardown),
        cmocka_unit_test_setup_teardown(test_programs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_programs_local_wins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_programs_many, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
