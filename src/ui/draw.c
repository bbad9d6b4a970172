/* SPDX-License-Identifier: GPL-3.0-or-later */
/* draw: shapes with SDL_RenderGeometry, text with SDL2_ttf. */
#include "draw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const int sizes[DRAW_FONT_SIZES] = {22, 30, 40, 54, 80, 120};
static const char *files[2] = {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf"};

int draw_open_fonts(struct draw *d, const char *dir, char *err, size_t errlen)
{
    const char *dirs[] = {dir, "/usr/share/fonts/truetype/dejavu"};
    for (int b = 0; b < 2; b++) {
        char path[600] = "";
        for (size_t k = 0; k < 2; k++) {
            if (!dirs[k])
                continue;
            snprintf(path, sizeof path, "%s/%s", dirs[k], files[b]);
            if (access(path, R_OK) == 0)
                break;
            path[0] = '\0';
        }
        if (!path[0]) {
            snprintf(err, errlen, "font %s not found in %s or the system's DejaVu folder",
                     files[b], dir ? dir : "assets/fonts");
            return -1;
        }
        snprintf(d->paths[b], sizeof d->paths[b], "%s", path);
        for (int s = 0; s < DRAW_FONT_SIZES; s++) {
            d->fonts[b][s] = TTF_OpenFont(path, sizes[s]);
            if (!d->fonts[b][s]) {
                snprintf(err, errlen, "%s: %s", path, TTF_GetError());
                return -1;
            }
        }
    }
    return 0;
}

void draw_close(struct draw *d)
{
    for (int i = 0; i < DRAW_CACHE; i++)
        if (d->cache[i].tex)
            SDL_DestroyTexture(d->cache[i].tex);
    for (int b = 0; b < 2; b++)
        for (int s = 0; s < DRAW_FONT_SIZES; s++)
            if (d->fonts[b][s])
                TTF_CloseFont(d->fonts[b][s]);
    for (int i = 0; i < d->nbypx; i++)
        TTF_CloseFont(d->bypx[i].f);
    memset(d, 0, sizeof *d);
}

static SDL_Color rgb_of(unsigned rgb, int alpha)
{
    SDL_Color c = {(Uint8)(rgb >> 16), (Uint8)(rgb >> 8), (Uint8)rgb, (Uint8)alpha};
    return c;
}

void draw_color(struct draw *d, unsigned rgb, int alpha)
{
    SDL_SetRenderDrawColor(d->r, (Uint8)(rgb >> 16), (Uint8)(rgb >> 8), (Uint8)rgb,
                           (Uint8)alpha);
}

void draw_rect(struct draw *d, int x, int y, int w, int h, unsigned rgb)
{
    SDL_Rect rc = {x, y, w, h};
    draw_color(d, rgb, 255);
    SDL_RenderFillRect(d->r, &rc);
}

#define SEG 96

void draw_arc(struct draw *d, float cx, float cy, float r_in, float r_out, double a0,
              double a1, unsigned rgb)
{
    if (a1 < a0) {
        double t = a0;
        a0 = a1;
        a1 = t;
    }
    int n = (int)ceil((a1 - a0) / (2 * M_PI) * SEG);
    if (n < 1)
        n = 1;
    SDL_Vertex v[2 * (SEG + 1)];
    int idx[6 * SEG];
    SDL_Color c = rgb_of(rgb, 255);
    for (int i = 0; i <= n; i++) {
        double a = a0 + (a1 - a0) * i / n;
        float ca = (float)cos(a), sa = (float)sin(a);
        v[2 * i] = (SDL_Vertex){{cx + r_in * ca, cy - r_in * sa}, c, {0, 0}};
        v[2 * i + 1] = (SDL_Vertex){{cx + r_out * ca, cy - r_out * sa}, c, {0, 0}};
    }
    for (int i = 0; i < n; i++) {
        int *q = &idx[6 * i];
        q[0] = 2 * i;
        q[1] = 2 * i + 1;
        q[2] = 2 * i + 2;
        q[3] = 2 * i + 1;
        q[4] = 2 * i + 3;
        q[5] = 2 * i + 2;
    }
    SDL_RenderGeometry(d->r, NULL, v, 2 * (n + 1), idx, 6 * n);
}

void draw_disc(struct draw *d, float cx, float cy, float r, unsigned rgb)
{
    draw_arc(d, cx, cy, 0, r, 0, 2 * M_PI, rgb);
}

void draw_thick_line(struct draw *d, float x0, float y0, float x1, float y1, float w,
                     unsigned rgb)
{
    float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
    if (len <= 0)
        return;
    float nx = -dy / len * w / 2, ny = dx / len * w / 2;
    SDL_Color c = rgb_of(rgb, 255);
    SDL_Vertex v[4] = {{{x0 + nx, y0 + ny}, c, {0, 0}}, {{x0 - nx, y0 - ny}, c, {0, 0}},
                       {{x1 + nx, y1 + ny}, c, {0, 0}}, {{x1 - nx, y1 - ny}, c, {0, 0}}};
    int idx[6] = {0, 1, 2, 1, 3, 2};
    SDL_RenderGeometry(d->r, NULL, v, 4, idx, 6);
}

/* A rendered string, from the cache or made now. */
static struct draw_text_entry *text_tex_font(struct draw *d, const char *text, TTF_Font *f,
                                             int key, unsigned rgb);

static struct draw_text_entry *text_tex(struct draw *d, const char *text, enum draw_size size,
                                        int bold, unsigned rgb)
{
    return text_tex_font(d, text, d->fonts[bold ? 1 : 0][size], -((int)size * 2 + bold) - 1,
                         rgb);
}

static struct draw_text_entry *text_tex_font(struct draw *d, const char *text, TTF_Font *f,
                                             int key, unsigned rgb)
{
    struct draw_text_entry *lru = &d->cache[0];
    for (int i = 0; i < DRAW_CACHE; i++) {
        struct draw_text_entry *e = &d->cache[i];
        if (e->tex && e->size == key && e->color == rgb && strcmp(e->text, text) == 0) {
            e->used = ++d->tick;
            return e;
        }
        if (e->used < lru->used)
            lru = e;
    }
    SDL_Surface *s = f ? TTF_RenderUTF8_Blended(f, text, rgb_of(rgb, 255)) : NULL;
    if (!s)
        return NULL;
    SDL_Texture *t = SDL_CreateTextureFromSurface(d->r, s);
    int w = s->w, h = s->h;
    SDL_FreeSurface(s);
    if (!t)
        return NULL;
    if (lru->tex)
        SDL_DestroyTexture(lru->tex);
    snprintf(lru->text, sizeof lru->text, "%s", text);
    lru->size = key;
    lru->color = rgb;
    lru->tex = t;
    lru->w = w;
    lru->h = h;
    lru->used = ++d->tick;
    return lru;
}

int draw_text(struct draw *d, const char *text, int x, int y, enum draw_size size, int bold,
              unsigned rgb, enum draw_align align)
{
    if (!text || !*text)
        return 0;
    struct draw_text_entry *e = text_tex(d, text, size, bold, rgb);
    if (!e)
        return 0;
    SDL_Rect dst = {x, y, e->w, e->h};
    if (align == ALIGN_CENTER)
        dst.x -= e->w / 2;
    else if (align == ALIGN_RIGHT)
        dst.x -= e->w;
    SDL_RenderCopy(d->r, e->tex, NULL, &dst);
    return e->w;
}

int draw_text_wrapped(struct draw *d, const char *text, int x, int y, int max_w,
                      enum draw_size size, unsigned rgb)
{
    TTF_Font *f = d->fonts[0][size];
    if (!f || !text)
        return 0;
    char line[96];
    int used = 0, lh = TTF_FontLineSkip(f);
    const char *p = text;
    while (*p) {
        /* take as many words as fit */
        size_t best = 0, k = 0;
        while (p[k]) {
            size_t end = k;
            while (p[end] && p[end] != ' ')
                end++;
            if (end >= sizeof line)
                break;
            memcpy(line, p, end);
            line[end] = '\0';
            int w = 0;
            TTF_SizeUTF8(f, line, &w, NULL);
            if (w > max_w && best > 0)
                break;
            best = end;
            if (!p[end])
                break;
            k = end + 1;
        }
        if (best == 0)
            best = strlen(p) < sizeof line - 1 ? strlen(p) : sizeof line - 1;
        memcpy(line, p, best);
        line[best] = '\0';
        draw_text(d, line, x, y + used, size, 0, rgb, ALIGN_LEFT);
        used += lh;
        p += best;
        while (*p == ' ')
            p++;
    }
    return used;
}

TTF_Font *draw_font(struct draw *d, int px, int bold)
{
    bold = bold ? 1 : 0;
    if (px < 4)
        px = 4;
    for (int i = 0; i < d->nbypx; i++)
        if (d->bypx[i].px == px && d->bypx[i].bold == bold)
            return d->bypx[i].f;
    if (!d->paths[bold][0])
        return NULL;
    if (d->nbypx == DRAW_FONTS) { /* full: the first opened goes */
        TTF_CloseFont(d->bypx[0].f);
        memmove(d->bypx, d->bypx + 1, sizeof d->bypx[0] * (DRAW_FONTS - 1));
        d->nbypx--;
    }
    TTF_Font *f = TTF_OpenFont(d->paths[bold], px);
    if (!f)
        return NULL;
    d->bypx[d->nbypx++] = (struct draw_font){px, bold, f};
    return f;
}

int draw_cap_px(struct draw *d, int px, int bold)
{
    TTF_Font *f = draw_font(d, px, bold);
    int minx, maxx, miny, maxy, adv;
    if (!f || TTF_GlyphMetrics(f, 'H', &minx, &maxx, &miny, &maxy, &adv) < 0)
        return 0;
    return maxy - miny;
}

int draw_text_px(struct draw *d, const char *text, int x, int y, int px, int bold,
                 unsigned rgb, enum draw_align align)
{
    if (!text || !*text)
        return 0;
    TTF_Font *f = draw_font(d, px, bold);
    struct draw_text_entry *e = text_tex_font(d, text, f, px * 2 + (bold ? 1 : 0), rgb);
    if (!e)
        return 0;
    SDL_Rect dst = {x, y, e->w, e->h};
    if (align == ALIGN_CENTER)
        dst.x -= e->w / 2;
    else if (align == ALIGN_RIGHT)
        dst.x -= e->w;
    SDL_RenderCopy(d->r, e->tex, NULL, &dst);
    return e->w;
}

#define MAXLINES 8

/* Breaks text into lines of at most w pixels at font f. Returns the line
 * count (0: does not fit in MAXLINES) and sets *too_wide when one word
 * alone is wider than w. */
static int wrap(TTF_Font *f, const char *text, int w, char lines[MAXLINES][256], int *too_wide)
{
    int n = 0;
    *too_wide = 0;
    const char *p = text;
    while (*p) {
        if (n == MAXLINES)
            return 0;
        size_t best = 0, k = 0;
        for (;;) {
            size_t end = k;
            while (p[end] && p[end] != ' ')
                end++;
            if (end >= 255)
                break;
            char buf[256];
            memcpy(buf, p, end);
            buf[end] = '\0';
            int tw = 0;
            TTF_SizeUTF8(f, buf, &tw, NULL);
            if (tw > w) {
                if (best == 0) { /* one word wider than the box */
                    best = end;
                    *too_wide = 1;
                }
                break;
            }
            best = end;
            if (!p[end])
                break;
            k = end + 1;
        }
        if (best == 0)
            best = strlen(p) < 255 ? strlen(p) : 255;
        memcpy(lines[n], p, best);
        lines[n][best] = '\0';
        n++;
        p += best;
        while (*p == ' ')
            p++;
    }
    return n;
}

struct draw_fit draw_text_box(struct draw *d, const char *text, int x, int y, int w, int h,
                              int px, int floor_px, int bold, unsigned rgb,
                              enum draw_align align, int measure_only)
{
    struct draw_fit fit = {0, 0, 0, 0, 0};
    if (!text || !*text)
        return fit;
    if (floor_px > px)
        floor_px = px;
    char lines[MAXLINES][256];
    int n = 0, size = floor_px, lh = 0, found = 0;
    /* one line, shrinking to the floor */
    for (int s = px; s >= floor_px && !found; s = s > floor_px && s * 94 / 100 < floor_px
                                                     ? floor_px : s * 94 / 100) {
        TTF_Font *f = draw_font(d, s, bold);
        int tw = 0, th = 0;
        if (!f)
            break;
        TTF_SizeUTF8(f, text, &tw, &th);
        if (tw <= w && TTF_FontHeight(f) <= h) {
            found = 1;
            size = s;
            n = 1;
            snprintf(lines[0], sizeof lines[0], "%s", text);
        }
        if (s == floor_px)
            break;
    }
    /* then wrapped, from the largest size down */
    for (int s = px; s >= floor_px && !found; s = s > floor_px && s * 94 / 100 < floor_px
                                                      ? floor_px : s * 94 / 100) {
        TTF_Font *f = draw_font(d, s, bold);
        if (!f)
            break;
        int wide;
        int k = wrap(f, text, w, lines, &wide);
        if (k > 0 && !wide && k * TTF_FontLineSkip(f) - (TTF_FontLineSkip(f) -
                                                         TTF_FontHeight(f)) <= h) {
            found = 1;
            size = s;
            n = k;
        }
        if (s == floor_px)
            break;
    }
    TTF_Font *f = draw_font(d, size, bold);
    if (!f)
        return fit;
    if (!found) { /* at the floor, wrapped, cut at the box */
        int wide;
        n = wrap(f, text, w, lines, &wide);
        if (n == 0)
            n = MAXLINES;
        fit.clipped = 1;
    }
    lh = TTF_FontLineSkip(f);
    int total = n * lh - (lh - TTF_FontHeight(f));
    fit.px = size;
    fit.lines = n;
    fit.h = total;
    for (int i = 0; i < n; i++) {
        int tw = 0;
        TTF_SizeUTF8(f, lines[i], &tw, NULL);
        if (tw > fit.w)
            fit.w = tw;
    }
    if (measure_only)
        return fit;
    SDL_Rect clip = {x, y, w, h};
    if (fit.clipped)
        SDL_RenderSetClipRect(d->r, &clip);
    int top = y + (h - total) / 2;
    if (top < y)
        top = y;
    for (int i = 0; i < n; i++) {
        int tx = align == ALIGN_CENTER ? x + w / 2 : align == ALIGN_RIGHT ? x + w : x;
        draw_text_px(d, lines[i], tx, top + i * lh, size, bold, rgb, align);
    }
    if (fit.clipped)
        SDL_RenderSetClipRect(d->r, NULL);
    return fit;
}

void draw_triangle(struct draw *d, float x0, float y0, float x1, float y1, float x2, float y2,
                   unsigned rgb)
{
    SDL_Color c = rgb_of(rgb, 255);
    SDL_Vertex v[3] = {{{x0, y0}, c, {0, 0}}, {{x1, y1}, c, {0, 0}}, {{x2, y2}, c, {0, 0}}};
    SDL_RenderGeometry(d->r, NULL, v, 3, NULL, 0);
}
