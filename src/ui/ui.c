/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ui: window or offscreen surface, the screens, the keyboard. */
#include "ui.h"

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "draw.h"
#include "../util/png.h"

#define CHART_N 500           /* strip chart points: 10 s at 50 per second */
#define CHART_S 10.0

/* Font sizes in units of the 480-high layout, with the floor each may
 * shrink to: DejaVu's capitals are 0.73 of the size, so on the 7-inch
 * panel at 2.5 m (4.06 pixels an arcminute) BIG_MIN is 15.4', MID_MIN 8.2'
 * and SMALL_MIN 5.2'. */
#define BIG 92
#define BIG_MIN 86
#define MID 50
#define MID_MIN 46
#define SMALL 32
#define SMALL_MIN 29

#define MARGIN 10
#define BADGE_W 204
#define TOP_H 112

static const struct ui_palette dark = {
    .bg = 0x14181eu, .text = 0xf4f6f8u, .dim = 0xc3cad4u, .ring = 0x3a4352u,
    .good = 0x3cc8a0u, .warn = 0xf0a830u, .bad = 0xff6a3du, .info = 0x5fb0f0u,
    .demo = 0xf0e442u, .accent = 0xffd35cu, .notice_bg = 0x5a2410u,
};
static const struct ui_palette light = {
    .bg = 0xf7f6f1u, .text = 0x14171bu, .dim = 0x363c44u, .ring = 0xc5cad1u,
    .good = 0x00785au, .warn = 0x9a5a00u, .bad = 0xb83c00u, .info = 0x005c9eu,
    .demo = 0xe8c800u, .accent = 0x5a4000u, .notice_bg = 0xffd8c4u,
};

const struct ui_palette *ui_palette(bool light_theme)
{
    return light_theme ? &light : &dark;
}

struct rect {
    int x, y, w, h;
};

struct ui {
    SDL_Window *win;
    SDL_Surface *surface;  /* offscreen */
    struct draw d;
    bool sdl_video, ttf;
    const struct ui_palette *pal;
    const struct phrases *ph;  /* the words */
    struct phrases english;    /* when none are given */
    float chart[CHART_N];
    int chart_head, chart_n;
    double chart_last_t;
    /* this frame */
    int W, H;              /* pixels */
    double u;              /* pixels a layout unit */
    int wu;                /* the width in layout units */
    struct ui_elem_info el[UE_NELEM];
    struct rect badge, chip[3];
    struct rect pace[HISTORY_WEEKS], chosen; /* the history's pace marks, the chosen name's marker */
    struct rect more[2];  /* the people list's marks: more above, more below */
};

static int px(const struct ui *ui, double v)
{
    return (int)lround(v * ui->u);
}

static struct rect R(const struct ui *ui, double x, double y, double w, double h)
{
    return (struct rect){px(ui, x), px(ui, y), px(ui, w), px(ui, h)};
}

static const char *const elem_names[UE_NELEM] = {
    "exercise name", "side", "step line", "state badge", "timer", "count", "rate", "cue",
    "caution", "notice", "label", "title", "how-to", "person", "stage note",
};

const char *ui_elem_name(enum ui_elem e)
{
    return e < UE_NELEM ? elem_names[e] : "?";
}

double ui_elem_min_arcmin(enum ui_elem e)
{
    switch (e) {
    case UE_TIMER: case UE_COUNT: case UE_RATE: return 15;
    case UE_NAME: case UE_SIDE: case UE_CUE: return 8;
    default: return 5;
    }
}

const struct ui_elem_info *ui_elem(const struct ui *ui, enum ui_elem e)
{
    return &ui->el[e];
}

int ui_cap_px(struct ui *ui, int size, int bold)
{
    return draw_cap_px(&ui->d, size, bold);
}

double ui_arcmin(const struct ui *ui, int cap_px)
{
    double mm = cap_px * UI_PANEL_MM / ui->H;
    return atan(mm / UI_VIEW_MM) * 180 / M_PI * 60;
}

void ui_size(const struct ui *ui, int *w, int *h)
{
    *w = ui->W;
    *h = ui->H;
}

void ui_badge_rect(const struct ui *ui, int *x, int *y, int *w, int *h)
{
    *x = ui->badge.x, *y = ui->badge.y, *w = ui->badge.w, *h = ui->badge.h;
}

void ui_chip_rect(const struct ui *ui, int i, int *x, int *y, int *w, int *h)
{
    *x = ui->chip[i].x, *y = ui->chip[i].y, *w = ui->chip[i].w, *h = ui->chip[i].h;
}

void ui_pace_mark_rect(const struct ui *ui, int w, int *x, int *y, int *wd, int *h)
{
    const struct rect *r = &ui->pace[w];
    *x = r->x, *y = r->y, *wd = r->w, *h = r->h;
}

void ui_chosen_rect(const struct ui *ui, int *x, int *y, int *w, int *h)
{
    *x = ui->chosen.x, *y = ui->chosen.y, *w = ui->chosen.w, *h = ui->chosen.h;
}

void ui_more_rect(const struct ui *ui, bool below, int *x, int *y, int *w, int *h)
{
    const struct rect *r = &ui->more[below];
    *x = r->x, *y = r->y, *w = r->w, *h = r->h;
}

/* A text of element e into box b: size and floor in layout units. */
static struct draw_fit text(struct ui *ui, enum ui_elem e, const char *t, struct rect b,
                            int size, int floor, int bold, unsigned rgb, enum draw_align al)
{
    struct draw_fit fit = {0, 0, 0, 0, 0};
    if (!t || !*t)
        return fit;
    fit = draw_text_box(&ui->d, t, b.x, b.y, b.w, b.h, px(ui, size), px(ui, floor), bold, rgb,
                        al, 0);
    struct ui_elem_info *in = &ui->el[e];
    if (!in->drawn || fit.px < in->px) {
        in->px = fit.px;
        in->bold = bold;
    }
    in->drawn = true;
    if (fit.clipped && !in->clipped) {
        in->clipped = true;
        snprintf(in->text, sizeof in->text, "%s", t);
    } else if (!in->clipped) {
        snprintf(in->text, sizeof in->text, "%s", t);
    }
    return fit;
}

static const char *W(const struct ui *ui, enum phrase_id id)
{
    return phrase_text(ui->ph, id);
}

/* A word with its numbers filled in, into buf. */
static const char *F(const struct ui *ui, enum phrase_id id, int n, int total, const char *name,
                     char *buf, size_t len)
{
    phrase_format(ui->ph, id, n, total, name, buf, len);
    return buf;
}

/* A line from the session or the motion core (English) in the screen's words. */
static const char *T(const struct ui *ui, const char *english)
{
    return phrase_screen(ui->ph, english);
}

