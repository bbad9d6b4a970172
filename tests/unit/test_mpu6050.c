/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_mpu6050: the driver against the register-level emulator. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "sensor/mpu6050.h"
#include "sensor/mpu6050_emu.h"
#include "test_util.h"

/* A thigh at rest with a known reading, so parsed values can be checked. */
static void steady(void *ctx, double t, struct sample *s)
{
    (void)ctx;
    (void)t;
    s->a[0] = 0.5;
    s->a[1] = -0.25;
    s->a[2] = 0.8125;
    s->g[0] = 10;
    s->g[1] = -20;
    s->g[2] = 30;
}

/* A value that changes every sample, so lost or repeated frames show. */
static void ramp(void *ctx, double t, struct sample *s)
{
    (void)ctx;
    memset(s, 0, sizeof *s);
    s->a[2] = 1;
    s->g[0] = fmod(t * 100.0, 200.0); /* deg/s = sample clock * 100 */
}

struct rig {
    struct mpu6050_emu emu;
    struct imu dev;
    struct transport tr;
};

static const struct imu_settings defaults = {100, 44, 2, 250};

static int rig_open(struct rig *r, enum mpu6050_chip_id chip, mpu6050_emu_motion m,
                    const struct imu_settings *set, char *err, size_t len)
{
    mpu6050_emu_init(&r->emu, &mpu6050_models[chip], m, NULL);
    r->tr = mpu6050_emu_transport(&r->emu);
    /* the driver's clock is the emulator's: both start at 0 */
    return imu_open(&r->dev, &mpu6050_driver, &r->tr, set, r->emu.clk.now, err, len);
}

/* Runs the emulator for secs more seconds, reading every step. */
static size_t rig_run(struct rig *r, double secs, double step, struct sample *out, size_t max)
{
    size_t n = 0;
    double until = r->emu.clk.now + secs;
    while (r->emu.clk.now + 1e-9 < until) {
        mpu6050_emu_advance(&r->emu, r->emu.clk.now + step);
        n += imu_read(&r->dev, r->emu.clk.now, out + n, max - n);
    }
    return n;
}

/* A genuine chip on the ramp at the default settings, opened. */
static void rig_open_ramp(struct rig *r)
{
    char err[200];
    int rc = rig_open(r, MPU6050_CHIP_MPU6050, ramp, &defaults, err, sizeof err);
    if (rc != 0)
        fail_msg("rig_open: %s", err);
}

/* Every sample is the ramp at its own timestamp: whole frames, in time. */
static void assert_on_ramp(const struct sample *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        assert_near(s[i].g[0], fmod(s[i].t * 100.0, 200.0), 1.5);
}

static void test_init_writes_datasheet_values(void **state)
{
    (void)state;
    struct rig r;
    char err[200];
    assert_int_equal(rig_open(&r, MPU6050_CHIP_MPU6050, steady, &defaults, err, sizeof err), 0);
    const uint8_t *reg = r.emu.regs;
    assert_int_equal(reg[MPU6050_REG_PWR_MGMT_1], MPU6050_CLKSEL_PLL_XGYRO); /* awake, PLL */
    assert_int_equal(reg[MPU6050_REG_CONFIG], 3);      /* DLPF 44 Hz */
    assert_int_equal(reg[MPU6050_REG_SMPLRT_DIV], 9);  /* 1 kHz / (1 + 9) = 100 Hz */
    assert_int_equal(reg[MPU6050_REG_GYRO_CONFIG], 0); /* +-250 dps */
    assert_int_equal(reg[MPU6050_REG_ACCEL_CONFIG], 0); /* +-2 g */
    assert_int_equal(reg[MPU6050_REG_FIFO_EN], 0x78);  /* accel + 3 gyro axes */
    assert_int_equal(reg[MPU6050_REG_USER_CTRL], MPU6050_BIT_FIFO_EN);
    assert_int_equal(reg[MPU6050_REG_INT_ENABLE], 0x11);
    assert_near(r.dev.rate_hz, 100, 1e-9);
    assert_near(mpu6050_emu_rate(&r.emu), 100, 1e-9);
    struct imu_event ev;
    assert_false(imu_next_event(&r.dev, &ev)); /* genuine part: no warning */
}

