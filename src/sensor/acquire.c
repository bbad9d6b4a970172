/* SPDX-License-Identifier: GPL-3.0-or-later */
/* acquire: wait, read, hand on. */
#include "acquire.h"

#include <math.h>
#include <stdio.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "../util/clock.h"

/* Waits for the next pass; returns true when a stop signal came. */
static bool wait_pass(struct source *src, int sfd, const struct acquire_ops *ops)
{
    struct pollfd pfd[2 + ACQUIRE_MAX_FDS];
    int np = 0;
    pfd[np++] = (struct pollfd){sfd, POLLIN, 0};
    int irq = source_fd(src); /* the sensor's INT line, when wired */
    if (irq >= 0)
        pfd[np++] = (struct pollfd){irq, POLLIN, 0};
    int first_own = np;
    if (ops->fds)
        np += ops->fds(ops->ctx, pfd + np, ACQUIRE_MAX_FDS);
    double wait = source_poll_interval(src);
    if (ops->max_wait > 0)
        wait = fmin(wait, ops->max_wait);
    if (poll(pfd, (nfds_t)np, (int)ceil(wait * 1000)) <= 0)
        return false;
    bool stop = false;
    if (pfd[0].revents & POLLIN) {
        struct signalfd_siginfo si;
        /* nothing read (EAGAIN, EINTR): no signal to act on */
        if (read(sfd, &si, sizeof si) == (ssize_t)sizeof si)
            stop = ops->signal(ops->ctx, (int)si.ssi_signo);
    }
    bool own = false;
    /* a hung-up descriptor (a GPIO chip gone) is handed on too: its reader
     * fails and drops it, rather than it being polled again at once, forever */
    for (int i = first_own; i < np; i++)
        own = own || (pfd[i].revents & (POLLIN | POLLHUP | POLLERR));
    if (own && ops->ready)
        ops->ready(ops->ctx, mono_now());
    return stop;
}

enum acquire_end acquire_run(struct source *src, int sfd, const struct acquire_ops *ops)
{
    struct sample buf[512];
    for (;;) {
        bool signalled = wait_pass(src, sfd, ops);
        double now = mono_now();
        if (ops->before)
            ops->before(ops->ctx, now);
        /* a stop signal still reads what the sensor holds: no sample lost */
        size_t n = source_read(src, now, buf, sizeof buf / sizeof buf[0]);
        bool go = true;
        for (size_t i = 0; i < n && go; i++)
            go = ops->sample(ops->ctx, &buf[i]);
        struct source_event ev;
        while (source_next_event(src, &ev))
            ops->event(ops->ctx, &ev, now);
        if (ops->after && !ops->after(ops->ctx, now, n))
            go = false;
        if (!go)
            return ACQUIRE_STOPPED;
        if (source_done(src))
            return ACQUIRE_DONE;
        if (signalled)
            return ACQUIRE_SIGNAL;
    }
}

void acquire_gap_comment(char *out, size_t len, const struct source_event *ev, double t0)
{
    snprintf(out, len, "gap start_s=%.3f length_s=%.3f: %s", isnan(t0) ? 0 : ev->t - t0,
             ev->length_s, ev->text);
}

void acquire_closing_gap(char *out, size_t len, double lost_t, double end_t, double t0)
{
    struct source_event ev = {SOURCE_EV_GAP, lost_t, fmax(0, end_t - lost_t),
                              "sensor lost until the end"};
    acquire_gap_comment(out, len, &ev, t0);
}

void acquire_clock_mark(struct acquire_clock *c, double t, double wall)
{
    c->t = t;
    c->wall = wall;
}

double acquire_clock_now(const struct acquire_clock *c, double wall)
{
    return c->t + fmax(0, wall - c->wall) * c->speed;
}
