/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_session: the session state machine, driven by hand-made events. */
#include <cjson/cJSON.h>
#include <math.h>
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
    assert_non_null(strstr(ev[0].text, "33 cycles in 30 s at 1.10"));
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
    assert_int_equal(count(n, SEV_REP), 1);       /* the target is said at once */
    assert_int_equal(count(n, SEV_STEP_DONE), 0); /* the set is let run out */
    m2.kind = MOTION_EV_SET_END;
    m2.t = 85.2;
    m2.end = 85;
    m2.cycles = 35;
    m2.rate_hz = 1.2;
    m2.rhythm_cv = 0.03;
    m2.swing_deg = 10;
    n = session_motion(&S, &m2, ev, SESSION_EVQ);
    n = session_tick(&S, 85.3, &l, ev, SESSION_EVQ);
    assert_int_equal(count(n, SEV_STEP_DONE), 1);
    assert_int_equal(S.step, 2);
    const struct step_result *r = &S.res[1];
    assert_near(r->rock_s, 65, 1e-6); /* the whole of both sets */
    assert_int_equal(r->cycles, 68);
    assert_int_equal(r->nsets, 2); /* each set keeps its own figures */
    assert_near(r->sets[0].rate_hz, 1.1, 1e-9);
    assert_int_equal(r->sets[0].cycles, 33);
    assert_near(r->sets[1].rate_hz, 1.2, 1e-9);
    assert_int_equal(r->sets[1].cycles, 35);
}

/* a rocking set as the motion core reports it while it runs */
static void rocking_live(struct motion_live *l, int cycles)
{
    memset(l, 0, sizeof *l);
    l->in_set = true;
    l->osc = OSC_ROCKING;
    l->cycles = cycles;
    l->set_rate_hz = 1.15;
    l->set_cv = 0.04;
    l->set_swing_deg = 12;
}

static void test_pause_mid_hold_keeps_it(void **state)
{
    (void)state;
    /* the demo's case: a 4 s pause in the middle of a child pose, the person
     * never moves: the hold goes on, the pause is not counted */
    session_init(&S, &prog1, &mp, 0, 2);
    cmd(CMD_START_PAUSE, 0);
    struct motion_event me = {.kind = MOTION_EV_HOLD_START, .t = 10.3, .start = 10};
    session_motion(&S, &me, ev, SESSION_EVQ);
    struct motion_live l = {0};
    session_tick(&S, 60, &l, ev, SESSION_EVQ);
    int n = cmd(CMD_START_PAUSE, 60);
    assert_int_equal(count(n, SEV_PAUSED), 1);
    struct session_view v;
    session_view(&S, 62, &v);
    assert_true(v.holding);
    assert_near(v.hold_s, 50, 1e-9); /* frozen */
    n = cmd(CMD_START_PAUSE, 64);
    assert_int_equal(count(n, SEV_RESUMED), 1);
    session_view(&S, 70, &v);
    assert_near(v.hold_s, 56, 1e-9);
    n = session_tick(&S, 133.9, &l, ev, SESSION_EVQ);
    assert_int_equal(count(n, SEV_REP), 0);
    n = session_tick(&S, 134.1, &l, ev, SESSION_EVQ); /* 120 s held, pause left out */
    assert_int_equal(count(n, SEV_REP), 1);
    me.kind = MOTION_EV_HOLD_END;
    me.t = 140.1;
    me.end = 140;
    me.counted = true;
    n = session_motion(&S, &me, ev, SESSION_EVQ);
    assert_int_equal(count(n, SEV_STEP_DONE), 1);
    assert_near(S.res[0].holds[0], 126, 1e-9);
    assert_near(S.res[0].active_s, 136.1, 1e-9); /* 0-60 and 64-140.1 */
}

