/* SPDX-License-Identifier: GPL-3.0-or-later */
/* report: re-analyse the session's trace, draw it, summarise it. */
#include "report.h"

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../trace/trace.h"
#include "../ui/draw.h"
#include "../util/png.h"

#define W 1600
#define H 1000
#define ANGLE_HZ 5.0   /* angle points per second kept for the plot */
#define MAX_SPANS 512
#define MAX_RATES 8192

struct span {
    double start, end;
    int kind; /* 0 hold, 1 rocking, 2 bounce */
    double value;
};

struct series {
    float *t, *v;
    size_t n, cap;
};

struct data {
    struct series angle;
    struct span spans[MAX_SPANS];
    int nspans;
    float rate_t[MAX_RATES], rate_v[MAX_RATES];
    int nrates;
    double t0, t1;
};

static int push(struct series *s, double t, double v)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4096;
        float *nt = realloc(s->t, cap * sizeof *nt), *nv = realloc(s->v, cap * sizeof *nv);
        if (nt)
            s->t = nt;
        if (nv)
            s->v = nv;
        if (!nt || !nv)
            return -1;
        s->cap = cap;
    }
    s->t[s->n] = (float)t;
    s->v[s->n++] = (float)v;
    return 0;
}

static void add_span(struct data *d, double start, double end, int kind, double value)
{
    if (d->nspans < MAX_SPANS)
        d->spans[d->nspans++] = (struct span){start - d->t0, end - d->t0, kind, value};
}

static int analyse(const char *path, const struct motion_params *mp, struct data *d,
                   char *err, size_t errlen)
{
    struct trace_reader *r = trace_reader_open(path, err, errlen);
    if (!r)
        return -1;
    void *mem = malloc(motion_size());
    if (!mem) {
        snprintf(err, errlen, "%s: out of memory for the motion core", path);
        trace_reader_close(r);
        return -1;
    }
    struct motion *m = motion_init(mem, mp);
    struct sample s;
    struct motion_event ev[64];
    double next = -1;
    int rc;
    bool first = true;
    while ((rc = trace_reader_next(r, &s, err, errlen)) == 1) {
        if (first) {
            d->t0 = s.t;
            first = false;
        }
        d->t1 = s.t;
        int n = motion_feed(m, &s, ev, 64);
        for (int i = 0; i < n; i++) {
            const struct motion_event *e = &ev[i];
            if (e->kind == MOTION_EV_HOLD_END && e->counted)
                add_span(d, e->start, e->end, 0, e->duration_s);
            else if (e->kind == MOTION_EV_SET_END)
                add_span(d, e->start, e->end, e->osc == OSC_BOUNCE ? 2 : 1, e->rate_hz);
            else if (e->kind == MOTION_EV_CYCLE && e->osc == OSC_ROCKING &&
                     d->nrates < MAX_RATES && e->rate_hz > 0) {
                d->rate_t[d->nrates] = (float)(e->t - d->t0);
                d->rate_v[d->nrates++] = (float)e->rate_hz;
            }
        }
        if (s.t >= next) {
            if (push(&d->angle, s.t - d->t0, motion_live(m)->angle_deg) < 0) {
                snprintf(err, errlen, "%s: out of memory for the angle over time", path);
                rc = -1;
                break;
            }
            next = s.t + 1.0 / ANGLE_HZ;
        }
    }
    int n = motion_finish(m, ev, 64);
    for (int i = 0; i < n; i++)
        if (ev[i].kind == MOTION_EV_HOLD_END && ev[i].counted)
            add_span(d, ev[i].start, ev[i].end, 0, ev[i].duration_s);
        else if (ev[i].kind == MOTION_EV_SET_END)
            add_span(d, ev[i].start, ev[i].end, ev[i].osc == OSC_BOUNCE ? 2 : 1, ev[i].rate_hz);
    free(mem);
    trace_reader_close(r);
    return rc < 0 ? -1 : 0;
}

/* A summary is read as it is: a field missing or of the wrong type shows as
 * "?", a number as it is written (no cast of NaN or 1e300 to int), and a
 * string without its control characters, which would reach the terminal. */
static const char *jstr(const cJSON *o, const char *key)
{
    static char bufs[8][160];
    static int next;
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));
    if (!v)
        return "?";
    char *b = bufs[next++ % 8];
    size_t i = 0;
    for (; v[i] && i < sizeof bufs[0] - 1; i++)
        b[i] = (unsigned char)v[i] < 0x20 || v[i] == 0x7f ? '?' : v[i];
    b[i] = '\0';
    return b;
}