static void test_divider_and_dlpf(void **state)
{
    (void)state;
    static const struct { int rate, dlpf, div, cfg; double actual; } cases[] = {
        {1000, 260, 7, 0, 1000}, {1000, 44, 0, 3, 1000}, {50, 21, 19, 4, 50},
        {300, 94, 2, 2, 1000.0 / 3}, {10, 5, 99, 6, 10},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rig r;
        struct imu_settings set = {cases[i].rate, cases[i].dlpf, 2, 250};
        char err[200];
        assert_int_equal(rig_open(&r, MPU6050_CHIP_MPU6050, steady, &set, err, sizeof err), 0);
        assert_int_equal(r.emu.regs[MPU6050_REG_SMPLRT_DIV], cases[i].div);
        assert_int_equal(r.emu.regs[MPU6050_REG_CONFIG], cases[i].cfg);
        assert_near(r.dev.rate_hz, cases[i].actual, 1e-9);
        assert_near(mpu6050_emu_rate(&r.emu), cases[i].actual, 1e-9);
    }
}

static void test_frames_parse_at_every_range(void **state)
{
    (void)state;
    const int ar[] = {2, 4, 8, 16}, gr[] = {250, 500, 1000, 2000};
    for (int i = 0; i < 4; i++) {
        struct rig r;
        struct imu_settings set = {100, 44, ar[i], gr[i]};
        char err[200];
        assert_int_equal(rig_open(&r, MPU6050_CHIP_MPU6050, steady, &set, err, sizeof err), 0);
        assert_int_equal(r.emu.regs[MPU6050_REG_ACCEL_CONFIG], i << 3);
        assert_int_equal(r.emu.regs[MPU6050_REG_GYRO_CONFIG], i << 3);
        struct sample s[64];
        size_t n = rig_run(&r, 0.5, 0.02, s, 64);
        assert_true(n >= 40);
        double alsb = mpu6050_accel_scales[i].lsb_per_unit;
        double glsb = mpu6050_gyro_scales[i].lsb_per_unit;
        assert_near(s[n - 1].a[0], 0.5, 0.5 / alsb + 1e-9);
        assert_near(s[n - 1].a[1], -0.25, 0.5 / alsb + 1e-9);
        assert_near(s[n - 1].a[2], 0.8125, 0.5 / alsb + 1e-9);
        assert_near(s[n - 1].g[0], 10, 0.5 / glsb + 1e-9);
        assert_near(s[n - 1].g[1], -20, 0.5 / glsb + 1e-9);
        assert_near(s[n - 1].g[2], 30, 0.5 / glsb + 1e-9);
    }
}

static void test_parse_frame_sign_and_limits(void **state)
{
    (void)state;
    const unsigned char f[12] = {0x80, 0x00, 0x7F, 0xFF, 0x00, 0x01,
                                 0xFF, 0xFF, 0x40, 0x00, 0x00, 0x00};
    struct sample s;
    mpu6050_parse_frame(f, 16384, 131, &s);
    assert_near(s.a[0], -2.0, 1e-12);
    assert_near(s.a[1], 32767 / 16384.0, 1e-12);
    assert_near(s.a[2], 1 / 16384.0, 1e-12);
    assert_near(s.g[0], -1 / 131.0, 1e-12);
    assert_near(s.g[1], 16384 / 131.0, 1e-12);
}

static void test_timestamps_from_sample_clock(void **state)
{
    (void)state;
    struct rig r;
    rig_open_ramp(&r);
    struct sample s[600];
    /* irregular reads: the timestamps must not inherit their jitter */
    size_t n = 0;
    const double steps[] = {0.013, 0.041, 0.007, 0.029, 0.052};
    for (int k = 0; r.emu.clk.now < 5.2; k++) {
        mpu6050_emu_advance(&r.emu, r.emu.clk.now + steps[k % 5]);
        n += imu_read(&r.dev, r.emu.clk.now, s + n, 600 - n);
    }
    assert_true(n > 480);
    for (size_t i = 1; i < n; i++)
        assert_near(s[i].t - s[i - 1].t, 0.01, 1e-3);
    /* and they say when the sample was taken: the ramp encodes its time */
    assert_on_ramp(s, n);
}

