/* SPDX-License-Identifier: GPL-3.0-or-later */
/* debounce: edges to presses, short and long. */
#include <string.h>

#include "buttons.h"

const char *button_name(enum button_id b)
{
    static const char *names[BUTTON_COUNT] = {"start", "next", "stop"};
    return b < BUTTON_COUNT ? names[b] : "?";
}

void debounce_init(struct debounce *d, int debounce_ms, int long_press_ms)
{
    memset(d, 0, sizeof *d);
    d->debounce_s = debounce_ms / 1000.0;
    d->long_s = long_press_ms / 1000.0;
}

int debounce_edge(struct debounce *d, const struct button_edge *e, struct button_press *out)
{
    if (e->button >= BUTTON_COUNT)
        return 0;
    struct debounce_button *b = &d->b[e->button];
    if (b->seen && e->t - b->last_edge < d->debounce_s)
        return 0; /* contact bounce */
    if (e->pressed == b->pressed)
        return 0; /* no change (a bounce that outlived the window) */
    b->seen = true;
    b->last_edge = e->t;
    b->pressed = e->pressed;
    if (e->pressed) {
        b->press_t = e->t;
        b->long_fired = false;
        return 0;
    }
    if (b->long_fired)
        return 0; /* already reported while held */
    out->button = e->button;
    out->long_press = false;
    out->t = e->t;
    out->held_s = e->t - b->press_t;
    return 1;
}

int debounce_tick(struct debounce *d, double now, struct button_press *out, int max)
{
    int n = 0;
    for (int i = 0; i < BUTTON_COUNT && n < max; i++) {
        struct debounce_button *b = &d->b[i];
        if (b->pressed && !b->long_fired && now - b->press_t >= d->long_s) {
            b->long_fired = true;
            out[n].button = (enum button_id)i;
            out[n].long_press = true;
            out[n].t = now;
            out[n].held_s = now - b->press_t;
            n++;
        }
    }
    return n;
}