static const char *jnum(const cJSON *o, const char *key, const char *fmt)
{
    static char bufs[8][48];
    static int next;
    const cJSON *v = o ? cJSON_GetObjectItem(o, key) : NULL;
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || fabs(v->valuedouble) > 1e15)
        return "?";
    char *b = bufs[next++ % 8];
    snprintf(b, sizeof bufs[0], fmt, v->valuedouble);
    return b;
}

static const unsigned span_colors[3] = {0x2f5e45u, 0x2c4a6eu, 0x54406eu};

/* LIVE, DEMO or REPLAY: replayed and demo data is never taken for a
 * person's own session. Records from before "mode" say nothing: LIVE. */
static const char *report_mode_label(const cJSON *summary)
{
    const char *m = cJSON_GetStringValue(cJSON_GetObjectItem(summary, "mode"));
    if (m && strcmp(m, "demo") == 0)
        return "DEMO";
    if (m && strcmp(m, "replay") == 0)
        return "REPLAY";
    return "LIVE";
}

static void plot_frame(struct draw *dr, int x, int y, int w, int h, const char *title)
{
    draw_rect(dr, x, y, w, h, 0x222a36u);
    draw_text(dr, title, x, y - 34, SZ_SMALL, 1, 0xc8d0dau, ALIGN_LEFT);
}

