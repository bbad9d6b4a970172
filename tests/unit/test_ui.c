/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_ui: the feedback screens, drawn offscreen for fixed states at the
 * 7-inch panel's 800x480 and at 1280x720, dark and light. Checked: how
 * large every text is from the mat (arcminutes at 2.5 m), that no phrase
 * of the shipped phrase file is clipped in any box, that each state stays
 * distinguishable to red-green colour-blind eyes, and pixels where it
 * matters. Every screen is saved in build/screens/ for a person to look
 * at. */
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "coach/phrases.h"
#include "session/program.h"
#include "session/session.h"
#include "test_util.h"
#include "ui/ui.h"

static struct ui *ui;
static struct motion_params mp;
static struct program prog, prog2;
static struct motion_live L;
static bool light_theme;
static const struct phrases *words; /* NULL: English */

static void open_at(int w, int h, bool light_)
{
    char err[300];
    if (ui)
        ui_close(ui);
    struct ui_options o = {UI_OFFSCREEN, w, h, "assets/fonts", light_, words};
    light_theme = light_;
    ui = ui_open(&o, err, sizeof err);
    if (!ui)
        fail_msg("ui_open: %s", err);
}

static int setup(void **state)
{
    (void)state;
    motion_params_default(&mp);
    struct station_config cfg;
    config_defaults(&cfg);
    program_build(&prog, 1, &cfg);
    program_build(&prog2, 2, &cfg);
    mkdir("build", 0755);
    mkdir("build/screens", 0755);
    open_at(800, 480, false);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ui_close(ui);
    ui = NULL;
    return 0;
}

static void save(const char *name)
{
    char path[200], err[300];
    int w, h;
    ui_size(ui, &w, &h);
    snprintf(path, sizeof path, "build/screens/%s-%dx%d%s%s.png", name, w, h,
             light_theme ? "-light" : "", words ? "-de" : "");
    assert_int_equal(ui_save_png(ui, path, err, sizeof err), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_size > 3000);
}

static struct session_view view_for(const struct program *p, int step, enum session_state state)
{
    struct session_view v;
    memset(&v, 0, sizeof v);
    v.state = state;
    v.step = step;
    v.nsteps = p->nsteps;
    v.st = &p->steps[step];
    v.ex = exercise_get(p->steps[step].ex);
    v.target_s = p->steps[step].target_s;
    v.reps_target = p->steps[step].reps;
    v.exercises_total = 0; /* the program's exercises, each once */
    for (int i = 0; i < p->nsteps; i++) {
        bool seen = false;
        for (int j = 0; j < i; j++)
            seen = seen || p->steps[j].ex == p->steps[i].ex;
        v.exercises_total += !seen;
    }
    v.exercises_done = 1;
    v.message = "Keep still and breathe";
    return v;
}

static void live_rocking(double rate)
{
    memset(&L, 0, sizeof L);
    L.in_set = true;
    L.osc = OSC_ROCKING;
    L.rate_hz = rate;
    L.rhythm_cv = 0.04;
    L.swing_deg = 12;
    L.jerk = 1;
    motion_judge(&mp, &L);
}

static const struct program *idle_prog; /* the stage shown at idle */
static const char *idle_person;         /* whose turn, with several people */
/* issue 13: the people, her weeks, the history page */
static const char *const *idle_people;
static int idle_npeople, idle_chosen;
static const struct history_weeks *idle_weeks;
static bool idle_history;
static int idle_program_stage; /* her program's stage, when the one shown may differ */

/* Eight weeks of someone who took up the exercises: stage 1, then stage 2
 * from week 6; her pace too slow at first, too fast once, then on target. */
static struct history_weeks weeks_fixture(void)
{
    struct history_weeks h;
    memset(&h, 0, sizeof h);
    h.this_week = 2;
    h.streak_days = 3;
    const int n[HISTORY_WEEKS] = {0, 2, 3, 1, 4, 3, 5, 2};
    const double rate[HISTORY_WEEKS] = {NAN, 0.82, 1.45, 1.12, 1.18, 1.15, NAN, NAN};
    const double cv[HISTORY_WEEKS] = {NAN, 0.25, 0.15, 0.10, 0.08, 0.07, NAN, NAN};
    const double cp[HISTORY_WEEKS] = {NAN, 65, 90, 100, 118, 125, NAN, NAN};
    const double bb[HISTORY_WEEKS] = {NAN, NAN, NAN, NAN, NAN, NAN, 150, 185};
    for (int w = 0; w < HISTORY_WEEKS; w++) {
        h.week[w].start = 1700000000 + w * 7 * 86400;
        h.week[w].sessions = n[w];
        h.week[w].rate_hz = rate[w];
        h.week[w].rhythm_cv = cv[w];
        h.week[w].child_pose_s = cp[w];
        h.week[w].backblock_s = bb[w];
    }
    return h;
}
static struct history_weeks fixture_weeks;

