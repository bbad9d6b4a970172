/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_util: what every cmocka test program includes. */
#ifndef STATION_TEST_UTIL_H
#define STATION_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

/* Removes dir and all it holds: a test's scratch folder under /tmp. */
static inline int test_rm_rf(const char *dir)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}

/* cmocka's assert_true on a double comparison, with the values in the message. */
#define assert_near(a, b, tol)                                                       \
    do {                                                                             \
        double a_ = (a), b_ = (b), t_ = (tol);                                       \
        if (!(a_ - b_ <= t_ && b_ - a_ <= t_))                                       \
            fail_msg("%s = %g, expected %g +- %g", #a, a_, b_, t_);                  \
    } while (0)

#endif
