/* test_session: the session state machine, driven by hand-made events. */
#include <cjson/cJSON.h>
#include <string.h>

#include "session/session.h"
#include "test_util.h"

static struct program prog1, prog2;
static struct motion_params mp;
static struct session S;
static struct session_event ev[SESSION_EVQ];

static int setup(void **state)
{
    (void)state;
    struct station_config cfg;
    config_defaults(&cfg);
    program_build(&prog1, 1, &cfg);
    program_build(&prog2, 2, &cfg);
    motion_params_default(&mp);
    return 0;
}

/* how many events of a kind the last call produced */
static int count(int n, enum session_event_kind k)
{
    int c = 0;
    for (int i = 0; i < n; i++)
        c += ev[i].kind == k;
    return c;
}

static int cmd(enum session_cmd c, double t)
{
    return session_command(&S, c, t, ev, SESSION_EVQ);
}

static int hold(double start, double end)
{
    struct motion_event me = {0};
    me.kind = MOTION_EV_HOLD_START;
    me.t = start + 0.3;
    me.start = start;
    int n = session_motion(&S, &me, ev, SESSION_EVQ);
    assert_int_equal(count(n, SEV_HOLD_START), 1);
    struct motion_live l = {0};
    int total = 0;
    for (double t = start; t < end; t += 0.5)
        total += session_tick(&S, t, &l, ev, SESSION_EVQ);
    (void)total;
    me.kind = MOTION_EV_HOLD_END;
    me.t = end + 0.1;
    me.end = end;
    me.duration_s = end - start;
    me.counted = end - start >= mp.hold_min_s;
    return session_motion(&S, &me, ev, SESSION_EVQ);
}

static void test_start_and_first_step(void **state)
{
    (void)state;
    session_init(&S, &prog1, &mp, 0, 2);
    assert_int_equal(S.state, SS_IDLE);
    int n = cmd(CMD_START_PAUSE, 1);
    assert_int_equal(count(n, SEV_STARTED), 1);
    assert_int_equal(count(n, SEV_STEP), 1);
    assert_int_equal(S.state, SS_ACTIVE);
    struct session_view v;
    session_view(&S, 1, &v);
    assert_int_equal(v.step, 0);
    assert_string_equal(v.ex->key, "child_pose");
    assert_near(v.target_s, 120, 1e-9);
}

static void test_hold_reaches_target_then_step_done(void **state)
{
    (void)state;
    session_init(&S, &prog1, &mp, 0, 2);
    cmd(CMD_START_PAUSE, 0);
    /* a short stillness first: no news, nothing recorded */
    int n = hold(5, 7);
    assert_int_equal(count(n, SEV_HOLD_SHORT), 0);
    assert_int_equal(S.res[0].nholds, 0);
    /* 60 s is a hold, but short of the 120 s target */
    n = hold(10, 70);
    assert_int_equal(count(n, SEV_HOLD_SHORT), 1);
    assert_int_equal(S.res[0].reps, 0);
    struct session_view v;
    /* the real one: the target is reached while holding, the step ends when
     * the thigh moves again */
    struct motion_event me = {.kind = MOTION_EV_HOLD_START, .t = 80.3, .start = 80};
    session_motion(&S, &me, ev, SESSION_EVQ);
    struct motion_live l = {0};
    session_view(&S, 140, &v);
    assert_true(v.holding);
    assert_near(v.hold_s, 60, 1e-9);
    assert_near(v.progress, 0.5, 1e-9);
    n = session_tick(&S, 200.5, &l, ev, SESSION_EVQ);
    assert_int_equal(count(n, SEV_REP), 1);
    assert_int_equal(S.state, SS_ACTIVE);
    assert_int_equal(S.step, 0);
    me.kind = MOTION_EV_HOLD_END;
    me.t = 210.1;
    me.end = 210;
    me.counted = true;
    n = session_motion(&S, &me, ev, SESSION_EVQ);
    assert_int_equal(count(n, SEV_HOLD_END), 1);
    assert_int_equal(count(n, SEV_STEP_DONE), 1);
    assert_int_equal(count(n, SEV_STEP), 1);
    assert_int_equal(S.step, 1);
    assert_true(S.res[0].done);
    assert_int_equal(S.res[0].nholds, 2);
    assert_near(S.res[0].holds[1], 130, 1e-9);
}