/* How tall a text will be in a box of width w (pixels). */
static int measure(struct ui *ui, const char *t, int w, int hmax, int size, int floor, int bold)
{
    if (!t || !*t)
        return 0;
    struct draw_fit f = draw_text_box(&ui->d, t, 0, 0, w, hmax, px(ui, size), px(ui, floor),
                                      bold, 0, ALIGN_LEFT, 1);
    return f.h < hmax ? f.h : hmax;
}

/* Whether any display is there to try: a desktop session, a console with a
 * DRM device (KMSDRM), or a driver named by hand. Probing SDL's video
 * backends without one only prints errors. */
static bool display_present(void)
{
    const char *vars[] = {"DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return true;
    }
    return access("/dev/dri/card0", R_OK | W_OK) == 0 ||
           access("/dev/dri/card1", R_OK | W_OK) == 0;
}

struct ui *ui_open(const struct ui_options *opt, char *err, size_t errlen)
{
    if (opt->mode != UI_OFFSCREEN && !display_present()) {
        snprintf(err, errlen, "no display (no DISPLAY, WAYLAND_DISPLAY or /dev/dri/card*)");
        return NULL;
    }
    struct ui *ui = calloc(1, sizeof *ui);
    if (!ui) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (opt->mode == UI_OFFSCREEN) {
        ui->surface = SDL_CreateRGBSurfaceWithFormat(0, opt->width, opt->height, 32,
                                                     SDL_PIXELFORMAT_RGB888);
        ui->d.r = ui->surface ? SDL_CreateSoftwareRenderer(ui->surface) : NULL;
        if (!ui->d.r) {
            snprintf(err, errlen, "offscreen renderer: %s", SDL_GetError());
            ui_close(ui);
            return NULL;
        }
    } else {
        if (SDL_InitSubSystem(SDL_INIT_VIDEO) < 0) {
            snprintf(err, errlen, "no display: %s", SDL_GetError());
            ui_close(ui);
            SDL_Quit(); /* a failed start leaves SDL's own allocations behind */
            return NULL;
        }
        ui->sdl_video = true;
        Uint32 flags = SDL_WINDOW_RESIZABLE;
        if (opt->mode == UI_FULLSCREEN)
            flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
        ui->win = SDL_CreateWindow("Stretch station", SDL_WINDOWPOS_CENTERED,
                                   SDL_WINDOWPOS_CENTERED, opt->width, opt->height, flags);
        ui->d.r = ui->win ? SDL_CreateRenderer(ui->win, -1, SDL_RENDERER_PRESENTVSYNC) : NULL;
        if (!ui->d.r && ui->win)
            ui->d.r = SDL_CreateRenderer(ui->win, -1, SDL_RENDERER_SOFTWARE);
        if (!ui->d.r) {
            snprintf(err, errlen, "cannot open a window: %s", SDL_GetError());
            ui_close(ui);
            return NULL;
        }
        if (opt->mode == UI_FULLSCREEN)
            SDL_ShowCursor(SDL_DISABLE);
    }
    ui->pal = ui_palette(opt->light);
    phrases_defaults(&ui->english);
    ui->ph = opt->ph ? opt->ph : &ui->english;
    SDL_SetRenderDrawBlendMode(ui->d.r, SDL_BLENDMODE_BLEND);
    if (TTF_Init() < 0) {
        snprintf(err, errlen, "SDL_ttf: %s", TTF_GetError());
        ui_close(ui);
        return NULL;
    }
    ui->ttf = true;
    char fonts[600];
    snprintf(fonts, sizeof fonts, "%s/fonts", source_assets_dir());
    if (draw_open_fonts(&ui->d, opt->font_dir ? opt->font_dir : fonts, err, errlen) < 0) {
        ui_close(ui);
        return NULL;
    }
    ui->chart_last_t = -1e9;
    return ui;
}

void ui_close(struct ui *ui)
{
    if (!ui)
        return;
    SDL_Renderer *r = ui->d.r;
    draw_close(&ui->d); /* textures and fonts go before their renderer */
    if (r)
        SDL_DestroyRenderer(r);
    if (ui->ttf)
        TTF_Quit();
    if (ui->win)
        SDL_DestroyWindow(ui->win);
    if (ui->surface)
        SDL_FreeSurface(ui->surface);
    if (ui->sdl_video)
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
    free(ui);
}

void ui_sample(struct ui *ui, double t, double angle)
{
    if (t - ui->chart_last_t < CHART_S / CHART_N && t >= ui->chart_last_t)
        return;
    ui->chart_last_t = t;
    ui->chart[ui->chart_head] = (float)angle;
    ui->chart_head = (ui->chart_head + 1) % CHART_N;
    if (ui->chart_n < CHART_N)
        ui->chart_n++;
}


/* ---- pieces of the screen ---- */

/* Between sessions (at idle or after one) the history page was asked for. */
static bool history_page(const struct ui_frame *f)
{
    return f->history && f->hist && (f->sv->state == SS_IDLE || f->sv->state == SS_FINISHED);
}

/* The state of the data: a word, a shape and a colour, each enough alone. */
static void badge(struct ui *ui, const struct ui_frame *f)
{
    const struct ui_palette *p = ui->pal;
    const char *words[] = {W(ui, PH_S_LIVE), W(ui, PH_S_DEMO), W(ui, PH_S_REPLAY),
                           W(ui, PH_S_LOST)};
    unsigned c = f->source == SOURCE_STATE_LIVE ? p->good
               : f->source == SOURCE_STATE_LOST ? p->bad
               : f->source == SOURCE_STATE_REPLAY ? p->info : p->demo;
    struct rect b = R(ui, ui->wu - MARGIN - BADGE_W, MARGIN, BADGE_W, TOP_H - MARGIN - 6);
    ui->badge = (struct rect){b.x, b.y, b.w, b.h};
    draw_rect(&ui->d, b.x, b.y, b.w, b.h, c);
    /* dark marks on a light fill, light on a dark one */
    double lum = 0.2126 * (c >> 16) + 0.7152 * ((c >> 8) & 255) + 0.0722 * (c & 255);
    unsigned ink = lum > 140 ? 0x101318u : 0xffffffu;
    float cx = (float)(b.x + px(ui, 30)), cy = (float)(b.y + b.h / 2), r = (float)px(ui, 17);
    switch (f->source) {
    case SOURCE_STATE_LIVE: /* a dot: live */
        draw_disc(&ui->d, cx, cy, r, ink);
        break;
    case SOURCE_STATE_LOST: /* a cross: nothing comes */
        draw_thick_line(&ui->d, cx - r, cy - r, cx + r, cy + r, (float)px(ui, 7), ink);
        draw_thick_line(&ui->d, cx - r, cy + r, cx + r, cy - r, (float)px(ui, 7), ink);
        break;
    default: /* a play sign: recorded data */
        draw_triangle(&ui->d, cx - r * 0.8f, cy - r, cx - r * 0.8f, cy + r, cx + r, cy, ink);
        break;
    }
    struct rect w = {b.x + px(ui, 50), b.y, b.w - px(ui, 52), b.h};
    text(ui, UE_BADGE, words[f->source], w, SMALL, SMALL_MIN, 1, ink, ALIGN_LEFT);
}