static const char *const four[] = {"Anna", "Bea", "Chris K", "Dora"};
static const char *const many[] = {"Anna", "Bea", "Chris K", "Dora", "Emma", "Frieda",
                                   "Alexandra-Katharina Oberhuber-Schmidt", "Hanna"};

static void draw(const struct session_view *v, enum source_state src, const char *notice)
{
    bool between = v->state == SS_IDLE || v->state == SS_FINISHED;
    struct ui_frame f = {12.3, src, v, &L, &mp, notice, v->state == SS_IDLE ? idle_prog : NULL,
                         v->state == SS_IDLE ? idle_person : NULL,
                         between ? idle_people : NULL, idle_npeople, idle_chosen,
                         between ? idle_weeks : NULL, "Bea", idle_history, idle_program_stage};
    ui_draw(ui, &f);
}

/* ---- the screens ---- */

enum { S_IDLE, S_IDLE2, S_CHILD, S_ROCK_OK, S_ROCK_FAST, S_TABLE, S_NERVE, S_REST, S_PAUSED, S_LOST,
       S_CONFIRM, S_CURL, S_BOUNCE, S_BACKBLOCK, S_END, S_END_PART, S_IDLE_PEOPLE, S_HISTORY,
       S_END_WEEK, S_COUNT };
static const char *const screen_names[S_COUNT] = {
    "idle-stage-1", "idle-stage-2", "child-pose", "rocking-on-target", "rocking-too-fast", "table-stretch",
    "nerve-root-left", "rest-countdown", "paused", "sensor-lost", "weekly-limit", "curl-downs",
    "advanced-stretch", "backblock", "end-complete", "end-partial", "idle-people", "history",
    "end-week",
};

static struct session_view keep; /* the last screen's view */
static int keep_which;

/* The last screen again (after a change to what is around it). */
static void redraw(void)
{
    draw(&keep, keep_which == S_LOST ? SOURCE_STATE_LOST : SOURCE_STATE_LIVE,
         keep_which == S_LOST ? "Sensor lost: check its cable" : NULL);
}

static void screen(int which)
{
    struct session_view v;
    memset(&L, 0, sizeof L);
    idle_person = NULL;
    idle_people = NULL;
    idle_npeople = idle_chosen = 0;
    idle_weeks = NULL;
    idle_history = false;
    idle_program_stage = 0;
    fixture_weeks = weeks_fixture();
    switch (which) {
    case S_IDLE_PEOPLE: /* several people: hers marked, her week above */
    case S_HISTORY:     /* a long next at idle: her weeks */
        idle_prog = &prog;
        v = view_for(idle_prog, 0, SS_IDLE);
        v.message = "Press start when you are ready";
        idle_person = "Bea";
        idle_people = four;
        idle_npeople = 4;
        idle_chosen = 1;
        idle_weeks = &fixture_weeks;
        idle_history = which == S_HISTORY;
        break;
    case S_END_WEEK: /* the end, and where the session sits in her week */
        v = view_for(&prog, 5, SS_FINISHED);
        v.complete = true;
        v.exercises_done = 4;
        v.progress = 1;
        v.message = "Every exercise done. Well done!";
        idle_weeks = &fixture_weeks;
        break;
    case S_IDLE:
    case S_IDLE2:
        idle_prog = which == S_IDLE ? &prog : &prog2;
        v = view_for(idle_prog, 0, SS_IDLE);
        v.message = "Press start when you are ready";
        break;
    case S_CHILD:
        v = view_for(&prog, 0, SS_ACTIVE);
        v.holding = true;
        v.hold_s = 47;
        v.progress = 47.0 / 120;
        break;
    case S_ROCK_OK:
    case S_ROCK_FAST:
        v = view_for(&prog, 1, SS_ACTIVE);
        v.rock_s = 24;
        live_rocking(which == S_ROCK_OK ? 1.15 : 1.62);
        v.message = motion_cue_text(L.cue);
        break;
    case S_TABLE:
        v = view_for(&prog, 3, SS_ACTIVE);
        v.holding = true;
        v.hold_s = 3.2;
        v.reps_done = 1;
        break;
    case S_NERVE:
        v = view_for(&prog, 4, SS_ACTIVE);
        v.holding = true;
        v.hold_s = 5;
        v.reps_done = 0;
        break;
    case S_REST:
        v = view_for(&prog, 3, SS_ACTIVE);
        v.rest_left = 3.4;
        v.reps_done = 2;
        v.message = "Rest, then get ready for the next one";
        break;
    case S_PAUSED:
        v = view_for(&prog, 0, SS_PAUSED);
        v.message = "Paused: press start to carry on";
        break;
    case S_LOST:
        v = view_for(&prog, 3, SS_ACTIVE);
        v.holding = true;
        v.hold_s = 2;
        break;
    case S_CONFIRM:
        v = view_for(&prog2, 1, SS_CONFIRM);
        v.message = "Already done enough this week: start to do it anyway, next to skip";
        break;
    case S_CURL:
        v = view_for(&prog2, 0, SS_ACTIVE);
        v.reps_done = 2;
        v.message = "Roll down slowly";
        break;
    case S_BOUNCE:
        v = view_for(&prog2, 1, SS_ACTIVE);
        v.holding = true;
        v.hold_s = 12;
        L.in_set = true;
        L.osc = OSC_BOUNCE;
        L.rate_hz = 2.8;
        v.message = "Tiny bounces, keep going";
        break;
    case S_BACKBLOCK:
        v = view_for(&prog2, 2, SS_ACTIVE);
        v.holding = true;
        v.hold_s = 95;
        break;
    case S_END:
        v = view_for(&prog, 5, SS_FINISHED);
        v.complete = true;
        v.exercises_done = 4;
        v.progress = 1;
        v.message = "Every exercise done. Well done!";
        break;
    default:
        v = view_for(&prog, 5, SS_FINISHED);
        v.exercises_done = 2;
        v.progress = 0.5;
        v.message = "Session ended: some exercises were not finished";
        break;
    }
    keep = v;
    keep_which = which;
    redraw();
}