static void draw_report(struct draw *dr, const struct data *d, const struct motion_params *mp,
                        cJSON *summary, const char *dir)
{
    draw_color(dr, 0x181e28u, 255);
    SDL_RenderClear(dr->r);
    const char *status = jstr(summary, "status");
    char line[300];
    char folder[256];
    snprintf(folder, sizeof folder, "%s", dir);
    size_t len = strlen(folder);
    while (len > 1 && folder[len - 1] == '/')
        folder[--len] = '\0';
    const char *base = strrchr(folder, '/');
    base = base ? base + 1 : folder;
    snprintf(line, sizeof line, "Session %s   -   stage %s   -   %s   -   %s%s", base,
             jnum(summary, "stage", "%.0f"), status, report_mode_label(summary),
             cJSON_IsTrue(cJSON_GetObjectItem(summary, "early_stop")) ? "   -   stopped early"
                                                                      : "");
    draw_text(dr, line, 40, 20, SZ_LARGE, 1, 0xebeef2u, ALIGN_LEFT);

    double span = d->t1 - d->t0 > 1 ? d->t1 - d->t0 : 1;
    /* thigh angle with holds and sets marked */
    const int px = 80, pw = W - 120, ay = 130, ah = 330;
    plot_frame(dr, px, ay, pw, ah, "Thigh angle over the session (degrees); green: holds, "
                                   "blue: rocking, violet: micro-bounce");
    for (int i = 0; i < d->nspans; i++) {
        const struct span *s = &d->spans[i];
        int x0 = px + (int)(s->start / span * pw), x1 = px + (int)(s->end / span * pw);
        draw_rect(dr, x0, ay, x1 - x0 > 1 ? x1 - x0 : 1, ah, span_colors[s->kind]);
        if (s->kind == 0 && x1 - x0 > 30) {
            snprintf(line, sizeof line, "%.0f s", s->value);
            draw_text(dr, line, (x0 + x1) / 2, ay + 6, SZ_SMALL, 0, 0xebeef2u, ALIGN_CENTER);
        }
    }
    float lo = 1e9f, hi = -1e9f;
    for (size_t i = 0; i < d->angle.n; i++) {
        lo = fminf(lo, d->angle.v[i]);
        hi = fmaxf(hi, d->angle.v[i]);
    }
    if (hi - lo < 10) {
        hi += 5;
        lo -= 5;
    }
    for (size_t i = 1; i < d->angle.n; i++) {
        float x0 = (float)(px + d->angle.t[i - 1] / span * pw);
        float x1 = (float)(px + d->angle.t[i] / span * pw);
        float y0 = ay + ah - (d->angle.v[i - 1] - lo) / (hi - lo) * (ah - 20) - 10;
        float y1 = ay + ah - (d->angle.v[i] - lo) / (hi - lo) * (ah - 20) - 10;
        draw_thick_line(dr, x0, y0, x1, y1, 2.5f, 0xebeef2u);
    }
    snprintf(line, sizeof line, "%.0f", hi);
    draw_text(dr, line, px - 8, ay, SZ_SMALL, 0, 0xa8b2c0u, ALIGN_RIGHT);
    snprintf(line, sizeof line, "%.0f", lo);
    draw_text(dr, line, px - 8, ay + ah - 26, SZ_SMALL, 0, 0xa8b2c0u, ALIGN_RIGHT);
    /* at most a dozen labels, a minute apart or 2, 5, 10, 20, 50, ... */
    double tick = 1, mins = span / 60;
    for (int k = 0; mins / tick > 12 && k < 700; k++)
        tick *= k % 3 == 1 ? 2.5 : 2;
    for (int i = 0; i <= 12 && i * tick <= mins; i++) {
        int x = px + (int)(i * tick * 60 / span * pw);
        snprintf(line, sizeof line, "%.0f min", i * tick);
        draw_text(dr, line, x, ay + ah + 4, SZ_SMALL, 0, 0x8a94a3u, ALIGN_CENTER);
    }

    /* rocking rate against the band */
    const int ry = 540, rh = 170;
    const double rlo = 0.4, rhi = 2.0;
    plot_frame(dr, px, ry, pw, rh, "Rocking rate, cycles per second (green band: the target)");
    int b0 = ry + rh - (int)((mp->rate_max_hz - rlo) / (rhi - rlo) * rh);
    int b1 = ry + rh - (int)((mp->rate_min_hz - rlo) / (rhi - rlo) * rh);
    draw_rect(dr, px, b0, pw, b1 - b0, 0x2f5e45u);
    for (int i = 0; i < d->nrates; i++) {
        float x = (float)(px + d->rate_t[i] / span * pw);
        float v = fminf(fmaxf(d->rate_v[i], (float)rlo), (float)rhi);
        float y = ry + rh - (v - (float)rlo) / (float)(rhi - rlo) * rh;
        bool in = d->rate_v[i] >= mp->rate_min_hz && d->rate_v[i] <= mp->rate_max_hz;
        draw_disc(dr, x, y, 4, in ? 0x5cc98au : 0xf0b050u);
    }

    /* the summary, a line per step */
    int y = 760;
    draw_text(dr, "What was done", px, y, SZ_BODY, 1, 0xebeef2u, ALIGN_LEFT);
    y += 44;
    const cJSON *step;
    cJSON_ArrayForEach(step, cJSON_GetObjectItem(summary, "steps"))
    {
        char what[200] = "";
        const char *side = cJSON_GetStringValue(cJSON_GetObjectItem(step, "side"));
        bool done = cJSON_IsTrue(cJSON_GetObjectItem(step, "done"));
        bool started = cJSON_IsTrue(cJSON_GetObjectItem(step, "started"));
        const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(step, "kind"));
        if (kind && strcmp(kind, "rocking") == 0) {
            const cJSON *rate = cJSON_GetObjectItem(step, "rate_hz");
            snprintf(what, sizeof what, "%s of %s s rocking, %s cycles%s%s/s",
                     jnum(step, "rocking_s", "%.0f"), jnum(step, "target_s", "%.0f"),
                     jnum(step, "cycles", "%.0f"), rate ? " at " : "",
                     rate ? jnum(step, "rate_hz", "%.2f") : "");
        } else {
            snprintf(what, sizeof what, "%s of %s at %s s", jnum(step, "reps_done", "%.0f"),
                     jnum(step, "target_reps", "%.0f"), jnum(step, "target_s", "%.0f"));
        }
        snprintf(line, sizeof line, "%s%s%s", jstr(step, "name"), side ? ", " : "",
                 side ? jstr(step, "side") : "");
        draw_text(dr, line, px, y, SZ_SMALL, 0, 0xebeef2u, ALIGN_LEFT);
        draw_text(dr, what, px + 460, y, SZ_SMALL, 0, 0xc8d0dau, ALIGN_LEFT);
        draw_text(dr, done ? "done" : started ? "not finished" : "not started", px + 1000, y,
                  SZ_SMALL, 1, done ? 0x5cc98au : 0xf0b050u, ALIGN_LEFT);
        y += 30;
        if (y > H - 30)
            break;
    }
    SDL_RenderPresent(dr->r);
}

