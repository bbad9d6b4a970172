/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_buttons: debouncing and long presses, through a fake edge source
 * that behaves like the GPIO adapter (a pollable fd, edges with kernel
 * timestamps). */
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "input/buttons.h"
#include "test_util.h"

/* The fake: edges written to a pipe, read back by the source's read(). */
struct fake {
    int fd[2];
};

static int fake_read(void *ctx, struct button_edge *out, int max)
{
    struct fake *f = ctx;
    ssize_t n = read(f->fd[0], out, sizeof *out * (size_t)max);
    if (n < 0)
        return 0;
    return (int)(n / (ssize_t)sizeof *out);
}

static void fake_close(void *ctx)
{
    struct fake *f = ctx;
    close(f->fd[0]);
    close(f->fd[1]);
}

static struct fake F;
static struct button_source src;

static int setup(void **state)
{
    (void)state;
    assert_int_equal(pipe(F.fd), 0);
    fcntl(F.fd[0], F_SETFL, O_NONBLOCK);
    src.fds[0] = F.fd[0];
    src.fds[1] = src.fds[2] = -1;
    src.read = fake_read;
    src.close = fake_close;
    src.ctx = &F;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    src.close(src.ctx);
    return 0;
}

static void edge(enum button_id b, bool pressed, double t)
{
    struct button_edge e;
    memset(&e, 0, sizeof e); /* the padding goes through the pipe too */
    e.button = b;
    e.pressed = pressed;
    e.t = t;
    assert_int_equal(write(F.fd[1], &e, sizeof e), (ssize_t)sizeof e);
}

/* What the station loop does: poll, read, debounce, tick. */
static int pump(struct debounce *d, double now, struct button_press *out, int max)
{
    struct pollfd p = {src.fds[0], POLLIN, 0};
    int n = 0;
    if (poll(&p, 1, 0) > 0) {
        struct button_edge e[32];
        int k = src.read(src.ctx, e, 32);
        for (int i = 0; i < k && n < max; i++)
            n += debounce_edge(d, &e[i], &out[n]);
    }
    return n + debounce_tick(d, now, out + n, max - n);
}

static void test_bouncy_short_press_is_one_press(void **state)
{
    (void)state;
    struct debounce d;
    debounce_init(&d, 30, 1500);
    struct button_press p[8];
    /* contact bounce on the way down and up */
    edge(BUTTON_START, true, 10.000);
    edge(BUTTON_START, false, 10.002);
    edge(BUTTON_START, true, 10.004);
    edge(BUTTON_START, false, 10.210);
    edge(BUTTON_START, true, 10.213);
    edge(BUTTON_START, false, 10.216);
    int n = pump(&d, 10.3, p, 8);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].button, BUTTON_START);
    assert_false(p[0].long_press);
    assert_near(p[0].held_s, 0.21, 1e-9);
}

static void test_long_press_fires_while_held(void **state)
{
    (void)state;
    struct debounce d;
    debounce_init(&d, 30, 1500);
    struct button_press p[8];
    edge(BUTTON_STOP, true, 20.0);
    assert_int_equal(pump(&d, 20.5, p, 8), 0);
    assert_int_equal(pump(&d, 21.49, p, 8), 0);
    int n = pump(&d, 21.51, p, 8);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].button, BUTTON_STOP);
    assert_true(p[0].long_press);
    /* once only, and the release adds nothing */
    assert_int_equal(pump(&d, 22.5, p, 8), 0);
    edge(BUTTON_STOP, false, 23.0);
    assert_int_equal(pump(&d, 23.1, p, 8), 0);
}

static void test_buttons_are_independent(void **state)
{
    (void)state;
    struct debounce d;
    debounce_init(&d, 30, 1500);
    struct button_press p[8];
    edge(BUTTON_NEXT, true, 30.000);
    edge(BUTTON_START, true, 30.005); /* another button inside NEXT's window */
    edge(BUTTON_NEXT, false, 30.100);
    edge(BUTTON_START, false, 30.120);
    int n = pump(&d, 30.2, p, 8);
    assert_int_equal(n, 2);
    assert_int_equal(p[0].button, BUTTON_NEXT);
    assert_int_equal(p[1].button, BUTTON_START);
}

static void test_glitch_shorter_than_debounce_is_ignored(void **state)
{
    (void)state;
    struct debounce d;
    debounce_init(&d, 30, 1500);
    struct button_press p[8];
    edge(BUTTON_NEXT, true, 40.0);
    edge(BUTTON_NEXT, false, 40.1);
    assert_int_equal(pump(&d, 40.2, p, 8), 1);
    /* a second press 10 ms after the release is the same bounce */
    edge(BUTTON_NEXT, true, 40.11);
    edge(BUTTON_NEXT, false, 40.115);
    assert_int_equal(pump(&d, 40.3, p, 8), 0);
    /* a real second press later counts */
    edge(BUTTON_NEXT, true, 41.0);
    edge(BUTTON_NEXT, false, 41.2);
    assert_int_equal(pump(&d, 41.3, p, 8), 1);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(button_name(BUTTON_START), "start");
    assert_string_equal(button_name(BUTTON_STOP), "stop");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bouncy_short_press_is_one_press),
        cmocka_unit_test(test_long_press_fires_while_held),
        cmocka_unit_test(test_buttons_are_independent),
        cmocka_unit_test(test_glitch_shorter_than_debounce_is_ignored),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests_name("buttons", tests, setup, teardown);
}