static void header(struct ui *ui, const struct ui_frame *f)
{
    const struct ui_palette *p = ui->pal;
    const struct session_view *v = f->sv;
    int wleft = ui->wu - 2 * MARGIN - BADGE_W - 10;
    badge(ui, f);
    char line[200];
    if (!v->ex || v->state == SS_FINISHED || v->state == SS_IDLE) {
        const char *title = W(ui, v->state == SS_FINISHED ? PH_S_OVER : PH_S_STATION);
        char weeks[100];
        if (history_page(f))
            title = F(ui, PH_S_HIST_TITLE, HISTORY_WEEKS, 0, NULL, weeks, sizeof weeks);
        text(ui, UE_NAME, title, R(ui, MARGIN, 4, wleft, 56), MID, MID_MIN, 1, p->text,
             ALIGN_LEFT);
        if (history_page(f)) /* whose weeks */
            snprintf(line, sizeof line, "%s", f->hist_for ? f->hist_for : "");
        else if (v->state == SS_IDLE && f->hist) /* her week, and how to see more */
            F(ui, PH_S_WEEK_IDLE, f->hist->this_week, 0, NULL, line, sizeof line);
        else if (v->state == SS_IDLE)
            F(ui, PH_S_N_EXERCISES, 0, v->exercises_total, NULL, line, sizeof line);
        if (v->state == SS_IDLE || history_page(f)) {
            text(ui, UE_STEPS, line, R(ui, MARGIN, 60, wleft, 48), SMALL, SMALL_MIN, 0, p->dim,
                 ALIGN_LEFT);
        }
        return;
    }
    struct rect nb = R(ui, MARGIN, 4, wleft, 56);
    const char *name = phrase_ex(ui->ph, PH_EX_NAME, v->ex->id);
    int bold = !draw_text_box(&ui->d, name, nb.x, nb.y, nb.w, nb.h, px(ui, MID),
                              px(ui, MID_MIN), 1, 0, ALIGN_LEFT, 1).clipped;
    text(ui, UE_NAME, name, nb, MID, MID_MIN, bold, p->text, ALIGN_LEFT);
    int x = MARGIN;
    if (v->st && v->st->side) {
        struct draw_fit s = text(ui, UE_SIDE, T(ui, v->st->side), R(ui, MARGIN, 55, wleft * 0.6, 58),
                                 MID, MID_MIN, 1, p->accent, ALIGN_LEFT);
        x += (int)(s.w / ui->u) + 20;
    }
    /* which exercise this is in the program (a side or a second child
     * pose is a step, not another exercise): the view's steps are an array */
    const struct step *first = v->st - v->step;
    int idx = 0;
    for (int i = 0; i <= v->step; i++) {
        bool seen = false;
        for (int j = 0; j < i; j++)
            seen = seen || first[j].ex == first[i].ex;
        idx += !seen;
    }
    bool again = false;
    for (int j = 0; j < v->step; j++)
        again = again || first[j].ex == v->st->ex;
    if (again) { /* an exercise done before: its own number */
        idx = 0;
        for (int i = 0; i < v->step; i++) {
            bool seen = false;
            for (int j = 0; j < i; j++)
                seen = seen || first[j].ex == first[i].ex;
            idx += !seen;
            if (first[i].ex == v->st->ex)
                break;
        }
    }
    F(ui, PH_S_EXERCISE_N, idx, v->exercises_total, NULL, line, sizeof line);
    if (v->exercises_total == 0)
        F(ui, PH_S_STEP_N, v->step + 1, v->nsteps, NULL, line, sizeof line);
    if (v->st && v->st->kind == STEP_ROCKING) { /* the time to rock, beside its count */
        char more[100];
        size_t l = strlen(line);
        F(ui, PH_S_TO_ROCK, (int)lround(v->target_s), 0, NULL, more, sizeof more);
        snprintf(line + l, sizeof line - l, ", %s", more);
    }
    text(ui, UE_STEPS, line, R(ui, x, 60, MARGIN + wleft - x, 48), SMALL, SMALL_MIN, 0, p->dim,
         ALIGN_LEFT);
}

/* The cue line and, under it, the caution or a notice: heights that fit
 * their words. Returns the top of the cue line (layout units). */
static double footer(struct ui *ui, const struct ui_frame *f, const char *cue)
{
    const struct ui_palette *p = ui->pal;
    const struct session_view *v = f->sv;
    int w = px(ui, ui->wu - 2 * MARGIN);
    double bottom = 480 - 8;
    const char *low = f->notice ? T(ui, f->notice)
                    : v->ex && v->state != SS_FINISHED && v->state != SS_IDLE
                        ? phrase_ex(ui->ph, PH_EX_CAUTION, v->ex->id) : NULL;
    if (low && !*low)
        low = NULL;
    if (low) {
        double h = measure(ui, low, w, px(ui, 2 * 38), SMALL, SMALL_MIN, f->notice != NULL) / ui->u;
        struct rect b = R(ui, MARGIN, bottom - h - 4, ui->wu - 2 * MARGIN, h + 2);
        if (f->notice) {
            struct rect bg = R(ui, 0, bottom - h - 8, ui->wu, h + 10);
            draw_rect(&ui->d, bg.x, bg.y, bg.w, bg.h, p->notice_bg);
            text(ui, UE_NOTICE, low, b, SMALL, SMALL_MIN, 1, ui->pal == &light ? p->bad : 0xffffffu,
                 ALIGN_CENTER);
        } else {
            text(ui, UE_CAUTION, low, b, SMALL, SMALL_MIN, 0, p->accent, ALIGN_CENTER);
        }
        bottom -= h + 12;
    }
    if (cue && *cue) {
        /* two lines while an exercise runs (the timer needs the room), four
         * on the other screens */
        int lines = v->state == SS_ACTIVE ? 2 : 4;
        double h = measure(ui, cue, w, px(ui, lines * 58), MID, MID_MIN, 1) / ui->u;
        struct rect b = R(ui, MARGIN, bottom - h - 2, ui->wu - 2 * MARGIN, h + 2);
        text(ui, UE_CUE, cue, b, MID, MID_MIN, 1, p->text, ALIGN_CENTER);
        bottom -= h + 8;
    }
    return bottom;
}

