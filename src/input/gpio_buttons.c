/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gpio_buttons: libgpiod adapter, v1 or v2 API by the library's version.
 * Opening is shared; each API has its own line request, reader and close. */
#include "gpio_buttons.h"

#include <errno.h>
#include <gpiod.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/gpio_lines.h"

#define CONSUMER "station-buttons"

static void explain(char *err, size_t errlen, const char *what, const char *path)
{
    int e = errno;
    snprintf(err, errlen, "%s %s: %s%s", what, path, strerror(e),
             e == EACCES ? " (is the user in the gpio group?)"
             : e == EBUSY ? " (another program holds the line)"
             : e == ENOENT ? " (check buttons.gpiochip)" : "");
}

#if defined(GPIOD_API_V2)
/* ---------------- libgpiod 2.x ---------------- */

struct gpio_ctx {
    struct gpiod_chip *chip;
    struct gpiod_line_request *req;
    struct gpiod_edge_event_buffer *buf;
    unsigned int offsets[BUTTON_COUNT];
};

static int lines_read(void *ctx, struct button_edge *out, int max)
{
    struct gpio_ctx *g = ctx;
    int n = gpiod_line_request_read_edge_events(g->req, g->buf, (size_t)max);
    if (n < 0)
        return -1;
    int k = 0;
    for (int i = 0; i < n; i++) {
        struct gpiod_edge_event *ev = gpiod_edge_event_buffer_get_event(g->buf, (unsigned long)i);
        unsigned int off = gpiod_edge_event_get_line_offset(ev);
        for (int b = 0; b < BUTTON_COUNT; b++)
            if (g->offsets[b] == off) {
                out[k].button = (enum button_id)b;
                out[k].pressed = gpiod_edge_event_get_event_type(ev) == GPIOD_EDGE_EVENT_RISING_EDGE;
                out[k].t = (double)gpiod_edge_event_get_timestamp_ns(ev) * 1e-9;
                k++;
            }
    }
    return k;
}

/* Frees whatever of g exists: also the cleanup of a failed open. */
static void lines_close(void *ctx)
{
    struct gpio_ctx *g = ctx;
    if (g->buf)
        gpiod_edge_event_buffer_free(g->buf);
    if (g->req)
        gpiod_line_request_release(g->req);
    if (g->chip)
        gpiod_chip_close(g->chip);
    free(g);
}

static int lines_request(struct gpio_ctx *g, unsigned int *offsets,
                         const struct config_buttons *cfg, const char *path,
                         struct button_source *src, char *err, size_t errlen)
{
    memcpy(g->offsets, offsets, sizeof g->offsets);
    g->req = gpio_request_inputs(g->chip, g->offsets, BUTTON_COUNT, GPIOD_LINE_EDGE_BOTH,
                                 cfg->active_low ? GPIOD_LINE_BIAS_PULL_UP
                                                 : GPIOD_LINE_BIAS_PULL_DOWN,
                                 cfg->active_low, CONSUMER);
    if (g->req)
        g->buf = gpiod_edge_event_buffer_new(16);
    if (!g->buf) {
        explain(err, errlen, "cannot request the button lines on", path);
        return -1;
    }
    src->fds[0] = gpiod_line_request_get_fd(g->req);
    src->fds[1] = src->fds[2] = -1;
    return 0;
}

#else
/* ---------------- libgpiod 1.x ---------------- */

struct gpio_ctx {
    struct gpiod_chip *chip;
    struct gpiod_line_bulk bulk;
    bool requested;
};

static int lines_read(void *ctx, struct button_edge *out, int max)
{
    struct gpio_ctx *g = ctx;
    int k = 0;
    for (int b = 0; b < BUTTON_COUNT && k < max; b++) {
        struct gpiod_line *line = gpiod_line_bulk_get_line(&g->bulk, (unsigned)b);
        struct timespec zero = {0, 0};
        while (k < max && gpiod_line_event_wait(line, &zero) == 1) {
            struct gpiod_line_event ev;
            if (gpiod_line_event_read(line, &ev) < 0)
                return -1;
            out[k].button = (enum button_id)b;
            /* requested active-low: a rising edge is a press */
            out[k].pressed = ev.event_type == GPIOD_LINE_EVENT_RISING_EDGE;
            out[k].t = (double)ev.ts.tv_sec + ev.ts.tv_nsec * 1e-9;
            k++;
        }
    }
    return k;
}

/* Frees whatever of g exists: also the cleanup of a failed open. */
static void lines_close(void *ctx)
{
    struct gpio_ctx *g = ctx;
    if (g->requested)
        gpiod_line_release_bulk(&g->bulk);
    if (g->chip)
        gpiod_chip_close(g->chip);
    free(g);
}

static int lines_request(struct gpio_ctx *g, unsigned int *offsets,
                         const struct config_buttons *cfg, const char *path,
                         struct button_source *src, char *err, size_t errlen)
{
    gpiod_line_bulk_init(&g->bulk);
    if (gpiod_chip_get_lines(g->chip, offsets, BUTTON_COUNT, &g->bulk) < 0) {
        explain(err, errlen, "no such button lines on", path);
        return -1;
    }
    int flags = cfg->active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW |
                                      GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP
                                : GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN;
    if (gpiod_line_request_bulk_both_edges_events_flags(&g->bulk, CONSUMER, flags) < 0) {
        explain(err, errlen, "cannot request the button lines on", path);
        return -1;
    }
    g->requested = true;
    for (int b = 0; b < BUTTON_COUNT; b++)
        src->fds[b] = gpiod_line_event_get_fd(gpiod_line_bulk_get_line(&g->bulk, (unsigned)b));
    return 0;
}
#endif

int gpio_buttons_open(const struct config_buttons *cfg, struct button_source *src,
                      char *err, size_t errlen)
{
    char path[300];
    gpio_chip_path(cfg->gpiochip, path, sizeof path);
    struct gpio_ctx *g = calloc(1, sizeof *g);
    if (!g) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    unsigned int offsets[BUTTON_COUNT] = {
        [BUTTON_START] = (unsigned)cfg->start_line,
        [BUTTON_NEXT] = (unsigned)cfg->next_line,
        [BUTTON_STOP] = (unsigned)cfg->stop_line,
    };
    g->chip = gpiod_chip_open(path);
    if (!g->chip) {
        explain(err, errlen, "cannot open", path);
        lines_close(g);
        return -1;
    }
    if (lines_request(g, offsets, cfg, path, src, err, errlen) < 0) {
        lines_close(g);
        return -1;
    }
    src->read = lines_read;
    src->close = lines_close;
    src->ctx = g;
    return 0;
}