static void test_pause_then_move_ends_the_hold_as_it_stood(void **state)
{
    (void)state;
    session_init(&S, &prog1, &mp, 0, 2);
    cmd(CMD_START_PAUSE, 0);
    cmd(CMD_NEXT, 1);
    cmd(CMD_NEXT, 2);
    cmd(CMD_NEXT, 3); /* the table stretch: 3 x 5 s */
    assert_int_equal(S.step, 3);
    struct motion_event me = {.kind = MOTION_EV_HOLD_START, .t = 10.3, .start = 10};
    session_motion(&S, &me, ev, SESSION_EVQ);
    cmd(CMD_START_PAUSE, 16); /* 6 s held */
    me.kind = MOTION_EV_HOLD_END; /* moved while paused */
    me.t = 18;
    me.end = 18;
    me.counted = true;
    session_motion(&S, &me, ev, SESSION_EVQ);
    int n = cmd(CMD_START_PAUSE, 30);
    assert_int_equal(count(n, SEV_REP), 1); /* 6 s of 5: it counts as it stood */
    assert_int_equal(S.res[3].reps, 1);
    assert_int_equal(S.res[3].nholds, 1);
    assert_near(S.res[3].holds[0], 6, 1e-9);
    session_view(&S, 31, &(struct session_view){0});
    assert_false(S.holding);
}

static void test_pause_mid_rocking_keeps_the_time(void **state)
{
    (void)state;
    session_init(&S, &prog1, &mp, 0, 2);
    cmd(CMD_START_PAUSE, 0);
    cmd(CMD_NEXT, 1);
    struct motion_event me = {.kind = MOTION_EV_SET_START, .osc = OSC_ROCKING, .t = 12, .start = 10};
    session_motion(&S, &me, ev, SESSION_EVQ);
    struct motion_live l;
    rocking_live(&l, 22);
    session_tick(&S, 30, &l, ev, SESSION_EVQ);
    cmd(CMD_START_PAUSE, 30);
    rocking_live(&l, 27); /* rocks on through the pause: not counted */
    session_tick(&S, 34, &l, ev, SESSION_EVQ);
    cmd(CMD_START_PAUSE, 34);
    struct session_view v;
    session_view(&S, 34, &v);
    assert_near(v.rock_s, 20, 1e-9);
    rocking_live(&l, 70);
    for (double t = 35; t < 76; t += 0.5)
        session_tick(&S, t, &l, ev, SESSION_EVQ);
    me.kind = MOTION_EV_SET_END;
    me.t = me.end = 76;
    me.cycles = 72;
    me.rate_hz = 1.15;
    session_motion(&S, &me, ev, SESSION_EVQ);
    int n = session_tick(&S, 76.5, &l, ev, SESSION_EVQ);
    assert_int_equal(count(n, SEV_STEP_DONE), 1);
    assert_int_equal(S.step, 2);
    assert_near(S.res[1].rock_s, 20 + (76 - 34), 1e-9);
    assert_int_equal(S.res[1].cycles, 22 + (72 - 27));
}

static void test_next_mid_rocking_credits_the_time_so_far(void **state)
{
    (void)state;
    session_init(&S, &prog1, &mp, 0, 2);
    cmd(CMD_START_PAUSE, 0);
    cmd(CMD_NEXT, 1);
    struct motion_event me = {.kind = MOTION_EV_SET_START, .osc = OSC_ROCKING, .t = 12, .start = 10};
    session_motion(&S, &me, ev, SESSION_EVQ);
    struct motion_live l;
    rocking_live(&l, 46);
    session_tick(&S, 50, &l, ev, SESSION_EVQ);
    int n = cmd(CMD_NEXT, 50);
    assert_int_equal(count(n, SEV_STEP_SKIPPED), 1);
    assert_non_null(strstr(ev[0].text, "40 of 60 s"));
    assert_near(S.res[1].rock_s, 40, 1e-9);
    assert_int_equal(S.res[1].cycles, 46);
    assert_int_equal(S.res[1].nsets, 1);
    assert_near(S.res[1].sets[0].rate_hz, 1.15, 1e-9);
    assert_false(S.res[1].done);
}

