/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gpio_lines: shared libgpiod helpers (see gpio_lines.h). */
#include "gpio_lines.h"

#include <errno.h>
#include <stdio.h>

void gpio_chip_path(const char *name, char *buf, size_t len)
{
    snprintf(buf, len, name[0] == '/' ? "%s" : "/dev/%s", name);
}

#if defined(GPIOD_API_V2)
struct gpiod_line_request *gpio_request_inputs(struct gpiod_chip *chip,
                                               const unsigned int *offsets, size_t n,
                                               enum gpiod_line_edge edge,
                                               enum gpiod_line_bias bias, bool active_low,
                                               const char *consumer)
{
    struct gpiod_line_request *req = NULL;
    struct gpiod_line_settings *ls = gpiod_line_settings_new();
    struct gpiod_line_config *lc = gpiod_line_config_new();
    struct gpiod_request_config *rc = gpiod_request_config_new();
    if (ls && lc && rc) {
        gpiod_line_settings_set_direction(ls, GPIOD_LINE_DIRECTION_INPUT);
        gpiod_line_settings_set_edge_detection(ls, edge);
        gpiod_line_settings_set_bias(ls, bias);
        gpiod_line_settings_set_active_low(ls, active_low);
        gpiod_request_config_set_consumer(rc, consumer);
        if (gpiod_line_config_add_line_settings(lc, offsets, n, ls) == 0)
            req = gpiod_chip_request_lines(chip, rc, lc);
    } else {
        errno = ENOMEM;
    }
    int e = errno; /* the frees below may change it */
    if (ls)
        gpiod_line_settings_free(ls);
    if (lc)
        gpiod_line_config_free(lc);
    if (rc)
        gpiod_request_config_free(rc);
    errno = e;
    return req;
}
#endif