/* Every screen at both sizes and both themes, saved. */
static void test_every_screen_draws(void **state)
{
    (void)state;
    const int sizes[2][2] = {{800, 480}, {1280, 720}};
    for (int th = 0; th < 2; th++)
        for (int k = 0; k < 2; k++) {
            open_at(sizes[k][0], sizes[k][1], th);
            for (int s = 0; s < S_COUNT; s++) {
                screen(s);
                save(screen_names[s]);
            }
        }
    static struct phrases de;
    char errs[2000];
    assert_int_equal(phrases_load(&de, "assets/phrases-de.cfg", errs, sizeof errs), 0);
    words = &de;
    for (int k = 0; k < 2; k++) {
        open_at(sizes[k][0], sizes[k][1], false);
        for (int s = 0; s < S_COUNT; s++) {
            screen(s);
            save(screen_names[s]);
        }
    }
    words = NULL;
    open_at(800, 480, false);
}

/* Cap heights of every text on every screen, as seen from the mat on the
 * 7-inch panel: the timer, count and rate at least 15 arcmin, the
 * exercise, side and cue at least 8, the rest at least 5. */
static void test_legible_from_the_mat(void **state)
{
    (void)state;
    const int sizes[3][2] = {{800, 480}, {1280, 720}, {1920, 1080}};
    double least[UE_NELEM];
    for (int k = 0; k < 3; k++) {
        open_at(sizes[k][0], sizes[k][1], false);
        for (int e = 0; e < UE_NELEM; e++)
            least[e] = 1e9;
        for (int s = 0; s < S_COUNT; s++) {
            screen(s);
            for (int e = 0; e < UE_NELEM; e++) {
                const struct ui_elem_info *in = ui_elem(ui, (enum ui_elem)e);
                if (!in->drawn)
                    continue;
                double am = ui_arcmin(ui, ui_cap_px(ui, in->px, in->bold));
                if (am < ui_elem_min_arcmin((enum ui_elem)e))
                    fail_msg("%dx%d %s: the %s (\"%s\") is %.1f arcmin, needs %.0f",
                             sizes[k][0], sizes[k][1], screen_names[s],
                             ui_elem_name((enum ui_elem)e), in->text, am,
                             ui_elem_min_arcmin((enum ui_elem)e));
                least[e] = fmin(least[e], am);
            }
        }
        if (k < 2) {
            printf("# legibility at %dx%d (arcmin at 2.5 m on the 7-inch panel):",
                   sizes[k][0], sizes[k][1]);
            for (int e = 0; e < UE_NELEM; e++)
                if (least[e] < 1e9)
                    printf(" %s %.1f;", ui_elem_name((enum ui_elem)e), least[e]);
            printf("\n");
        }
    }
    open_at(800, 480, false);
}


static void no_clip(const char *what, const char *text)
{
    for (int e = 0; e < UE_NELEM; e++) {
        const struct ui_elem_info *in = ui_elem(ui, (enum ui_elem)e);
        if (in->clipped)
            fail_msg("%s: the %s box clips \"%s\"", what, ui_elem_name((enum ui_elem)e),
                     in->text);
    }
    (void)text;
}

/* Every phrase of the shipped phrase file in the cue box, every exercise's
 * name, side, how-to and caution in theirs, every notice: nothing clipped
 * at 800x480 (the smallest screen), on the screen with the most in it. */
