/* SPDX-License-Identifier: GPL-3.0-or-later */
/* timeline: lone clock glitches dropped, real clock steps kept (timeline.h). */
#include "timeline.h"

#include <string.h>

void timeline_init(struct timeline *tl)
{
    memset(tl, 0, sizeof *tl);
}

/* s into out[i] on the moved-on clock; the last time let through advanced. */
static const struct sample *let_through(struct timeline *tl, const struct sample *s, int i)
{
    tl->last_t = s->t + tl->offset;
    if (tl->offset == 0)
        return s;
    tl->out[i] = *s;
    tl->out[i].t = tl->last_t;
    return &tl->out[i];
}

static int push(struct timeline *tl, const struct sample *s, double period,
                const struct sample *use[2])
{
    if (!tl->started) {
        tl->started = true;
        use[0] = let_through(tl, s, 0);
        return 1;
    }
    bool in_place = timeline_in_place(tl->last_t, s->t + tl->offset, period);
    if (!tl->holding) {
        if (in_place) {
            use[0] = let_through(tl, s, 0);
            return 1;
        }
        tl->held = *s;
        tl->holding = true;
        return 0;
    }
    if (in_place) {
        /* the held sample was a lone glitch */
        tl->holding = false;
        tl->dropped++;
        use[0] = let_through(tl, s, 0);
        return 1;
    }
    if (!timeline_in_place(tl->held.t, s->t, period)) {
        /* out of place after both: the held one goes, this one waits */
        tl->dropped++;
        tl->held = *s;
        return 0;
    }
    /* confirmed: the clock stepped at the held sample */
    tl->holding = false;
    if (tl->held.t + tl->offset <= tl->last_t)
        /* a step back: the held sample comes one spacing after the last */
        tl->offset = tl->last_t + (s->t - tl->held.t) - tl->held.t;
    tl->out[0] = tl->held;
    tl->out[0].t += tl->offset;
    tl->last_t = tl->out[0].t;
    use[0] = &tl->out[0];
    use[1] = let_through(tl, s, 1);
    return 2;
}

void timeline_finish(struct timeline *tl)
{
    if (tl->holding)
        tl->dropped++;
    tl->holding = false;
    tl->plain = tl->started && tl->offset == 0;
}

int timeline_push(struct timeline *tl, const struct sample *s, double period,
                  const struct sample *use[2])
{
    int n = push(tl, s, period, use);
    tl->plain = !tl->holding && tl->offset == 0;
    return n;
}
