/* test_ui: the feedback screens, drawn offscreen for fixed states and
 * checked pixel by pixel where it matters; each is also saved as a PNG in
 * build/screens/ for a person to look at. */
#include <string.h>
#include <sys/stat.h>

#include "session/program.h"
#include "session/session.h"
#include "test_util.h"
#include "ui/ui.h"

static struct ui *ui;
static struct motion_params mp;
static struct program prog;

static int setup(void **state)
{
    (void)state;
    char err[300];
    struct ui_options o = {UI_OFFSCREEN, UI_W, UI_H, "assets/fonts"};
    ui = ui_open(&o, err, sizeof err);
    if (!ui) {
        fprintf(stderr, "ui_open: %s\n", err);
        return -1;
    }
    motion_params_default(&mp);
    struct station_config cfg;
    config_defaults(&cfg);
    program_build(&prog, 1, &cfg);
    mkdir("build", 0755);
    mkdir("build/screens", 0755);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ui_close(ui);
    return 0;
}

static void save(const char *name)
{
    char path[200], err[300];
    snprintf(path, sizeof path, "build/screens/%s.png", name);
    assert_int_equal(ui_save_png(ui, path, err, sizeof err), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_size > 5000);
}

static struct session_view view_for(int step, enum session_state state)
{
    struct session_view v;
    memset(&v, 0, sizeof v);
    v.state = state;
    v.step = step;
    v.nsteps = prog.nsteps;
    v.st = &prog.steps[step];
    v.ex = exercise_get(prog.steps[step].ex);
    v.target_s = prog.steps[step].target_s;
    v.reps_target = prog.steps[step].reps;
    v.message = "Keep still and breathe";
    return v;
}

static bool near(unsigned got, unsigned want)
{
    int dr = (int)(got >> 16) - (int)(want >> 16);
    int dg = (int)((got >> 8) & 255) - (int)((want >> 8) & 255);
    int db = (int)(got & 255) - (int)(want & 255);
    return dr * dr + dg * dg + db * db < 30 * 30;
}

#define assert_pixel(x, y, want)                                                    \
    do {                                                                            \
        unsigned got_ = ui_pixel(ui, x, y);                                         \
        if (!near(got_, want))                                                      \
            fail_msg("pixel (%d, %d) is %06x, expected about %06x", x, y, got_,     \
                     (unsigned)(want));                                             \
    } while (0)

static void draw_rocking(double rate, enum source_state src, const char *png)
{
    struct session_view v = view_for(1, SS_ACTIVE);
    v.rock_s = 24;
    struct motion_live l;
    memset(&l, 0, sizeof l);
    l.in_set = true;
    l.osc = OSC_ROCKING;
    l.rate_hz = rate;
    l.rhythm_cv = 0.04;
    l.swing_deg = 12;
    l.jerk = 1;
    motion_judge(&mp, &l);
    for (int i = 0; i < 500; i++)
        ui_sample(ui, i * 0.02, 10 * __builtin_sin(i * 0.02 * 2 * 3.14159 * rate));
    struct ui_frame f = {12.3, src, &v, &l, &mp, NULL};
    ui_draw(ui, &f);
    save(png);
}

static void test_rocking_gauge_needle_in_band(void **state)
{
    (void)state;
    draw_rocking(1.15, SOURCE_STATE_LIVE, "rocking-on-target");
    int x, y;
    ui_gauge_point(1.15, 0.6, &x, &y);
    assert_pixel(x, y, UI_GREEN);          /* the needle, green: on target */
    ui_gauge_point(1.15, 0.92, &x, &y);
    assert_pixel(x + 0, y + 0, UI_GREEN);  /* it reaches the band */
    ui_gauge_point(0.6, 0.6, &x, &y);
    assert_pixel(x, y, UI_BG);             /* no needle elsewhere */
    ui_gauge_point(0.6, 0.92, &x, &y);
    assert_pixel(x, y, UI_RING);           /* the scale outside the band */
    ui_gauge_point(1.15, 0.97, &x, &y);
    assert_pixel(x, y, UI_GREEN);          /* the target band on the scale */
}

static void test_rocking_too_fast_is_amber(void **state)
{
    (void)state;
    draw_rocking(1.7, SOURCE_STATE_LIVE, "rocking-too-fast");
    int x, y;
    ui_gauge_point(1.7, 0.6, &x, &y);
    assert_pixel(x, y, UI_AMBER);
    ui_gauge_point(1.15, 0.6, &x, &y);
    assert_pixel(x, y, UI_BG);
}