static void ring(struct ui *ui, double cx, double cy, double r, double frac, unsigned c)
{
    float x = (float)px(ui, cx), y = (float)px(ui, cy);
    float ro = (float)px(ui, r), ri = (float)px(ui, r * 0.86);
    draw_arc(&ui->d, x, y, ri, ro, 0, 2 * M_PI, ui->pal->ring);
    if (frac > 0)
        draw_arc(&ui->d, x, y, ri, ro, M_PI / 2 - 2 * M_PI * fmin(frac, 1), M_PI / 2, c);
}

/* A verdict: its word, and a shape and a colour. */
static void chip(struct ui *ui, int i, struct rect b, const char *what, enum verdict v)
{
    const struct ui_palette *p = ui->pal;
    unsigned c = v == VERDICT_OK ? p->good : v == VERDICT_NONE ? p->dim : p->warn;
    ui->chip[i] = b;
    float cx = (float)(b.x + px(ui, 14)), cy = (float)(b.y + b.h / 2), r = (float)px(ui, 12);
    if (v == VERDICT_OK)
        draw_disc(&ui->d, cx, cy, r, c);
    else if (v == VERDICT_NONE)
        draw_arc(&ui->d, cx, cy, r * 0.6f, r, 0, 2 * M_PI, c);
    else if (v == VERDICT_HIGH) /* too much: points up */
        draw_triangle(&ui->d, cx - r, cy + r, cx + r, cy + r, cx, cy - r, c);
    else
        draw_triangle(&ui->d, cx - r, cy - r, cx + r, cy - r, cx, cy + r, c);
    char t[80];
    snprintf(t, sizeof t, "%s: %s", what, v == VERDICT_NONE ? "..." : T(ui, verdict_name(v, i)));
    struct rect tb = {b.x + px(ui, 34), b.y, b.w - px(ui, 34), b.h};
    int bold = v != VERDICT_OK && v != VERDICT_NONE;
    if (draw_text_box(&ui->d, t, tb.x, tb.y, tb.w, tb.h, px(ui, SMALL), px(ui, SMALL_MIN), bold,
                      0, ALIGN_LEFT, 1).clipped) /* the verdict alone says enough */
        snprintf(t, sizeof t, "%s", v == VERDICT_NONE ? "..." : T(ui, verdict_name(v, i)));
    text(ui, UE_LABEL, t, tb, SMALL, SMALL_MIN, v != VERDICT_OK && v != VERDICT_NONE,
         v == VERDICT_NONE ? p->dim : p->text, ALIGN_LEFT);
}

static void body_rocking(struct ui *ui, const struct ui_frame *f, double top, double bottom)
{
    const struct ui_palette *p = ui->pal;
    const struct session_view *v = f->sv;
    const struct motion_live *l = f->ml;
    double wu = ui->wu, h = bottom - top;
    bool lost = f->source == SOURCE_STATE_LOST;
    /* left: the rate, big, its verdict, and where it sits against the band */
    bool have = l->in_set && l->osc == OSC_ROCKING && l->rate_hz > 0 && !lost;
    char t[64];
    snprintf(t, sizeof t, have ? "%.2f" : "--", l->rate_hz);
    double cw = (wu - 2 * MARGIN) * 0.37;
    text(ui, UE_RATE, t, R(ui, MARGIN, top, cw, 110), BIG, BIG_MIN, 1,
         have ? (l->rate_v == VERDICT_OK ? p->good : p->warn) : p->dim, ALIGN_CENTER);
    const enum verdict vs[3] = {l->rate_v, l->rhythm_v, l->effort_v};
    const char *what[3] = {W(ui, PH_S_PACE), W(ui, PH_S_RHYTHM), W(ui, PH_S_EFFORT)};
    chip(ui, 0, R(ui, MARGIN, top + 108, cw, 42), what[0], have ? vs[0] : VERDICT_NONE);
    double bx = MARGIN + 10, bw = cw - 20, by = top + 160;
    if (by + 14 < bottom) {
        double lo = 0.4, hi = 2.0;
        struct rect bar = R(ui, bx, by, bw, 14);
        draw_rect(&ui->d, bar.x, bar.y, bar.w, bar.h, p->ring);
        struct rect band = R(ui, bx + bw * (f->mp->rate_min_hz - lo) / (hi - lo), by,
                             bw * (f->mp->rate_max_hz - f->mp->rate_min_hz) / (hi - lo), 14);
        draw_rect(&ui->d, band.x, band.y, band.w, band.h, p->good);
        if (have) {
            double u = fmin(1, fmax(0, (l->rate_hz - lo) / (hi - lo)));
            struct rect nd = R(ui, bx + bw * u - 3, by - 8, 6, 30);
            draw_rect(&ui->d, nd.x, nd.y, nd.w, nd.h, p->text);
        }
    }
    /* middle: the pacer to follow */
    double rx = MARGIN + (wu - 2 * MARGIN) * 0.585, rw = wu - MARGIN - rx;
    double pcx = (MARGIN + cw + rx) / 2, pl = fmax(30, fmin(h - 40, (rx - MARGIN - cw) / 2 / 0.44 - 24));
    double hz = (f->mp->rate_min_hz + f->mp->rate_max_hz) / 2;
    double a = lost ? 0 : 0.45 * sin(2 * M_PI * hz * f->t);
    float x0 = (float)px(ui, pcx), y0 = (float)px(ui, top + 6);
    float x1 = x0 + (float)px(ui, pl * sin(a)), y1 = y0 + (float)px(ui, pl * cos(a));
    draw_thick_line(&ui->d, x0, y0, x1, y1, (float)px(ui, 5), p->ring);
    draw_disc(&ui->d, x1, y1, (float)px(ui, 20), p->info);
    /* right: the time rocked, big, then rhythm and effort */
    F(ui, PH_S_SECONDS, (int)v->rock_s, 0, NULL, t, sizeof t);
    text(ui, UE_TIMER, t, R(ui, rx, top, rw, 110), BIG, BIG_MIN, 1, lost ? p->dim : p->text,
         ALIGN_CENTER);
    for (int i = 1; i < 3; i++) {
        double cy = top + 108 + 42 * (i - 1);
        if (cy + 40 > bottom + 4)
            break;
        chip(ui, i, R(ui, rx, cy, rw, 42), what[i], have ? vs[i] : VERDICT_NONE);
    }
}

