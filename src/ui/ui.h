/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ui: the feedback screen (SDL2 + SDL2_ttf). Big, calm and readable from
 * the floor at two metres: the exercise and step, then for rocking a rate
 * gauge with the target band, a pacer swinging at the target rate, a strip
 * chart of the thigh over the last 10 s, the three verdicts in colour and
 * one cue; for holds and bounce a timer ring filling to the target and the
 * repetition count. The sensor state is always in the top corner, and a
 * DEMO label whenever the data is not live.
 *
 * Draws in a logical 1280x720 space scaled to the window, fullscreen (KMSDRM
 * on a Pi without a desktop), in a window, or into an offscreen surface
 * (tests, reports) through SDL's software renderer. */
#ifndef STATION_UI_H
#define STATION_UI_H

#include <stdbool.h>
#include <stddef.h>

#include "../coach/phrases.h"
#include "../history/history.h"
#include "../motion/motion.h"
#include "../sensor/source.h"
#include "../session/session.h"

/* The layout is made for a screen 480 units high (the 7-inch 800x480
 * panel) and scales with the display's height; the width takes what the
 * display gives (800 units at 5:3, 853 at 16:9). Sizes are chosen by how
 * large a capital letter appears from the mat: on the 7-inch panel (86 mm
 * high) at 2.5 m the timer, count and rate are at least 15 arcminutes, the
 * exercise, side and cue at least 8, everything else at least 5. */
#define UI_W 1280          /* the default window */
#define UI_H 720
#define UI_PANEL_MM 86.0   /* height of the 7-inch panel's picture */
#define UI_VIEW_MM 2500.0  /* from the mat */

enum ui_mode { UI_WINDOW, UI_FULLSCREEN, UI_OFFSCREEN };

struct ui_options {
    enum ui_mode mode;
    int width, height;     /* window size, or the offscreen surface's */
    const char *font_dir;  /* NULL: the assets, then the system's DejaVu */
    bool light;            /* the light theme, for bright rooms */
    const struct phrases *ph; /* the words (kept, read at each frame); NULL: English */
};

struct ui_frame {
    double t;                          /* sample clock: the pacer's phase */
    enum source_state source;
    const struct session_view *sv;
    const struct motion_live *ml;
    const struct motion_params *mp;
    const char *notice;                /* a problem to show in red, or NULL */
    const struct program *prog;        /* at idle: the stage to choose; may be NULL */
    const char *person;                /* at idle with several people: whose turn, or NULL */
    /* issue 13: the people and her history, at idle and at the end */
    const char *const *people;         /* every name when several use the station, or NULL */
    int npeople, chosen;               /* chosen: the index of whose turn it is */
    const struct history_weeks *hist;  /* her weeks (the station's with nobody set up), or NULL */
    const char *hist_for;              /* whose they are, or NULL */
    bool history;                      /* at idle: the history page instead of the stage */
    int program_stage;                 /* at idle: her program's stage (0: nobody's); when
                                          prog is the other one (chosen on the device) and
                                          no people list is shown, the screen says it is
                                          for this session only */
};

/* About how long a program takes, in whole minutes (its steps' expected
 * times and the get-ready rests between them). */
int ui_program_minutes(const struct program *p);

/* The texts on the screen, each with its box, for the legibility and
 * clipping tests. */
enum ui_elem {
    UE_NAME, UE_SIDE, UE_STEPS, UE_BADGE, UE_TIMER, UE_COUNT, UE_RATE, UE_CUE, UE_CAUTION,
    UE_NOTICE, UE_LABEL, UE_TITLE, UE_HOW, UE_PERSON, UE_ONCE, UE_NELEM
};

struct ui_elem_info {
    bool drawn;
    int px, bold;        /* the smallest font it got in the last frame */
    bool clipped;        /* some of it did not fit its box */
    char text[160];      /* the text that was clipped (or the last drawn) */
};

struct ui;

struct ui *ui_open(const struct ui_options *opt, char *err, size_t errlen);

/* Adds the thigh's oscillating angle to the 10 s strip chart. */
void ui_sample(struct ui *ui, double t, double angle_deg);

void ui_draw(struct ui *ui, const struct ui_frame *f);

/* Keyboard (and window close) mirrored onto the buttons: space or enter =
 * start/pause, right or n = next, left or b = back, escape or s = stop,
 * q or closing the window = quit. Returns how many commands it wrote. */
int ui_poll(struct ui *ui, enum session_cmd *cmds, int max, bool *quit);

/* Saves the last frame as a PNG. Returns 0 or -1 with SDL's reason in err. */
int ui_save_png(struct ui *ui, const char *path, char *err, size_t errlen);

/* The offscreen surface's pixel at (x, y) as 0xRRGGBB, for tests. */
unsigned ui_pixel(struct ui *ui, int x, int y);
void ui_size(const struct ui *ui, int *w, int *h);

void ui_close(struct ui *ui);

/* What the last frame drew of each element. */
const struct ui_elem_info *ui_elem(const struct ui *ui, enum ui_elem e);
const char *ui_elem_name(enum ui_elem e);
/* The least size the element must have, in arcminutes from the mat. */
double ui_elem_min_arcmin(enum ui_elem e);
/* A capital's height in pixels at a font size; and that height seen from
 * the mat on the 7-inch panel, scaled to this display's height. */
int ui_cap_px(struct ui *ui, int px, int bold);
double ui_arcmin(const struct ui *ui, int cap_px);

/* Where the last frame put the state badge and the verdict chips. */
void ui_badge_rect(const struct ui *ui, int *x, int *y, int *w, int *h);
void ui_chip_rect(const struct ui *ui, int i, int *x, int *y, int *w, int *h);
/* Where the last history page put week w's mark of the pace row (w 0: the
 * oldest), and the marker of the chosen person at idle; w = 0 when none. */
void ui_pace_mark_rect(const struct ui *ui, int w, int *x, int *y, int *wd, int *h);
void ui_chosen_rect(const struct ui *ui, int *x, int *y, int *w, int *h);
/* Where the last frame put the mark saying more people are above (below:
 * false) or below a list that scrolls; w = 0 when there is none. */
void ui_more_rect(const struct ui *ui, bool below, int *x, int *y, int *w, int *h);

/* Colours, 0xRRGGBB: each state has a word and a shape too. */
struct ui_palette {
    unsigned bg, text, dim, ring, good, warn, bad, info, demo, accent, notice_bg;
};
const struct ui_palette *ui_palette(bool light);

#endif
