/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_coach: what the station says, and when, for hand-made sessions. */
#include <stdlib.h>
#include <string.h>

#include "coach/coach.h"
#include "coach/cueq.h"
#include <stdio.h>
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
    assert_int_equal(k, 3); /* name, caution (whole), how */
    assert_string_equal(cues[1].text, exercise_get(EX_CHILD_POSE)->caution);
    assert_true(cues[1].whole);
    assert_string_equal(cues[2].text, exercise_get(EX_CHILD_POSE)->how);
    assert_false(cues[2].whole);
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

static void test_rocking_corrections_vary_escalate_and_credit(void **state)
{
    (void)state;
    struct session_event ev[SESSION_EVQ];
    start(false);
    session_command(&S, CMD_START_PAUSE, 0, ev, SESSION_EVQ);
    session_command(&S, CMD_NEXT, 1, ev, SESSION_EVQ); /* knees rocking */
    struct motion_live l = {0};
    l.in_set = true;
    l.osc = OSC_ROCKING;
    int ticks = 0, n = 0;
    enum phrase_id got[16];
    double at[16];
    for (double t = 2; t < 40; t += 0.01) {
        /* far too fast, then closer (still too fast), then right */
        l.cue = t < 30 ? CUE_SLOWER : CUE_GOOD;
        l.rate_hz = t < 15 ? mp.rate_max_hz + 0.3 : t < 30 ? mp.rate_max_hz + 0.1 : 1.15;
        int k = coach_tick(&C, &S, &l, t, cues, 64);
        for (int i = 0; i < k; i++) {
            ticks += cues[i].sound == CUE_TICK;
            if (cues[i].sound == CUE_SPEAK && n < 16) {
                assert_int_equal(cues[i].prio, PRIO_CORRECTION);
                got[n] = cues[i].phrase;
                at[n++] = cues[i].t;
            }
        }
    }
    /* after the fault lasted 2 s; said again more plainly 6 s later; then,
     * waiting longer each time, credit for getting closer; the plain word
     * again when it stays off; and a word when it comes right */
    const enum phrase_id want[] = {PH_CUE_SLOWER, PH_CUE_SLOWER_2, PH_CUE_BETTER, PH_CUE_SLOWER,
                                   PH_CUE_GOOD};
    const double when[] = {4, 10, 19, 28, 32};
    assert_int_equal(n, 5);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(got[i], want[i]);
        assert_near(at[i], when[i], 0.035); /* 10 ms steps summed in floating point */
    }
    /* the pacer: a tick at each end of the swing, at the band's middle rate */
    assert_true(abs(ticks - (int)(38 * 2 * 1.15)) <= 2);
    /* while the speech channel is busy a correction waits, not queues up */
    start(false);
    session_command(&S, CMD_START_PAUSE, 0, ev, SESSION_EVQ);
    session_command(&S, CMD_NEXT, 1, ev, SESSION_EVQ);
    C.speaking = true;
    l.cue = CUE_SLOWER;
    int spoken = 0;
    for (double t = 2; t < 8; t += 0.01)
        for (int i = 0, k = coach_tick(&C, &S, &l, t, cues, 64); i < k; i++)
            spoken += cues[i].sound == CUE_SPEAK;
    assert_int_equal(spoken, 0);
    C.speaking = false;
    int k = coach_tick(&C, &S, &l, 8.01, cues, 64);
    assert_true(k >= 1);
    assert_int_equal(cues[k - 1].phrase, PH_CUE_SLOWER); /* the first word, not the second */
}

/* A sway too small to be a set, in the rocking step: "too small" said like
 * any rocking correction (after the fault lasted a moment, at most every
 * cue interval, more plainly the second time); not in a hold step, and
 * not when the live figures carry no cue for it. */
static void test_sway_too_small_in_the_rocking_step(void **state)
{
    (void)state;
    struct session_event ev[SESSION_EVQ];
    struct motion_live l = {0};
    l.sway_deg = 2;
    motion_judge(&mp, &l);
    assert_int_equal(l.cue, CUE_BIGGER);
    assert_int_equal(l.effort_v, VERDICT_LOW);
    for (int rocking = 0; rocking <= 1; rocking++) {
        start(false);
        session_command(&S, CMD_START_PAUSE, 0, ev, SESSION_EVQ);
        if (rocking)
            session_command(&S, CMD_NEXT, 1, ev, SESSION_EVQ); /* knees rocking */
        enum phrase_id got[8];
        double at[8];
        int n = 0;
        for (double t = 2; t < 16; t += 0.01)
            for (int i = 0, k = coach_tick(&C, &S, &l, t, cues, 64); i < k; i++)
                if (cues[i].sound == CUE_SPEAK && n < 8) {
                    got[n] = cues[i].phrase;
                    at[n++] = cues[i].t;
                }
        if (!rocking) {
            assert_int_equal(n, 0); /* child pose: a sway there is no fault */
            continue;
        }
        assert_int_equal(n, 2);
        assert_int_equal(got[0], PH_CUE_BIGGER);
        assert_int_equal(got[1], PH_CUE_BIGGER_2);
        assert_near(at[0], 4, 0.035);
        assert_near(at[1], 10, 0.035);
    }
    /* a sway as big as the band's smallest swing is no fault */
    mp.swing_min_deg = 1.5;
    motion_judge(&mp, &l);
    assert_int_equal(l.cue, CUE_NONE);
    motion_params_default(&mp);
}

