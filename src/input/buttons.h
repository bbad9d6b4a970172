/* SPDX-License-Identifier: GPL-3.0-or-later */
/* buttons: three push buttons (start/pause, next, stop) turned into presses.
 *
 * Edges come from a button_source: the GPIO lines through libgpiod
 * (gpio_buttons.c, v1 or v2 API as the system has) or a fake in tests. The
 * debouncer is pure: edges closer than the debounce time to the last
 * accepted edge of that button are contact bounce; a press held for the
 * long-press time fires as a long press while still held. */
#ifndef STATION_BUTTONS_H
#define STATION_BUTTONS_H

#include <stdbool.h>

enum button_id { BUTTON_START, BUTTON_NEXT, BUTTON_STOP, BUTTON_COUNT };

struct button_edge {
    enum button_id button;
    bool pressed;      /* logical: true when the button went down */
    double t;          /* CLOCK_MONOTONIC seconds (the kernel's event time) */
};

struct button_press {
    enum button_id button;
    bool long_press;
    double t;          /* when it was recognised */
    double held_s;
};

struct debounce_button {
    bool pressed, long_fired, seen;
    double last_edge, press_t;
};

struct debounce {
    double debounce_s, long_s;
    struct debounce_button b[BUTTON_COUNT];
};

void debounce_init(struct debounce *d, int debounce_ms, int long_press_ms);

/* Takes one edge; returns the presses it completes (0 or 1). */
int debounce_edge(struct debounce *d, const struct button_edge *e, struct button_press *out);

/* Time passes: a button held past the long-press time fires once. */
int debounce_tick(struct debounce *d, double now, struct button_press *out, int max);

/* Where edges come from. read returns how many edges it wrote (0 when none
 * are waiting), or -1 when the source failed. */
struct button_source {
    int fds[BUTTON_COUNT];  /* to poll for input; -1 where unused */
    int (*read)(void *ctx, struct button_edge *out, int max);
    void (*close)(void *ctx);
    void *ctx;
};

const char *button_name(enum button_id b);

#endif
