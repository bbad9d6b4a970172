/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_sim: the thigh model obeys the physics it claims to. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"
#include "test_util.h"

struct stats {
    size_t n;
    double last_t, max_dt, min_dt;
    double amag_min, amag_max;
    double t_first;
    struct sample first;
    double gsum[3];
    size_t still_n;
};

static int sink(void *ctx, const struct sample *s)
{
    struct stats *st = ctx;
    if (st->n == 0) {
        st->first = *s;
        st->t_first = s->t;
        st->min_dt = 1e9;
        st->amag_min = 1e9;
    } else {
        double dt = s->t - st->last_t;
        st->max_dt = fmax(st->max_dt, dt);
        st->min_dt = fmin(st->min_dt, dt);
    }
    double am = sqrt(s->a[0] * s->a[0] + s->a[1] * s->a[1] + s->a[2] * s->a[2]);
    st->amag_min = fmin(st->amag_min, am);
    st->amag_max = fmax(st->amag_max, am);
    st->last_t = s->t;
    st->n++;
    return 0;
}

static void test_still_thigh_reads_one_g(void **state)
{
    (void)state;
    /* a long child pose: apart from the settling at both ends, 1 g and bias */
    struct sim_options o = {"child-pose", 1, 100, 0, 2, 250, 1, 3};
    struct stats st;
    memset(&st, 0, sizeof st);
    struct sim_truth t;
    assert_int_equal(sim_generate(&o, sink, &st, &t), 0);
    assert_near(st.min_dt, 0.01, 1e-9);
    assert_near(st.max_dt, 0.01, 1e-9); /* drop 0: no gaps */
    assert_true(st.amag_min > 0.5 && st.amag_max < 2.0);
    assert_near(t.duration_s, st.last_t, 0.02);
    sim_truth_free(&t);
}

static void test_truth_is_ordered_and_complete(void **state)
{
    (void)state;
    for (const char *const *sc = sim_scenarios; *sc; sc++) {
        struct sim_options o = {*sc, 2, 50, -1, 2, 250, 1, 3};
        struct stats st;
        memset(&st, 0, sizeof st);
        struct sim_truth t;
        assert_int_equal(sim_generate(&o, sink, &st, &t), 0);
        assert_true(t.n > 0);
        for (size_t i = 0; i < t.n; i++) {
            assert_true(t.seg[i].end_s > t.seg[i].start_s);
            if (i)
                assert_true(t.seg[i].start_s >= t.seg[i - 1].end_s - 1e-9);
            if (t.seg[i].kind == SIM_ROCKING || t.seg[i].kind == SIM_BOUNCE) {
                assert_true(t.seg[i].count > 5);
                assert_near(t.seg[i].rate_hz,
                            t.seg[i].count / (t.seg[i].end_s - t.seg[i].start_s), 1e-9);
            }
        }
        assert_true(t.seg[t.n - 1].end_s <= t.duration_s + 1e-9);
        sim_truth_free(&t);
    }
}

static void test_reproducible_by_seed(void **state)
{
    (void)state;
    struct sim_options o = {"rocking", 42, 200, -1, 2, 250, 1, 3};
    struct stats a, b, c;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    memset(&c, 0, sizeof c);
    struct sim_truth t;
    assert_int_equal(sim_generate(&o, sink, &a, &t), 0);
    sim_truth_free(&t);
    assert_int_equal(sim_generate(&o, sink, &b, &t), 0);
    sim_truth_free(&t);
    o.seed = 43;
    assert_int_equal(sim_generate(&o, sink, &c, &t), 0);
    sim_truth_free(&t);
    assert_int_equal(a.n, b.n);
    assert_memory_equal(&a.first, &b.first, sizeof a.first);
    assert_true(a.n != c.n || memcmp(&a.first, &c.first, sizeof a.first) != 0);
}

/* A seed is the same person on every architecture: C leaves the order of
 * a call's arguments open and GCC takes them right to left on x86-64, left
 * to right on a Pi, so two draws in one call gave the Pi another person
 * (sim_draw_order in src/sim/sim.c). The segments of two people as x86-64
 * has always drawn them (the reps' length, the bounce's start, the set's
 * length). */
static void test_same_person_on_every_architecture(void **state)
{
    (void)state;
    static const struct {
        const char *scenario;
        unsigned seed;
        size_t seg;
        double start, end;
    } want[] = {
        {"stage2", 5, 1, 8.980, 30.311},
        {"stage2", 5, 4, 51.121, 82.334},
        {"rocking", 1, 1, 7.915, 58.737},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        struct sim_options o = {want[i].scenario, want[i].seed, 100, -1, 2, 250, 1, 3};
        struct stats st;
        memset(&st, 0, sizeof st);
        struct sim_truth t;
        assert_int_equal(sim_generate(&o, sink, &st, &t), 0);
        assert_true(t.n > want[i].seg);
        if (fabs(t.seg[want[i].seg].start_s - want[i].start) > 1e-3 ||
            fabs(t.seg[want[i].seg].end_s - want[i].end) > 1e-3)
            fail_msg("%s seed %u segment %zu: %.3f-%.3f, not %.3f-%.3f", want[i].scenario,
                     want[i].seed, want[i].seg, t.seg[want[i].seg].start_s,
                     t.seg[want[i].seg].end_s, want[i].start, want[i].end);
        sim_truth_free(&t);
    }
}

static void test_quantised_and_clipped_like_the_chip(void **state)
{
    (void)state;
    struct sim_options o = {"rocking-fast", 3, 100, -1, 2, 250, 1, 3};
    struct stats st;
    memset(&st, 0, sizeof st);
    struct sim_truth t;
    assert_int_equal(sim_generate(&o, sink, &st, &t), 0);
    /* every reading sits on the chip's grid */
    double a = st.first.a[0] * 16384, g = st.first.g[0] * 131;
    assert_near(a, round(a), 1e-6);
    assert_near(g, round(g), 1e-6);
    assert_true(st.max_dt > 0.015); /* the scenario drops samples */
    sim_truth_free(&t);
}

static void test_bad_options(void **state)
{
    (void)state;
    struct sim_truth t;
    struct stats st;
    struct sim_options o = {"no-such", 1, 100, -1, 2, 250, 1, 3};
    assert_int_equal(sim_generate(&o, sink, &st, &t), -1);
    o.scenario = "rocking";
    o.rate_hz = 5;
    assert_int_equal(sim_generate(&o, sink, &st, &t), -1);
    assert_null(sim_scenario_help("no-such"));
    enum sim_kind k;
    assert_int_equal(sim_kind_parse("hold", &k), 0);
    assert_int_equal(k, SIM_HOLD);
    assert_int_equal(sim_kind_parse("nap", &k), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_still_thigh_reads_one_g),
        cmocka_unit_test(test_truth_is_ordered_and_complete),
        cmocka_unit_test(test_reproducible_by_seed),
        cmocka_unit_test(test_same_person_on_every_architecture),
        cmocka_unit_test(test_quantised_and_clipped_like_the_chip),
        cmocka_unit_test(test_bad_options),
    };
    return cmocka_run_group_tests_name("sim", tests, NULL, NULL);
}