static void body_timed(struct ui *ui, const struct ui_frame *f, double top, double bottom)
{
    const struct ui_palette *p = ui->pal;
    const struct session_view *v = f->sv;
    double wu = ui->wu, h = bottom - top;
    double r = fmin(h / 2 - 2, 140);
    double cx = wu - MARGIN - r - 30, cy = top + h / 2;
    double frac = v->target_s > 0 ? v->hold_s / v->target_s : 0;
    bool done = frac >= 1, rest = v->rest_left > 0 && !v->holding;
    bool paused = v->state == SS_PAUSED || f->source == SOURCE_STATE_LOST;
    ring(ui, cx, cy, r, rest ? 0 : frac, done ? p->good : p->info);
    char t[64];
    snprintf(t, sizeof t, "%.0f", rest ? ceil(v->rest_left) : floor(v->hold_s));
    double iw = fmax(r * 1.7, 140);
    bool roomy = r >= 96; /* the label fits in the ring under the number */
    text(ui, UE_TIMER, t, R(ui, cx - iw / 2, cy - (roomy ? 66 : 56), iw, 112), BIG, BIG_MIN, 1,
         done ? p->good : p->text, ALIGN_CENTER);
    if (rest)
        snprintf(t, sizeof t, "%s", W(ui, PH_S_REST));
    else if (paused)
        snprintf(t, sizeof t, "%s", W(ui, PH_S_PAUSED));
    else
        F(ui, PH_S_OF_SECONDS, (int)lround(v->target_s), 0, NULL, t, sizeof t);
    /* the count, big, on the left */
    const char *what = W(ui, v->st && v->st->kind == STEP_BOUNCE ? PH_S_ROUND : PH_S_HOLD);
    int n = v->reps_done + (v->holding && !done ? 1 : 0);
    n = n < 1 ? 1 : n > v->reps_target ? v->reps_target : n;
    double lw = cx - r - 20 - MARGIN;
    if (roomy)
        text(ui, UE_LABEL, t, R(ui, cx - iw / 2, cy + 40, iw, 40), SMALL, SMALL_MIN, paused,
             paused ? p->warn : p->dim, ALIGN_CENTER);
    char lab[80];
    snprintf(lab, sizeof lab, "%s%s%s", what, roomy ? "" : ", ", roomy ? "" : t);
    text(ui, UE_LABEL, lab, R(ui, MARGIN, top + h / 2 - 96, lw, 40), SMALL, SMALL_MIN,
         !roomy && paused, !roomy && paused ? p->warn : p->dim, ALIGN_CENTER);
    F(ui, PH_S_N_OF, n, v->reps_target, NULL, t, sizeof t);
    text(ui, UE_COUNT, t, R(ui, MARGIN, top + h / 2 - 56, lw, 112), BIG, BIG_MIN, 1, p->text,
         ALIGN_CENTER);
    if (v->st && v->st->kind == STEP_BOUNCE && f->ml->in_set && f->ml->osc == OSC_BOUNCE) {
        char rate[16];
        snprintf(rate, sizeof rate, "%.1f", f->ml->rate_hz);
        F(ui, PH_S_BOUNCES, 0, 0, rate, t, sizeof t);
        text(ui, UE_LABEL, t, R(ui, MARGIN, top + h / 2 + 54, lw, 40), SMALL, SMALL_MIN, 0,
             p->text, ALIGN_CENTER);
    }
}

static void body_reps(struct ui *ui, const struct ui_frame *f, double top, double bottom)
{
    const struct ui_palette *p = ui->pal;
    char t[64];
    F(ui, PH_S_N_OF, f->sv->reps_done, f->sv->reps_target, NULL, t, sizeof t);
    double h = bottom - top;
    text(ui, UE_COUNT, t, R(ui, MARGIN, top + h / 2 - 70, ui->wu - 2 * MARGIN, 104), BIG,
         BIG_MIN, 1, p->text, ALIGN_CENTER);
    /* the thigh sees too little of a curl down to count it: paced by time */
    text(ui, UE_LABEL, W(ui, PH_S_PACED), R(ui, MARGIN, top + h / 2 + 36,
         ui->wu - 2 * MARGIN, 40), SMALL, SMALL_MIN, 0, p->dim, ALIGN_CENTER);
}

static void (*const bodies[])(struct ui *, const struct ui_frame *, double, double) = {
    [STEP_HOLD] = body_timed, [STEP_ROCKING] = body_rocking, [STEP_BOUNCE] = body_timed,
    [STEP_REPS] = body_reps,
};

int ui_program_minutes(const struct program *p)
{
    double s = 0;
    for (int i = 0; i < p->nsteps; i++)
        s += program_step_expected_s(p, i) + p->rules.rest_s;
    return (int)ceil(s / 60);
}

/* t as it fits one line of w x h pixels at the small size: a name too
 * long for it is cut at a letter and ends in "..." (its start is what she
 * knows it by). */
static void fit_line(struct ui *ui, const char *t, int w, int h, int bold, char *out, size_t len)
{
    snprintf(out, len, "%s", t);
    size_t n = strlen(out);
    while (n > 0 && draw_text_box(&ui->d, out, 0, 0, w, h, px(ui, SMALL), px(ui, SMALL_MIN), bold,
                                  0, ALIGN_LEFT, 1).clipped) {
        do /* back a whole character (UTF-8) */
            n--;
        while (n > 0 && ((unsigned char)t[n] & 0xc0) == 0x80);
        while (n > 0 && t[n - 1] == ' ')
            n--;
        snprintf(out, len, "%.*s...", (int)n, t);
    }
}

/* The people of the station in rows of box b (pixels), whose turn it is
 * marked by a shape, bold and its colour; a long list scrolls so that her
 * row is always in it. */
static void people_list(struct ui *ui, const struct ui_frame *f, struct rect b)
{
    const struct ui_palette *p = ui->pal;
    int row = px(ui, 40), rows = b.h / row;
    if (rows < 1)
        return;
    int first = f->chosen >= rows ? f->chosen - rows + 1 : 0;
    /* a list longer than its box: a small arrow at the right of the top
     * row says more names are above, at the bottom row more are below */
    bool scrolls = f->npeople > rows;
    int mark = scrolls ? px(ui, 28) : 0;
    for (int k = 0; k < 2 && scrolls; k++) {
        bool below = k == 1;
        if (below ? first + rows >= f->npeople : first == 0)
            continue;
        int ry = b.y + (below ? rows - 1 : 0) * row;
        float s = (float)px(ui, 9), cx = (float)(b.x + b.w - mark / 2);
        float cy = (float)(ry + row / 2), tip = below ? s : -s;
        draw_triangle(&ui->d, cx - s, cy - tip * 0.6f, cx + s, cy - tip * 0.6f, cx, cy + tip,
                      p->dim);
        ui->more[k] = (struct rect){b.x + b.w - mark, ry, mark, row};
    }
    for (int i = first; i < f->npeople && i < first + rows; i++) {
        struct rect r = {b.x, b.y + (i - first) * row, b.w, row};
        bool me = i == f->chosen;
        if (me) { /* a pointer before her name */
            float cy = (float)(r.y + r.h / 2), s = (float)px(ui, 12);
            float x0 = (float)(r.x + px(ui, 8));
            draw_triangle(&ui->d, x0, cy - s, x0, cy + s, x0 + 1.6f * s, cy, p->accent);
            ui->chosen = (struct rect){r.x, r.y, px(ui, 36), r.h};
        }
        struct rect tb = {r.x + px(ui, 40), r.y, r.w - px(ui, 40) - mark, r.h};
        char name[PHRASE_MAX];
        fit_line(ui, f->people[i], tb.w, tb.h, me, name, sizeof name);
        text(ui, UE_PERSON, name, tb, SMALL, SMALL_MIN, me, me ? p->accent : p->text,
             ALIGN_LEFT);
    }
}

