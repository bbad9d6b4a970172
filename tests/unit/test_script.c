/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_script: the button-script reader, and the inputs the fuzzer found. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app/script.h"
#include "test_util.h"

static char path[64];

static int load(const char *text, struct script *s, char *err, size_t len)
{
    snprintf(path, sizeof path, "/tmp/station-script-%d", (int)getpid());
    FILE *fp = fopen(path, "w");
    fputs(text, fp);
    fclose(fp);
    int rc = script_load(s, path, err, len);
    unlink(path);
    return rc;
}

static void test_times_and_commands(void **state)
{
    (void)state;
    struct script s;
    char err[300];
    assert_int_equal(load("# c\n0.5 start\n\n130 next   # skip\n2:15 back\n3:00 stop\n", &s, err,
                          sizeof err), 0);
    assert_int_equal(s.n, 4);
    enum session_cmd c;
    assert_int_equal(script_due(&s, 0.4, &c), 0);
    assert_int_equal(script_due(&s, 0.5, &c), 1);
    assert_int_equal(c, CMD_START_PAUSE);
    assert_int_equal(script_due(&s, 200, &c), 1);
    assert_int_equal(c, CMD_NEXT);
    assert_int_equal(script_due(&s, 200, &c), 1);
    assert_int_equal(c, CMD_BACK);
    assert_near(s.t[2], 135, 1e-9);
    assert_int_equal(script_due(&s, 179, &c), 0); /* stop is at 180 */
    assert_int_equal(script_due(&s, INFINITY, &c), 1);
    assert_int_equal(c, CMD_STOP);
}

static void test_errors_name_the_line(void **state)
{
    (void)state;
    struct script s;
    char err[300];
    assert_int_equal(load("0.5 start\n1 jump\n", &s, err, sizeof err), -1);
    assert_non_null(strstr(err, ":2: 'jump' is not one of start, next, back, stop"));
    assert_int_equal(load("5 start\n4 next\n", &s, err, sizeof err), -1);
    assert_non_null(strstr(err, ":2: 4 comes before the line above"));
    assert_int_equal(load("soon start\n", &s, err, sizeof err), -1);
    assert_non_null(strstr(err, ":1: 'soon' is not a time"));
    assert_int_equal(load("1 start now\n", &s, err, sizeof err), -1);
    assert_non_null(strstr(err, ":1: expected 'TIME COMMAND'"));
    assert_int_equal(load("1:75 start\n", &s, err, sizeof err), -1);
    /* what strtod would take but a person does not write */
    assert_int_equal(load("0x10 start\n", &s, err, sizeof err), -1);
    assert_non_null(strstr(err, ":1: '0x10' is not a time"));
    assert_int_equal(load("inf start\n", &s, err, sizeof err), -1);
    assert_int_equal(load("1e3 start\n", &s, err, sizeof err), -1);
}

/* Found by fuzz_script: a time of 10^52 s was taken, and no command at any
 * real time ever came due. Times are now limited to a day. */
static void test_fuzz_huge_time(void **state)
{
    (void)state;
    struct script s;
    char err[300];
    assert_int_equal(load("#\n05 start\n9999999999999999999999999999999999999999999999999999130 next\n",
                          &s, err, sizeof err), -1);
    assert_non_null(strstr(err, ":3: "));
    assert_non_null(strstr(err, "up to 86400 s"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_times_and_commands),
        cmocka_unit_test(test_errors_name_the_line),
        cmocka_unit_test(test_fuzz_huge_time),
    };
    return cmocka_run_group_tests_name("script", tests, NULL, NULL);
}