static void test_next_after_the_target_is_done(void **state)
{
    (void)state;
    session_init(&S, &prog1, &mp, 0, 2);
    cmd(CMD_START_PAUSE, 0);
    struct motion_event me = {.kind = MOTION_EV_HOLD_START, .t = 5.3, .start = 5};
    session_motion(&S, &me, ev, SESSION_EVQ);
    struct motion_live l = {0};
    session_tick(&S, 126, &l, ev, SESSION_EVQ);
    int n = cmd(CMD_NEXT, 127); /* still in the pose, target reached */
    assert_int_equal(count(n, SEV_STEP_DONE), 1);
    assert_int_equal(count(n, SEV_STEP_SKIPPED), 0);
    assert_true(S.res[0].done);
    assert_near(S.res[0].holds[0], 122, 1e-9);
    /* and a hold within the tolerance of its target counts too */
    session_init(&S, &prog1, &mp, 0, 2);
    cmd(CMD_START_PAUSE, 0);
    n = hold(5, 113.5); /* 108.5 s of 120: within 10 % */
    assert_int_equal(count(n, SEV_REP), 1);
    assert_true(S.res[0].done);
}

static void test_back_redoes_without_double_counting(void **state)
{
    (void)state;
    session_init(&S, &prog1, &mp, 0, 2);
    cmd(CMD_START_PAUSE, 0);
    hold(5, 130);
    assert_int_equal(S.step, 1);
    int n = cmd(CMD_BACK, 135);
    assert_int_equal(S.step, 0);
    assert_int_equal(count(n, SEV_STEP), 1);
    assert_near(ev[n - 1].value, 2, 0); /* entered for the second time */
    assert_true(S.res[0].done);          /* what was done stays done */
    struct session_view v;
    session_view(&S, 136, &v);
    assert_int_equal(v.reps_done, 0);   /* a fresh count: never "2 of 1" */
    hold(140, 265);
    assert_int_equal(S.res[0].reps, 1);
    assert_int_equal(S.res[0].best_reps, 1);
    assert_int_equal(S.res[0].nholds, 2);
    /* back into rocking that was done does not complete it at once */
    session_init(&S, &prog1, &mp, 0, 2);
    cmd(CMD_START_PAUSE, 0);
    cmd(CMD_NEXT, 1);
    struct motion_event me = {.kind = MOTION_EV_SET_START, .osc = OSC_ROCKING, .t = 2, .start = 2};
    session_motion(&S, &me, ev, SESSION_EVQ);
    struct motion_live l;
    rocking_live(&l, 60);
    for (double t = 2; t < 63; t += 0.5)
        session_tick(&S, t, &l, ev, SESSION_EVQ);
    me.kind = MOTION_EV_SET_END;
    me.t = me.end = 63;
    me.cycles = 70;
    session_motion(&S, &me, ev, SESSION_EVQ);
    session_tick(&S, 63.5, &l, ev, SESSION_EVQ);
    assert_true(S.res[1].done);
    cmd(CMD_BACK, 70);
    assert_int_equal(S.step, 1);
    memset(&l, 0, sizeof l);
    n = session_tick(&S, 71, &l, ev, SESSION_EVQ);
    assert_int_equal(count(n, SEV_STEP_DONE), 0);
    assert_int_equal(S.step, 1);
}

static void test_stop_is_honest(void **state)
{
    (void)state;
    session_init(&S, &prog1, &mp, 0, 2);
    cmd(CMD_START_PAUSE, 0);
    int n = cmd(CMD_STOP, 30);
    assert_int_equal(count(n, SEV_FINISHED), 1);
    assert_non_null(strstr(ev[n - 1].text, "0 of 4 exercises"));
    assert_string_equal(session_status(&S), "partial");
    struct session_view v;
    session_view(&S, 31, &v);
    assert_false(v.complete);
    assert_near(v.progress, 0, 1e-9);
    assert_null(strstr(v.message, "Well done"));
    char json[32768];
    session_summary_json(&S, NULL, "live", json, sizeof json);
    cJSON *root = cJSON_Parse(json);
    assert_non_null(root);
    assert_string_equal(cJSON_GetObjectItem(root, "status")->valuestring, "partial");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(root, "early_stop")));
    assert_int_equal(cJSON_GetObjectItem(root, "exercises_done")->valueint, 0);
    assert_int_equal(cJSON_GetObjectItem(root, "exercises_total")->valueint, 4);
    cJSON_Delete(root);
}