static void test_sensor_lost_said_now_every_30s_and_back(void **state)
{
    (void)state;
    start(false);
    int lost = 0, still = 0, back = 0;
    for (int i10 = 0; i10 < 1000; i10++) {
        double t = i10 / 10.0;
        bool gone = i10 >= 50 && i10 < 710;
        int k = coach_sensor(&C, gone, t, cues, 64);
        for (int i = 0; i < k; i++) {
            assert_int_equal(cues[i].prio, PRIO_SAFETY);
            assert_int_equal(cues[i].step, -1);
            if (cues[i].phrase == PH_SENSOR_LOST) {
                lost++;
                assert_near(cues[i].t, 5, 0.01);
            }
            if (cues[i].phrase == PH_SENSOR_STILL) {
                still++;
                assert_near(cues[i].t, 5 + 30 * still, 0.01);
            }
            if (cues[i].phrase == PH_SENSOR_BACK) {
                back++;
                assert_near(cues[i].t, 71, 0.01);
            }
        }
    }
    assert_int_equal(lost, 1);
    assert_int_equal(still, 2); /* at 35 and 65 s */
    assert_int_equal(back, 1);
}

static struct cue mk(const char *text, enum cue_prio p, int step, double t, double len)
{
    struct cue c = {.sound = CUE_SPEAK, .prio = p, .step = step, .t = t, .len_s = len};
    snprintf(c.text, sizeof c.text, "%s", text);
    return c;
}

static struct cueq Q;
static struct cueq_report R[CUEQ_REPORTS];

static int push(struct cue c)
{
    int k = cueq_push(&Q, &c, R, CUEQ_REPORTS);
    return k == 1 && R[0].what == CQ_QUEUED;
}

/* runs the queue from t0 to t1 in 10 ms steps; the texts played, in order */
static int run(double t0, double t1, const char **played, double *when, int max, int *dropped,
               int *cuts)
{
    int n = 0;
    for (double t = t0; t < t1; t += 0.01) {
        bool cut;
        int k = cueq_run(&Q, t, &cut, R, CUEQ_REPORTS);
        for (int i = 0; i < k; i++) {
            if (R[i].what == CQ_PLAYED && n < max) {
                static char keep[16][400];
                snprintf(keep[n], sizeof keep[n], "%s", R[i].c.text);
                played[n] = keep[n];
                when[n++] = R[i].t;
            }
            if (R[i].what == CQ_DROPPED && dropped)
                (*dropped)++;
            if (R[i].what == CQ_CUT && cuts)
                (*cuts)++;
        }
    }
    return n;
}

static void test_cueq_most_urgent_first_late_dropped(void **state)
{
    (void)state;
    cueq_init(&Q);
    assert_true(push(mk("how to", PRIO_INSTRUCTION, 0, 0, 5)));
    const char *p[16];
    double w[16];
    int dropped = 0, cuts = 0;
    assert_int_equal(run(0, 0.005, p, w, 16, NULL, NULL), 1); /* the how-to starts */
    /* while it plays: a correction, a caution, a count */
    assert_true(push(mk("caution", PRIO_INSTRUCTION, 0, 1, 2)));
    assert_true(push(mk("slower", PRIO_CORRECTION, 0, 1, 1)));
    int n = run(0.01, 4.5, p, w, 16, &dropped, &cuts); /* each cue comes at its moment */
    assert_int_equal(n, 0);
    assert_true(push(mk("Three", PRIO_STATE, 0, 4.5, 0.4)));
    assert_false(push(mk("Three", PRIO_STATE, 0, 4.6, 0.4))); /* the same words wait already */
    n = run(4.5, 12, p, w, 16, &dropped, &cuts);
    /* the correction could not start within 1 s: dropped; the count cuts
     * the how-to at its moment (a count is no reason to wait for a
     * how-to), then the caution */
    assert_int_equal(n, 2);
    assert_string_equal(p[0], "Three");
    assert_near(w[0], 4.5, 0.011);
    assert_string_equal(p[1], "caution");
    assert_int_equal(dropped, 1);
    assert_int_equal(cuts, 1);
    /* a caution is said whole: a count waits for it */
    cueq_init(&Q);
    struct cue cau = mk("caution", PRIO_INSTRUCTION, 0, 0, 3);
    cau.whole = true;
    assert_true(push(cau));
    assert_int_equal(run(0, 0.005, p, w, 16, NULL, NULL), 1);
    assert_true(push(mk("Hold.", PRIO_STATE, 0, 2.5, 0.4)));
    cuts = 0;
    n = run(0.01, 12, p, w, 16, NULL, &cuts);
    assert_int_equal(cuts, 0);
    assert_int_equal(n, 1);
    assert_near(w[0], 3, 0.011);
    assert_false(cueq_busy(&Q, 12));
}

