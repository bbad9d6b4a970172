/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gpio_lines: what the button and INT-line adapters share over libgpiod:
 * the chip's device path and, with the v2 API, one request for input lines
 * with edge events (v2 builds it from three temporary objects; they are
 * made and freed here, once). */
#ifndef STATION_GPIO_LINES_H
#define STATION_GPIO_LINES_H

#include <gpiod.h>
#include <stdbool.h>
#include <stddef.h>

/* "/dev/NAME" for a bare chip name such as "gpiochip0", NAME itself when
 * it is already a path. */
void gpio_chip_path(const char *name, char *buf, size_t len);

#if defined(GPIOD_API_V2)
/* Requests n input lines of chip with edge events, the given bias, active
 * low or not, for consumer. Returns the request, or NULL with errno set. */
struct gpiod_line_request *gpio_request_inputs(struct gpiod_chip *chip,
                                               const unsigned int *offsets, size_t n,
                                               enum gpiod_line_edge edge,
                                               enum gpiod_line_bias bias, bool active_low,
                                               const char *consumer);
#endif

#endif