static void test_no_step_waits_for_ever(void **state)
{
    (void)state;
    session_init(&S, &prog1, &mp, 0, 2);
    cmd(CMD_START_PAUSE, 0);
    struct motion_live l = {0};
    int timeouts = 0;
    double t;
    for (t = 0; S.state != SS_FINISHED && t < 3000; t += 1)
        timeouts += count(session_tick(&S, t, &l, ev, SESSION_EVQ), SEV_TIMEOUT);
    assert_int_equal(S.state, SS_FINISHED);
    assert_int_equal(timeouts, 6);
    assert_true(S.res[0].timed_out && S.res[0].skipped);
    assert_true(t <= 240 + 180 + 240 + 145 + 135 + 135 + 12); /* each step: its time + 120 s */
}

static void test_moving_on_to_rocking_is_followed(void **state)
{
    (void)state;
    session_init(&S, &prog1, &mp, 0, 2);
    cmd(CMD_START_PAUSE, 0);
    hold(5, 60); /* too short a child pose, then the person starts rocking */
    struct motion_event me = {.kind = MOTION_EV_SET_START, .osc = OSC_ROCKING, .t = 72, .start = 70};
    int n = session_motion(&S, &me, ev, SESSION_EVQ);
    assert_int_equal(count(n, SEV_MOVED_ON), 1);
    assert_int_equal(S.step, 1);
    assert_true(S.res[0].skipped);
    assert_true(S.in_set);
    assert_near(S.set_start, 70, 1e-9);
}

static void test_posture_rules_out_the_wrong_hold(void **state)
{
    (void)state;
    session_init(&S, &prog1, &mp, 0, 2);
    cmd(CMD_START_PAUSE, 0);
    /* the sensor at some rotation: the thigh's frame in sensor axes */
    const double u[3] = {0.6, 0.0, 0.8}, f[3] = {0.0, 1.0, 0.0};
    /* up direction for a sagittal angle th (degrees) */
    double up[3];
#define POSE(th)                                                                   \
    for (int k = 0; k < 3; k++)                                                    \
        up[k] = sin((th) * M_PI / 180) * u[k] + cos((th) * M_PI / 180) * f[k];
    struct motion_live l = {0};
    POSE(-10); /* child pose */
    for (double t = 0; t < 3; t += 0.1)
        session_accel(&S, t, up);
    hold(5, 130);
    assert_true(S.res[0].done);
    POSE(110); /* rocking, knees to the chest */
    session_accel(&S, 131, up);
    struct motion_event me = {.kind = MOTION_EV_SET_START, .osc = OSC_ROCKING, .t = 132, .start = 131};
    session_motion(&S, &me, ev, SESSION_EVQ);
    rocking_live(&l, 70);
    for (double t = 131; t < 195; t += 0.5) {
        session_accel(&S, t, up);
        session_tick(&S, t, &l, ev, SESSION_EVQ);
    }
    me.kind = MOTION_EV_SET_END;
    me.t = me.end = 195;
    me.cycles = 70;
    session_motion(&S, &me, ev, SESSION_EVQ);
    session_tick(&S, 195.5, &l, ev, SESSION_EVQ);
    assert_int_equal(S.step, 2);
    POSE(-5);
    for (double t = 200; t < 203; t += 0.1)
        session_accel(&S, t, up);
    memset(&l, 0, sizeof l);
    hold(205, 330);
    assert_int_equal(S.step, 3); /* the table stretch */
    /* a nerve-root hold (thigh up) is no table stretch: refused, and as the
     * next step is the nerve-root stretch, the station follows */
    POSE(90);
    for (double t = 340; t < 343; t += 0.1)
        session_accel(&S, t, up);
    me = (struct motion_event){.kind = MOTION_EV_HOLD_START, .t = 345.3, .start = 345};
    int n = session_motion(&S, &me, ev, SESSION_EVQ);
    assert_int_equal(count(n, SEV_MOVED_ON), 0); /* a moment's stillness is no hold */
    assert_int_equal(S.step, 3);
    n = session_tick(&S, 349.5, &l, ev, SESSION_EVQ);
    assert_int_equal(count(n, SEV_MOVED_ON), 1);
    assert_int_equal(S.step, 4);
    assert_true(S.holding);
    assert_near(S.hold_start, 345, 1e-9); /* dated from its own start */
    /* lying flat (like the child pose) is no table stretch either */
    session_init(&S, &prog1, &mp, 0, 2);
    cmd(CMD_START_PAUSE, 0);
    POSE(-10);
    for (double t = 0; t < 3; t += 0.1)
        session_accel(&S, t, up);
    hold(5, 130);
    cmd(CMD_NEXT, 131);
    cmd(CMD_NEXT, 132);
    POSE(5);
    for (double t = 133; t < 136; t += 0.1)
        session_accel(&S, t, up);
    me = (struct motion_event){.kind = MOTION_EV_HOLD_START, .t = 140.3, .start = 140};
    n = session_motion(&S, &me, ev, SESSION_EVQ);
    assert_false(S.holding);
    n = session_tick(&S, 143, &l, ev, SESSION_EVQ);
    assert_int_equal(count(n, SEV_POSTURE), 0); /* a moment's pause is no news */
    n = session_tick(&S, 144.5, &l, ev, SESSION_EVQ);
    assert_int_equal(count(n, SEV_POSTURE), 1);
    assert_int_equal(S.res[3].posture_refused, 1);
#undef POSE
}