static void test_cueq_step_change_flushes_and_cuts(void **state)
{
    (void)state;
    cueq_init(&Q);
    const char *p[16];
    double w[16];
    assert_true(push(mk("Child pose.", PRIO_STATE, 0, 0, 1)));
    assert_true(push(mk("kneel...", PRIO_INSTRUCTION, 0, 0, 6)));
    assert_true(push(mk("caution...", PRIO_INSTRUCTION, 0, 0, 4)));
    assert_true(push(mk("The end.", PRIO_STATE, -1, 0, 1))); /* the session's own */
    assert_int_equal(run(0, 1.5, p, w, 16, NULL, NULL), 2);    /* name, then the how-to */
    bool cut;
    int k = cueq_step(&Q, 1, 2.0, &cut, R, CUEQ_REPORTS);
    assert_true(cut); /* the how-to stops mid-sentence: its step is over */
    int dropped = 0, cuts = 0;
    for (int i = 0; i < k; i++) {
        dropped += R[i].what == CQ_DROPPED;
        cuts += R[i].what == CQ_CUT;
        assert_int_equal(R[i].c.step, 0);
    }
    assert_int_equal(dropped, 1);
    assert_int_equal(cuts, 1);
    /* a phrase of the old step about to end is let finish */
    cueq_init(&Q);
    assert_true(push(mk("Well held.", PRIO_STATE, 0, 0, 1.5)));
    assert_int_equal(run(0, 0.005, p, w, 16, NULL, NULL), 1);
    cueq_step(&Q, 1, 0.8, &cut, R, CUEQ_REPORTS);
    assert_false(cut);
}

static void test_cueq_safety_cuts_in(void **state)
{
    (void)state;
    cueq_init(&Q);
    const char *p[16];
    double w[16];
    int cuts = 0;
    assert_true(push(mk("how to", PRIO_INSTRUCTION, 0, 0, 8)));
    assert_true(push(mk("Hold.", PRIO_STATE, 0, 0, 0.5)));
    assert_int_equal(run(0, 0.005, p, w, 16, NULL, NULL), 1);
    assert_string_equal(p[0], "Hold."); /* state before instruction */
    assert_true(push(mk("sensor lost", PRIO_SAFETY, -1, 0.2, 3)));
    int n = run(0.2, 0.25, p, w, 16, NULL, &cuts);
    assert_int_equal(n, 1);
    assert_string_equal(p[0], "sensor lost");
    assert_int_equal(cuts, 1);
}

static void test_cueq_estimate(void **state)
{
    (void)state;
    /* espeak-ng at 150 words a minute: "Hold." about 0.5 s */
    assert_near(cueq_estimate_s("Hold.", 150), 0.5, 0.1);
    assert_near(cueq_estimate_s("Release, and rest a moment.", 150), 1.84, 0.2);
    assert_true(cueq_estimate_s("Hold.", 300) < cueq_estimate_s("Hold.", 150));
}

/* With the German phrase file the exercise is introduced in German: its
 * name, how-to and caution come from the phrase file, not the C table. */
static void test_intro_in_the_phrase_files_language(void **state)
{
    (void)state;
    static struct phrases de;
    char errs[2000];
    assert_int_equal(phrases_load(&de, "assets/phrases-de.cfg", errs, sizeof errs), 0);
    struct coach_options o = {true, true, true, true, true, 6};
    coach_init(&C, &o, &de, &mp);
    session_init(&S, &prog, &mp, 0, 2);
    struct session_event ev[SESSION_EVQ];
    int n = session_command(&S, CMD_START_PAUSE, 0, ev, SESSION_EVQ);
    int k = events(n, ev);
    assert_int_equal(k, 3);
    assert_string_equal(cues[0].text, "Kindhaltung.");
    assert_string_equal(cues[1].text, de.text[PH_EX_CAUTION + EX_CHILD_POSE]);
    assert_string_equal(cues[2].text, de.text[PH_EX_HOW + EX_CHILD_POSE]);
    assert_int_equal(cues[2].prio, PRIO_INSTRUCTION);
    assert_true(strstr(cues[2].text, "Fersen") != NULL);
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
        cmocka_unit_test(test_rocking_corrections_vary_escalate_and_credit),
        cmocka_unit_test(test_sway_too_small_in_the_rocking_step),
        cmocka_unit_test(test_sensor_lost_said_now_every_30s_and_back),
        cmocka_unit_test(test_cueq_most_urgent_first_late_dropped),
        cmocka_unit_test(test_cueq_step_change_flushes_and_cuts),
        cmocka_unit_test(test_cueq_safety_cuts_in),
        cmocka_unit_test(test_cueq_estimate),
        cmocka_unit_test(test_intro_in_the_phrase_files_language),
        cmocka_unit_test(test_finished_summary),
        cmocka_unit_test(test_speech_off_keeps_the_sounds),
    };
    return cmocka_run_group_tests_name("coach", tests, setup, NULL);
}
