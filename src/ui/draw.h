/* SPDX-License-Identifier: GPL-3.0-or-later */
/* draw: the few shapes the screens are made of, on an SDL renderer, and
 * text through SDL2_ttf with a small cache of rendered strings. */
#ifndef STATION_DRAW_H
#define STATION_DRAW_H

#include <SDL.h>
#include <SDL_ttf.h>

enum draw_align { ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT };

#define DRAW_FONT_SIZES 6
#define DRAW_CACHE 64
#define DRAW_FONTS 40

struct draw_text_entry {
    char text[256];
    int size;
    unsigned color;
    SDL_Texture *tex;
    int w, h;
    unsigned long used;
};

struct draw_font {
    int px, bold;
    TTF_Font *f;
};

/* How a text fitted its box: the font size it got, its lines, and whether
 * some of it was cut off even at the floor size, wrapped. */
struct draw_fit {
    int px, lines, w, h;
    int clipped;
};

struct draw {
    SDL_Renderer *r;
    TTF_Font *fonts[2][DRAW_FONT_SIZES]; /* [bold][size index] */
    char paths[2][600];
    struct draw_font bypx[DRAW_FONTS];   /* fonts by pixel size, opened when first asked */
    int nbypx;
    struct draw_text_entry cache[DRAW_CACHE];
    unsigned long tick;
};

/* Font sizes in logical pixels. */
enum draw_size { SZ_SMALL, SZ_BODY, SZ_LARGE, SZ_TITLE, SZ_HUGE, SZ_GIANT };

int draw_open_fonts(struct draw *d, const char *dir, char *err, size_t errlen);
void draw_close(struct draw *d);

void draw_color(struct draw *d, unsigned rgb, int alpha);
void draw_rect(struct draw *d, int x, int y, int w, int h, unsigned rgb);
void draw_disc(struct draw *d, float cx, float cy, float r, unsigned rgb);
/* An annulus sector between angles a0 and a1 (radians, 0 = right,
 * counterclockwise on screen = negative y). */
void draw_arc(struct draw *d, float cx, float cy, float r_in, float r_out, double a0,
              double a1, unsigned rgb);
void draw_thick_line(struct draw *d, float x0, float y0, float x1, float y1, float w,
                     unsigned rgb);
/* Returns the width drawn. bold: 0 or 1. */
int draw_text(struct draw *d, const char *text, int x, int y, enum draw_size size, int bold,
              unsigned rgb, enum draw_align align);
/* The font of px pixels (bold 0 or 1), opened when first asked; NULL when
 * it cannot be. */
TTF_Font *draw_font(struct draw *d, int px, int bold);

/* Height of a capital letter at px, in pixels: what legibility is
 * measured by. */
int draw_cap_px(struct draw *d, int px, int bold);

/* Text into a box (x, y, w, h) at px pixels if it fits on one line; else
 * smaller, down to floor_px; else wrapped at the largest size from px down
 * to floor_px whose lines fit; else wrapped at floor_px and cut at the
 * box (clipped set). Lines are centred vertically in the box; align is
 * horizontal. measure_only: nothing drawn. */
struct draw_fit draw_text_box(struct draw *d, const char *text, int x, int y, int w, int h,
                              int px, int floor_px, int bold, unsigned rgb,
                              enum draw_align align, int measure_only);

/* Text at a pixel size (no box). Returns the width drawn. */
int draw_text_px(struct draw *d, const char *text, int x, int y, int px, int bold,
                 unsigned rgb, enum draw_align align);

/* A filled triangle. */
void draw_triangle(struct draw *d, float x0, float y0, float x1, float y1, float x2, float y2,
                   unsigned rgb);

/* Wraps at max_w; returns the height used. */
int draw_text_wrapped(struct draw *d, const char *text, int x, int y, int max_w,
                      enum draw_size size, unsigned rgb);

#endif