static void test_bounce_rounds_bridge_pauses_and_tolerate(void **state)
{
    (void)state;
    session_init(&S, &prog2, &mp, 0, 2);
    cmd(CMD_START_PAUSE, 0);
    cmd(CMD_NEXT, 1);
    assert_int_equal(S.step, 1);
    struct motion_live l = {0};
    /* round 1 split in two by a 1.5 s pause, 29.2 s in all */
    struct motion_event me = {.kind = MOTION_EV_SET_START, .osc = OSC_BOUNCE, .t = 11, .start = 10};
    session_motion(&S, &me, ev, SESSION_EVQ);
    me.kind = MOTION_EV_SET_END;
    me.t = me.end = 22;
    session_motion(&S, &me, ev, SESSION_EVQ);
    session_tick(&S, 23, &l, ev, SESSION_EVQ);
    me = (struct motion_event){.kind = MOTION_EV_SET_START, .osc = OSC_BOUNCE, .t = 24, .start = 23.5};
    session_motion(&S, &me, ev, SESSION_EVQ);
    me.kind = MOTION_EV_SET_END;
    me.t = me.end = 39.2;
    session_motion(&S, &me, ev, SESSION_EVQ);
    int reps = 0;
    for (double t = 39.5; t < 50; t += 0.5)
        reps += count(session_tick(&S, t, &l, ev, SESSION_EVQ), SEV_REP);
    assert_int_equal(reps, 1);
    assert_int_equal(S.res[1].nholds, 1);
    assert_near(S.res[1].holds[0], 29.2, 1e-9);
}

static void test_unattended_over_limit_is_left_out(void **state)
{
    (void)state;
    session_init(&S, &prog2, &mp, 2, 2);
    session_set_context(&S, true, true);
    cmd(CMD_START_PAUSE, 0);
    int n = cmd(CMD_NEXT, 1);
    assert_int_equal(count(n, SEV_LIMIT_SKIP), 1);
    assert_int_equal(S.step, 2); /* on to the BackBlock, nothing waits */
    assert_int_equal(S.state, SS_ACTIVE);
    assert_true(S.res[1].limit_skipped);
    /* a replay never applies the limit */
    session_init(&S, &prog2, &mp, 5, 2);
    session_set_context(&S, false, false);
    cmd(CMD_START_PAUSE, 0);
    n = cmd(CMD_NEXT, 1);
    assert_int_equal(count(n, SEV_CONFIRM), 0);
    assert_int_equal(S.step, 1);
}