static void test_rocking_time_and_set_figures(void **state)
{
    (void)state;
    session_init(&S, &prog1, &mp, 0, 2);
    cmd(CMD_START_PAUSE, 0);
    cmd(CMD_NEXT, 1); /* skip the child pose */
    assert_true(S.res[0].skipped);
    assert_int_equal(S.step, 1);
    struct motion_event me = {.kind = MOTION_EV_SET_START, .osc = OSC_ROCKING, .t = 12, .start = 10};
    session_motion(&S, &me, ev, SESSION_EVQ);
    /* a set of 30 s, a pause, then another until the 60 s are in */
    me.kind = MOTION_EV_SET_END;
    me.t = 41;
    me.end = 40;
    me.cycles = 33;
    me.rate_hz = 1.1;
    me.rhythm_cv = 0.05;
    me.swing_deg = 12;
    int n = session_motion(&S, &me, ev, SESSION_EVQ);
    assert_int_equal(count(n, SEV_SET_END), 1);
    assert_non_null(strstr(ev[0].text, "33 cycles at 1.10"));
    struct motion_live l = {0};
    struct motion_event m2 = {.kind = MOTION_EV_SET_START, .osc = OSC_ROCKING, .t = 52, .start = 50};
    session_motion(&S, &m2, ev, SESSION_EVQ);
    l.in_set = true;
    l.osc = OSC_ROCKING;
    l.cycles = 30;
    l.set_rate_hz = 1.2;
    l.set_cv = 0.03;
    l.set_swing_deg = 10;
    n = session_tick(&S, 79, &l, ev, SESSION_EVQ);
    assert_int_equal(count(n, SEV_STEP_DONE), 0);
    n = session_tick(&S, 80.01, &l, ev, SESSION_EVQ);
    assert_int_equal(count(n, SEV_STEP_DONE), 1);
    assert_int_equal(S.step, 2);
    const struct step_result *r = &S.res[1];
    assert_near(r->rock_s, 60.01, 1e-6);
    assert_int_equal(r->cycles, 63);
    assert_near(r->rate_sum / r->cycles, (1.1 * 33 + 1.2 * 30) / 63, 1e-9);
}

static void test_pause_freezes_and_drops_the_hold(void **state)
{
    (void)state;
    session_init(&S, &prog1, &mp, 0, 2);
    cmd(CMD_START_PAUSE, 0);
    struct motion_event me = {.kind = MOTION_EV_HOLD_START, .t = 5.3, .start = 5};
    session_motion(&S, &me, ev, SESSION_EVQ);
    int n = cmd(CMD_START_PAUSE, 20);
    assert_int_equal(count(n, SEV_PAUSED), 1);
    assert_int_equal(S.state, SS_PAUSED);
    /* motion while paused is ignored */
    struct motion_event he = {.kind = MOTION_EV_HOLD_END, .t = 30, .end = 30, .counted = true};
    assert_int_equal(session_motion(&S, &he, ev, SESSION_EVQ), 0);
    n = cmd(CMD_START_PAUSE, 50);
    assert_int_equal(count(n, SEV_RESUMED), 1);
    struct session_view v;
    session_view(&S, 60, &v);
    assert_false(v.holding);
    cmd(CMD_STOP, 60);
    assert_near(S.res[0].active_s, 20 + 10, 1e-9); /* 0-20 and 50-60 */
}

static void test_back_and_stop(void **state)
{
    (void)state;
    session_init(&S, &prog1, &mp, 0, 2);
    cmd(CMD_START_PAUSE, 0);
    cmd(CMD_NEXT, 1);
    cmd(CMD_NEXT, 2);
    assert_int_equal(S.step, 2);
    int n = cmd(CMD_BACK, 3);
    assert_int_equal(count(n, SEV_STEP), 1);
    assert_int_equal(S.step, 1);
    n = cmd(CMD_STOP, 4);
    assert_int_equal(count(n, SEV_FINISHED), 1);
    assert_int_equal(S.state, SS_FINISHED);
    assert_int_equal(cmd(CMD_NEXT, 5), 0); /* finished stays finished */
}

