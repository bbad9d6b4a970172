/* SPDX-License-Identifier: GPL-3.0-or-later */
/* emu_core: injected bus faults, the sample clock and quantisation,
 * shared by the emulators. */
#include "emu_core.h"

#include <errno.h>
#include <math.h>

int emu_bus_fault(struct emu_bus *bus)
{
    bus->transfers++;
    if (bus->disconnected)
        return -ENXIO;
    if (bus->stuck)
        return -ETIMEDOUT;
    if (bus->nack_next > 0) {
        bus->nack_next--;
        return -EIO;
    }
    return 0;
}

bool emu_bus_corrupt_count(struct emu_bus *bus)
{
    if (bus->corrupt_count_next <= 0)
        return false;
    bus->corrupt_count_next--;
    return true;
}

void emu_clock_run(struct emu_clock *c, double t, double rate,
                   void (*frame)(void *emu, double t), void *emu)
{
    if (rate <= 0) {
        c->now = t > c->now ? t : c->now;
        c->next_sample = c->now;
        return;
    }
    double period = 1.0 / rate;
    if (c->next_sample < c->now - period)
        c->next_sample = c->now;
    while (c->next_sample + period <= t) {
        c->next_sample += period;
        frame(emu, c->next_sample);
    }
    if (t > c->now)
        c->now = t;
}

void emu_clock_motion(const struct emu_clock *c, double t, struct sample *s)
{
    *s = (struct sample){.t = t};
    if (c->motion)
        c->motion(c->motion_ctx, t, s);
    else
        s->a[2] = 1.0; /* lying flat and still */
}

int16_t emu_quantise(double v, double lsb)
{
    double r = round(v * lsb);
    if (r > 32767)
        r = 32767;
    if (r < -32768)
        r = -32768;
    return (int16_t)r;
}

void emu_clock_init(struct emu_clock *c, imu_motion motion, void *motion_ctx)
{
    *c = (struct emu_clock){0, 0, motion, motion_ctx};
}

void emu_clock_restart(struct emu_clock *c)
{
    c->next_sample = c->now;
}
