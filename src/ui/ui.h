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

#include "../motion/motion.h"
#include "../sensor/source.h"
#include "../session/session.h"

#define UI_W 1280
#define UI_H 720

enum ui_mode { UI_WINDOW, UI_FULLSCREEN, UI_OFFSCREEN };

struct ui_options {
    enum ui_mode mode;
    int width, height;     /* window size; offscreen surfaces are UI_W x UI_H */
    const char *font_dir;  /* NULL: the assets, then the system's DejaVu */
};

struct ui_frame {
    double t;                          /* sample clock: the pacer's phase */
    enum source_state source;
    const struct session_view *sv;
    const struct motion_live *ml;
    const struct motion_params *mp;
    const char *notice;                /* a problem to show in red, or NULL */
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

/* The offscreen surface's pixel at logical (x, y) as 0xRRGGBB, for tests. */
unsigned ui_pixel(struct ui *ui, int x, int y);

void ui_close(struct ui *ui);

/* Geometry the tests check the picture against (logical pixels). */
void ui_gauge_point(double rate_hz, double along, int *x, int *y);
void ui_ring_point(double fraction, int *x, int *y);
void ui_demo_label_rect(int *x, int *y, int *w, int *h);

/* Colours, 0xRRGGBB. */
#define UI_GREEN 0x5cc98au
#define UI_AMBER 0xf0b050u
#define UI_RED 0xe06060u
#define UI_BLUE 0x5aa0e0u
#define UI_BG 0x181e28u
#define UI_RING 0x374152u
#define UI_TEXT 0xebeef2u

#endif