/* ---- the history page: her week, big, and eight weeks in small rows ---- */

enum hist_row { HR_SESSIONS, HR_PACE, HR_RHYTHM, HR_CHILD_POSE, HR_BACKBLOCK, HR_COUNT };

/* A week's figure for a row; NAN when that week had none. */
static double hist_value(const struct history_weeks *h, enum hist_row r, int w)
{
    switch (r) {
    case HR_SESSIONS: return h->week[w].sessions;
    case HR_PACE: return h->week[w].rate_hz;
    case HR_RHYTHM: return h->week[w].rhythm_cv;
    case HR_CHILD_POSE: return h->week[w].child_pose_s;
    default: return h->week[w].backblock_s;
    }
}

/* The row's mark for a figure: 1 on target (a dot), 2 above (a triangle
 * up), 3 below (down), 0 for a bar (no target). */
static int hist_mark(const struct ui_frame *f, enum hist_row r, double v)
{
    if (r == HR_PACE)
        return v > f->mp->rate_max_hz ? 2 : v < f->mp->rate_min_hz ? 3 : 1;
    if (r == HR_RHYTHM)
        return v > f->mp->rhythm_cv_max ? 2 : 1;
    return 0;
}

/* Where a figure sits between the bottom (0) and the top (1) of its row. */
static double hist_level(const struct ui_frame *f, enum hist_row r, double v, double most)
{
    double u = r == HR_PACE ? (v - 0.4) / (2.0 - 0.4)
             : r == HR_RHYTHM ? v / (2 * f->mp->rhythm_cv_max)
             : most > 0 ? v / most : 0;
    return fmin(1, fmax(0, u));
}

/* The latest week's figure as a word: "1.10/s", "steady", "2:05", "3". */
static void hist_latest(struct ui *ui, const struct ui_frame *f, enum hist_row r, double v,
                        char *buf, size_t len)
{
    if (r == HR_PACE)
        snprintf(buf, len, "%.2f/s", v);
    else if (r == HR_RHYTHM)
        snprintf(buf, len, "%s", W(ui, v > f->mp->rhythm_cv_max ? PH_S_H_UNEVEN : PH_S_H_STEADY));
    else if (r == HR_SESSIONS)
        snprintf(buf, len, "%.0f", v);
    else
        snprintf(buf, len, "%d:%02d", (int)v / 60, (int)v % 60);
}

/* One row: its name, eight weeks (oldest left, this week marked under),
 * the latest figure. Bars for counts and times; for pace and rhythm a mark
 * against the target band, its shape saying on target, above or below. */
static void hist_row(struct ui *ui, const struct ui_frame *f, enum hist_row r, struct rect b)
{
    const struct ui_palette *p = ui->pal;
    const struct history_weeks *h = f->hist;
    const char *names[HR_COUNT] = {
        W(ui, PH_S_H_SESSIONS), W(ui, PH_S_H_PACE), W(ui, PH_S_H_RHYTHM),
        phrase_ex(ui->ph, PH_EX_NAME, EX_CHILD_POSE), phrase_ex(ui->ph, PH_EX_NAME, EX_BACKBLOCK),
    };
    int lw = px(ui, 180), vw = px(ui, 150), gap = px(ui, 10);
    text(ui, UE_LABEL, names[r], (struct rect){b.x, b.y, lw, b.h}, SMALL, SMALL_MIN, 0, p->dim,
         ALIGN_LEFT);
    struct rect g = {b.x + lw + gap, b.y + px(ui, 6), b.w - lw - vw - 2 * gap, b.h - px(ui, 16)};
    double most = 0, latest = NAN;
    for (int w = 0; w < HISTORY_WEEKS; w++) {
        double v = hist_value(h, r, w);
        if (!isnan(v)) {
            most = fmax(most, v);
            latest = v;
        }
    }
    if (r == HR_SESSIONS)
        latest = h->week[HISTORY_WEEKS - 1].sessions;
    /* the target band behind the marks */
    if (r == HR_PACE || r == HR_RHYTHM) {
        double lo = r == HR_PACE ? hist_level(f, r, f->mp->rate_min_hz, 0) : 0;
        double hi = hist_level(f, r, r == HR_PACE ? f->mp->rate_max_hz : f->mp->rhythm_cv_max, 0);
        int y0 = g.y + g.h - (int)lround(hi * g.h), y1 = g.y + g.h - (int)lround(lo * g.h);
        draw_rect(&ui->d, g.x, y0, g.w, y1 - y0 > 1 ? y1 - y0 : 1, p->ring);
    }
    draw_rect(&ui->d, g.x, g.y + g.h, g.w, px(ui, 2) > 0 ? px(ui, 2) : 1, p->dim);
    int slot = g.w / HISTORY_WEEKS;
    for (int w = 0; w < HISTORY_WEEKS; w++) {
        int cx = g.x + slot * w + slot / 2;
        if (w == HISTORY_WEEKS - 1) { /* this week: a small peak under its slot */
            float s = (float)px(ui, 6), by = (float)(g.y + g.h + px(ui, 3));
            draw_triangle(&ui->d, (float)cx - s, by + s * 1.2f, (float)cx + s, by + s * 1.2f,
                          (float)cx, by, p->accent);
        }
        double v = hist_value(h, r, w);
        if (isnan(v) || (r == HR_SESSIONS && v <= 0))
            continue;
        double u = hist_level(f, r, v, most);
        int mark = hist_mark(f, r, v);
        int top = g.y + g.h - (int)lround(u * g.h);
        if (!mark) {
            int bw = slot * 6 / 10;
            draw_rect(&ui->d, cx - bw / 2, top, bw, g.y + g.h - top, r == HR_SESSIONS ? p->info
                                                                                       : p->good);
            continue;
        }
        float rr = (float)px(ui, 9), cy = (float)top;
        unsigned c = mark == 1 ? p->good : p->warn;
        if (mark == 1)
            draw_disc(&ui->d, (float)cx, cy, rr, c);
        else if (mark == 2)
            draw_triangle(&ui->d, cx - rr, cy + rr, cx + rr, cy + rr, (float)cx, cy - rr, c);
        else
            draw_triangle(&ui->d, cx - rr, cy - rr, cx + rr, cy - rr, (float)cx, cy + rr, c);
        if (r == HR_PACE)
            ui->pace[w] = (struct rect){cx - (int)rr - 1, (int)cy - (int)rr - 1, 2 * (int)rr + 2,
                                        2 * (int)rr + 2};
    }
    char t[64];
    if (!isnan(latest)) {
        hist_latest(ui, f, r, latest, t, sizeof t);
        text(ui, UE_LABEL, t, (struct rect){b.x + b.w - vw, b.y, vw, b.h}, SMALL, SMALL_MIN, 1,
             p->text, ALIGN_RIGHT);
    }
}

