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

#define CHART_N 500           /* strip chart points: 10 s at 50 per second */
#define CHART_S 10.0

/* Rate gauge: a half circle from GAUGE_MIN (left) to GAUGE_MAX (right). */
#define GAUGE_CX 300
#define GAUGE_CY 470
#define GAUGE_R 210
#define GAUGE_MIN 0.4
#define GAUGE_MAX 2.0

#define RING_CX 640
#define RING_CY 385
#define RING_R_OUT 190
#define RING_R_IN 150

#define PACER_X 640
#define PACER_Y 170
#define PACER_LEN 230

static const SDL_Rect demo_label = {1040, 78, 220, 64};

struct ui {
    SDL_Window *win;
    SDL_Surface *surface;  /* offscreen */
    struct draw d;
    bool sdl_video, ttf;
    float chart[CHART_N];
    int chart_head, chart_n;
    double chart_last_t;
};

void ui_gauge_point(double rate, double along, int *x, int *y)
{
    double u = (rate - GAUGE_MIN) / (GAUGE_MAX - GAUGE_MIN);
    u = u < 0 ? 0 : u > 1 ? 1 : u;
    double a = M_PI * (1 - u);
    *x = (int)lround(GAUGE_CX + along * GAUGE_R * cos(a));
    *y = (int)lround(GAUGE_CY - along * GAUGE_R * sin(a));
}

void ui_ring_point(double fraction, int *x, int *y)
{
    /* the ring fills clockwise from the top */
    double a = M_PI / 2 - 2 * M_PI * fraction;
    double r = (RING_R_IN + RING_R_OUT) / 2.0;
    *x = (int)lround(RING_CX + r * cos(a));
    *y = (int)lround(RING_CY - r * sin(a));
}

