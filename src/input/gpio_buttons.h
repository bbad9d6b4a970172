/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gpio_buttons: the three buttons on GPIO lines through libgpiod, active
 * low with the internal pull-up, edge events on both edges. Builds with the
 * v1 API (Debian 12) and the v2 API (current Raspberry Pi OS). */
#ifndef STATION_GPIO_BUTTONS_H
#define STATION_GPIO_BUTTONS_H

#include <stddef.h>

#include "../config/config.h"
#include "buttons.h"

/* Requests the lines. Returns 0 and fills src, or -1 with a sentence in err
 * (which chip or line, and what to try). */
int gpio_buttons_open(const struct config_buttons *cfg, struct button_source *src,
                      char *err, size_t errlen);

#endif