/* The history page: this week and the streak, big, on the left; on the
 * right a row for each figure she has over the last weeks. */
static void body_history(struct ui *ui, const struct ui_frame *f, double top, double bottom)
{
    const struct ui_palette *p = ui->pal;
    const struct history_weeks *h = f->hist;
    /* side by side: two big numbers need more height than the page has
     * over a cue of two lines */
    double sw = 250, cw = sw / 2;
    const int big[2] = {h->this_week, h->streak_days};
    const enum phrase_id what[2] = {PH_S_THIS_WEEK, PH_S_IN_A_ROW};
    for (int i = 0; i < 2; i++) {
        char t[16];
        snprintf(t, sizeof t, "%d", big[i]);
        double x = MARGIN + i * cw;
        text(ui, UE_COUNT, t, R(ui, x, top, cw, 104), BIG, BIG_MIN, 1, p->text, ALIGN_CENTER);
        text(ui, UE_LABEL, W(ui, what[i]), R(ui, x, top + 104, cw, fmin(80, bottom - top - 104)),
             SMALL, SMALL_MIN, 0, p->dim, ALIGN_CENTER);
    }
    /* the rows she has figures for: sessions always */
    enum hist_row rows[HR_COUNT];
    int n = 0;
    for (int r = 0; r < HR_COUNT; r++) {
        bool any = r == HR_SESSIONS;
        for (int w = 0; w < HISTORY_WEEKS && !any; w++)
            any = !isnan(hist_value(h, (enum hist_row)r, w));
        if (any)
            rows[n++] = (enum hist_row)r;
    }
    double x = MARGIN + sw + 20, rh = fmin(80, (bottom - top) / n);
    for (int i = 0; i < n; i++)
        hist_row(ui, f, rows[i], R(ui, x, top + i * rh, ui->wu - MARGIN - x, rh - 4));
}

/* Idle: the stage that start will begin, its exercises and its length. */
static void body_idle(struct ui *ui, const struct ui_frame *f, double top, double bottom)
{
    const struct ui_palette *p = ui->pal;
    const struct program *pr = f->prog;
    char t[200];
    F(ui, PH_S_STAGE, pr->stage, 0, NULL, t, sizeof t);
    size_t l = strlen(t);
    char more[80];
    F(ui, PH_S_ABOUT_MIN, ui_program_minutes(pr), 0, NULL, more, sizeof more);
    snprintf(t + l, sizeof t - l, "  -  %s", more);
    text(ui, UE_TITLE, t, R(ui, MARGIN, top, ui->wu - 2 * MARGIN, 58), MID, MID_MIN, 1,
         p->accent, ALIGN_CENTER);
    top += 62;
    /* with several people, their names on the left: she sees hers marked */
    double x = MARGIN + 60, w = ui->wu - 2 * MARGIN - 120;
    if (f->people && f->npeople > 1) {
        double split = ui->wu * 0.42;
        people_list(ui, f, R(ui, MARGIN, top, split - MARGIN - 10, bottom - top));
        x = split + 10;
        w = ui->wu - MARGIN - x;
    } else if (f->program_stage > 0 && f->program_stage != pr->stage) {
        /* the other stage chosen on the device: for this session only, and
         * her program's stage said, so nobody takes it for a new program */
        double split = ui->wu * 0.55;
        F(ui, PH_S_STAGE_ONCE, f->program_stage, 0, NULL, t, sizeof t);
        text(ui, UE_ONCE, t, R(ui, split + 10, top, ui->wu - MARGIN - split - 10, bottom - top),
             SMALL, SMALL_MIN, 0, p->warn, ALIGN_CENTER);
        x = MARGIN + 20;
        w = split - x;
    }
    /* its exercises, each once, in order */
    double y = top, row = 40;
    int shown = 0;
    for (int i = 0; i < pr->nsteps; i++) {
        bool seen = false;
        for (int j = 0; j < i; j++)
            seen = seen || pr->steps[j].ex == pr->steps[i].ex;
        if (seen)
            continue;
        if (y + row > bottom)
            break;
        snprintf(t, sizeof t, "%d.  %s", ++shown, phrase_ex(ui->ph, PH_EX_NAME, pr->steps[i].ex));
        text(ui, UE_LABEL, t, R(ui, x, y, w, row), SMALL, SMALL_MIN, 0, p->text, ALIGN_LEFT);
        y += row;
    }
}

/* Idle, paused, the weekly-limit question, the end: a title and what to do. */
static void body_message(struct ui *ui, const struct ui_frame *f, const char *title,
                         unsigned shape_c, double top, double bottom)
{
    const struct ui_palette *p = ui->pal;
    const struct session_view *v = f->sv;
    text(ui, UE_TITLE, title, R(ui, MARGIN, top, ui->wu - 2 * MARGIN, 60), MID, MID_MIN, 1,
         shape_c, ALIGN_CENTER);
    /* how to do it, when there is room for all of it (it is spoken too) */
    struct rect hb = R(ui, MARGIN + 20, top + 66, ui->wu - 2 * MARGIN - 40, bottom - top - 70);
    const char *how = v->ex ? phrase_ex(ui->ph, PH_EX_HOW, v->ex->id) : NULL;
    if (v->ex && v->state != SS_FINISHED && v->state != SS_IDLE && hb.h > 0 &&
        !draw_text_box(&ui->d, how, hb.x, hb.y, hb.w, hb.h, px(ui, SMALL),
                       px(ui, SMALL_MIN), 0, 0, ALIGN_CENTER, 1).clipped)
        text(ui, UE_HOW, how, hb, SMALL, SMALL_MIN, 0, p->dim, ALIGN_CENTER);
    /* the end: where this session sits in her week */
    if (v->state == SS_FINISHED && f->hist) {
        char t[120];
        const int n[2] = {f->hist->this_week, f->hist->streak_days};
        const enum phrase_id id[2] = {PH_S_WEEK_END, PH_S_STREAK_END};
        for (int i = 0; i < 2; i++) {
            double y = top + 72 + 44 * i;
            if (y + 42 > bottom)
                break;
            F(ui, id[i], n[i], 0, NULL, t, sizeof t);
            text(ui, UE_LABEL, t, R(ui, MARGIN, y, ui->wu - 2 * MARGIN, 42), SMALL, SMALL_MIN, 1,
                 p->text, ALIGN_CENTER);
        }
    }
}