static void test_clock_drift_is_followed(void **state)
{
    (void)state;
    struct rig r;
    char err[200];
    mpu6050_emu_init(&r.emu, &mpu6050_models[MPU6050_CHIP_MPU6050], steady, NULL);
    r.emu.clock_error = 0.02; /* sensor oscillator 2 % fast */
    r.tr = mpu6050_emu_transport(&r.emu);
    assert_int_equal(imu_open(&r.dev, &mpu6050_driver, &r.tr, &defaults, 0, err, sizeof err), 0);
    static struct sample s[8000];
    size_t n = rig_run(&r, 60, 0.02, s, 8000);
    assert_true(n > 6000);
    /* 60 s at 102 Hz: the last sample is stamped near the time it was taken */
    assert_near(s[n - 1].t, r.emu.clk.now, 0.05);
    for (size_t i = 1; i < n; i++)
        assert_true(s[i].t > s[i - 1].t);
}

static void test_overflow_is_a_gap_not_glue(void **state)
{
    (void)state;
    struct rig r;
    rig_open_ramp(&r);
    struct sample s[400];
    size_t n = rig_run(&r, 1.0, 0.02, s, 400);
    double before = s[n - 1].t;
    /* nobody reads for 3 s: 300 frames into a FIFO that holds 85 */
    mpu6050_emu_advance(&r.emu, r.emu.clk.now + 3.0);
    assert_true(r.emu.regs[MPU6050_REG_INT_STATUS] & MPU6050_BIT_FIFO_OFLOW_INT);
    size_t m = rig_run(&r, 1.0, 0.02, s, 400);
    assert_true(m > 80);
    struct imu_event ev;
    bool overflow = false, gap = false;
    while (imu_next_event(&r.dev, &ev)) {
        overflow |= ev.kind == IMU_EV_OVERFLOW;
        if (ev.kind == IMU_EV_GAP) {
            gap = true;
            assert_near(ev.t, before + 0.01, 0.02);
            assert_near(ev.length_s, s[0].t - before - 0.01, 1e-6);
            assert_true(ev.length_s > 2.9);
        }
    }
    assert_true(overflow);
    assert_true(gap);
    assert_int_equal(r.dev.overflows, 1);
    /* after the reset the frames are whole and in time again */
    assert_on_ramp(s, m);
}

static void test_corrupted_count_resets(void **state)
{
    (void)state;
    struct rig r;
    rig_open_ramp(&r);
    struct sample s[400];
    rig_run(&r, 0.5, 0.02, s, 400);
    r.emu.bus.corrupt_count_next = 1;
    size_t m = rig_run(&r, 1.0, 0.02, s, 400);
    assert_true(m > 80);
    struct imu_event ev;
    bool reset = false;
    while (imu_next_event(&r.dev, &ev))
        reset |= ev.kind == IMU_EV_OVERFLOW && strstr(ev.text, "corrupted");
    assert_true(reset);
    assert_on_ramp(s, m);
}

static void test_nack_is_retried(void **state)
{
    (void)state;
    struct rig r;
    rig_open_ramp(&r);
    struct sample s[400];
    rig_run(&r, 0.5, 0.02, s, 400);
    r.emu.bus.nack_next = 2; /* fewer than the retries */
    size_t m = rig_run(&r, 1.0, 0.02, s, 400);
    assert_int_equal(m, 100);
    assert_false(r.dev.lost);
    assert_int_equal(r.dev.io_errors, 2);
}