static void nothing_clipped_in(const char *file)
{
    static struct phrases ph;
    char errs[2000];
    assert_int_equal(phrases_load(&ph, file, errs, sizeof errs), 0);
    words = &ph;
    open_at(800, 480, false);
    /* every spoken phrase fits the line of a screen between exercises */
    for (int id = 0; id < PH_COUNT; id++) {
        if (id >= PH_EX_NAME && id < PH_SCREEN_FIRST)
            continue; /* the exercises' own words: in their boxes, below */
        char text[400];
        phrase_format(&ph, (enum phrase_id)id, 3, 3, ph.text[PH_EX_NAME + EX_ADVANCED_STRETCH],
                      text, sizeof text);
        for (int st = 0; st < 2; st++) {
            struct session_view v = view_for(&prog, 4, st ? SS_CONFIRM : SS_PAUSED);
            v.message = text;
            draw(&v, SOURCE_STATE_LIVE, NULL);
            no_clip("phrase", text);
        }
    }
    /* and every line the session shows during an exercise, on each screen */
    const char *between[] = {
        "Press start when you are ready", "Paused: press start to carry on",
        "Already done enough this week: start to do it anyway, next to skip",
        "Every exercise done. Well done!", "Session ended: no exercise was finished this time",
        "Session ended: some exercises were not finished",
    };
    for (size_t i = 0; i < sizeof between / sizeof between[0]; i++)
        for (int st = 0; st < 2; st++) {
            struct session_view v = view_for(&prog, 4, st ? SS_CONFIRM : SS_PAUSED);
            v.message = between[i];
            draw(&v, SOURCE_STATE_LIVE, NULL);
            no_clip("screen line", between[i]);
        }
    const char *lines[] = {
        "Rest, then get ready for the next one",
        "Done: come out of it gently", "Not in the position for this exercise yet",
        "Keep still and breathe", "Get into position and keep still", "Start rocking gently",
        "Round done: let the leg rest", "Tiny bounces, keep going",
        "Into the twist, then tiny bounces", "Roll down slowly", "Now unroll slowly, head last",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        for (int s = S_CHILD; s <= S_NERVE; s++) {
            struct session_view v = view_for(&prog, s == S_NERVE ? 4 : s == S_TABLE ? 3 : 0,
                                             SS_ACTIVE);
            v.message = lines[i];
            draw(&v, SOURCE_STATE_LIVE, NULL);
            no_clip("screen line", lines[i]);
        }
    for (int c = CUE_GENTLER; c < CUE_COUNT; c++)
        for (int r = 0; r < 3; r++) {
            struct session_view v = view_for(&prog, 1, SS_ACTIVE);
            live_rocking(r == 0 ? 0.7 : r == 1 ? 1.15 : 1.62);
            L.rhythm_cv = r == 2 ? 0.5 : 0.04;
            L.swing_deg = r == 0 ? 2 : r == 2 ? 60 : 12;
            motion_judge(&mp, &L);
            L.cue = (enum motion_cue)c;
            draw(&v, SOURCE_STATE_LIVE, NULL);
            no_clip("rocking cue", motion_cue_text((enum motion_cue)c));
        }
    for (int k = 0; k < 2; k++) {
        const struct program *p = k ? &prog2 : &prog;
        for (int i = 0; i < p->nsteps; i++) {
            for (int st = 0; st < 2; st++) {
                struct session_view v = view_for(p, i, st ? SS_PAUSED : SS_ACTIVE);
                v.message = "Get into position and keep still";
                live_rocking(1.62);
                draw(&v, SOURCE_STATE_LOST, NULL);
                no_clip("exercise", v.ex->name);
            }
        }
    }
    const char *notices[] = {"Sensor lost: check its cable",
                             "Hold the stop button to end the session",
                             "Recording stopped: No space left on device (the session goes on)",
                             "Not recording: cannot make the session folder"};
    for (size_t i = 0; i < sizeof notices / sizeof notices[0]; i++) {
        struct session_view v = view_for(&prog, 4, SS_ACTIVE);
        draw(&v, SOURCE_STATE_LOST, notices[i]);
        no_clip("notice", notices[i]);
    }
    /* the people at idle: the longest name allowed is cut, never clipped;
     * a long list (eleven: the arrows of more above and below beside the
     * names) keeps her row in view */
    static const char *const eleven[] = {"Anna", "Bea", "Chris K", "Dora", "Emma", "Frieda",
                                         "Alexandra-Katharina Oberhuber-Schmidt", "Hanna",
                                         "Ida", "Jo", "Kim"};
    const struct { const char *const *names; int n; } lists[] = {{many, 8}, {eleven, 11}};
    for (int l = 0; l < 2; l++)
        for (int c = 0; c < lists[l].n; c++) {
            screen(S_IDLE_PEOPLE);
            idle_people = lists[l].names;
            idle_npeople = lists[l].n;
            idle_chosen = c;
            idle_person = lists[l].names[c];
            struct session_view v = view_for(&prog, 0, SS_IDLE);
            v.message = "";
            draw(&v, SOURCE_STATE_LIVE, NULL);
            no_clip("people", idle_person);
            int x, y, w, h;
            ui_chosen_rect(ui, &x, &y, &w, &h);
            assert_true(w > 0 && h > 0);
        }
    /* her program's stage beside the other one chosen for this session */
    screen(S_IDLE);
    idle_program_stage = 2;
    redraw();
    no_clip("stage note", "");
    /* the history page with only a few figures, and with none at all */
    screen(S_HISTORY);
    static struct history_weeks empty;
    memset(&empty, 0, sizeof empty);
    for (int w = 0; w < HISTORY_WEEKS; w++)
        empty.week[w].rate_hz = empty.week[w].rhythm_cv = empty.week[w].child_pose_s =
            empty.week[w].backblock_s = NAN;
    idle_weeks = &empty;
    struct session_view hv = view_for(&prog, 0, SS_IDLE);
    draw(&hv, SOURCE_STATE_LIVE, NULL);
    no_clip("history, nothing yet", "");
    /* every screen, each state's badge */
    for (int s = 0; s < S_COUNT; s++) {
        screen(s);
        no_clip(screen_names[s], "");
        for (int src = 0; src < 4; src++) {
            struct session_view v = view_for(&prog, 0, SS_ACTIVE);
            draw(&v, (enum source_state)src, NULL);
            no_clip("badge", "");
        }
    }
    words = NULL;
    open_at(800, 480, false);
}

/* Both shipped languages. */
static void test_nothing_clipped(void **state)
{
    (void)state;
    nothing_clipped_in("assets/phrases.cfg");
    nothing_clipped_in("assets/phrases-de.cfg");
}

/* ---- colour-blind eyes ---- */

static double lin(double c)
{
    c /= 255;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

/* Machado, Oliveira and Fernandes (2009), severity 1: the colours a
 * protanope or deuteranope sees, as CIELAB. */
static void seen(unsigned rgb, int kind, double lab[3])
{
    static const double M[3][3][3] = {
        {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
        {{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216},
         {-0.003882, -0.048116, 1.051998}},
        {{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413},
         {-0.011820, 0.042940, 0.968881}},
    };
    double c[3] = {lin(rgb >> 16), lin((rgb >> 8) & 255), lin(rgb & 255)}, s[3];
    for (int i = 0; i < 3; i++) {
        s[i] = M[kind][i][0] * c[0] + M[kind][i][1] * c[1] + M[kind][i][2] * c[2];
        s[i] = fmin(1, fmax(0, s[i]));
    }
    double X = 0.4124 * s[0] + 0.3576 * s[1] + 0.1805 * s[2];
    double Y = 0.2126 * s[0] + 0.7152 * s[1] + 0.0722 * s[2];
    double Z = 0.0193 * s[0] + 0.1192 * s[1] + 0.9505 * s[2];
    double v[3] = {X / 0.9505, Y, Z / 1.089};
    for (int i = 0; i < 3; i++)
        v[i] = v[i] > 0.008856 ? cbrt(v[i]) : 7.787 * v[i] + 16.0 / 116;
    lab[0] = 116 * v[1] - 16;
    lab[1] = 500 * (v[0] - v[1]);
    lab[2] = 200 * (v[1] - v[2]);
}

/* The most common colour in a rectangle of the rendered screen, but for
 * two (the background, the band behind a mark). */
static unsigned dominant_but(int x, int y, int w, int h, unsigned skip, unsigned skip2)
{
    static unsigned col[4096];
    static int cnt[4096];
    int n = 0;
    for (int j = y; j < y + h; j++)
        for (int i = x; i < x + w; i++) {
            unsigned c = ui_pixel(ui, i, j);
            if (c == skip || c == skip2)
                continue;
            int k = 0;
            while (k < n && col[k] != c)
                k++;
            if (k == n && n < 4096) {
                col[n] = c;
                cnt[n++] = 0;
            }
            if (k < n)
                cnt[k]++;
        }
    int best = 0;
    for (int k = 1; k < n; k++)
        if (cnt[k] > cnt[best])
            best = k;
    return n ? col[best] : skip;
}

static unsigned dominant(int x, int y, int w, int h, unsigned skip)
{
    return dominant_but(x, y, w, h, skip, skip);
}

/* A rectangle of the screen as it looks in grey (lightness only): how
 * different two states are to someone who cannot tell their hues apart at
 * all, by shape and word. */
static int shape_difference(const unsigned *a, const unsigned *b, int n)
{
    int d = 0;
    for (int i = 0; i < n; i++) {
        double la[3], lb[3];
        seen(a[i], 0, la);
        seen(b[i], 0, lb);
        d += fabs(la[0] - lb[0]) > 25;
    }
    return d;
}

static void grab(int x, int y, int w, int h, unsigned *out)
{
    for (int j = 0; j < h; j++)
        for (int i = 0; i < w; i++)
            out[j * w + i] = ui_pixel(ui, x + i, y + j);
}

static double delta_e(const double a[3], const double b[3])
{
    return sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) +
                (a[2] - b[2]) * (a[2] - b[2]));
}

/* Pairs of states a person must tell apart: the data's source (live,
 * sensor lost, demo, replay) and the verdicts (on target, too fast, too
 * slow). Under protanopia and deuteranopia their colours stay apart (CIELAB
 * distance at least 20) and, in grey, their shapes and words differ. */
static void test_colour_blind_safe(void **state)
{
    (void)state;
    for (int th = 0; th < 2; th++) {
        open_at(800, 480, th);
        const struct ui_palette *p = ui_palette(th);
        const enum source_state src[4] = {SOURCE_STATE_LIVE, SOURCE_STATE_LOST,
                                          SOURCE_STATE_DEMO, SOURCE_STATE_REPLAY};
        unsigned fill[4];
        static unsigned px_[4][240 * 110];
        int bx, by, bw, bh;
        for (int i = 0; i < 4; i++) {
            struct session_view v = view_for(&prog, 0, SS_ACTIVE);
            draw(&v, src[i], NULL);
            ui_badge_rect(ui, &bx, &by, &bw, &bh);
            assert_true(bw <= 240 && bh <= 110);
            fill[i] = dominant(bx, by, bw, bh, 0xffffffffu);
            grab(bx, by, bw, bh, px_[i]);
        }
        for (int i = 0; i < 4; i++)
            for (int j = i + 1; j < 4; j++) {
                for (int kind = 1; kind <= 2; kind++) {
                    double a[3], b[3];
                    seen(fill[i], kind, a);
                    seen(fill[j], kind, b);
                    if (delta_e(a, b) < 20)
                        fail_msg("%s theme, %s: source states %d and %d look alike (%06x, "
                                 "%06x: dE %.1f)", th ? "light" : "dark",
                                 kind == 1 ? "protanopia" : "deuteranopia", i, j, fill[i],
                                 fill[j], delta_e(a, b));
                }
                assert_true(shape_difference(px_[i], px_[j], bw * bh) > 200);
            }
        /* verdicts: on target, too fast (high), too slow (low) */
        const double rates[3] = {1.15, 1.62, 0.7};
        unsigned vc[3];
        static unsigned cp[3][400 * 60];
        int cx, cy, cw, chh;
        for (int i = 0; i < 3; i++) {
            struct session_view v = view_for(&prog, 1, SS_ACTIVE);
            live_rocking(rates[i]);
            draw(&v, SOURCE_STATE_LIVE, NULL);
            ui_chip_rect(ui, 0, &cx, &cy, &cw, &chh);
            assert_true(cw > 0 && cw * chh <= 400 * 60);
            vc[i] = dominant(cx, cy, cw / 8, chh, p->bg);
            grab(cx, cy, cw, chh, cp[i]);
        }
        for (int i = 0; i < 3; i++)
            for (int j = i + 1; j < 3; j++) {
                assert_true(shape_difference(cp[i], cp[j], cw * chh) > 50);
                if (vc[i] == vc[j])
                    continue; /* too fast and too slow share a colour: shape and word differ */
                for (int kind = 1; kind <= 2; kind++) {
                    double a[3], b[3];
                    seen(vc[i], kind, a);
                    seen(vc[j], kind, b);
                    if (delta_e(a, b) < 20)
                        fail_msg("%s theme: verdict colours %06x and %06x look alike under %s "
                                 "(dE %.1f)", th ? "light" : "dark", vc[i], vc[j],
                                 kind == 1 ? "protanopia" : "deuteranopia", delta_e(a, b));
                }
            }
    }
    open_at(800, 480, false);
}

/* At idle the screen shows the stage start will begin: its exercises and
 * about how long it takes. */
static void test_idle_lists_the_stage(void **state)
{
    (void)state;
    words = NULL;
    open_at(800, 480, false);
    screen(S_IDLE2);
    /* curl downs 2 x 12 s, the advanced stretch 2 x 30 s and a rest, BackBlock 180 s,
     * a get-ready rest before each: 284 s */
    assert_string_equal(ui_elem(ui, UE_TITLE)->text, "Stage 2  -  about 5 min");
    assert_string_equal(ui_elem(ui, UE_LABEL)->text, "3.  BackBlock");
    assert_string_equal(ui_elem(ui, UE_CUE)->text, "Next: the other stage. Start: begin");
    screen(S_IDLE);
    assert_string_equal(ui_elem(ui, UE_LABEL)->text, "4.  Nerve-root stretch");
    assert_false(ui_elem(ui, UE_ONCE)->drawn);
    /* one person whose program is stage 2, stage 1 chosen on the device:
     * the screen says it is for this session only, and keeps every exercise */
    idle_program_stage = 2;
    redraw();
    assert_true(ui_elem(ui, UE_ONCE)->drawn);
    assert_string_equal(ui_elem(ui, UE_ONCE)->text, "Just this session: her program is stage 2");
    assert_string_equal(ui_elem(ui, UE_LABEL)->text, "4.  Nerve-root stretch");
    idle_program_stage = 1; /* her own stage shown: nothing to say */
    redraw();
    assert_false(ui_elem(ui, UE_ONCE)->drawn);
    idle_program_stage = 0;
    /* with several people, next chooses whose session it is: the line says so */
    screen(S_IDLE);
    idle_person = "Anna";
    redraw();
    assert_string_equal(ui_elem(ui, UE_CUE)->text, "For Anna. Next: someone else. Start: begin");
    idle_person = NULL;
    /* 120 + 60 + 120 + 3 x 5 + 2 rests + 2 x (2 x 5 + a rest), each step after a rest */
    double sum = 0;
    for (int i = 0; i < prog.nsteps; i++)
        sum += program_step_expected_s(&prog, i) + prog.rules.rest_s;
    assert_int_equal(ui_program_minutes(&prog), (int)ceil(sum / 60));
    assert_true(ui_program_minutes(&prog) >= 6 && ui_program_minutes(&prog) <= 9);
}

/* issue 13: several people at idle are all named, hers marked by a shape
 * and in bold; her week is in the header; back shows her weeks; the end
 * says where the session sits in her week. A one-person station shows no
 * list. */
static void test_people_and_history(void **state)
{
    (void)state;
    words = NULL;
    open_at(800, 480, false);
    const struct ui_palette *p = ui_palette(false);
    screen(S_IDLE);
    assert_false(ui_elem(ui, UE_PERSON)->drawn);
    assert_string_equal(ui_elem(ui, UE_STEPS)->text, "4 exercises");
    int x, y, w, h;
    ui_chosen_rect(ui, &x, &y, &w, &h);
    assert_int_equal(w, 0);
    screen(S_IDLE_PEOPLE);
    assert_true(ui_elem(ui, UE_PERSON)->drawn);
    assert_string_equal(ui_elem(ui, UE_PERSON)->text, "Dora"); /* the last row: all four shown */
    assert_string_equal(ui_elem(ui, UE_STEPS)->text, "This week: 2. Hold next: your weeks");
    assert_string_equal(ui_elem(ui, UE_CUE)->text, "For Bea. Next: someone else. Start: begin");
    /* the stage's exercises still all there, beside the names */
    assert_string_equal(ui_elem(ui, UE_LABEL)->text, "4.  Nerve-root stretch");
    /* the marker sits in the second row, in the accent colour */
    ui_chosen_rect(ui, &x, &y, &w, &h);
    assert_true(w > 0);
    assert_int_equal(dominant(x, y, w, h, p->bg), p->accent);
    int x2, y2;
    idle_chosen = 3;
    redraw();
    ui_chosen_rect(ui, &x2, &y2, &w, &h);
    assert_int_equal(x2, x);
    assert_true(y2 > y);
    /* all four fit: no mark of more */
    int mx, my, mw, mh;
    ui_more_rect(ui, false, &mx, &my, &mw, &mh);
    assert_int_equal(mw, 0);
    ui_more_rect(ui, true, &mx, &my, &mw, &mh);
    assert_int_equal(mw, 0);
    /* eleven: marks where more names are, above and below */
    static const char *const eleven[] = {"Anna", "Bea", "Chris K", "Dora", "Emma", "Frieda",
                                         "Gina", "Hanna", "Ida", "Jo", "Kim"};
    idle_people = eleven;
    idle_npeople = 11;
    const struct { int chosen; bool above, below; } cases[] = {
        {0, false, true}, {5, true, true}, {10, true, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        idle_chosen = cases[i].chosen;
        redraw();
        ui_more_rect(ui, false, &mx, &my, &mw, &mh);
        assert_int_equal(mw > 0, cases[i].above);
        int ax = mx, ay = my;
        ui_more_rect(ui, true, &mx, &my, &mw, &mh);
        assert_int_equal(mw > 0, cases[i].below);
        if (cases[i].above && cases[i].below) /* the one above the other, right of the names */
            assert_true(ay < my && ax == mx);
        if (mw > 0) /* drawn in the dim colour */
            assert_int_equal(dominant(mx, my, mw, mh, p->bg), p->dim);
    }
    /* the history page */
    screen(S_HISTORY);
    assert_string_equal(ui_elem(ui, UE_NAME)->text, "The last 8 weeks");
    assert_string_equal(ui_elem(ui, UE_STEPS)->text, "Bea");
    assert_string_equal(ui_elem(ui, UE_COUNT)->text, "3"); /* days in a row, under this week's 2 */
    assert_string_equal(ui_elem(ui, UE_CUE)->text, "Start: begin. Next: back");
    assert_false(ui_elem(ui, UE_PERSON)->drawn);
    /* a pace mark for each week with rocking, none for the others */
    for (int k = 0; k < HISTORY_WEEKS; k++) {
        ui_pace_mark_rect(ui, k, &x, &y, &w, &h);
        assert_int_equal(w > 0, !isnan(fixture_weeks.week[k].rate_hz));
    }
    /* higher pace, higher mark */
    int ya, yb;
    ui_pace_mark_rect(ui, 1, &x, &ya, &w, &h);
    ui_pace_mark_rect(ui, 2, &x, &yb, &w, &h);
    assert_true(yb < ya);
    /* the end: where this session sits in her week */
    screen(S_END_WEEK);
    assert_string_equal(ui_elem(ui, UE_LABEL)->text, "Days in a row: 3");
    assert_string_equal(ui_elem(ui, UE_NAME)->text, "Session over");
    /* back after the end: the history page there too */
    idle_history = true;
    draw(&(struct session_view){.state = SS_FINISHED, .message = ""}, SOURCE_STATE_LIVE, NULL);
    assert_string_equal(ui_elem(ui, UE_NAME)->text, "The last 8 weeks");
}

/* The pace marks of the history page: on target, too slow and too fast
 * stay apart to red-green colour-blind eyes, by colour and by shape. */
static void test_history_colour_blind_safe(void **state)
{
    (void)state;
    words = NULL;
    for (int th = 0; th < 2; th++) {
        open_at(800, 480, th);
        const struct ui_palette *p = ui_palette(th);
        screen(S_HISTORY);
        const int wk[3] = {3, 1, 2}; /* on target, too slow, too fast */
        static unsigned px_[3][64 * 64];
        unsigned c[3];
        int x, y, w = 0, h = 0, w0 = 0, h0 = 0;
        for (int i = 0; i < 3; i++) {
            ui_pace_mark_rect(ui, wk[i], &x, &y, &w, &h);
            assert_true(w > 0 && w * h <= 64 * 64);
            if (i == 0)
                w0 = w, h0 = h;
            assert_int_equal(w, w0);
            c[i] = dominant_but(x, y, w, h, p->ring, p->bg);
            grab(x, y, w, h, px_[i]);
        }
        assert_int_equal(c[0], p->good);
        assert_int_equal(c[1], p->warn);
        for (int i = 0; i < 3; i++)
            for (int j = i + 1; j < 3; j++) {
                assert_true(shape_difference(px_[i], px_[j], w0 * h0) > 20);
                if (c[i] == c[j])
                    continue; /* too slow and too fast: the triangle points the other way */
                for (int kind = 1; kind <= 2; kind++) {
                    double a[3], b[3];
                    seen(c[i], kind, a);
                    seen(c[j], kind, b);
                    if (delta_e(a, b) < 20)
                        fail_msg("%s theme: pace marks %06x and %06x look alike (dE %.1f)",
                                 th ? "light" : "dark", c[i], c[j], delta_e(a, b));
                }
            }
    }
    open_at(800, 480, false);
}

/* Pixels where it matters: the hold ring fills, the notice leaves the cue
 * in view, the end screen drops the last exercise's header and caution. */
static void test_pixels_that_matter(void **state)
{
    (void)state;
    words = NULL;
    open_at(800, 480, false);
    const struct ui_palette *p = ui_palette(false);
    /* a notice sits at the bottom; the cue line above it is still drawn */
    struct session_view v = view_for(&prog, 3, SS_ACTIVE);
    v.message = "Keep still and breathe";
    draw(&v, SOURCE_STATE_LOST, "Sensor lost: check its cable");
    assert_true(ui_elem(ui, UE_CUE)->drawn);
    assert_true(ui_elem(ui, UE_NOTICE)->drawn);
    assert_false(ui_elem(ui, UE_CAUTION)->drawn);
    assert_int_equal(ui_pixel(ui, 2, 480 - 20), p->notice_bg);
    /* timers say they wait while the sensor is lost */
    assert_string_equal(ui_elem(ui, UE_LABEL)->text, "hold");
    screen(S_END);
    assert_false(ui_elem(ui, UE_CAUTION)->drawn);
    assert_false(ui_elem(ui, UE_SIDE)->drawn);
    assert_string_equal(ui_elem(ui, UE_NAME)->text, "Session over");
    /* light theme: a light background */
    open_at(800, 480, true);
    screen(S_CHILD);
    assert_int_equal(ui_pixel(ui, 400, 240 - 200), ui_palette(true)->bg);
    open_at(800, 480, false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_screen_draws),
        cmocka_unit_test(test_legible_from_the_mat),
        cmocka_unit_test(test_nothing_clipped),
        cmocka_unit_test(test_colour_blind_safe),
        cmocka_unit_test(test_idle_lists_the_stage),
        cmocka_unit_test(test_pixels_that_matter),
        cmocka_unit_test(test_people_and_history),
        cmocka_unit_test(test_history_colour_blind_safe),
    };
    return cmocka_run_group_tests_name("ui", tests, setup, teardown);
}