void ui_demo_label_rect(int *x, int *y, int *w, int *h)
{
    *x = demo_label.x;
    *y = demo_label.y;
    *w = demo_label.w;
    *h = demo_label.h;
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
        ui->surface = SDL_CreateRGBSurfaceWithFormat(0, UI_W, UI_H, 32, SDL_PIXELFORMAT_RGB888);
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
    SDL_RenderSetLogicalSize(ui->d.r, UI_W, UI_H);
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

static unsigned verdict_color(enum verdict v)
{
    return v == VERDICT_OK ? UI_GREEN : v == VERDICT_NONE ? 0x8a94a3u : UI_AMBER;
}

/* The badge says where the data comes from; the DEMO label under it says
 * plainly that it is not this person's live movement. */
static const char *state_label(enum source_state s)
{
    static const char *labels[] = {"LIVE", "PLAYBACK", "REPLAY", "SENSOR LOST"};
    return labels[s];
}

static void header(struct ui *ui, const struct ui_frame *f)
{
    struct draw *d = &ui->d;
    const struct session_view *v = f->sv;
    char line[160];
    if (v->ex) {
        snprintf(line, sizeof line, "%d  %s", v->ex->number, v->ex->name);
        draw_text(d, line, 40, 20, SZ_TITLE, 1, UI_TEXT, ALIGN_LEFT);
        char extra[64] = "";
        if (v->state == SS_ACTIVE && v->st && v->st->kind == STEP_ROCKING)
            snprintf(extra, sizeof extra, "  -  %.0f of %.0f s%s", v->rock_s, v->target_s,
                     f->source == SOURCE_STATE_LOST ? " (paused)" : "");
        snprintf(line, sizeof line, "Step %d of %d%s%s%s", v->step + 1, v->nsteps,
                 v->st && v->st->side ? "  -  " : "", v->st && v->st->side ? v->st->side : "",
                 extra);
        draw_text(d, line, 44, 88, SZ_BODY, 0, 0xa8b2c0u, ALIGN_LEFT);
    } else {
        draw_text(d, "Stretch station", 40, 20, SZ_TITLE, 1, UI_TEXT, ALIGN_LEFT);
    }
    /* the source, always visible */
    unsigned c = f->source == SOURCE_STATE_LIVE ? UI_GREEN
               : f->source == SOURCE_STATE_LOST ? UI_RED
               : f->source == SOURCE_STATE_REPLAY ? UI_BLUE : UI_AMBER;
    draw_rect(d, 1040, 20, 220, 50, c);
    draw_text(d, state_label(f->source), 1150, 28, SZ_BODY, 1, UI_BG, ALIGN_CENTER);
    if (f->source != SOURCE_STATE_LIVE) {
        const SDL_Rect *r = &demo_label;
        if (f->source == SOURCE_STATE_LOST) {
            draw_text(d, "check the sensor", r->x + r->w / 2, r->y + 14, SZ_SMALL, 0, UI_RED,
                      ALIGN_CENTER);
        } else {
            draw_rect(d, r->x, r->y, r->w, r->h, UI_BG);
            draw_rect(d, r->x, r->y, r->w, 4, UI_AMBER);
            draw_rect(d, r->x, r->y + r->h - 4, r->w, 4, UI_AMBER);
            draw_text(d, "DEMO", r->x + r->w / 2, r->y + 6, SZ_LARGE, 1, UI_AMBER,
                      ALIGN_CENTER);
        }
    }
}

static void footer(struct ui *ui, const struct ui_frame *f)
{
    struct draw *d = &ui->d;
    if (f->notice) { /* in place of the caution: the cue line stays in view */
        draw_rect(d, 0, 668, UI_W, 46, 0x4a2020u);
        draw_text(d, f->notice, UI_W / 2, 676, SZ_SMALL, 1, UI_RED, ALIGN_CENTER);
    } else if (f->sv->ex && f->sv->ex->caution)
        draw_text(d, f->sv->ex->caution, UI_W / 2, 684, SZ_SMALL, 0, 0xc9a060u, ALIGN_CENTER);
}

static void gauge(struct ui *ui, const struct ui_frame *f)
{
    struct draw *d = &ui->d;
    const struct motion_live *l = f->ml;
    double span = GAUGE_MAX - GAUGE_MIN;
    double lo = (f->mp->rate_min_hz - GAUGE_MIN) / span, hi = (f->mp->rate_max_hz - GAUGE_MIN) / span;
    draw_arc(d, GAUGE_CX, GAUGE_CY, GAUGE_R - 34, GAUGE_R, 0, M_PI, UI_RING);
    draw_arc(d, GAUGE_CX, GAUGE_CY, GAUGE_R - 34, GAUGE_R, M_PI * (1 - hi), M_PI * (1 - lo),
             UI_GREEN);
    char txt[32];
    for (double r = 0.5; r <= 2.0 + 1e-9; r += 0.5) {
        int x, y;
        ui_gauge_point(r, 1.12, &x, &y);
        snprintf(txt, sizeof txt, "%.1f", r);
        draw_text(d, txt, x, y - 14, SZ_SMALL, 0, 0x8a94a3u, ALIGN_CENTER);
    }
    bool have = l->in_set && l->osc == OSC_ROCKING && l->rate_hz > 0;
    if (have) {
        int x, y;
        ui_gauge_point(l->rate_hz, 0.92, &x, &y);
        unsigned c = verdict_color(l->rate_v);
        draw_thick_line(d, GAUGE_CX, GAUGE_CY, (float)x, (float)y, 12, c);
        draw_disc(d, GAUGE_CX, GAUGE_CY, 18, c);
        snprintf(txt, sizeof txt, "%.2f", l->rate_hz);
        draw_text(d, txt, GAUGE_CX, GAUGE_CY + 20, SZ_HUGE, 1, c, ALIGN_CENTER);
    } else {
        draw_disc(d, GAUGE_CX, GAUGE_CY, 18, UI_RING);
        draw_text(d, "--", GAUGE_CX, GAUGE_CY + 20, SZ_HUGE, 1, 0x8a94a3u, ALIGN_CENTER);
    }
    draw_text(d, "rocks per second", GAUGE_CX, GAUGE_CY + 116, SZ_SMALL, 0, 0xa8b2c0u,
              ALIGN_CENTER);
}

static void pacer(struct ui *ui, const struct ui_frame *f)
{
    struct draw *d = &ui->d;
    double hz = (f->mp->rate_min_hz + f->mp->rate_max_hz) / 2;
    double a = 0.45 * sin(2 * M_PI * hz * f->t);
    float x = PACER_X + (float)(PACER_LEN * sin(a)), y = PACER_Y + (float)(PACER_LEN * cos(a));
    draw_disc(d, PACER_X, PACER_Y, 8, UI_RING);
    draw_thick_line(d, PACER_X, PACER_Y, x, y, 6, UI_RING);
    draw_disc(d, x, y, 30, UI_BLUE);
    draw_text(d, "rock with me", PACER_X, PACER_Y + PACER_LEN + 44, SZ_SMALL, 0, 0xa8b2c0u,
              ALIGN_CENTER);
}

static void chart(struct ui *ui)
{
    struct draw *d = &ui->d;
    const int x0 = 800, y0 = 150, w = 440, h = 250;
    draw_rect(d, x0, y0, w, h, 0x222a36u);
    draw_rect(d, x0, y0 + h / 2, w, 1, UI_RING);
    float m = 10;
    for (int i = 0; i < ui->chart_n; i++)
        m = fmaxf(m, fabsf(ui->chart[i]));
    for (int i = 1; i < ui->chart_n; i++) {
        int k0 = (ui->chart_head - ui->chart_n + i - 1 + CHART_N) % CHART_N;
        int k1 = (k0 + 1) % CHART_N;
        float xa = x0 + (float)(CHART_N - ui->chart_n + i - 1) * w / CHART_N;
        float xb = x0 + (float)(CHART_N - ui->chart_n + i) * w / CHART_N;
        float ya = y0 + h / 2.0f - ui->chart[k0] / m * (h / 2.0f - 8);
        float yb = y0 + h / 2.0f - ui->chart[k1] / m * (h / 2.0f - 8);
        draw_thick_line(d, xa, ya, xb, yb, 4, UI_BLUE);
    }
    draw_text(d, "thigh, last 10 seconds", x0, y0 + h + 8, SZ_SMALL, 0, 0xa8b2c0u, ALIGN_LEFT);
}

static void chips(struct ui *ui, const struct motion_live *l)
{
    struct draw *d = &ui->d;
    const char *what[3] = {"pace", "rhythm", "effort"};
    const enum verdict v[3] = {l->rate_v, l->rhythm_v, l->effort_v};
    for (int i = 0; i < 3; i++) {
        int y = 450 + i * 50;
        unsigned c = verdict_color(v[i]);
        draw_rect(d, 800, y, 14, 40, c);
        char txt[64];
        snprintf(txt, sizeof txt, "%s: %s", what[i],
                 v[i] == VERDICT_NONE ? "..." : verdict_name(v[i], i));
        draw_text(d, txt, 826, y + 2, SZ_BODY, v[i] != VERDICT_OK, c, ALIGN_LEFT);
    }
}

static void body_rocking(struct ui *ui, const struct ui_frame *f)
{
    gauge(ui, f);
    pacer(ui, f);
    chart(ui);
    chips(ui, f->ml);
    const char *cue = f->ml->in_set && f->ml->cue != CUE_NONE ? motion_cue_text(f->ml->cue)
                                                               : f->sv->message;
    draw_text(&ui->d, cue, UI_W / 2, 624, SZ_LARGE, 1, UI_TEXT, ALIGN_CENTER);
}

static void ring(struct ui *ui, double frac, unsigned c)
{
    struct draw *d = &ui->d;
    draw_arc(d, RING_CX, RING_CY, RING_R_IN, RING_R_OUT, 0, 2 * M_PI, UI_RING);
    if (frac > 0)
        draw_arc(d, RING_CX, RING_CY, RING_R_IN, RING_R_OUT, M_PI / 2 - 2 * M_PI * fmin(frac, 1),
                 M_PI / 2, c);
}

static void body_timed(struct ui *ui, const struct ui_frame *f)
{
    struct draw *d = &ui->d;
    const struct session_view *v = f->sv;
    double frac = v->target_s > 0 ? v->hold_s / v->target_s : 0;
    bool done = frac >= 1;
    ring(ui, frac, done ? UI_GREEN : UI_BLUE);
    char txt[64];
    bool rest = v->rest_left > 0 && !v->holding;
    snprintf(txt, sizeof txt, "%.0f", rest ? ceil(v->rest_left) : floor(v->hold_s));
    draw_text(d, txt, RING_CX, RING_CY - 84, SZ_GIANT, 1, done ? UI_GREEN : UI_TEXT,
              ALIGN_CENTER);
    if (rest)
        snprintf(txt, sizeof txt, "rest, s");
    else if (v->state == SS_PAUSED || f->source == SOURCE_STATE_LOST)
        snprintf(txt, sizeof txt, "of %.0f s (paused)", v->target_s);
    else
        snprintf(txt, sizeof txt, "of %.0f s", v->target_s);
    draw_text(d, txt, RING_CX, RING_CY + 50, SZ_BODY, 0, 0xa8b2c0u, ALIGN_CENTER);
    const char *what = v->st && v->st->kind == STEP_BOUNCE ? "Round" : "Hold";
    int n = v->reps_done + (v->holding && !done ? 1 : 0);
    if (n < 1)
        n = 1;
    if (n > v->reps_target)
        n = v->reps_target;
    snprintf(txt, sizeof txt, "%s %d of %d", what, n, v->reps_target);
    draw_text(d, txt, 180, 330, SZ_LARGE, 1, UI_TEXT, ALIGN_CENTER);
    snprintf(txt, sizeof txt, "%d done", v->reps_done);
    draw_text(d, txt, 180, 386, SZ_BODY, 0, v->reps_done ? UI_GREEN : 0xa8b2c0u, ALIGN_CENTER);
    if (v->st && v->st->kind == STEP_BOUNCE && f->ml->in_set && f->ml->osc == OSC_BOUNCE) {
        snprintf(txt, sizeof txt, "%.1f bounces/s", f->ml->rate_hz);
        draw_text(d, txt, 1100, 360, SZ_BODY, 0, UI_TEXT, ALIGN_CENTER);
    }
    draw_text(d, v->message, UI_W / 2, 624, SZ_LARGE, 1, UI_TEXT, ALIGN_CENTER);
}

static void body_reps(struct ui *ui, const struct ui_frame *f)
{
    struct draw *d = &ui->d;
    char txt[64];
    snprintf(txt, sizeof txt, "%d of %d", f->sv->reps_done, f->sv->reps_target);
    draw_text(d, txt, UI_W / 2, 260, SZ_GIANT, 1, UI_TEXT, ALIGN_CENTER);
    /* the thigh sees too little of a curl down to count it: paced by time */
    draw_text(d, "paced by time, not measured", UI_W / 2, 420, SZ_BODY, 0, 0xa8b2c0u,
              ALIGN_CENTER);
    draw_text(d, f->sv->message, UI_W / 2, 624, SZ_LARGE, 1, UI_TEXT, ALIGN_CENTER);
}

static void (*const bodies[])(struct ui *, const struct ui_frame *) = {
    [STEP_HOLD] = body_timed, [STEP_ROCKING] = body_rocking, [STEP_BOUNCE] = body_timed,
    [STEP_REPS] = body_reps,
};

static void body_message(struct ui *ui, const struct ui_frame *f, const char *title)
{
    struct draw *d = &ui->d;
    draw_text(d, title, UI_W / 2, 220, SZ_HUGE, 1, UI_TEXT, ALIGN_CENTER);
    draw_text(d, f->sv->message, UI_W / 2, 360, SZ_LARGE, 0, 0xc8d0dau, ALIGN_CENTER);
    if (f->sv->ex && f->sv->state != SS_FINISHED)
        draw_text_wrapped(d, f->sv->ex->how, 140, 440, 1000, SZ_BODY, 0xa8b2c0u);
}

void ui_draw(struct ui *ui, const struct ui_frame *f)
{
    struct draw *d = &ui->d;
    draw_color(d, UI_BG, 255);
    SDL_RenderClear(d->r);
    header(ui, f);
    const struct session_view *v = f->sv;
    switch (v->state) {
    case SS_IDLE: body_message(ui, f, "Ready when you are"); break;
    case SS_PAUSED: body_message(ui, f, "Paused"); break;
    case SS_CONFIRM: body_message(ui, f, "Twice this week already"); break;
    case SS_FINISHED: {
        /* praise only what was done: the title says how many exercises */
        char title[80];
        if (v->complete)
            snprintf(title, sizeof title, "Well done");
        else
            snprintf(title, sizeof title, "%d of %d exercises done", v->exercises_done,
                     v->exercises_total);
        body_message(ui, f, title);
        break;
    }
    case SS_ACTIVE: bodies[v->st->kind](ui, f); break;
    }
    /* progress through the step */
    draw_rect(d, 0, UI_H - 6, UI_W, 6, UI_RING);
    draw_rect(d, 0, UI_H - 6, (int)(UI_W * v->progress), 6, UI_GREEN);
    footer(ui, f);
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
    int rc = IMG_SavePNG(s, path);
    if (rc < 0)
        snprintf(err, errlen, "%s: %s", path, IMG_GetError());
    SDL_FreeSurface(shot);
    return rc < 0 ? -1 : 0;
}

unsigned ui_pixel(struct ui *ui, int x, int y)
{
    if (!ui->surface || x < 0 || y < 0 || x >= UI_W || y >= UI_H)
        return 0;
    const Uint8 *row = (const Uint8 *)ui->surface->pixels + y * ui->surface->pitch;
    Uint32 p = ((const Uint32 *)row)[x];
    Uint8 r, g, b;
    SDL_GetRGB(p, ui->surface->format, &r, &g, &b);
    return (unsigned)r << 16 | (unsigned)g << 8 | b;
}