static void draw_hold(double held, int reps_done, const char *png)
{
    struct session_view v = view_for(0, SS_ACTIVE);
    v.holding = true;
    v.hold_s = held;
    v.reps_done = reps_done;
    v.progress = held / v.target_s;
    struct motion_live l;
    memset(&l, 0, sizeof l);
    struct ui_frame f = {50, SOURCE_STATE_LIVE, &v, &l, &mp, NULL};
    ui_draw(ui, &f);
    save(png);
}

static void test_hold_ring_fills_to_the_target(void **state)
{
    (void)state;
    draw_hold(30, 0, "hold-quarter"); /* 30 of 120 s */
    int x, y;
    ui_ring_point(0.20, &x, &y);
    assert_pixel(x, y, UI_BLUE);
    ui_ring_point(0.30, &x, &y);
    assert_pixel(x, y, UI_RING);
    ui_ring_point(0.90, &x, &y);
    assert_pixel(x, y, UI_RING);
    draw_hold(84, 0, "hold-most"); /* 70 % */
    ui_ring_point(0.65, &x, &y);
    assert_pixel(x, y, UI_BLUE);
    ui_ring_point(0.75, &x, &y);
    assert_pixel(x, y, UI_RING);
}

static void test_hold_done_turns_green(void **state)
{
    (void)state;
    draw_hold(125, 1, "hold-done");
    int x, y;
    for (double fr = 0.05; fr < 1; fr += 0.1) {
        ui_ring_point(fr, &x, &y);
        assert_pixel(x, y, UI_GREEN);
    }
}

static int amber_in_label(void)
{
    int x, y, w, h, n = 0;
    ui_demo_label_rect(&x, &y, &w, &h);
    for (int j = y; j < y + h; j++)
        for (int i = x; i < x + w; i++)
            n += near(ui_pixel(ui, i, j), UI_AMBER);
    return n;
}

static void test_demo_label_whenever_not_live(void **state)
{
    (void)state;
    draw_rocking(1.15, SOURCE_STATE_DEMO, "demo-label");
    assert_true(amber_in_label() > 400);
    draw_rocking(1.15, SOURCE_STATE_REPLAY, "replay-label");
    assert_true(amber_in_label() > 400);
    draw_rocking(1.15, SOURCE_STATE_LIVE, "live");
    assert_int_equal(amber_in_label(), 0);
    /* the source badge itself: green for live */
    assert_pixel(1045, 25, UI_GREEN);
    draw_rocking(1.15, SOURCE_STATE_LOST, "sensor-lost");
    assert_pixel(1045, 25, UI_RED);
}

static void test_other_screens_draw(void **state)
{
    (void)state;
    struct motion_live l;
    memset(&l, 0, sizeof l);
    const struct { enum session_state st; int step; const char *png; } cases[] = {
        {SS_IDLE, 0, "idle"}, {SS_PAUSED, 3, "paused"}, {SS_FINISHED, 5, "finished"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct session_view v = view_for(cases[i].step, cases[i].st);
        v.message = "Press start when you are ready";
        struct ui_frame f = {0, SOURCE_STATE_LIVE, &v, &l, &mp,
                             i == 1 ? "Recording stopped: No space left on device" : NULL};
        ui_draw(ui, &f);
        save(cases[i].png);
        /* a title in the text colour near the top middle */
        int n = 0;
        for (int x = 300; x < 980; x++)
            n += near(ui_pixel(ui, x, 250), UI_TEXT);
        assert_true(n > 20);
    }
    /* the notice bar is red, and leaves the cue line (y 624..660) alone */
    struct session_view v = view_for(3, SS_PAUSED);
    v.message = "";
    struct ui_frame f = {0, SOURCE_STATE_LIVE, &v, &l, &mp, "Recording stopped: disk full"};
    ui_draw(ui, &f);
    assert_pixel(5, 690, 0x4a2020);
    for (int y = 620; y < 662; y++)
        assert_pixel(5, y, UI_BG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rocking_gauge_needle_in_band),
        cmocka_unit_test(test_rocking_too_fast_is_amber),
        cmocka_unit_test(test_hold_ring_fills_to_the_target),
        cmocka_unit_test(test_hold_done_turns_green),
        cmocka_unit_test(test_demo_label_whenever_not_live),
        cmocka_unit_test(test_other_screens_draw),
    };
    return cmocka_run_group_tests_name("ui", tests, setup, teardown);
}
