// SPDX-License-Identifier: GPL-3.0-or-later
#include "web_svg.h"

#include <math.h>
#include <stdio.h>

/* the drawing's size and the plot's margins, in SVG units (the page scales it) */
enum { W = 760, H = 320, ML = 78, MR = 24, MT = 20, MB = 62 };

static double px_x(const struct chart *c, double t)
{
    double span = difftime(c->to, c->from);
    return ML + (span > 0 ? (t - (double)c->from) / span : 0.5) * (W - ML - MR);
}

static double px_y(const struct axis *a, double v)
{
    return MT + (a->hi - v) / (a->hi - a->lo) * (H - MT - MB);
}

static void x_axis(struct wbuf *b, const struct chart *c)
{
    const double day = 86400, span = difftime(c->to, c->from);
    int weeks = (int)ceil(span / (7 * day));
    int every = weeks > 8 ? (weeks + 7) / 8 : 1;
    /* ticks at each (every-th) week from the first day shown */
    for (int w = 0; w <= weeks; w += every) {
        double t = (double)c->from + w * 7 * day;
        if (t > (double)c->to + 1)
            break;
        time_t tt = (time_t)t;
        struct tm tm;
        char lab[32];
        gmtime_r(&tt, &tm);
        strftime(lab, sizeof lab, "%d %b", &tm);
        double x = px_x(c, t);
        wbuf_printf(b, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", x, MT,
                    x, H - MB);
        wbuf_printf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", x,
                    H - MB + 22);
        wbuf_html(b, lab);
        wbuf_put(b, "</text>");
    }
    wbuf_printf(b, "<text class=\"unit\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">date (weeks from "
                   "Monday)</text>",
                (ML + W - MR) / 2, H - 8);
}

void svg_chart(struct wbuf *b, const struct chart *c)
{
    double lo = INFINITY, hi = -INFINITY;
    int points = 0;
    for (int s = 0; s < c->ns; s++)
        for (int i = 0; i < c->s[s].n; i++)
            if (isfinite(c->s[s].y[i])) {
                lo = fmin(lo, c->s[s].y[i]);
                hi = fmax(hi, c->s[s].y[i]);
                points++;
            }
    if (points == 0) {
        wbuf_put(b, "<p class=\"none\">No sessions with ");
        wbuf_html(b, c->title);
        wbuf_put(b, " figures in these weeks.</p>");
        return;
    }
    if (c->has_band) {
        lo = fmin(lo, c->band_lo);
        hi = fmax(hi, c->band_hi);
    }
    if (c->has_line) {
        lo = fmin(lo, c->line_y);
        hi = fmax(hi, c->line_y);
    }
    if (isfinite(c->y_min_floor))
        lo = fmin(lo, c->y_min_floor);
    struct axis a;
    if (axis_ticks(lo, hi, 6, &a) < 0)
        return;
    wbuf_printf(b, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", W, H);
    wbuf_html(b, c->title);
    wbuf_put(b, "\">");
    if (c->has_band) {
        double y0 = px_y(&a, c->band_hi), y1 = px_y(&a, c->band_lo);
        wbuf_printf(b, "<rect class=\"band\" x=\"%d\" y=\"%.1f\" width=\"%d\" "
                       "height=\"%.1f\"/>",
                    ML, y0, W - ML - MR, y1 - y0);
    }
    for (int i = 0; i < a.n; i++) {
        double y = px_y(&a, a.tick[i]);
        wbuf_printf(b, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>", ML, y,
                    W - MR, y);
        wbuf_printf(b, "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.*f</text>",
                    ML - 8, y + 5, a.decimals, a.tick[i]);
    }
    x_axis(b, c);
    wbuf_printf(b, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", ML, MT, ML,
                H - MB);
    wbuf_printf(b, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", ML, H - MB,
                W - MR, H - MB);
    wbuf_printf(b, "<text class=\"unit\" transform=\"translate(18 %d) rotate(-90)\" "
                   "text-anchor=\"middle\">",
                (MT + H - MB) / 2);
    wbuf_html(b, c->y_unit);
    wbuf_put(b, "</text>");
    if (c->has_line) {
        double y = px_y(&a, c->line_y);
        wbuf_printf(b, "<line class=\"limit\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>", ML, y,
                    W - MR, y);
    }
    for (int s = 0; s < c->ns; s++) {
        const struct chart_series *se = &c->s[s];
        wbuf_printf(b, "<polyline class=\"series %s\" points=\"", se->color);
        for (int i = 0; i < se->n; i++)
            if (isfinite(se->y[i]))
                wbuf_printf(b, "%.1f,%.1f ", px_x(c, se->x[i]), px_y(&a, se->y[i]));
        wbuf_put(b, "\"/>");
        for (int i = 0; i < se->n; i++) {
            if (!isfinite(se->y[i]))
                continue;
            time_t t = (time_t)se->x[i];
            struct tm tm;
            char day[32];
            gmtime_r(&t, &tm);
            strftime(day, sizeof day, "%Y-%m-%d", &tm);
            wbuf_printf(b, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\"><title>",
                        se->color, px_x(c, se->x[i]), px_y(&a, se->y[i]));
            wbuf_htmlf(b, "%s: %s %.*f %s", day, se->label, a.decimals + 1, se->y[i], c->y_unit);
            wbuf_put(b, "</title></circle>");
        }
    }
    wbuf_put(b, "</svg><p class=\"legend\">");
    for (int s = 0; s < c->ns; s++) {
        wbuf_printf(b, "<span class=\"key\"><span class=\"swatch %s\"></span>",
                    c->s[s].color);
        wbuf_html(b, c->s[s].label);
        wbuf_put(b, "</span>");
    }
    if (c->has_band) {
        wbuf_put(b, "<span class=\"key\"><span class=\"swatch bandkey\"></span>");
        wbuf_html(b, c->band_label);
        wbuf_put(b, "</span>");
    }
    if (c->has_line) {
        wbuf_put(b, "<span class=\"key\"><span class=\"swatch limitkey\"></span>");
        wbuf_html(b, c->line_label);
        wbuf_put(b, "</span>");
    }
    wbuf_put(b, "</p>");
}
