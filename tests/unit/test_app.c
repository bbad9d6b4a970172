/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_app: the station's loop (app_run) and the report where the world
 * fails them: a bad configuration, signalfd refused, the memory for the
 * motion core refused, a signalfd read that brings nothing. signalfd, read
 * and malloc are wrapped at link time (-Wl,--wrap, see the Makefile's
 * TEST_LDFLAGS_test_app) so a test can make one of them fail. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app.h"
#include "motion/motion.h"
#include "report/report.h"
#include "util/exit_codes.h"

#include "test_util.h"

/* ---- the wrapped calls ---- */

static bool fail_signalfd;
static int sfd = -1;       /* the signalfd the station made */
static int sfd_reads;      /* reads of it */
static int sfd_fail_reads; /* how many of them fail with EAGAIN */
static size_t fail_malloc_size; /* the next malloc of this size fails */

int __real_signalfd(int fd, const sigset_t *mask, int flags);
int __wrap_signalfd(int fd, const sigset_t *mask, int flags)
{
    if (fail_signalfd) {
        errno = EMFILE;
        return -1;
    }
    sfd = __real_signalfd(fd, mask, flags);
    return sfd;
}

ssize_t __real_read(int fd, void *buf, size_t n);
ssize_t __wrap_read(int fd, void *buf, size_t n)
{
    if (fd >= 0 && fd == sfd) {
        sfd_reads++;
        if (sfd_fail_reads > 0) {
            sfd_fail_reads--;
            errno = EAGAIN;
            return -1;
        }
    }
    return __real_read(fd, buf, n);
}

void *__real_malloc(size_t n);
void *__wrap_malloc(size_t n)
{
    if (fail_malloc_size && n == fail_malloc_size) {
        fail_malloc_size = 0;
        return NULL;
    }
    return __real_malloc(n);
}

/* ---- helpers ---- */

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/test_app.XXXXXX");
    assert_non_null(mkdtemp(dir));
    fail_signalfd = false;
    sfd = -1;
    sfd_reads = sfd_fail_reads = 0;
    fail_malloc_size = 0;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[100];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

/* a replay of a golden trace, headless, silent, recording nothing */
static struct app_options replay_options(void)
{
    struct app_options o;
    memset(&o, 0, sizeof o);
    o.headless = true;
    o.replay = "tests/traces/rocking.csv";
    o.mute = true;
    o.no_record = true;
    o.storage = dir;
    o.src.kind = SOURCE_REPLAY;
    o.src.speed = 0;
    return o;
}

/* ---- the tests ---- */

static void replay_runs(void **state)
{
    (void)state;
    struct app_options o = replay_options();
    assert_int_equal(app_run(&o), 0);
    assert_true(sfd >= 0);
}

/* A bad configuration was an exit() inside the setup: teardown never ran.
 * Now app_run returns 2 (and this test is still running to see it). */
static void bad_config_returns_2(void **state)
{
    (void)state;
    char cfg[100];
    snprintf(cfg, sizeof cfg, "%s/bad.cfg", dir);
    FILE *f = fopen(cfg, "w");
    assert_non_null(f);
    fputs("display: { width = \"wide\"; };\n", f);
    fclose(f);
    struct app_options o = replay_options();
    o.config = cfg;
    assert_int_equal(app_run(&o), EXIT_USAGE);
    assert_int_equal(sfd, -1); /* it stopped before the signals were set up */
}

/* signalfd failing left SIGTERM blocked for good: a service that could
 * never close its session. Now the station does not start. */
static void signalfd_failure_is_an_error(void **state)
{
    (void)state;
    fail_signalfd = true;
    struct app_options o = replay_options();
    assert_int_equal(app_run(&o), 1);
}

/* The motion core's memory unchecked: a NULL handed to motion_init. */
static void motion_memory_refused(void **state)
{
    (void)state;
    fail_malloc_size = motion_size();
    struct app_options o = replay_options();
    assert_int_equal(app_run(&o), 1);
    assert_int_equal(fail_malloc_size, 0); /* the refusal was met */
}

/* A read of the signalfd that brings nothing (EAGAIN) is not a signal:
 * `si` was read uninitialised and the session ended on a signal nobody
 * sent. Now the loop waits for the real one: a SIGTERM pending from the
 * start is read on the second try, and ends the run as it should. */
static void signalfd_read_failure_reads_again(void **state)
{
    (void)state;
    sigset_t term, old;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    sigprocmask(SIG_BLOCK, &term, &old);
    raise(SIGTERM); /* pending until the station's signalfd reads it */
    sfd_fail_reads = 1;
    struct app_options o = replay_options();
    assert_int_equal(app_run(&o), 0);
    assert_int_equal(sfd_reads, 2);
    sigset_t pending;
    sigpending(&pending);
    assert_false(sigismember(&pending, SIGTERM)); /* it was read, not left */
    sigprocmask(SIG_SETMASK, &old, NULL);
}

/* The report's motion memory unchecked: now an error, not a crash. */
static void report_memory_refused(void **state)
{
    (void)state;
    char path[100];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"status\": \"complete\", \"steps\": []}\n", f);
    fclose(f);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "cp tests/traces/rocking.csv %s/trace.csv", dir);
    assert_int_equal(system(cmd), 0);
    struct motion_params mp;
    motion_params_default(&mp);
    char png[100], err[300] = "";
    snprintf(png, sizeof png, "%s/report.png", dir);
    FILE *out = fopen("/dev/null", "w");
    assert_non_null(out);
    fail_malloc_size = motion_size();
    int rc = report_write(dir, png, &mp, "assets/fonts", out, err, sizeof err);
    fclose(out);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(err, "out of memory"));
    assert_int_equal(access(png, F_OK), -1); /* no picture */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(replay_runs, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_config_returns_2, setup, teardown),
        cmocka_unit_test_setup_teardown(signalfd_failure_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(motion_memory_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(signalfd_read_failure_reads_again, setup, teardown),
        cmocka_unit_test_setup_teardown(report_memory_refused, setup, teardown),
    };
    if (getenv("TEST_FILTER")) /* one test at a time, e.g. to see it fail before a fix */
        cmocka_set_test_filter(getenv("TEST_FILTER"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
