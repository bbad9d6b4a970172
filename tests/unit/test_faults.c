/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_faults: the emulator's fault script on its own: what it accepts,
 * what it refuses and how it says so, and what it does to a bus when. */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "sensor/emu_core.h"
#include "sensor/faults.h"
#include "test_util.h"

static void test_parses_every_kind(void **state)
{
    (void)state;
    struct fault_script fs;
    char err[300];
    assert_int_equal(faults_parse(&fs, "disconnect@1+2.5,stuck@3+1,stall@4+2,nack@5x3,"
                                       "corrupt@6,brownout@7,chip=lsm6dso", err, sizeof err), 0);
    assert_int_equal(fs.n, 6);
    assert_int_equal(fs.f[0].kind, F_DISCONNECT);
    assert_near(fs.f[0].at, 1, 0);
    assert_near(fs.f[0].len, 2.5, 0);
    assert_int_equal(fs.f[3].kind, F_NACK);
    assert_int_equal(fs.f[3].count, 3);
    assert_int_equal(fs.f[5].kind, F_BROWNOUT);
    assert_string_equal(fs.chip, "lsm6dso");
    assert_int_equal(faults_parse(&fs, NULL, err, sizeof err), 0);
    assert_int_equal(fs.n, 0);
    assert_string_equal(fs.chip, "");
    assert_int_equal(faults_parse(&fs, "chip=icm20602", err, sizeof err), 0); /* a relative */
}

static void test_refuses_with_what_is_allowed(void **state)
{
    (void)state;
    static const struct { const char *spec, *says; } bad[] = {
        {"", "--faults: empty; give one or more of disconnect@T+LEN"},
        {",,", "--faults: empty"},
        {"unplug@3", "'unplug' is not one of disconnect@T+LEN, stuck@T+LEN"},
        {"disconnect", "'disconnect' is not one of"},
        {"stall@1", "'stall@1' is not of the form"},
        {"stall@1+0", "'stall@1+0' is not of the form"},
        {"nack@2x0", "'nack@2x0': the count is not a whole number from 1 to 1000000"},
        {"nack@2x1000001", "'nack@2x1000001': the count is not a whole number from 1 to 1000000"},
        {"nack@1x4294967297", "from 1 to 1000000"}, /* was taken as 1 */
        {"nack@1x99999999999999999999", "from 1 to 1000000"},
        {"nack@1x2y", "from 1 to 1000000"},
        {"nack@1", "'nack@1' is not of the form"},
        {"corrupt@-1", "'corrupt@-1' is not of the form"},
        {"brownout@1+2", "'brownout@1+2' is not of the form"},
        {"disconnect@inf+1", "is not of the form"},
        {"chip=bmi160", "no chip 'bmi160' (one of mpu6050, mpu6500"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct fault_script fs;
        char err[400] = "";
        if (faults_parse(&fs, bad[i].spec, err, sizeof err) != -1 || !strstr(err, bad[i].says))
            fail_msg("'%s': got \"%s\", expected \"%s\"", bad[i].spec, err, bad[i].says);
    }
    char long_spec[600];
    memset(long_spec, 'x', sizeof long_spec - 1);
    long_spec[sizeof long_spec - 1] = '\0';
    struct fault_script fs;
    char err[300];
    assert_int_equal(faults_parse(&fs, long_spec, err, sizeof err), -1);
    assert_non_null(strstr(err, "599 characters; at most 511"));
    char many[400] = "";
    for (int i = 0; i <= FAULTS_MAX; i++)
        strcat(many, "corrupt@1,");
    assert_int_equal(faults_parse(&fs, many, err, sizeof err), -1);
    assert_string_equal(err, "--faults: more than 16 faults; at most 16 are allowed");
}

/* Overlapping nacks add up without overflowing the bus's count. */
static void test_nack_counts_saturate(void **state)
{
    (void)state;
    struct fault_script fs;
    char err[300];
    assert_int_equal(faults_parse(&fs, "nack@1x1000000,nack@1x1000000", err, sizeof err), 0);
    assert_int_equal(fs.f[0].count, 1000000);
    struct emu_bus bus = {.nack_next = INT_MAX - 5};
    struct fault_target t = {&bus, NULL, NULL}; /* a nack cycles no power */
    faults_run(&fs, 1.0, &t);
    assert_int_equal(bus.nack_next, INT_MAX);
}

static int cycles;
static void count_cycle(void *emu)
{
    (void)emu;
    cycles++;
}

/* Faults start and end at their times; a replug is a fresh chip; two
 * overlapping disconnects keep it off the bus until the later ends. */
static void test_runs_on_a_bus(void **state)
{
    (void)state;
    struct fault_script fs;
    char err[300];
    assert_int_equal(faults_parse(&fs, "disconnect@1+2,disconnect@2+3,stuck@6+1,nack@8x2,"
                                       "corrupt@9,brownout@10,stall@11+2", err, sizeof err), 0);
    struct emu_bus bus = {0};
    struct fault_target t = {&bus, count_cycle, NULL};
    cycles = 0;
    faults_run(&fs, 0.5, &t);
    assert_false(bus.disconnected);
    faults_run(&fs, 1.0, &t);
    assert_true(bus.disconnected);
    faults_run(&fs, 3.5, &t); /* the first ended, the second has not */
    assert_true(bus.disconnected);
    assert_int_equal(cycles, 1);
    faults_run(&fs, 5.0, &t);
    assert_false(bus.disconnected);
    assert_int_equal(cycles, 2);
    faults_run(&fs, 6.5, &t);
    assert_true(bus.stuck);
    assert_int_equal(emu_bus_fault(&bus), -ETIMEDOUT);
    faults_run(&fs, 7.5, &t);
    assert_false(bus.stuck);
    faults_run(&fs, 9.5, &t);
    assert_int_equal(bus.nack_next, 2);
    assert_int_equal(emu_bus_fault(&bus), -EIO);
    assert_int_equal(emu_bus_fault(&bus), -EIO);
    assert_int_equal(emu_bus_fault(&bus), 0);
    assert_true(emu_bus_corrupt_count(&bus));
    assert_false(emu_bus_corrupt_count(&bus));
    faults_run(&fs, 10.0, &t);
    assert_int_equal(cycles, 3);
    assert_false(faults_stalled(&fs, 10.9));
    faults_run(&fs, 11.0, &t);
    assert_true(faults_stalled(&fs, 11.0));
    assert_true(faults_stalled(&fs, 12.9));
    assert_false(faults_stalled(&fs, 13.0));
    faults_run(&fs, 20.0, &t); /* nothing happens twice */
    assert_int_equal(cycles, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parses_every_kind),
        cmocka_unit_test(test_refuses_with_what_is_allowed),
        cmocka_unit_test(test_runs_on_a_bus),
        cmocka_unit_test(test_nack_counts_saturate),
    };
    return cmocka_run_group_tests_name("faults", tests, NULL, NULL);
}