void ui_draw(struct ui *ui, const struct ui_frame *f)
{
    struct draw *d = &ui->d;
    const struct ui_palette *p = ui->pal;
    if (ui->surface) {
        ui->W = ui->surface->w;
        ui->H = ui->surface->h;
    } else {
        SDL_GetRendererOutputSize(d->r, &ui->W, &ui->H);
    }
    ui->u = ui->H / 480.0;
    ui->wu = (int)(ui->W / ui->u);
    memset(ui->el, 0, sizeof ui->el);
    memset(ui->chip, 0, sizeof ui->chip);
    memset(ui->pace, 0, sizeof ui->pace);
    memset(&ui->chosen, 0, sizeof ui->chosen);
    memset(ui->more, 0, sizeof ui->more);
    draw_color(d, p->bg, 255);
    SDL_RenderClear(d->r);
    header(ui, f);
    const struct session_view *v = f->sv;
    const char *cue = T(ui, v->message);
    char whose[200];
    if (history_page(f))
        cue = W(ui, PH_S_M_HISTORY);
    else if (v->state == SS_IDLE && f->person) /* next chooses the person, not the stage */
        cue = F(ui, PH_S_M_CHOOSE_PERSON, 0, 0, f->person, whose, sizeof whose);
    else if (v->state == SS_IDLE && f->prog)
        cue = W(ui, PH_S_M_CHOOSE);
    /* in a set, or swaying too little to make one ("too small") */
    if (v->state == SS_ACTIVE && v->st->kind == STEP_ROCKING &&
        (f->ml->in_set || f->ml->sway_deg > 0) && f->ml->cue != CUE_NONE)
        cue = T(ui, motion_cue_text(f->ml->cue));
    double bottom = footer(ui, f, cue), top = TOP_H + 4;
    switch (v->state) {
    case SS_IDLE:
        if (history_page(f))
            body_history(ui, f, top, bottom);
        else if (f->prog)
            body_idle(ui, f, top, bottom);
        else
            body_message(ui, f, W(ui, PH_S_READY), p->text, top, bottom);
        break;
    case SS_PAUSED: body_message(ui, f, W(ui, PH_S_PAUSED_TITLE), p->warn, top, bottom); break;
    case SS_CONFIRM: body_message(ui, f, W(ui, PH_S_LIMIT_TITLE), p->warn, top, bottom); break;
    case SS_FINISHED: {
        if (history_page(f)) {
            body_history(ui, f, top, bottom);
            break;
        }
        /* praise only what was done: the title says how many exercises */
        char title[80];
        if (v->complete)
            F(ui, PH_S_WELL_DONE, 0, v->exercises_total, NULL, title, sizeof title);
        else
            F(ui, PH_S_N_DONE, v->exercises_done, v->exercises_total, NULL, title, sizeof title);
        body_message(ui, f, title, v->complete ? p->good : p->text, top, bottom);
        break;
    }
    case SS_ACTIVE: bodies[v->st->kind](ui, f, top, bottom); break;
    }
    /* progress through the step */
    struct rect pr = R(ui, 0, 480 - 6, ui->wu, 6);
    pr.w = ui->W;
    draw_rect(d, 0, pr.y, ui->W, ui->H - pr.y, p->ring);
    draw_rect(d, 0, pr.y, (int)(ui->W * v->progress), ui->H - pr.y, p->good);
    SDL_RenderPresent(d->r);
}

int ui_poll(struct ui *ui, enum session_cmd *cmds, int max, bool *quit)
{
    (void)ui;
    int n = 0;
    SDL_Event e;
    while (SDL_PollEvent(&e)) {
        if (e.type == SDL_QUIT) {
            *quit = true;
            continue;
        }
        if (e.type != SDL_KEYDOWN || e.key.repeat || n >= max)
            continue;
        static const struct { SDL_Keycode key; int cmd; } keys[] = {
            {SDLK_SPACE, CMD_START_PAUSE}, {SDLK_RETURN, CMD_START_PAUSE},
            {SDLK_RIGHT, CMD_NEXT}, {SDLK_n, CMD_NEXT},
            {SDLK_LEFT, CMD_BACK}, {SDLK_b, CMD_BACK},
            {SDLK_ESCAPE, CMD_STOP}, {SDLK_s, CMD_STOP},
            {SDLK_q, -1},
        };
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            if (keys[i].key == e.key.keysym.sym) {
                if (keys[i].cmd < 0)
                    *quit = true;
                else
                    cmds[n++] = (enum session_cmd)keys[i].cmd;
            }
    }
    return n;
}

int ui_save_png(struct ui *ui, const char *path, char *err, size_t errlen)
{
    SDL_Surface *s = ui->surface;
    SDL_Surface *shot = NULL;
    if (!s) {
        int w, h;
        SDL_GetRendererOutputSize(ui->d.r, &w, &h);
        shot = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGB888);
        if (!shot || SDL_RenderReadPixels(ui->d.r, NULL, SDL_PIXELFORMAT_RGB888, shot->pixels,
                                          shot->pitch) < 0) {
            snprintf(err, errlen, "%s: %s", path, SDL_GetError());
            SDL_FreeSurface(shot);
            return -1;
        }
        s = shot;
    }
    int rc = png_save(s, path, err, errlen);
    SDL_FreeSurface(shot);
    return rc;
}

unsigned ui_pixel(struct ui *ui, int x, int y)
{
    if (!ui->surface || x < 0 || y < 0 || x >= ui->surface->w || y >= ui->surface->h)
        return 0;
    const Uint8 *row = (const Uint8 *)ui->surface->pixels + y * ui->surface->pitch;
    Uint32 p = ((const Uint32 *)row)[x];
    Uint8 r, g, b;
    SDL_GetRGB(p, ui->surface->format, &r, &g, &b);
    return (unsigned)r << 16 | (unsigned)g << 8 | b;
}