static void test_sensor_gap_mid_hold_is_bridged(void **state)
{
    (void)state;
    session_init(&S, &prog1, &mp, 0, 2);
    cmd(CMD_START_PAUSE, 0);
    const double up[3] = {0, 0, 1};
    session_accel(&S, 1, up);
    struct motion_event me = {.kind = MOTION_EV_HOLD_START, .t = 5.3, .start = 5};
    session_motion(&S, &me, ev, SESSION_EVQ);
    /* the motion core ends the hold at the gap, then reports the gap */
    me = (struct motion_event){.kind = MOTION_EV_HOLD_END, .t = 60, .end = 60, .counted = true};
    session_motion(&S, &me, ev, SESSION_EVQ);
    me = (struct motion_event){.kind = MOTION_EV_GAP, .t = 60, .start = 60, .end = 65};
    session_motion(&S, &me, ev, SESSION_EVQ);
    assert_int_equal(S.res[0].nholds, 0);
    session_accel(&S, 65.1, up); /* the same posture */
    me = (struct motion_event){.kind = MOTION_EV_HOLD_START, .t = 66.3, .start = 65.2};
    int n = session_motion(&S, &me, ev, SESSION_EVQ);
    assert_int_equal(count(n, SEV_HOLD_START), 1);
    assert_true(S.holding);
    assert_near(S.hold_start, 65.2 - 55, 1e-9); /* 55 s held before; the gap left out */
    struct motion_live l = {0};
    n = session_tick(&S, 130.3, &l, ev, SESSION_EVQ);
    assert_int_equal(count(n, SEV_REP), 1);
    /* a gap after which the thigh is somewhere else: the hold counts as it stood */
    session_init(&S, &prog1, &mp, 0, 2);
    cmd(CMD_START_PAUSE, 0);
    session_accel(&S, 1, up);
    me = (struct motion_event){.kind = MOTION_EV_HOLD_START, .t = 5.3, .start = 5};
    session_motion(&S, &me, ev, SESSION_EVQ);
    me = (struct motion_event){.kind = MOTION_EV_HOLD_END, .t = 60, .end = 60, .counted = true};
    session_motion(&S, &me, ev, SESSION_EVQ);
    me = (struct motion_event){.kind = MOTION_EV_GAP, .t = 60, .start = 60, .end = 65};
    session_motion(&S, &me, ev, SESSION_EVQ);
    const double other[3] = {1, 0, 0};
    for (double t = 65; t < 70; t += 0.1)
        session_accel(&S, t, other);
    me = (struct motion_event){.kind = MOTION_EV_HOLD_START, .t = 66.3, .start = 65.2};
    session_motion(&S, &me, ev, SESSION_EVQ);
    assert_near(S.hold_start, 65.2, 1e-9);
    assert_int_equal(S.res[0].nholds, 1);
    assert_near(S.res[0].holds[0], 55, 1e-9);
}

static void test_backblock_counts_from_its_minimum(void **state)
{
    (void)state;
    session_init(&S, &prog2, &mp, 0, 2);
    cmd(CMD_START_PAUSE, 0);
    cmd(CMD_NEXT, 1);
    cmd(CMD_NEXT, 2);
    assert_int_equal(S.step, 2);
    assert_near(prog2.steps[2].target_s, 180, 1e-9);
    int n = hold(10, 125); /* 115 s: short of the 120 s that count */
    assert_int_equal(count(n, SEV_REP), 0);
    assert_int_equal(S.step, 2);
    n = hold(130, 296); /* 166 s of a 180 s goal: done */
    assert_int_equal(count(n, SEV_REP), 1);
    assert_int_equal(S.state, SS_FINISHED);
    assert_true(S.res[2].done);
    assert_string_equal(session_status(&S), "partial"); /* the other two were skipped */
}

static void test_unanswered_limit_question_moves_on(void **state)
{
    (void)state;
    session_init(&S, &prog2, &mp, 2, 2);
    cmd(CMD_START_PAUSE, 0);
    cmd(CMD_NEXT, 1);
    assert_int_equal(S.state, SS_CONFIRM);
    struct motion_live l = {0};
    int n = session_tick(&S, 100, &l, ev, SESSION_EVQ);
    assert_int_equal(count(n, SEV_LIMIT_SKIP), 0);
    n = session_tick(&S, 122, &l, ev, SESSION_EVQ);
    assert_int_equal(count(n, SEV_LIMIT_SKIP), 1);
    assert_int_equal(S.step, 2);
    assert_true(S.res[1].limit_skipped);
}

