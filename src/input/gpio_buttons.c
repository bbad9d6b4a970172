/* gpio_buttons: libgpiod adapter, v1 or v2 API by the library's version. */
#include "gpio_buttons.h"

#include <errno.h>
#include <gpiod.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONSUMER "station-buttons"

static const char *chip_path(const char *name, char *buf, size_t len)
{
    if (name[0] == '/')
        snprintf(buf, len, "%s", name);
    else
        snprintf(buf, len, "/dev/%s", name);
    return buf;
}

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

static int v2_read(void *ctx, struct button_edge *out, int max)
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

static void v2_close(void *ctx)
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

int gpio_buttons_open(const struct config_buttons *cfg, struct button_source *src,
                      char *err, size_t errlen)
{
    char path[300];
    chip_path(cfg->gpiochip, path, sizeof path);
    struct gpio_ctx *g = calloc(1, sizeof *g);
    if (!g) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    g->offsets[BUTTON_START] = (unsigned)cfg->start_line;
    g->offsets[BUTTON_NEXT] = (unsigned)cfg->next_line;
    g->offsets[BUTTON_STOP] = (unsigned)cfg->stop_line;
    g->chip = gpiod_chip_open(path);
    if (!g->chip) {
        explain(err, errlen, "cannot open", path);
        free(g);
        return -1;
    }
    struct gpiod_line_settings *ls = gpiod_line_settings_new();
    struct gpiod_line_config *lc = gpiod_line_config_new();
    struct gpiod_request_config *rc = gpiod_request_config_new();
    int ok = ls && lc && rc;
    if (ok) {
        gpiod_line_settings_set_direction(ls, GPIOD_LINE_DIRECTION_INPUT);
        gpiod_line_settings_set_edge_detection(ls, GPIOD_LINE_EDGE_BOTH);
        gpiod_line_settings_set_bias(ls, cfg->active_low ? GPIOD_LINE_BIAS_PULL_UP
                                                         : GPIOD_LINE_BIAS_PULL_DOWN);
        gpiod_line_settings_set_active_low(ls, cfg->active_low);
        gpiod_request_config_set_consumer(rc, CONSUMER);
        ok = gpiod_line_config_add_line_settings(lc, g->offsets, BUTTON_COUNT, ls) == 0;
    }
    if (ok) {
        g->req = gpiod_chip_request_lines(g->chip, rc, lc);
        ok = g->req != NULL;
        if (!ok)
            explain(err, errlen, "cannot request the button lines on", path);
    } else {
        snprintf(err, errlen, "%s: cannot set up the line request", path);
    }
    if (ls)
        gpiod_line_settings_free(ls);
    if (lc)
        gpiod_line_config_free(lc);
    if (rc)
        gpiod_request_config_free(rc);
    if (ok)
        g->buf = gpiod_edge_event_buffer_new(16);
    if (!ok || !g->buf) {
        v2_close(g);
        return -1;
    }
    src->fds[0] = gpiod_line_request_get_fd(g->req);
    src->fds[1] = src->fds[2] = -1;
    src->read = v2_read;
    src->close = v2_close;
    src->ctx = g;
    return 0;
}

#else
/* ---------------- libgpiod 1.x ---------------- */

struct gpio_ctx {
    struct gpiod_chip *chip;
    struct gpiod_line_bulk bulk;
    int next; /* round robin over the lines' fds */
};

static int v1_read(void *ctx, struct button_edge *out, int max)
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

static void v1_close(void *ctx)
{
    struct gpio_ctx *g = ctx;
    gpiod_line_release_bulk(&g->bulk);
    if (g->chip)
        gpiod_chip_close(g->chip);
    free(g);
}

int gpio_buttons_open(const struct config_buttons *cfg, struct button_source *src,
                      char *err, size_t errlen)
{
    char path[300];
    chip_path(cfg->gpiochip, path, sizeof path);
    struct gpio_ctx *g = calloc(1, sizeof *g);
    if (!g) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    g->chip = gpiod_chip_open(path);
    if (!g->chip) {
        explain(err, errlen, "cannot open", path);
        free(g);
        return -1;
    }
    unsigned int offsets[BUTTON_COUNT] = {(unsigned)cfg->start_line,
                                          (unsigned)cfg->next_line,
                                          (unsigned)cfg->stop_line};
    gpiod_line_bulk_init(&g->bulk);
    if (gpiod_chip_get_lines(g->chip, offsets, BUTTON_COUNT, &g->bulk) < 0) {
        explain(err, errlen, "no such button lines on", path);
        gpiod_chip_close(g->chip);
        free(g);
        return -1;
    }
    int flags = cfg->active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW |
                                      GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP
                                : GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN;
    if (gpiod_line_request_bulk_both_edges_events_flags(&g->bulk, CONSUMER, flags) < 0) {
        explain(err, errlen, "cannot request the button lines on", path);
        gpiod_chip_close(g->chip);
        free(g);
        return -1;
    }
    for (int b = 0; b < BUTTON_COUNT; b++)
        src->fds[b] = gpiod_line_event_get_fd(gpiod_line_bulk_get_line(&g->bulk, (unsigned)b));
    src->read = v1_read;
    src->close = v1_close;
    src->ctx = g;
    return 0;
}
#endif
