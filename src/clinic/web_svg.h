/* SPDX-License-Identifier: GPL-3.0-or-later */
/* web_svg: a trend chart as inline SVG for the clinic's pages: days along
 * the bottom (labelled by week), a y axis with ticks and its unit, points
 * joined by lines per series, and optionally a shaded band (her rocking
 * band) or a limit line. Pure: text in, text out (all text escaped). */
#ifndef STATION_WEB_SVG_H
#define STATION_WEB_SVG_H

#include <time.h>

#include "web_util.h"

#define CHART_SERIES_MAX 3

struct chart_series {
    const char *label; /* for the legend */
    const char *color; /* a class of the style sheet (c0, c1, c2), never user text */
    const double *x;   /* unix times */
    const double *y;   /* NAN: no point */
    int n;
};

struct chart {
    const char *title;  /* e.g. "Rocking rate" */
    const char *y_unit; /* e.g. "cycles a second" */
    time_t from, to;    /* the days shown */
    int ns;
    struct chart_series s[CHART_SERIES_MAX];
    double y_min_floor; /* the y axis starts no higher than this (NAN: free) */
    int has_band;
    double band_lo, band_hi;
    const char *band_label;
    int has_line;
    double line_y;
    const char *line_label;
};

/* Appends the chart (or, with no point at all, a sentence saying so). */
void svg_chart(struct wbuf *b, const struct chart *c);

#endif
