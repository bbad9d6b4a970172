/* SPDX-License-Identifier: GPL-3.0-or-later */
/* int_line: one input line with rising-edge events, libgpiod v1 or v2. */
#include "int_line.h"

#include <errno.h>
#include <gpiod.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/gpio_lines.h"

#define CONSUMER "station-imu-int"

/* 1 when fd has edges to read, 0 when none, -1 when it hung up: the chip
 * is gone (its driver unbound, a GPIO expander unplugged), and a poll on it
 * would return at once, forever. */
static int readable(int fd)
{
    struct pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, 0) <= 0)
        return 0;
    if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
        return -1;
    return (p.revents & POLLIN) != 0;
}

#if defined(GPIOD_API_V2)

struct int_line {
    struct gpiod_chip *chip;
    struct gpiod_line_request *req;
    struct gpiod_edge_event_buffer *buf;
    bool lost;
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
    return l->lost ? -1 : gpiod_line_request_get_fd(l->req);
}

int int_line_drain(struct int_line *l)
{
    int n = 0, r;
    while (!l->lost && (r = readable(gpiod_line_request_get_fd(l->req))) != 0) {
        int k = r > 0 ? gpiod_line_request_read_edge_events(l->req, l->buf, 32) : -1;
        if (k < 0)
            l->lost = true;
        if (k <= 0)
            break;
        n += k;
    }
    return l->lost ? -1 : n;
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
    bool lost;
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
    return l->lost ? -1 : gpiod_line_event_get_fd(l->line);
}

int int_line_drain(struct int_line *l)
{
    int n = 0, r;
    struct gpiod_line_event ev;
    while (!l->lost && (r = readable(gpiod_line_event_get_fd(l->line))) != 0) {
        if (r < 0 || gpiod_line_event_read(l->line, &ev) < 0)
            l->lost = true;
        else
            n++;
    }
    return l->lost ? -1 : n;
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