static void test_unplug_and_replug(void **state)
{
    (void)state;
    struct rig r;
    rig_open_ramp(&r);
    struct sample s[1000];
    size_t n = rig_run(&r, 1.0, 0.02, s, 1000);
    double before = s[n - 1].t;
    r.emu.bus.disconnected = true;
    assert_int_equal(rig_run(&r, 2.0, 0.02, s, 1000), 0);
    assert_true(r.dev.lost);
    /* a replugged chip powers up from reset: asleep, default registers */
    mpu6050_emu_init(&r.emu, &mpu6050_models[MPU6050_CHIP_MPU6050], ramp, NULL);
    r.emu.clk.now = r.emu.clk.next_sample = before + 2.0;
    size_t m = rig_run(&r, 3.0, 0.02, s, 1000);
    assert_false(r.dev.lost);
    assert_true(m > 150);
    struct imu_event ev;
    int lost = 0, resumed = 0, gaps = 0;
    while (imu_next_event(&r.dev, &ev)) {
        lost += ev.kind == IMU_EV_LOST;
        resumed += ev.kind == IMU_EV_RESUMED;
        if (ev.kind == IMU_EV_GAP) {
            gaps++;
            assert_near(ev.length_s, s[0].t - before - 0.01, 1e-6);
            assert_true(ev.length_s > 2.0);
        }
    }
    assert_int_equal(lost, 1);
    assert_int_equal(resumed, 1);
    assert_int_equal(gaps, 1);
    assert_int_equal(r.emu.regs[MPU6050_REG_SMPLRT_DIV], 9); /* re-initialised */
    assert_on_ramp(s, m);
}

/* A brown-out shorter than a read: the chip comes back from power-on reset
 * (asleep, FIFO off) and every read succeeds with a count of 0. The
 * data-flow watchdog must notice, say what it found, set the chip up again
 * and report the gap; the samples must flow again. */
static void test_power_loss_between_reads_is_reset(void **state)
{
    (void)state;
    struct rig r;
    rig_open_ramp(&r);
    struct sample s[1000];
    size_t n = rig_run(&r, 1.0, 0.02, s, 1000);
    assert_true(n > 50);
    double before = s[n - 1].t;
    mpu6050_emu_power_cycle(&r.emu);
    /* the emulator behaves like the chip: asleep, FIFO off, nothing comes */
    assert_int_equal(r.emu.regs[MPU6050_REG_PWR_MGMT_1], MPU6050_BIT_SLEEP);
    assert_int_equal(r.emu.regs[MPU6050_REG_USER_CTRL], 0);
    assert_int_equal(r.emu.regs[MPU6050_REG_FIFO_EN], 0);
    assert_near(mpu6050_emu_rate(&r.emu), 0, 0);
    assert_int_equal(rig_run(&r, IMU_STALL_S * 0.8, 0.02, s, 1000), 0);
    assert_int_equal(r.dev.resets, 0); /* not before the stated time */
    size_t m = rig_run(&r, 3.0, 0.02, s, 1000);
    assert_true(m > 150);
    assert_false(r.dev.lost);
    assert_int_equal(r.dev.resets, 1);
    assert_int_equal(r.dev.losses, 0);
    assert_int_equal(r.emu.regs[MPU6050_REG_PWR_MGMT_1], MPU6050_CLKSEL_PLL_XGYRO);
    assert_int_equal(r.emu.regs[MPU6050_REG_FIFO_EN], 0x78);
    struct imu_event ev;
    int resets = 0, gaps = 0;
    while (imu_next_event(&r.dev, &ev)) {
        if (ev.kind == IMU_EV_RESET) {
            resets++;
            assert_non_null(strstr(ev.text, "asleep"));
            assert_non_null(strstr(ev.text, "re-initialised"));
        }
        if (ev.kind == IMU_EV_GAP) {
            gaps++;
            assert_near(ev.length_s, s[0].t - before - 0.01, 1e-6);
            assert_true(ev.length_s >= IMU_STALL_S);
            assert_true(ev.length_s < IMU_STALL_S + 0.5);
        }
    }
    assert_int_equal(resets, 1);
    assert_int_equal(gaps, 1);
    assert_on_ramp(s, m);
}

/* A chip that answers and keeps sending is never reset, however long. */
static void test_steady_flow_is_never_reset(void **state)
{
    (void)state;
    struct rig r;
    rig_open_ramp(&r);
    static struct sample s[4000];
    assert_true(rig_run(&r, 30.0, 0.1, s, 4000) > 2900);
    assert_int_equal(r.dev.resets, 0);
}

