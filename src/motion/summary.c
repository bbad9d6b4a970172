/* SPDX-License-Identifier: GPL-3.0-or-later */
/* summary: finished sets and holds, in order. */
#include "summary.h"

#include <stdlib.h>
#include <string.h>

void summary_init(struct motion_summary *s)
{
    memset(s, 0, sizeof *s);
}

static int push(struct event_list *l, const struct motion_event *ev)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        struct motion_event *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = *ev;
    return 0;
}

int summary_add(struct motion_summary *s, const struct motion_event *ev)
{
    switch (ev->kind) {
    case MOTION_EV_SET_END:
        return push(ev->osc == OSC_BOUNCE ? &s->bounces : &s->rocking, ev);
    case MOTION_EV_HOLD_END:
        return ev->counted ? push(&s->holds, ev) : 0;
    case MOTION_EV_GAP:
        s->gaps++;
        return 0;
    default:
        return 0;
    }
}

void summary_free(struct motion_summary *s)
{
    free(s->rocking.v);
    free(s->bounces.v);
    free(s->holds.v);
    memset(s, 0, sizeof *s);
}
