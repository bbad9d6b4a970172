/* test_coach: what the station says, and when, for hand-made sessions. */
#include <stdlib.h>
#include <string.h>

#include "coach/coach.h"
#include "test_util.h"

static struct program prog;
static struct motion_params mp;
static struct phrases ph;
static struct session S;
static struct coach C;
static struct cue cues[64];

static int setup(void **state)
{
    (void)state;
    struct station_config cfg;
    config_defaults(&cfg);
    program_build(&prog, 1, &cfg);
    motion_params_default(&mp);
    phrases_defaults(&ph);
    return 0;
}

static void start(bool instructions)
{
    struct coach_options o = {true, instructions, true, true, true, 6};
    coach_init(&C, &o, &ph, &mp);
    session_init(&S, &prog, &mp, 0, 2);
}

static int events(int n, const struct session_event *ev)
{
    return coach_events(&C, &S, ev, n, cues, 64);
}

static int said(int n, const char *text)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        k += cues[i].sound == CUE_SPEAK && strcmp(cues[i].text, text) == 0;
    return k;
}

static void test_step_intro_with_and_without_instructions(void **state)
{
    (void)state;
    struct session_event ev[SESSION_EVQ];
    start(true);
    int n = session_command(&S, CMD_START_PAUSE, 0, ev, SESSION_EVQ);
    int k = events(n, ev);
    assert_int_equal(said(k, "Child pose."), 1);
    assert_int_equal(k, 3); /* name, how, caution */
    assert_string_equal(cues[1].text, exercise_get(EX_CHILD_POSE)->how);
    start(false);
    n = session_command(&S, CMD_START_PAUSE, 0, ev, SESSION_EVQ);
    assert_int_equal(events(n, ev), 1);
}

static void test_hold_words_count_and_chime(void **state)
{
    (void)state;
    struct session_event ev[SESSION_EVQ];
    start(false);
    session_command(&S, CMD_START_PAUSE, 0, ev, SESSION_EVQ);
    for (int i = 0; i < 3; i++) /* on to the table stretch: 3 x 5 s */
        session_command(&S, CMD_NEXT, 1 + i, ev, SESSION_EVQ);
    assert_int_equal(S.step, 3);
    struct motion_event me = {.kind = MOTION_EV_HOLD_START, .t = 10.3, .start = 10};
    int n = session_motion(&S, &me, ev, SESSION_EVQ);
    assert_int_equal(events(n, ev), 0); /* not yet: a pause is no hold */
    struct motion_live l = {0};
    const char *expect[] = {"Hold.", "Three", "Two", "One"};
    const double when[] = {11.5, 12.0, 13.0, 14.0};
    int got = 0;
    for (double t = 10.3; t < 14.95; t += 0.01) {
        int k = coach_tick(&C, &S, &l, t, cues, 64);
        for (int i = 0; i < k; i++) {
            assert_true(got < 4);
            assert_string_equal(cues[i].text, expect[got]);
            assert_near(cues[i].t, when[got], 0.011);
            got++;
        }
    }
    assert_int_equal(got, 4);
    /* the target: a chime and "1 of 3." */
    n = session_tick(&S, 15.0, &l, ev, SESSION_EVQ);
    int k = events(n, ev);
    assert_int_equal(k, 2);
    assert_int_equal(cues[0].sound, CUE_CHIME);
    assert_string_equal(cues[1].text, "1 of 3.");
}

static void test_other_leg(void **state)
{
    (void)state;
    struct session_event ev[SESSION_EVQ];
    start(false);
    session_command(&S, CMD_START_PAUSE, 0, ev, SESSION_EVQ);
    int k = 0;
    for (int i = 0; i < 5; i++) {
        int n = session_command(&S, CMD_NEXT, 1 + i, ev, SESSION_EVQ);
        k = events(n, ev);
    }
    assert_int_equal(S.step, 5);
    assert_int_equal(said(k, "Now the other leg."), 1);
}

static void test_rocking_corrections_are_spaced_and_confirmed(void **state)
{
    (void)state;
    struct session_event ev[SESSION_EVQ];
    start(false);
    session_command(&S, CMD_START_PAUSE, 0, ev, SESSION_EVQ);
    session_command(&S, CMD_NEXT, 1, ev, SESSION_EVQ); /* knees rocking */
    struct motion_live l = {0};
    l.in_set = true;
    l.osc = OSC_ROCKING;
    int ticks = 0, corrections = 0, confirms = 0;
    double first = -1;
    for (double t = 2; t < 40; t += 0.01) {
        l.cue = t < 30 ? CUE_SLOWER : CUE_GOOD; /* too fast, then right */
        int k = coach_tick(&C, &S, &l, t, cues, 64);
        for (int i = 0; i < k; i++) {
            ticks += cues[i].sound == CUE_TICK;
            if (cues[i].sound == CUE_SPEAK && strcmp(cues[i].text, "A little slower.") == 0) {
                if (first < 0)
                    first = cues[i].t;
                corrections++;
            }
            confirms += cues[i].sound == CUE_SPEAK && cues[i].phrase == PH_CUE_GOOD;
        }
    }
    assert_near(first, 4, 0.02);      /* after the fault lasted 2 s */
    assert_int_equal(corrections, 5); /* at 4, 10, 16, 22, 28 s: every 6 s */
    assert_int_equal(confirms, 1);    /* once, when it came right */
    /* the pacer: a tick at each end of the swing, at the band's middle rate */
    assert_true(abs(ticks - (int)(38 * 2 * 1.15)) <= 2);
}

static void test_finished_summary(void **state)
{
    (void)state;
    struct session_event ev[SESSION_EVQ];
    start(false);
    session_command(&S, CMD_START_PAUSE, 0, ev, SESSION_EVQ);
    int n = session_command(&S, CMD_STOP, 5, ev, SESSION_EVQ);
    int k = events(n, ev);
    /* nothing done: no praise, and counted in exercises, not steps */
    assert_int_equal(said(k, "Session over. No exercise was finished this time; try again when "
                             "you are ready."), 1);
    assert_int_equal(said(k, "That's the session done: all 4 exercises. Well done."), 0);
}

static void test_speech_off_keeps_the_sounds(void **state)
{
    (void)state;
    struct session_event ev[SESSION_EVQ];
    struct coach_options o = {false, true, true, true, true, 6};
    coach_init(&C, &o, &ph, &mp);
    session_init(&S, &prog, &mp, 0, 2);
    int n = session_command(&S, CMD_START_PAUSE, 0, ev, SESSION_EVQ);
    assert_int_equal(events(n, ev), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_step_intro_with_and_without_instructions),
        cmocka_unit_test(test_hold_words_count_and_chime),
        cmocka_unit_test(test_other_leg),
        cmocka_unit_test(test_rocking_corrections_are_spaced_and_confirmed),
        cmocka_unit_test(test_finished_summary),
        cmocka_unit_test(test_speech_off_keeps_the_sounds),
    };
    return cmocka_run_group_tests_name("coach", tests, setup, NULL);
}