static void test_stuck_bus_reprobes_once_a_second(void **state)
{
    (void)state;
    struct rig r;
    rig_open_ramp(&r);
    struct sample s[400];
    rig_run(&r, 0.5, 0.02, s, 400);
    r.emu.bus.stuck = true;
    unsigned long long before = r.emu.bus.transfers;
    rig_run(&r, 5.0, 0.02, s, 400);
    assert_true(r.dev.lost);
    /* 3 tries when it went, then one WHO_AM_I a second: the loop is not hammered */
    assert_true(r.emu.bus.transfers - before <= 3 + 6);
    r.emu.bus.stuck = false;
    size_t m = rig_run(&r, 2.0, 0.02, s, 400);
    assert_false(r.dev.lost);
    assert_true(m > 50);
}

static void test_clone_is_named_and_works(void **state)
{
    (void)state;
    struct rig r;
    char err[200];
    assert_int_equal(rig_open(&r, MPU6050_CHIP_MPU6500, steady, &defaults, err, sizeof err), 0);
    struct imu_event ev;
    assert_true(imu_next_event(&r.dev, &ev));
    assert_int_equal(ev.kind, IMU_EV_NOTICE);
    assert_non_null(strstr(ev.text, "MPU-6500"));
    assert_non_null(strstr(ev.text, "0x70"));
    assert_int_equal(r.emu.regs[MPU6500_REG_ACCEL_CONFIG2], 3);
    struct sample s[64];
    /* the 6500's FIFO is half the size: reads still keep up */
    size_t n = rig_run(&r, 0.5, 0.02, s, 64);
    assert_true(n >= 40);
    assert_near(s[n - 1].g[1], -20, 0.01);
}

static void test_unknown_chip_is_refused(void **state)
{
    (void)state;
    struct rig r;
    char err[200];
    mpu6050_emu_init(&r.emu, &mpu6050_models[MPU6050_CHIP_MPU6050], steady, NULL);
    r.emu.chip = &(struct imu_model){"mystery", 0x55, "mystery", 1024, 0, false};
    r.emu.regs[MPU6050_REG_WHO_AM_I] = 0x55;
    r.tr = mpu6050_emu_transport(&r.emu);
    assert_int_equal(imu_open(&r.dev, &mpu6050_driver, &r.tr, &defaults, 0, err, sizeof err), -ENODEV);
    assert_non_null(strstr(err, "WHO_AM_I reads 0x55"));
}

static void test_absent_chip_is_an_error(void **state)
{
    (void)state;
    struct rig r;
    char err[200];
    mpu6050_emu_init(&r.emu, &mpu6050_models[MPU6050_CHIP_MPU6050], steady, NULL);
    r.emu.bus.disconnected = true;
    r.tr = mpu6050_emu_transport(&r.emu);
    assert_int_equal(imu_open(&r.dev, &mpu6050_driver, &r.tr, &defaults, 0, err, sizeof err), -ENXIO);
    assert_non_null(strstr(err, "no answer from the sensor"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_writes_datasheet_values),
        cmocka_unit_test(test_divider_and_dlpf),
        cmocka_unit_test(test_frames_parse_at_every_range),
        cmocka_unit_test(test_parse_frame_sign_and_limits),
        cmocka_unit_test(test_timestamps_from_sample_clock),
        cmocka_unit_test(test_clock_drift_is_followed),
        cmocka_unit_test(test_overflow_is_a_gap_not_glue),
        cmocka_unit_test(test_corrupted_count_resets),
        cmocka_unit_test(test_nack_is_retried),
        cmocka_unit_test(test_unplug_and_replug),
        cmocka_unit_test(test_power_loss_between_reads_is_reset),
        cmocka_unit_test(test_steady_flow_is_never_reset),
        cmocka_unit_test(test_stuck_bus_reprobes_once_a_second),
        cmocka_unit_test(test_clone_is_named_and_works),
        cmocka_unit_test(test_unknown_chip_is_refused),
        cmocka_unit_test(test_absent_chip_is_an_error),
    };
    return cmocka_run_group_tests_name("mpu6050", tests, NULL, NULL);
}