static void test_weekly_limit_asks_first(void **state)
{
    (void)state;
    session_init(&S, &prog2, &mp, 2, 2); /* twice already this week */
    cmd(CMD_START_PAUSE, 0);
    assert_string_equal(exercise_get(prog2.steps[0].ex)->key, "curl_downs");
    int n = cmd(CMD_NEXT, 1);
    assert_int_equal(count(n, SEV_CONFIRM), 1);
    assert_int_equal(S.state, SS_CONFIRM);
    /* bounce while asking is not counted */
    struct motion_event me = {.kind = MOTION_EV_SET_START, .osc = OSC_BOUNCE, .t = 3, .start = 2};
    assert_int_equal(session_motion(&S, &me, ev, SESSION_EVQ), 0);
    n = cmd(CMD_START_PAUSE, 5);
    assert_int_equal(count(n, SEV_OVERRIDE), 1);
    assert_int_equal(S.state, SS_ACTIVE);
    /* two rounds of 30 s */
    struct motion_live l = {0};
    for (int round = 0; round < 2; round++) {
        double t0 = 10 + round * 50;
        me.kind = MOTION_EV_SET_START;
        me.start = t0;
        me.t = t0 + 1;
        session_motion(&S, &me, ev, SESSION_EVQ);
        n = session_tick(&S, t0 + 30.5, &l, ev, SESSION_EVQ);
        assert_int_equal(count(n, SEV_REP), 1);
        me.kind = MOTION_EV_SET_END;
        me.end = t0 + 32;
        me.t = t0 + 32.2;
        me.rate_hz = 3;
        n = session_motion(&S, &me, ev, SESSION_EVQ);
    }
    assert_int_equal(count(n, SEV_STEP_DONE), 1);
    char json[8192];
    session_summary_json(&S, "complete", json, sizeof json);
    cJSON *root = cJSON_Parse(json);
    assert_non_null(root);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(root, "advanced_stretch_done")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(root, "advanced_over_limit")));
    cJSON *steps = cJSON_GetObjectItem(root, "steps");
    cJSON *adv = cJSON_GetArrayItem(steps, 1);
    assert_int_equal(cJSON_GetObjectItem(adv, "reps_done")->valueint, 2);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(adv, "rounds_s")), 2);
    cJSON_Delete(root);
}

static void test_curl_down_repetitions_from_the_angle(void **state)
{
    (void)state;
    session_init(&S, &prog2, &mp, 0, 2);
    cmd(CMD_START_PAUSE, 0);
    struct motion_live l = {0};
    int reps = 0;
    double t = 0;
    for (int rep = 0; rep < 2; rep++)
        for (double a = 0; a < 2 * 3.14159; a += 0.05) {
            t += 0.05;
            l.angle_deg = 20 + 15 * (1 - __builtin_cos(a)) / 2; /* out 15 deg and back */
            int n = session_tick(&S, t, &l, ev, SESSION_EVQ);
            reps += count(n, SEV_REP);
        }
    assert_int_equal(reps, 2);
    assert_int_equal(S.step, 1); /* done: on to the advanced stretch */
    assert_true(S.res[0].done);
}

static void test_summary_is_valid_json_at_any_time(void **state)
{
    (void)state;
    session_init(&S, &prog1, &mp, 0, 2);
    char json[16384];
    for (int k = 0; k < 4; k++) {
        if (k == 1)
            cmd(CMD_START_PAUSE, 1);
        if (k == 2)
            hold(3, 9);
        if (k == 3)
            cmd(CMD_STOP, 20);
        int len = session_summary_json(&S, k == 3 ? "stopped" : "in progress", json, sizeof json);
        assert_true(len > 0 && (size_t)len < sizeof json);
        cJSON *root = cJSON_Parse(json);
        assert_non_null(root);
        assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "steps")), 6);
        cJSON_Delete(root);
    }
    /* a buffer too small is never overrun, and says how much it needed */
    char small[64];
    int need = session_summary_json(&S, "stopped", small, sizeof small);
    assert_true(need > 64);
    assert_true(strlen(small) < sizeof small);
}

static void test_command_names(void **state)
{
    (void)state;
    enum session_cmd c;
    assert_int_equal(session_cmd_parse("back", &c), 0);
    assert_int_equal(c, CMD_BACK);
    assert_int_equal(session_cmd_parse("jump", &c), -1);
    assert_string_equal(session_event_name(SEV_STEP_DONE), "step_done");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_start_and_first_step),
        cmocka_unit_test(test_hold_reaches_target_then_step_done),
        cmocka_unit_test(test_rocking_time_and_set_figures),
        cmocka_unit_test(test_pause_freezes_and_drops_the_hold),
        cmocka_unit_test(test_back_and_stop),
        cmocka_unit_test(test_weekly_limit_asks_first),
        cmocka_unit_test(test_curl_down_repetitions_from_the_angle),
        cmocka_unit_test(test_summary_is_valid_json_at_any_time),
        cmocka_unit_test(test_command_names),
    };
    return cmocka_run_group_tests_name("session", tests, setup, NULL);
}