static void test_hold_begun_in_a_pause_counts_from_the_resume(void **state)
{
    (void)state;
    session_init(&S, &prog1, &mp, 0, 2);
    cmd(CMD_START_PAUSE, 0);
    cmd(CMD_START_PAUSE, 5);
    struct motion_event me = {.kind = MOTION_EV_HOLD_START, .t = 11, .start = 10};
    assert_int_equal(session_motion(&S, &me, ev, SESSION_EVQ), 0); /* paused */
    int n = cmd(CMD_START_PAUSE, 20);
    assert_int_equal(count(n, SEV_HOLD_START), 1);
    assert_true(S.holding);
    assert_near(S.hold_start, 20, 1e-9);
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
        session_motion(&S, &me, ev, SESSION_EVQ);
        /* the round closes once the pause outlasts the bridge */
        n = session_tick(&S, t0 + 32 + prog2.rules.bridge_s + 0.5, &l, ev, SESSION_EVQ);
    }
    assert_int_equal(count(n, SEV_STEP_DONE), 1);
    char json[32768];
    session_summary_json(&S, NULL, "live", json, sizeof json);
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

static void test_curl_downs_are_paced_not_counted(void **state)
{
    (void)state;
    session_init(&S, &prog2, &mp, 0, 2);
    cmd(CMD_START_PAUSE, 0);
    struct motion_live l = {0};
    int reps = 0;
    double t;
    for (t = 0; S.step == 0 && t < 100; t += 0.5)
        reps += count(session_tick(&S, t, &l, ev, SESSION_EVQ), SEV_REP);
    assert_int_equal(reps, 2);
    assert_near(t, 2 * prog2.rules.curl_rep_s + 0.5, 1e-9);
    assert_true(S.res[0].done && S.res[0].guided);
    char json[32768];
    session_summary_json(&S, NULL, "live", json, sizeof json);
    assert_non_null(strstr(json, "\"measured\": false"));
}

static void test_summary_is_valid_json_at_any_time(void **state)
{
    (void)state;
    session_init(&S, &prog1, &mp, 0, 2);
    char json[32768];
    for (int k = 0; k < 4; k++) {
        if (k == 1)
            cmd(CMD_START_PAUSE, 1);
        if (k == 2)
            hold(3, 9);
        if (k == 3)
            cmd(CMD_STOP, 20);
        int len = session_summary_json(&S, NULL, "replay", json, sizeof json);
        assert_true(len > 0 && (size_t)len < sizeof json);
        cJSON *root = cJSON_Parse(json);
        assert_non_null(root);
        assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "steps")), 6);
        cJSON_Delete(root);
    }
    /* a buffer too small is never overrun, and says how much it needed */
    char small[64];
    int need = session_summary_json(&S, NULL, "live", small, sizeof small);
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
        cmocka_unit_test(test_pause_mid_hold_keeps_it),
        cmocka_unit_test(test_pause_then_move_ends_the_hold_as_it_stood),
        cmocka_unit_test(test_pause_mid_rocking_keeps_the_time),
        cmocka_unit_test(test_next_mid_rocking_credits_the_time_so_far),
        cmocka_unit_test(test_next_after_the_target_is_done),
        cmocka_unit_test(test_back_redoes_without_double_counting),
        cmocka_unit_test(test_stop_is_honest),
        cmocka_unit_test(test_no_step_waits_for_ever),
        cmocka_unit_test(test_moving_on_to_rocking_is_followed),
        cmocka_unit_test(test_posture_rules_out_the_wrong_hold),
        cmocka_unit_test(test_bounce_rounds_bridge_pauses_and_tolerate),
        cmocka_unit_test(test_unattended_over_limit_is_left_out),
        cmocka_unit_test(test_sensor_gap_mid_hold_is_bridged),
        cmocka_unit_test(test_backblock_counts_from_its_minimum),
        cmocka_unit_test(test_unanswered_limit_question_moves_on),
        cmocka_unit_test(test_hold_begun_in_a_pause_counts_from_the_resume),
        cmocka_unit_test(test_back_and_stop),
        cmocka_unit_test(test_weekly_limit_asks_first),
        cmocka_unit_test(test_curl_downs_are_paced_not_counted),
        cmocka_unit_test(test_summary_is_valid_json_at_any_time),
        cmocka_unit_test(test_command_names),
    };
    return cmocka_run_group_tests_name("session", tests, setup, NULL);
}
