/* SPDX-License-Identifier: GPL-3.0-or-later */
/* int_line: one input line with rising-edge events, libgpiod v1 or v2. */
#include "int_line.h"

#include <errno.h>
#include <gpiod.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/gpio_lines.h"

#define CONSUMER "station-imu-int"

static int readable(int fd)
{
    struct pollfd p = {fd, POLLIN, 0};
    return poll(&p, 1, 0) > 0 && (p.revents & POLLIN);
}

#if defined(GPIOD_API_V2)

struct int_line {
    struct gpiod_chip *chip;
    struct gpiod_line_request *req;
    struct gpiod_edge_event_buffer *buf;
};

struct int_line *int_line_open(const char *chip, int offset, char *err, size_t errlen)
{
    char path[300];
    gpio_chip_path(chip, path, sizeof path);
    struct int_line *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->chip = gpiod_chip_open(path);
    unsigned int off = (unsigned)offset;
    if (l->chip)
        l->req = gpio_request_inputs(l->chip, &off, 1, GPIOD_LINE_EDGE_RISING,
                                     GPIOD_LINE_BIAS_AS_IS, false, CONSUMER);
    if (l->req)
        l->buf = gpiod_edge_event_buffer_new(32);
    if (!l->buf) {
        snprintf(err, errlen, "INT line %d on %s: %s", offset, path, strerror(errno));
        int_line_close(l);
        return NULL;
    }
    return l;
}

int int_line_fd(const struct int_line *l)
{
    return gpiod_line_request_get_fd(l->req);
}

int int_line_drain(struct int_line *l)
{
    int n = 0;
    while (readable(int_line_fd(l))) {
        int k = gpiod_line_request_read_edge_events(l->req, l->buf, 32);
        if (k <= 0)
            break;
        n += k;
    }
    return n;
}

void int_line_close(struct int_line *l)
{
    if (!l)
        return;
    if (l->buf)
        gpiod_edge_event_buffer_free(l->buf);
    if (l->req)
        gpiod_line_request_release(l->req);
    if (l->chip)
        gpiod_chip_close(l->chip);
    free(l);
}

#else

struct int_line {
    struct gpiod_chip *chip;
    struct gpiod_line *line;
};

struct int_line *int_line_open(const char *chip, int offset, char *err, size_t errlen)
{
    char path[300];
    gpio_chip_path(chip, path, sizeof path);
    struct int_line *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->chip = gpiod_chip_open(path);
    if (l->chip)
        l->line = gpiod_chip_get_line(l->chip, (unsigned)offset);
    if (!l->line || gpiod_line_request_rising_edge_events(l->line, CONSUMER) < 0) {
        snprintf(err, errlen, "INT line %d on %s: %s", offset, path, strerror(errno));
        l->line = NULL;
        int_line_close(l);
        return NULL;
    }
    return l;
}

int int_line_fd(const struct int_line *l)
{
    return gpiod_line_event_get_fd(l->line);
}

int int_line_drain(struct int_line *l)
{
    int n = 0;
    struct gpiod_line_event ev;
    while (readable(int_line_fd(l)) && gpiod_line_event_read(l->line, &ev) == 0)
        n++;
    return n;
}

void int_line_close(struct int_line *l)
{
    if (!l)
        return;
    if (l->line)
        gpiod_line_release(l->line);
    if (l->chip)
        gpiod_chip_close(l->chip);
    free(l);
}
#endif
