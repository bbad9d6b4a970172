/* SPDX-License-Identifier: GPL-3.0-or-later */
/* print: printable session and progress reports with cairo (A4, PDF and PNG). */
#include "print.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <fcntl.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PAGE_W 595.0 /* A4 in points */
#define PAGE_H 842.0
#define MARGIN 40.0
#define PNG_SCALE 2.0 /* 144 dpi */
#define FONT "DejaVu Sans"

struct rgb {
    double r, g, b;
};

static const struct rgb INK = {0.13, 0.13, 0.13}, GREY = {0.45, 0.45, 0.45},
                        RULE = {0.8, 0.8, 0.8}, BLUE = {0.12, 0.37, 0.6},
                        GREEN = {0.18, 0.49, 0.2}, ORANGE = {0.85, 0.33, 0.0},
                        RED = {0.78, 0.16, 0.16}, BAND = {0.86, 0.94, 0.86},
                        LIGHTBLUE = {0.62, 0.76, 0.88};

static void color(cairo_t *cr, struct rgb c)
{
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

enum align { LEFT, RIGHT, CENTER };

__attribute__((format(printf, 7, 8)))
static double text(cairo_t *cr, double x, double y, double size, bool bold, enum align al,
                   const char *fmt, ...)
{
    char buf[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    cairo_text_extents_t e;
    cairo_text_extents(cr, buf, &e);
    double w = e.x_advance;
    cairo_move_to(cr, al == LEFT ? x : al == RIGHT ? x - w : x - w / 2, y);
    cairo_show_text(cr, buf);
    return w;
}

static void line(cairo_t *cr, double x0, double y0, double x1, double y1, double width)
{
    cairo_set_line_width(cr, width);
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x1, y1);
    cairo_stroke(cr);
}

/* a figure, or "?" when unknown */
static const char *fig(double v, const char *fmt, char *buf, size_t len)
{
    if (isnan(v))
        snprintf(buf, len, "?");
    else
        snprintf(buf, len, fmt, v);
    return buf;
}

static const char *mode_label(const char *mode)
{
    return strcmp(mode, "live") == 0 ? "LIVE" : strcmp(mode, "demo") == 0 ? "DEMO"
         : strcmp(mode, "replay") == 0 ? "REPLAY" : "UNKNOWN SOURCE";
}

/* The badge in the top right corner: where the data came from. */
static void badge(cairo_t *cr, const char *label, bool live)
{
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_font_size(cr, 14);
    cairo_text_extents_t e;
    cairo_text_extents(cr, label, &e);
    double w = e.x_advance + 20, x = PAGE_W - MARGIN - w;
    color(cr, live ? GREEN : ORANGE);
    cairo_rectangle(cr, x, MARGIN - 4, w, 24);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_move_to(cr, x + 10, MARGIN + 13);
    cairo_show_text(cr, label);
}

static void footer(cairo_t *cr, int page, const char *what)
{
    char when[40];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
    color(cr, RULE);
    line(cr, MARGIN, PAGE_H - 34, PAGE_W - MARGIN, PAGE_H - 34, 0.5);
    color(cr, GREY);
    text(cr, MARGIN, PAGE_H - 22, 7, false, LEFT,
         "%s. Printed %s by %s. Health data: keep it as you keep patient records.", what, when,
         history_software());
    text(cr, PAGE_W - MARGIN, PAGE_H - 22, 7, false, RIGHT, "page %d", page);
}

static double heading(cairo_t *cr, double y, const char *title)
{
    color(cr, BLUE);
    text(cr, MARGIN, y, 11, true, LEFT, "%s", title);
    color(cr, RULE);
    line(cr, MARGIN, y + 4, PAGE_W - MARGIN, y + 4, 0.5);
    return y + 17;
}

/* ---- charts ---- */

struct chart {
    double x, y, w, h;          /* the plot area */
    double x0, x1, y0, y1;      /* data ranges */
};

static double nice_step(double range, int want)
{
    double raw = range / want, p = pow(10, floor(log10(raw))), f = raw / p;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}

static double cx(const struct chart *c, double v)
{
    return c->x + (v - c->x0) / (c->x1 - c->x0) * c->w;
}

static double cy(const struct chart *c, double v)
{
    return c->y + c->h - (v - c->y0) / (c->y1 - c->y0) * c->h;
}

/* A frame with a title, the y axis ticked with its unit, the x axis named;
 * the caller labels the x ticks. y0..y1 are widened to round numbers. */
static void chart_frame(cairo_t *cr, struct chart *c, const char *title, const char *yunit,
                        const char *xunit)
{
    if (!(c->y1 > c->y0))
        c->y1 = c->y0 + 1;
    double step = nice_step(c->y1 - c->y0, 4);
    c->y0 = floor(c->y0 / step) * step;
    c->y1 = ceil(c->y1 / step) * step;
    if (c->y1 <= c->y0)
        c->y1 = c->y0 + step;
    if (!(c->x1 > c->x0))
        c->x1 = c->x0 + 1;
    color(cr, INK);
    text(cr, c->x - 30, c->y - 16, 9, true, LEFT, "%s", title);
    color(cr, GREY);
    text(cr, c->x - 30, c->y - 5, 7, false, LEFT, "%s", yunit);
    for (double v = c->y0; v <= c->y1 + step / 2; v += step) {
        double y = cy(c, v);
        color(cr, RULE);
        line(cr, c->x, y, c->x + c->w, y, 0.3);
        color(cr, GREY);
        text(cr, c->x - 4, y + 2.5, 7, false, RIGHT, "%g", fabs(v) < step / 1e6 ? 0 : v);
    }
    color(cr, INK);
    line(cr, c->x, c->y + c->h, c->x + c->w, c->y + c->h, 0.8);
    line(cr, c->x, c->y, c->x, c->y + c->h, 0.8);
    color(cr, GREY);
    text(cr, c->x + c->w, c->y + c->h + 20, 7, false, RIGHT, "%s", xunit);
}

static void xtick(cairo_t *cr, const struct chart *c, double v, const char *label)
{
    double x = cx(c, v);
    color(cr, INK);
    line(cr, x, c->y + c->h, x, c->y + c->h + 3, 0.6);
    color(cr, GREY);
    text(cr, x, c->y + c->h + 11, 7, false, CENTER, "%s", label);
}

static void dot(cairo_t *cr, double x, double y, double r)
{
    cairo_new_path(cr); /* no line from where the last text ended */
    cairo_arc(cr, x, y, r, 0, 2 * M_PI);
    cairo_fill(cr);
}

static void hband(cairo_t *cr, const struct chart *c, double lo, double hi, struct rgb col)
{
    if (isnan(lo) || isnan(hi))
        return;
    double a = fmax(lo, c->y0), b = fmin(hi, c->y1);
    if (b <= a)
        return;
    color(cr, col);
    cairo_rectangle(cr, c->x, cy(c, b), c->w, cy(c, a) - cy(c, b));
    cairo_fill(cr);
}

static void no_data(cairo_t *cr, const struct chart *c, const char *why)
{
    color(cr, GREY);
    text(cr, c->x + c->w / 2, c->y + c->h / 2, 8, false, CENTER, "%s", why);
}

/* ---- writing the files ---- */

struct sink {
    int fd;
    int err;
};

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int len)
{
    struct sink *s = closure;
    while (len > 0 && !s->err) {
        ssize_t n = write(s->fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            s->err = n < 0 ? errno : EIO;
            break;
        }
        data += n;
        len -= (unsigned)n;
    }
    return s->err ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* The temporary file a picture is written to before it takes its name. */
static int open_tmp(const char *path, char *tmp, size_t len, char *err, size_t errlen)
{
    snprintf(tmp, len, "%s.tmp-%d", path, (int)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return fd;
}

static int finish_tmp(int fd, struct sink *s, const char *tmp, const char *path, char *err,
                      size_t errlen)
{
    int e = s->err;
    if (!e && fsync(fd) < 0 && errno != EINVAL && errno != EROFS)
        e = errno;
    if (close(fd) < 0 && !e)
        e = errno;
    if (!e && rename(tmp, path) < 0)
        e = errno;
    if (e) {
        unlink(tmp);
        snprintf(err, errlen, "%s: %s", path, strerror(e));
        return -1;
    }
    return 0;
}

typedef int (*draw_page_fn)(cairo_t *cr, const void *what, int page);

/* Draws every page into a PDF written through write. 0, or -1 when cairo
 * failed (or write did). */
static int pdf_pages(draw_page_fn draw, const void *what, cairo_write_func_t write,
                     void *closure)
{
    cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(write, closure, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, history_software());
    cairo_t *cr = cairo_create(surf);
    int more = 1;
    for (int page = 1; more && page < 1000; page++) {
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        more = draw(cr, what, page);
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(surf);
    int rc = cairo_surface_status(surf) == CAIRO_STATUS_SUCCESS ? 0 : -1;
    cairo_surface_destroy(surf);
    return rc;
}

/* Draws every page into the PDF and the first into the PNG. draw returns
 * 1 while there are more pages. */
static int render(draw_page_fn draw, const void *what, const char *pdf, const char *png,
                  char *err, size_t errlen)
{
    char tmp[1100];
    if (pdf) {
        int fd = open_tmp(pdf, tmp, sizeof tmp, err, errlen);
        if (fd < 0)
            return -1;
        struct sink s = {fd, 0};
        if (pdf_pages(draw, what, sink_write, &s) < 0 && !s.err)
            s.err = EIO;
        if (finish_tmp(fd, &s, tmp, pdf, err, errlen) < 0)
            return -1;
    }
    if (png) {
        cairo_surface_t *surf = cairo_image_surface_create(
            CAIRO_FORMAT_RGB24, (int)(PAGE_W * PNG_SCALE), (int)(PAGE_H * PNG_SCALE));
        cairo_t *cr = cairo_create(surf);
        cairo_scale(cr, PNG_SCALE, PNG_SCALE);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        draw(cr, what, 1);
        cairo_destroy(cr);
        int fd = open_tmp(png, tmp, sizeof tmp, err, errlen);
        if (fd < 0) {
            cairo_surface_destroy(surf);
            return -1;
        }
        struct sink s = {fd, 0};
        if (cairo_surface_write_to_png_stream(surf, sink_write, &s) != CAIRO_STATUS_SUCCESS &&
            !s.err)
            s.err = EIO;
        cairo_surface_destroy(surf);
        if (finish_tmp(fd, &s, tmp, png, err, errlen) < 0)
            return -1;
    }
    return 0;
}

/* ---- one session ---- */

struct session_page {
    const struct hist_session *s;
    const struct print_context *ctx;
};

static void when_text(time_t when, char *buf, size_t len)
{
    if (when <= 0) {
        snprintf(buf, len, "?");
        return;
    }
    struct tm tm;
    localtime_r(&when, &tm);
    strftime(buf, len, "%A %d %B %Y, %H:%M", &tm);
}

static const char *or_unknown(const char *s)
{
    return s && s[0] ? s : "?";
}

static void target_text(const struct hist_step *st, char *buf, size_t len)
{
    char a[32];
    if (strcmp(st->kind, "rocking") == 0)
        snprintf(buf, len, "%s s of rocking", fig(st->target_s, "%.0f", a, sizeof a));
    else if (strcmp(st->kind, "reps") == 0)
        snprintf(buf, len, "%d repetitions", st->target_reps);
    else if (st->target_reps > 1)
        snprintf(buf, len, "%d x %s s", st->target_reps, fig(st->target_s, "%.0f", a, sizeof a));
    else
        snprintf(buf, len, "%s s", fig(st->target_s, "%.0f", a, sizeof a));
}

static void done_text(const struct hist_step *st, char *buf, size_t len)
{
    char a[32], b[32];
    size_t u = 0;
    buf[0] = '\0';
    if (strcmp(st->kind, "rocking") == 0) {
        snprintf(buf, len, "%s s, %s cycles%s", fig(st->rocking_s, "%.0f", a, sizeof a),
                 st->cycles >= 0 ? (snprintf(b, sizeof b, "%d", st->cycles), b) : "?",
                 st->nsets > 1 ? (st->nsets == 2 ? " in 2 sets" : " in sets") : "");
        return;
    }
    if (strcmp(st->kind, "reps") == 0) {
        snprintf(buf, len, "%d paced (not measured)", st->reps_done < 0 ? 0 : st->reps_done);
        return;
    }
    if (st->nholds == 0) {
        snprintf(buf, len, "no %s", strcmp(st->kind, "bounce") == 0 ? "round" : "hold");
        return;
    }
    for (int h = 0; h < st->nholds && u + 12 < len; h++)
        u += (size_t)snprintf(buf + u, len - u, "%s%.1f", h ? ", " : "", st->holds[h]);
    if (u + 3 < len)
        snprintf(buf + u, len - u, " s");
}

static void result_text(const struct hist_step *st, char *buf, size_t len, struct rgb *col)
{
    if (st->done) {
        snprintf(buf, len, "done");
        *col = GREEN;
    } else if (st->left_out_limit) {
        snprintf(buf, len, "left out: weekly limit");
        *col = GREY;
    } else if (!st->started) {
        snprintf(buf, len, "not reached");
        *col = GREY;
    } else {
        snprintf(buf, len, "%s%s%s", st->timed_out ? "timed out" : "not done",
                 st->done_of_target[0] ? ": " : "", st->done_of_target);
        *col = ORANGE;
    }
}

static int draw_session(cairo_t *cr, const void *what, int page)
{
    const struct session_page *sp = what;
    const struct hist_session *s = sp->s;
    (void)page;
    char a[64], b[64];
    bool live = strcmp(s->mode, "live") == 0;
    color(cr, INK);
    text(cr, MARGIN, MARGIN + 12, 20, true, LEFT, "Stretch session");
    badge(cr, mode_label(s->mode), live);
    if (!live) {
        color(cr, ORANGE);
        text(cr, PAGE_W - MARGIN, MARGIN + 34, 8, false, RIGHT, "%s",
             strcmp(s->mode, "demo") == 0 ? "the bundled demonstration, not a person's session"
                                          : "a recorded trace played again, not a new session");
    }
    /* who, when, where */
    const char *person = sp->ctx->person ? sp->ctx->person : s->person;
    char when[80], length[40], stage[80];
    when_text(s->when, when, sizeof when);
    if (isnan(s->duration_s))
        snprintf(length, sizeof length, "?");
    else
        snprintf(length, sizeof length, "%d min %02d s", (int)(s->duration_s / 60),
                 (int)fmod(s->duration_s, 60));
    snprintf(stage, sizeof stage, "%s", s->stage == 1 ? "1 (exercises 1-4: pregnancy, severe pain)"
                                      : s->stage == 2 ? "2 (exercises 5-7: after delivery, mild pain)"
                                                      : "?");
    const char *labels[] = {"Person", "Date", "Station", "Software", "Stage", "Length",
                            "Status", "Exercises"};
    char status[80], exer[60];
    snprintf(status, sizeof status, "%s%s", or_unknown(s->status),
             s->early_stop ? " (stopped early with the stop button)" : "");
    snprintf(exer, sizeof exer, "%s of %s done",
             s->exercises_done >= 0 ? (snprintf(a, sizeof a, "%d", s->exercises_done), a) : "?",
             s->exercises_total >= 0 ? (snprintf(b, sizeof b, "%d", s->exercises_total), b) : "?");
    const char *values[] = {person && person[0] ? person : "not named (no person set up)", when,
                            or_unknown(s->station), or_unknown(s->software), stage, length,
                            status, exer};
    double y = MARGIN + 54;
    for (int i = 0; i < 8; i++) {
        double x = MARGIN + (i % 2) * 262;
        color(cr, GREY);
        text(cr, x, y, 8, false, LEFT, "%s", labels[i]);
        color(cr, i == 6 && strcmp(s->status, "complete") != 0 ? ORANGE : INK);
        text(cr, x + 56, y, 9, i == 0, LEFT, "%.60s", values[i]);
        if (i % 2)
            y += 14;
    }
    color(cr, GREY);
    text(cr, MARGIN, y + 2, 7, false, LEFT, "Record: %s", s->folder);

    /* targets against what was done */
    y = heading(cr, y + 22, "What was done against the targets");
    static const double col[] = {0, 16, 176, 250, 360};
    static const char *head[] = {"", "Exercise", "Target", "Done", "Result"};
    color(cr, GREY);
    for (int i = 0; i < 5; i++)
        text(cr, MARGIN + col[i], y, 7.5, true, LEFT, "%s", head[i]);
    y += 13;
    for (int i = 0; i < s->nsteps; i++) {
        const struct hist_step *st = &s->steps[i];
        char name[100], target[60], done[200], result[200];
        struct rgb rc;
        snprintf(name, sizeof name, "%s%s%s", or_unknown(st->name[0] ? st->name : st->exercise),
                 st->side[0] ? ", " : "", st->side);
        target_text(st, target, sizeof target);
        done_text(st, done, sizeof done);
        result_text(st, result, sizeof result, &rc);
        color(cr, INK);
        text(cr, MARGIN + col[0], y, 8.5, false, LEFT, "%d", st->step);
        text(cr, MARGIN + col[1], y, 8, true, LEFT, "%.30s", name);
        text(cr, MARGIN + col[2], y, 8, false, LEFT, "%s", target);
        text(cr, MARGIN + col[3], y, 8, false, LEFT, "%.24s", done);
        color(cr, rc);
        text(cr, MARGIN + col[4], y, 7.5, st->done, LEFT, "%.40s", result);
        color(cr, RULE);
        line(cr, MARGIN, y + 4, PAGE_W - MARGIN, y + 4, 0.3);
        y += 14;
    }
    if (s->nsteps == 0) {
        color(cr, GREY);
        text(cr, MARGIN, y, 8.5, false, LEFT, "The summary lists no exercises.");
        y += 14;
    }

    /* rocking sets */
    y = heading(cr, y + 12, "Knees rocking, set by set");
    static const double rcol[] = {0, 40, 100, 150, 200, 255, 310, 365, 430};
    static const char *rhead[] = {"Set", "Length", "Cycles", "Rate", "Rhythm", "Swing",
                                  "Pace", "Rhythm", "Effort"};
    static const char *runit[] = {"", "s", "", "cycles/s", "variation", "degrees", "", "", ""};
    color(cr, GREY);
    for (int i = 0; i < 9; i++) {
        text(cr, MARGIN + rcol[i], y, 7.5, true, LEFT, "%s", rhead[i]);
        text(cr, MARGIN + rcol[i], y + 9, 6.5, false, LEFT, "%s", runit[i]);
    }
    y += 22;
    int nset = 0;
    double rates[64];
    for (int i = 0; i < s->nsteps && y <= 520; i++) {
        const struct hist_step *st = &s->steps[i];
        for (int k = 0; k < st->nsets; k++) {
            const struct hist_set *e = &st->sets[k];
            char f[5][32];
            if (nset < 64)
                rates[nset] = e->rate_hz;
            nset++;
            color(cr, INK);
            text(cr, MARGIN + rcol[0], y, 8.5, false, LEFT, "%d", nset);
            text(cr, MARGIN + rcol[1], y, 8.5, false, LEFT, "%s", fig(e->seconds, "%.1f", f[0], 32));
            text(cr, MARGIN + rcol[2], y, 8.5, false, LEFT, "%s",
                 e->cycles >= 0 ? (snprintf(f[1], 32, "%d", e->cycles), f[1]) : "?");
            text(cr, MARGIN + rcol[3], y, 8.5, true, LEFT, "%s", fig(e->rate_hz, "%.2f", f[2], 32));
            text(cr, MARGIN + rcol[4], y, 8.5, false, LEFT, "%s",
                 fig(e->rhythm_cv * 100, "%.1f %%", f[3], 32));
            text(cr, MARGIN + rcol[5], y, 8.5, false, LEFT, "%s", fig(e->swing_deg, "%.1f", f[4], 32));
            const char *v[3] = {e->rate, e->rhythm, e->effort};
            for (int j = 0; j < 3; j++) {
                bool good = strcmp(v[j], "on target") == 0 || strcmp(v[j], "steady") == 0 ||
                            strcmp(v[j], "gentle") == 0;
                color(cr, !v[j][0] ? GREY : good ? GREEN : ORANGE);
                text(cr, MARGIN + rcol[6 + j], y, 8.5, false, LEFT, "%.14s", v[j][0] ? v[j] : "-");
            }
            y += 13;
            if (y > 520)
                break;
        }
    }
    if (nset == 0) {
        color(cr, GREY);
        text(cr, MARGIN, y, 8.5, false, LEFT, "No rocking set in this session.");
        y += 13;
    }

    /* notes: overrides, early stop, what cannot be measured */
    y = heading(cr, y + 10, "Notes");
    int notes = 0;
    color(cr, INK);
    if (s->early_stop) {
        color(cr, ORANGE);
        text(cr, MARGIN, y, 8.5, false, LEFT, "Stopped early with the stop button.");
        y += 12;
        notes++;
    }
    for (int i = 0; i < s->nsteps; i++) {
        const struct hist_step *st = &s->steps[i];
        char n[200] = "";
        if (st->over_limit)
            snprintf(n, sizeof n, "%s: done over the weekly limit, confirmed at the station.",
                     st->name);
        else if (st->left_out_limit)
            snprintf(n, sizeof n, "%s: left out, over the weekly limit.", st->name);
        else if (st->posture_refused > 0)
            snprintf(n, sizeof n, "%s: %d hold%s not counted (wrong posture for the exercise).",
                     st->name, st->posture_refused, st->posture_refused == 1 ? "" : "s");
        else if (st->timed_out)
            snprintf(n, sizeof n, "%s: no progress for a while; the station moved on.", st->name);
        else if (strcmp(st->kind, "reps") == 0)
            snprintf(n, sizeof n, "%s: paced by time; a thigh sensor cannot count them.", st->name);
        if (n[0] && y < 590) {
            color(cr, st->over_limit ? RED : INK);
            text(cr, MARGIN, y, 8.5, false, LEFT, "%s", n);
            y += 12;
            notes++;
        }
    }
    if (!notes) {
        color(cr, GREY);
        text(cr, MARGIN, y, 8.5, false, LEFT, "No early stop, no override of the weekly limit.");
        y += 12;
    }

    /* charts: hold lengths against targets; rocking rate per set in its band */
    double top = y + 40, chart_h = fmin(200, PAGE_H - 90 - top);
    struct chart h = {MARGIN + 30, top, 215, chart_h, 0, 1, 0, 1};
    int nh = 0;
    double hmax = 0;
    for (int i = 0; i < s->nsteps; i++) {
        const struct hist_step *st = &s->steps[i];
        if (strcmp(st->kind, "hold") && strcmp(st->kind, "bounce"))
            continue;
        nh += st->nholds;
        for (int k = 0; k < st->nholds; k++)
            hmax = fmax(hmax, st->holds[k]);
        if (!isnan(st->target_s))
            hmax = fmax(hmax, st->target_s);
    }
    h.x1 = nh > 0 ? nh : 1;
    h.y1 = hmax > 0 ? hmax * 1.1 : 10;
    chart_frame(cr, &h, "Hold lengths and targets", "seconds", "holds and rounds, in order");
    double bw = nh > 0 ? h.w / nh : h.w;
    int k0 = 0;
    for (int i = 0; i < s->nsteps; i++) {
        const struct hist_step *st = &s->steps[i];
        if (strcmp(st->kind, "hold") && strcmp(st->kind, "bounce"))
            continue;
        for (int k = 0; k < st->nholds; k++) {
            double x = h.x + (k0 + k) * bw;
            bool met = !isnan(st->target_s) && st->holds[k] >= st->target_s * 0.97;
            color(cr, met ? BLUE : LIGHTBLUE);
            cairo_rectangle(cr, x + bw * 0.15, cy(&h, st->holds[k]), bw * 0.7,
                            cy(&h, h.y0) - cy(&h, st->holds[k]));
            cairo_fill(cr);
            if (!isnan(st->target_s)) {
                color(cr, RED);
                line(cr, x + bw * 0.05, cy(&h, st->target_s), x + bw * 0.95, cy(&h, st->target_s), 1.2);
            }
        }
        if (st->nholds > 0) {
            color(cr, GREY);
            text(cr, h.x + (k0 + st->nholds / 2.0) * bw, h.y + h.h + 11, 6.5, false, CENTER,
                 "%d", st->step);
        }
        k0 += st->nholds;
    }
    if (nh == 0)
        no_data(cr, &h, "no holds in this session");
    color(cr, GREY);
    text(cr, h.x, h.y + h.h + 30, 6.5, false, LEFT,
         "Bars: each hold, dark when it reached its target (red). Under a bar: its step.");

    struct chart r = {MARGIN + 300, top, 215, chart_h, 0.5, 1, 0, 2};
    double lo = !isnan(s->rate_min_hz) ? s->rate_min_hz : sp->ctx->rate_min_hz;
    double hi = !isnan(s->rate_max_hz) ? s->rate_max_hz : sp->ctx->rate_max_hz;
    double rmax = hi;
    int shown = nset < 64 ? nset : 64;
    for (int i = 0; i < shown; i++)
        if (!isnan(rates[i]))
            rmax = fmax(rmax, rates[i]);
    r.x1 = shown + 0.5;
    r.y1 = rmax * 1.15;
    chart_frame(cr, &r, "Rocking rate per set", "cycles per second", "set");
    hband(cr, &r, lo, hi, BAND);
    for (int i = 0; i < shown; i++) {
        char lab[8];
        snprintf(lab, sizeof lab, "%d", i + 1);
        xtick(cr, &r, i + 1, lab);
        if (isnan(rates[i]))
            continue;
        bool in = rates[i] >= lo && rates[i] <= hi;
        color(cr, in ? GREEN : ORANGE);
        dot(cr, cx(&r, i + 1), cy(&r, rates[i]), 3.5);
    }
    if (shown == 0)
        no_data(cr, &r, "no rocking sets");
    color(cr, GREY);
    text(cr, r.x, r.y + r.h + 30, 6.5, false, LEFT,
         "Green band: the target, %s to %s cycles a second%s.", fig(lo, "%.2f", a, sizeof a),
         fig(hi, "%.2f", b, sizeof b), isnan(s->rate_min_hz) ? " (the configuration's)" : "");
    footer(cr, 1, "Stretch station session report");
    return 0;
}

int print_session(const struct hist_session *s, const struct print_context *ctx,
                  const char *pdf, const char *png, char *err, size_t errlen)
{
    struct session_page sp = {s, ctx};
    return render(draw_session, &sp, pdf, png, err, errlen);
}

/* ---- a person over a period ---- */

struct person_page {
    const struct hist_session *v;
    int n;
    const struct print_context *ctx;
};

#define ROWS_FIRST 12
#define ROWS_MORE 44

static const struct hist_step *find_step(const struct hist_session *s, const char *exercise)
{
    for (int i = 0; i < s->nsteps; i++)
        if (strcmp(s->steps[i].exercise, exercise) == 0)
            return &s->steps[i];
    return NULL;
}

/* the session's rocking rate and rhythm: the sets' weighted by cycles */
static void rocking_of(const struct hist_session *s, double *rate, double *cv)
{
    double r = 0, c = 0, w = 0;
    for (int i = 0; i < s->nsteps; i++)
        for (int k = 0; k < s->steps[i].nsets; k++) {
            const struct hist_set *e = &s->steps[i].sets[k];
            if (isnan(e->rate_hz) || e->cycles <= 0)
                continue;
            r += e->rate_hz * e->cycles;
            c += (isnan(e->rhythm_cv) ? 0 : e->rhythm_cv) * e->cycles;
            w += e->cycles;
        }
    *rate = w > 0 ? r / w : NAN;
    *cv = w > 0 ? c / w : NAN;
}


static double day_index(time_t t, time_t t0)
{
    return (double)(t - t0) / 86400.0;
}

/* Which week after the one starting on Monday m0 t falls in (weeks of 7
 * calendar days, whatever daylight saving does to their hours). */
static int week_of(time_t t, time_t m0)
{
    return (int)lround(difftime(history_week_start(t), m0) / (7 * 86400.0));
}

int print_weeks(const struct hist_session *v, int n, time_t from, time_t to, int *done,
                int *part, int max, time_t *first)
{
    /* the first week is the one from falls in (its days before from hold
     * no sessions of the report) */
    time_t m0 = history_week_start(from);
    int weeks = week_of(to, m0) + 1;
    weeks = weeks < 1 ? 1 : weeks > max ? max : weeks;
    for (int k = 0; k < weeks; k++)
        done[k] = part[k] = 0;
    for (int i = 0; i < n; i++) {
        int k = week_of(v[i].when, m0);
        if (k < 0 || k >= weeks)
            continue;
        if (strcmp(v[i].status, "complete") == 0)
            done[k]++;
        else
            part[k]++;
    }
    *first = m0;
    return weeks;
}

static void date_ticks(cairo_t *cr, const struct chart *c, time_t t0)
{
    double span = c->x1 - c->x0;
    int every = span <= 10 ? 1 : span <= 31 ? 7 : span <= 120 ? 14 : 28;
    for (int d = 0; d <= (int)span; d += every) {
        time_t t = t0 + (time_t)d * 86400 + 43200;
        struct tm tm;
        localtime_r(&t, &tm);
        char lab[16];
        strftime(lab, sizeof lab, "%d %b", &tm);
        xtick(cr, c, d, lab);
    }
}

static void table_head(cairo_t *cr, double y)
{
    static const double col[] = {0, 60, 95, 148, 180, 250, 290, 345, 405};
    static const char *head[] = {"Date", "Time", "Source", "Stage", "Status", "Done",
                                 "Rocking", "Child pose", "Notes"};
    static const char *unit[] = {"", "", "", "", "", "exercises", "cycles/s", "longest, s", ""};
    color(cr, GREY);
    for (int i = 0; i < 9; i++) {
        text(cr, MARGIN + col[i], y, 7.5, true, LEFT, "%s", head[i]);
        text(cr, MARGIN + col[i], y + 9, 6.5, false, LEFT, "%s", unit[i]);
    }
}

static double table_row(cairo_t *cr, double y, const struct hist_session *s)
{
    static const double col[] = {0, 60, 95, 148, 180, 250, 290, 345, 405};
    char date[16], clock[8], f[4][32], notes[120] = "";
    struct tm tm;
    localtime_r(&s->when, &tm);
    strftime(date, sizeof date, "%Y-%m-%d", &tm);
    strftime(clock, sizeof clock, "%H:%M", &tm);
    double rate, cv;
    rocking_of(s, &rate, &cv);
    bool over = false, left = false;
    for (int i = 0; i < s->nsteps; i++) {
        over = over || s->steps[i].over_limit;
        left = left || s->steps[i].left_out_limit;
    }
    snprintf(notes, sizeof notes, "%s%s%s", s->early_stop ? "stopped early; " : "",
             over ? "over the weekly limit; " : "", left ? "left out: weekly limit; " : "");
    size_t l = strlen(notes);
    if (l >= 2)
        notes[l - 2] = '\0';
    color(cr, INK);
    text(cr, MARGIN + col[0], y, 8, false, LEFT, "%s", date);
    text(cr, MARGIN + col[1], y, 8, false, LEFT, "%s", clock);
    color(cr, strcmp(s->mode, "live") == 0 ? GREEN : ORANGE);
    text(cr, MARGIN + col[2], y, 8, true, LEFT, "%s", mode_label(s->mode));
    color(cr, INK);
    text(cr, MARGIN + col[3], y, 8, false, LEFT, "%s",
         s->stage > 0 ? (snprintf(f[0], 32, "%d", s->stage), f[0]) : "?");
    color(cr, strcmp(s->status, "complete") == 0 ? INK : ORANGE);
    text(cr, MARGIN + col[4], y, 8, false, LEFT, "%.14s", or_unknown(s->status));
    color(cr, INK);
    if (s->exercises_done >= 0 && s->exercises_total >= 0)
        text(cr, MARGIN + col[5], y, 8, false, LEFT, "%d of %d", s->exercises_done,
             s->exercises_total);
    else
        text(cr, MARGIN + col[5], y, 8, false, LEFT, "?");
    text(cr, MARGIN + col[6], y, 8, false, LEFT, "%s", isnan(rate) ? "-" : fig(rate, "%.2f", f[1], 32));
    double cp = history_longest_hold(s, "child_pose");
    text(cr, MARGIN + col[7], y, 8, false, LEFT, "%s", isnan(cp) ? "-" : fig(cp, "%.0f", f[2], 32));
    color(cr, over ? RED : ORANGE);
    text(cr, MARGIN + col[8], y, 8, false, LEFT, "%.40s", notes);
    color(cr, RULE);
    line(cr, MARGIN, y + 4, PAGE_W - MARGIN, y + 4, 0.3);
    return y + 13;
}

static int draw_person(cairo_t *cr, const void *what, int page)
{
    const struct person_page *pp = what;
    const struct hist_session *v = pp->v;
    const struct print_context *ctx = pp->ctx;
    int n = pp->n;
    char a[64], b[64];
    if (page > 1) { /* the rest of the table of sessions */
        int start = ROWS_FIRST + (page - 2) * ROWS_MORE;
        color(cr, INK);
        text(cr, MARGIN, MARGIN + 12, 14, true, LEFT, "Progress report: %s, sessions (continued)",
             ctx->person);
        table_head(cr, MARGIN + 36);
        double y = MARGIN + 60;
        for (int i = start; i < n && i < start + ROWS_MORE; i++)
            y = table_row(cr, y, &v[i]);
        footer(cr, page, "Stretch station progress report");
        return start + ROWS_MORE < n;
    }
    color(cr, INK);
    text(cr, MARGIN, MARGIN + 12, 20, true, LEFT, "Progress report");
    badge(cr, ctx->with_replays ? "LIVE + DEMO/REPLAY" : "LIVE SESSIONS", !ctx->with_replays);
    /* the stations and the software the sessions came from */
    char stations[200] = "", software[200] = "";
    for (int i = 0; i < n; i++) {
        const char *st = or_unknown(v[i].station), *sw = or_unknown(v[i].software);
        if (!strstr(stations, st) && strlen(stations) + strlen(st) + 3 < sizeof stations)
            snprintf(stations + strlen(stations), sizeof stations - strlen(stations), "%s%s",
                     stations[0] ? ", " : "", st);
        if (!strstr(software, sw) && strlen(software) + strlen(sw) + 3 < sizeof software)
            snprintf(software + strlen(software), sizeof software - strlen(software), "%s%s",
                     software[0] ? ", " : "", sw);
    }
    int complete = 0, early = 0, over = 0, replays = 0, days = 0, last_day = -1;
    for (int i = 0; i < n; i++) {
        complete += strcmp(v[i].status, "complete") == 0;
        early += v[i].early_stop;
        replays += strcmp(v[i].mode, "live") != 0;
        for (int k = 0; k < v[i].nsteps; k++)
            over += v[i].steps[k].over_limit;
        struct tm tm;
        localtime_r(&v[i].when, &tm);
        int d = tm.tm_year * 400 + tm.tm_yday; /* sessions are oldest first */
        days += d != last_day;
        last_day = d;
    }
    char period[64], summary[300];
    snprintf(period, sizeof period, "%s to %s (both days included)", ctx->from, ctx->to);
    snprintf(summary, sizeof summary, "%d session%s on %d day%s: %d complete, %d not complete; "
             "%d stopped early; %d over the weekly limit%s", n, n == 1 ? "" : "s", days,
             days == 1 ? "" : "s", complete, n - complete, early, over,
             replays ? (snprintf(a, sizeof a, "; %d DEMO or REPLAY", replays), a) : "");
    const char *labels[] = {"Person", "Period", "Stations", "Software", "Sessions"};
    const char *values[] = {ctx->person, period, stations[0] ? stations : "-",
                            software[0] ? software : "-", summary};
    double y = MARGIN + 44;
    for (int i = 0; i < 5; i++) {
        color(cr, GREY);
        text(cr, MARGIN, y, 8, false, LEFT, "%s", labels[i]);
        color(cr, INK);
        text(cr, MARGIN + 56, y, 9, i == 0, LEFT, "%.100s", values[i]);
        y += 13;
    }
    time_t t0 = 0, t1 = 0;
    history_parse_date(ctx->from, &t0);
    history_parse_date(ctx->to, &t1);
    double span = day_index(t1, t0) + 1;

    /* 1: sessions a week, complete and not */
    y = heading(cr, y + 10, "Trends");
    double ch = 118, top = y + 28;
    struct chart w = {MARGIN + 30, top, 205, ch, 0, 1, 0, 1};
    int done_w[60], part_w[60], wmax = 1;
    time_t m0;
    int weeks = print_weeks(v, n, t0, t1, done_w, part_w, 60, &m0);
    for (int k = 0; k < weeks; k++)
        if (done_w[k] + part_w[k] > wmax)
            wmax = done_w[k] + part_w[k];
    w.x1 = weeks;
    w.y1 = wmax < 4 ? 4 : wmax; /* whole sessions on the axis */
    chart_frame(cr, &w, "Sessions a week", "sessions", "week starting");
    double bw = w.w / weeks;
    for (int k = 0; k < weeks; k++) {
        double x = w.x + k * bw + bw * 0.15;
        color(cr, BLUE);
        cairo_rectangle(cr, x, cy(&w, done_w[k]), bw * 0.7, cy(&w, 0) - cy(&w, done_w[k]));
        cairo_fill(cr);
        color(cr, LIGHTBLUE);
        cairo_rectangle(cr, x, cy(&w, done_w[k] + part_w[k]), bw * 0.7,
                        cy(&w, done_w[k]) - cy(&w, done_w[k] + part_w[k]));
        cairo_fill(cr);
        if (weeks <= 8 || k % 2 == 0) {
            time_t t = m0 + (time_t)k * 7 * 86400 + 43200;
            struct tm tm;
            localtime_r(&t, &tm);
            char lab[16];
            strftime(lab, sizeof lab, "%d %b", &tm);
            xtick(cr, &w, k + 0.5, lab);
        }
    }
    color(cr, GREY);
    text(cr, w.x, w.y + w.h + 30, 6.5, false, LEFT, "Dark: complete. Light: not complete.");

    /* 2: rocking rate per session, in the band */
    struct chart r = {MARGIN + 300, top, 215, ch, 0, span, 0, 2};
    double rmax = 0, lo = ctx->rate_min_hz, hi = ctx->rate_max_hz;
    int nr = 0;
    for (int i = 0; i < n; i++) {
        double rate, cv;
        rocking_of(&v[i], &rate, &cv);
        if (!isnan(rate)) {
            rmax = fmax(rmax, rate);
            nr++;
        }
        if (!isnan(v[i].rate_min_hz)) { /* the latest session's own band */
            lo = v[i].rate_min_hz;
            hi = v[i].rate_max_hz;
        }
    }
    r.y1 = fmax(rmax, hi) * 1.15;
    chart_frame(cr, &r, "Knees rocking rate", "cycles per second", "day");
    hband(cr, &r, lo, hi, BAND);
    date_ticks(cr, &r, t0);
    double px = NAN, py = NAN;
    for (int i = 0; i < n; i++) {
        double rate, cv;
        rocking_of(&v[i], &rate, &cv);
        if (isnan(rate))
            continue;
        double x = cx(&r, day_index(v[i].when, t0)), yy = cy(&r, rate);
        color(cr, GREY);
        if (!isnan(px))
            line(cr, px, py, x, yy, 0.6);
        color(cr, rate >= lo && rate <= hi ? GREEN : ORANGE);
        dot(cr, x, yy, 3);
        px = x;
        py = yy;
    }
    if (nr == 0)
        no_data(cr, &r, "no rocking in this period");
    color(cr, GREY);
    text(cr, r.x, r.y + r.h + 30, 6.5, false, LEFT, "Green band: her target, %s to %s cycles a second.",
         fig(lo, "%.2f", a, sizeof a), fig(hi, "%.2f", b, sizeof b));

    /* 3: rhythm */
    double top2 = top + ch + 62;
    struct chart m = {MARGIN + 30, top2, 205, ch, 0, span, 0, 10};
    double cvmax = ctx->rhythm_cv_max, mmax = 0;
    for (int i = 0; i < n; i++) {
        double rate, cv;
        rocking_of(&v[i], &rate, &cv);
        if (!isnan(cv))
            mmax = fmax(mmax, cv * 100);
        if (!isnan(v[i].rhythm_cv_max))
            cvmax = v[i].rhythm_cv_max;
    }
    m.y1 = fmax(mmax, cvmax * 100) * 1.2;
    chart_frame(cr, &m, "Rocking rhythm", "period variation, %", "day");
    hband(cr, &m, 0, cvmax * 100, BAND);
    date_ticks(cr, &m, t0);
    px = py = NAN;
    for (int i = 0; i < n; i++) {
        double rate, cv;
        rocking_of(&v[i], &rate, &cv);
        if (isnan(cv))
            continue;
        double x = cx(&m, day_index(v[i].when, t0)), yy = cy(&m, cv * 100);
        color(cr, GREY);
        if (!isnan(px))
            line(cr, px, py, x, yy, 0.6);
        color(cr, cv <= cvmax ? GREEN : ORANGE);
        dot(cr, x, yy, 3);
        px = x;
        py = yy;
    }
    if (nr == 0)
        no_data(cr, &m, "no rocking in this period");
    color(cr, GREY);
    text(cr, m.x, m.y + m.h + 30, 6.5, false, LEFT, "Green band: steady (below %s %%).",
         fig(cvmax * 100, "%.0f", a, sizeof a));

    /* 4: hold times: the longest child pose and BackBlock, with targets */
    struct chart h = {MARGIN + 300, top2, 215, ch, 0, span, 0, 10};
    static const struct {
        const char *ex, *label;
        struct rgb col;
    } series[] = {{"child_pose", "child pose", {0.12, 0.37, 0.6}},
                  {"backblock", "BackBlock", {0.55, 0.25, 0.6}},
                  {"table_stretch", "table stretch", {0.3, 0.55, 0.3}},
                  {"nerve_root_stretch", "nerve-root stretch", {0.6, 0.45, 0.1}}};
    double hmax = 0;
    int nhold = 0;
    for (int i = 0; i < n; i++)
        for (size_t k = 0; k < 4; k++) {
            double l = history_longest_hold(&v[i], series[k].ex);
            const struct hist_step *st = find_step(&v[i], series[k].ex);
            if (!isnan(l)) {
                hmax = fmax(hmax, l);
                nhold++;
            }
            if (st && !isnan(st->target_s) && !isnan(l))
                hmax = fmax(hmax, st->target_s);
        }
    h.y1 = hmax > 0 ? hmax * 1.1 : 10;
    chart_frame(cr, &h, "Longest hold of each exercise", "seconds", "day");
    date_ticks(cr, &h, t0);
    for (size_t k = 0; k < 4; k++) {
        px = py = NAN;
        double tx = NAN, ty = NAN;
        for (int i = 0; i < n; i++) {
            double l = history_longest_hold(&v[i], series[k].ex);
            const struct hist_step *st = find_step(&v[i], series[k].ex);
            if (isnan(l))
                continue;
            double x = cx(&h, day_index(v[i].when, t0)), yy = cy(&h, l);
            color(cr, series[k].col);
            if (!isnan(px))
                line(cr, px, py, x, yy, 0.8);
            dot(cr, x, yy, 2.6);
            if (st && !isnan(st->target_s)) { /* the target as a short dash */
                double ty2 = cy(&h, st->target_s);
                static const double dash[] = {2, 2};
                cairo_set_dash(cr, dash, 2, 0);
                if (!isnan(tx))
                    line(cr, tx, ty, x, ty2, 0.6);
                cairo_set_dash(cr, NULL, 0, 0);
                tx = x;
                ty = ty2;
            }
            px = x;
            py = yy;
        }
    }
    if (nhold == 0)
        no_data(cr, &h, "no holds in this period");
    double lx = h.x;
    for (size_t k = 0; k < 4; k++) {
        color(cr, series[k].col);
        dot(cr, lx + 2, h.y + h.h + 28, 2.3);
        lx += 8 + text(cr, lx + 6, h.y + h.h + 30, 6.5, false, LEFT, "%s", series[k].label) + 4;
    }
    color(cr, GREY);
    text(cr, h.x, h.y + h.h + 39, 6.5, false, LEFT, "Dashed: the target of the day.");

    /* the sessions */
    y = heading(cr, top2 + ch + 62, "Sessions");
    if (n == 0) {
        color(cr, GREY);
        text(cr, MARGIN, y, 9, false, LEFT, "No session in this period.");
    } else {
        table_head(cr, y);
        y += 22;
        for (int i = 0; i < n && i < ROWS_FIRST; i++)
            y = table_row(cr, y, &v[i]);
        if (n > ROWS_FIRST) {
            color(cr, GREY);
            text(cr, MARGIN, y + 4, 8, false, LEFT, "%d more on the next page%s.", n - ROWS_FIRST,
                 n - ROWS_FIRST > ROWS_MORE ? "s" : "");
        }
    }
    footer(cr, 1, "Stretch station progress report");
    return n > ROWS_FIRST;
}

int print_person(const struct hist_session *v, int n, const struct print_context *ctx,
                 const char *pdf, const char *png, char *err, size_t errlen)
{
    struct person_page pp = {v, n, ctx};
    return render(draw_person, &pp, pdf, png, err, errlen);
}

int print_person_stream(const struct hist_session *v, int n, const struct print_context *ctx,
                        print_write_fn write, void *closure)
{
    struct person_page pp = {v, n, ctx};
    return pdf_pages(draw_person, &pp, write, closure);
}

void print_cleanup(void)
{
    cairo_debug_reset_static_data();
    FcFini();
}