static void print_text(FILE *out, cJSON *summary, const struct data *d, const char *dir)
{
    fprintf(out, "%s: %s session (%s%s), %.1f min of data\n", dir, jstr(summary, "status"),
            report_mode_label(summary),
            cJSON_IsTrue(cJSON_GetObjectItem(summary, "early_stop")) ? ", stopped early" : "",
            (d->t1 - d->t0) / 60);
    if (cJSON_GetObjectItem(summary, "exercises_total"))
        fprintf(out, "  exercises done: %s of %s\n", jnum(summary, "exercises_done", "%.0f"),
                jnum(summary, "exercises_total", "%.0f"));
    const cJSON *step;
    cJSON_ArrayForEach(step, cJSON_GetObjectItem(summary, "steps"))
    {
        const char *side = cJSON_GetStringValue(cJSON_GetObjectItem(step, "side"));
        const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(step, "kind"));
        bool done = cJSON_IsTrue(cJSON_GetObjectItem(step, "done"));
        fprintf(out, "  %s%s%s", jstr(step, "name"), side ? ", " : "",
                side ? jstr(step, "side") : "");
        if (kind && strcmp(kind, "rocking") == 0) {
            const cJSON *rate = cJSON_GetObjectItem(step, "rate_hz");
            fprintf(out, ": %s s rocking, %s cycles", jnum(step, "rocking_s", "%.0f"),
                    jnum(step, "cycles", "%.0f"));
            if (rate)
                fprintf(out, " at %s/s (%s, %s, %s)", jnum(step, "rate_hz", "%.2f"),
                        jstr(step, "rate"), jstr(step, "rhythm"), jstr(step, "effort"));
        } else {
            fprintf(out, ": %s of %s", jnum(step, "reps_done", "%.0f"),
                    jnum(step, "target_reps", "%.0f"));
            const cJSON *h = cJSON_GetObjectItem(step, kind && strcmp(kind, "bounce") == 0
                                                           ? "rounds_s" : "holds_s");
            if (cJSON_GetArraySize(h) > 0) {
                fprintf(out, " (");
                const cJSON *x;
                int k = 0;
                cJSON_ArrayForEach(x, h)
                {
                    if (cJSON_IsNumber(x) && isfinite(x->valuedouble))
                        fprintf(out, "%s%.1f s", k++ ? ", " : "", x->valuedouble);
                    else
                        fprintf(out, "%s?", k++ ? ", " : "");
                }
                fprintf(out, ")");
            }
        }
        bool miss = cJSON_GetObjectItem(step, "done_of_target") != NULL;
        fprintf(out, " - %s%s%s%s%s\n", done ? "done" : "not done", miss ? " (" : "",
                miss ? jstr(step, "done_of_target") : "", miss ? ")" : "",
                cJSON_IsTrue(cJSON_GetObjectItem(step, "over_weekly_limit"))
                    ? ", over the weekly limit (confirmed)"
                    : cJSON_IsTrue(cJSON_GetObjectItem(step, "left_out_weekly_limit"))
                          ? ", left out: weekly limit" : "");
        const cJSON *set;
        int k = 0;
        cJSON_ArrayForEach(set, cJSON_GetObjectItem(step, "sets"))
        {
            fprintf(out, "      set %d: %s s, %s cycles", ++k, jnum(set, "seconds", "%.0f"),
                    jnum(set, "cycles", "%.0f"));
            if (cJSON_GetObjectItem(set, "rate"))
                fprintf(out, " at %s/s (%s, %s, %s)", jnum(set, "rate_hz", "%.2f"),
                        jstr(set, "rate"), jstr(set, "rhythm"), jstr(set, "effort"));
            fprintf(out, "\n");
        }
    }
}

int report_write(const char *dir, const char *png, const struct motion_params *mp,
                 const char *fonts, FILE *out, char *err, size_t errlen)
{
    char path[700];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    FILE *fp = fopen(path, "r");
    if (!fp) {
        snprintf(err, errlen, "%s: cannot open: %s (is this a session folder?)", path,
                 strerror(errno));
        return -1;
    }
    static char json[1 << 20];
    size_t n = fread(json, 1, sizeof json - 1, fp);
    fclose(fp);
    json[n] = '\0';
    cJSON *summary = cJSON_Parse(json);
    if (!summary) {
        snprintf(err, errlen, "%s: not valid JSON near '%.20s'", path, cJSON_GetErrorPtr());
        return -1;
    }
    static struct data d;
    memset(&d, 0, sizeof d);
    snprintf(path, sizeof path, "%s/trace.csv", dir);
    int rc = analyse(path, mp, &d, err, errlen);
    if (rc == 0) {
        print_text(out, summary, &d, dir);
        SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_RGB888);
        struct draw dr;
        memset(&dr, 0, sizeof dr);
        dr.r = s ? SDL_CreateSoftwareRenderer(s) : NULL;
        if (!dr.r || TTF_Init() < 0) {
            snprintf(err, errlen, "cannot draw: %s", SDL_GetError());
            rc = -1;
        } else if (draw_open_fonts(&dr, fonts, err, errlen) == 0) {
            SDL_SetRenderDrawBlendMode(dr.r, SDL_BLENDMODE_BLEND);
            draw_report(&dr, &d, mp, summary, dir);
            if (png_save(s, png, err, errlen) < 0)
                rc = -1;
        } else {
            rc = -1;
        }
        SDL_Renderer *r = dr.r;
        draw_close(&dr);
        if (r)
            SDL_DestroyRenderer(r);
        TTF_Quit();
        SDL_FreeSurface(s);
    }
    free(d.angle.t);
    free(d.angle.v);
    cJSON_Delete(summary);
    return rc;
}
