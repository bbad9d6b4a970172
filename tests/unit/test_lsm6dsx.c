/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_lsm6dsx: the LSM6DS3 and LSM6DSO drivers against their
 * register-level emulator: the registers init writes (checked against the
 * datasheets' fields), frames decoded at every range, the tagged FIFO, and
 * recovery through the shared IMU core; the per-chip configuration rules. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sensor/drivers.h"
#include "sensor/lsm6dsx.h"
#include "sensor/lsm6dsx_emu.h"
#include "sensor/lsm6dsx_regs.h"
#include "sensor/mpu6050.h"
#include "test_util.h"

static struct sample held = {0, {0.5, -0.25, 0.8125}, {10, -20, 100}};

static void still(void *ctx, double t, struct sample *s)
{
    (void)ctx;
    *s = held;
    s->t = t;
}

/* gyro x = 100 deg/s per second of the chip's clock, wrapping at 200 */
static void ramp(void *ctx, double t, struct sample *s)
{
    (void)ctx;
    memset(s, 0, sizeof *s);
    s->a[2] = 1;
    s->g[0] = fmod(t * 100.0, 200.0);
}

struct chip {
    struct lsm6dsx_emu emu;
    struct imu dev;
    const struct imu_driver *drv;
};

/* The emulated model of drv, opened by drv at set; returns imu_open's. */
static int chip_up(struct chip *c, const struct imu_driver *drv, const struct imu_model *model,
                   imu_motion m, const struct imu_settings *set, char *err, size_t len)
{
    c->drv = drv;
    drv->emu->init(&c->emu, model, m, NULL);
    struct transport tr = drv->emu->transport(&c->emu);
    return imu_open(&c->dev, drv, &tr, set, c->emu.clk.now, err, len);
}

/* secs more of the chip's time, read every 20 ms */
static size_t chip_run(struct chip *c, double secs, struct sample *out, size_t max)
{
    size_t n = 0;
    for (double end = c->emu.clk.now + secs; c->emu.clk.now + 1e-9 < end;) {
        c->drv->emu->advance(&c->emu, c->emu.clk.now + 0.02);
        n += imu_read(&c->dev, c->emu.clk.now, out + n, max - n);
    }
    return n;
}

static void open_or_fail(struct chip *c, const struct imu_driver *drv, imu_motion m,
                         const struct imu_settings *set)
{
    char err[200];
    if (chip_up(c, drv, &drv->models[0], m, set, err, sizeof err) != 0)
        fail_msg("%s: %s", drv->family, err);
}

static void test_ds3_init_registers(void **state)
{
    (void)state;
    struct chip c;
    struct imu_settings set = {104, 50, 2, 250};
    open_or_fail(&c, &lsm6ds3_driver, still, &set);
    const uint8_t *r = c.emu.regs;
    assert_int_equal(r[0x12], 0x44); /* CTRL3_C: BDU, IF_INC */
    assert_int_equal(r[0x13], 0x80); /* CTRL4_C: XL_BW_SCAL_ODR, BW_XL chooses */
    assert_int_equal(r[0x10], 0x43); /* CTRL1_XL: ODR 104 Hz (0100), +-2 g (00), BW 50 Hz (11) */
    assert_int_equal(r[0x11], 0x40); /* CTRL2_G: ODR 104 Hz, 250 dps (00) */
    assert_int_equal(r[0x06], 6);    /* FIFO_CTRL1: threshold one pattern of 6 words */
    assert_int_equal(r[0x07], 0);    /* FIFO_CTRL2 */
    assert_int_equal(r[0x08], 0x09); /* FIFO_CTRL3: gyro and accel, no decimation */
    assert_int_equal(r[0x0A], 0x26); /* FIFO_CTRL5: ODR_FIFO 104 Hz (0100), continuous (110) */
    assert_int_equal(r[0x0D], 0x18); /* INT1_CTRL: FIFO threshold and overrun on INT1 */
    assert_near(c.dev.rate_hz, 104, 0);
    assert_near(lsm6dsx_emu_rate(&c.emu), 104, 0);
    struct imu_event ev;
    assert_false(imu_next_event(&c.dev, &ev)); /* the genuine part: no warning */
}

static void test_dso_init_registers(void **state)
{
    (void)state;
    struct chip c;
    /* 26 Hz = ODR/4: LPF2 on, HPCF_XL 000; 10 Hz = ODR/10: HPCF_XL 001 */
    struct imu_settings set = {104, 26, 4, 500};
    open_or_fail(&c, &lsm6dso_driver, still, &set);
    const uint8_t *r = c.emu.regs;
    assert_int_equal(r[0x12], 0x44); /* CTRL3_C */
    assert_int_equal(r[0x13], 0x00); /* CTRL4_C */
    assert_int_equal(r[0x10], 0x4A); /* CTRL1_XL: 104 Hz, +-4 g (10), LPF2_XL_EN */
    assert_int_equal(r[0x17], 0x00); /* CTRL8_XL: HPCF_XL 000 */
    assert_int_equal(r[0x11], 0x44); /* CTRL2_G: 104 Hz, 500 dps (01) */
    assert_int_equal(r[0x07], 2);    /* FIFO_CTRL1: threshold one gyro + one accel word */
    assert_int_equal(r[0x08], 0);    /* FIFO_CTRL2 */
    assert_int_equal(r[0x09], 0x44); /* FIFO_CTRL3: BDR_GY = BDR_XL = 104 Hz */
    assert_int_equal(r[0x0A], 0x06); /* FIFO_CTRL4: continuous */
    assert_int_equal(r[0x0D], 0x18); /* INT1_CTRL */
    set.filter_hz = 10;
    open_or_fail(&c, &lsm6dso_driver, still, &set);
    assert_int_equal(c.emu.regs[0x17], 0x20);
    set.filter_hz = 52; /* ODR/2: LPF1 only */
    open_or_fail(&c, &lsm6dso_driver, still, &set);
    assert_int_equal(c.emu.regs[0x10], 0x48);
    set.filter_hz = 44; /* not a fraction of 104 the chip has */
    char err[200];
    assert_int_equal(chip_up(&c, &lsm6dso_driver, lsm6dso_models, still, &set, err, sizeof err),
                     -EINVAL);
    assert_non_null(strstr(err, "unsupported settings for the LSM6DSO"));
}

/* Each full scale: its FS field code, and a frame the emulator quantised
 * decodes to the motion within one LSB. */
static void test_ranges_round_trip(void **state)
{
    (void)state;
    const int g[] = {2, 4, 8, 16}, gcode[] = {0, 2, 3, 1};
    const int dps[] = {250, 500, 1000, 2000};
    const struct imu_driver *drivers[] = {&lsm6ds3_driver, &lsm6dso_driver};
    for (int d = 0; d < 2; d++)
        for (int i = 0; i < 4; i++) {
            struct chip c;
            struct imu_settings set = {52, d == 0 ? 100 : 26, g[i], dps[i]};
            open_or_fail(&c, drivers[d], still, &set);
            assert_int_equal((c.emu.regs[0x10] >> 2) & 3, gcode[i]);
            assert_int_equal((c.emu.regs[0x11] >> 2) & 3, i);
            struct sample s[64];
            size_t n = chip_run(&c, 0.5, s, 64);
            assert_true(n >= 15);
            for (int k = 0; k < 3; k++) {
                assert_near(s[n - 1].a[k], held.a[k], 1.0 / c.dev.accel_lsb);
                assert_near(s[n - 1].g[k], held.g[k], 1.0 / c.dev.gyro_lsb);
            }
        }
}

/* Frames as the datasheets lay them out, decoded by the drivers. */
static void test_frame_decoding(void **state)
{
    (void)state;
    struct imu dev = {.accel_lsb = 1000 / 0.061, .gyro_lsb = 1000 / 8.75};
    /* DS3: gyro x, y, z then accel x, y, z, little-endian 16-bit words */
    const uint8_t ds3[12] = {0x77, 0x04, 0x89, 0xFB, 0x00, 0x00,  /* 1143, -1143, 0 */
                             0x00, 0x00, 0x00, 0xE0, 0x09, 0x40}; /* 0, -8192, 16393 */
    struct sample s;
    assert_true(lsm6ds3_driver.decode(&dev, ds3, &s));
    assert_near(s.g[0], 10.00125, 1e-5); /* 1143 x 8.75 mdps */
    assert_near(s.g[1], -10.00125, 1e-5);
    assert_near(s.a[1], -0.499712, 1e-6); /* -8192 x 0.061 mg */
    assert_near(s.a[2], 0.999973, 1e-6);
    /* DSO: tagged words, in either order */
    const uint8_t dso[14] = {0x10, 0x00, 0x00, 0x00, 0x00, 0x09, 0x40,  /* accel tag 0x02 */
                             0x0B, 0x77, 0x04, 0x00, 0x00, 0x00, 0x00}; /* gyro tag 0x01, cnt 1, parity */
    assert_true(lsm6dso_driver.decode(&dev, dso, &s));
    assert_near(s.a[2], 0.999973, 1e-6);
    assert_near(s.g[0], 10.00125, 1e-5);
    /* two gyro words: a frame out of step, not a sample */
    uint8_t twice[14];
    memcpy(twice, dso + 7, 7);
    memcpy(twice + 7, dso + 7, 7);
    assert_false(lsm6dso_driver.decode(&dev, twice, &s));
}

/* Samples come out of the FIFO whole, at the chip's rate, on time. */
static void test_fifo_stream(void **state)
{
    (void)state;
    const struct imu_driver *drivers[] = {&lsm6ds3_driver, &lsm6dso_driver};
    for (int d = 0; d < 2; d++) {
        struct chip c;
        struct imu_settings set = {208, d == 0 ? 100 : 52, 2, 250};
        open_or_fail(&c, drivers[d], ramp, &set);
        static struct sample s[2000];
        size_t n = chip_run(&c, 5.0, s, 2000);
        assert_true(n > 208 * 4.8 && n <= 208 * 5);
        for (size_t i = 0; i < n; i++)
            assert_near(s[i].g[0], fmod(s[i].t * 100.0, 200.0), 1.0);
        for (size_t i = 1; i < n; i++)
            if (fabs(s[i].t - s[i - 1].t - 1 / 208.0) > 5e-4) /* the clock is disciplined */
                fail_msg("%s: sample %zu of %zu: %g after the one before", drivers[d]->family,
                         i, n, s[i].t - s[i - 1].t);
        assert_int_equal(c.dev.bad_frames, 0);
    }
}

/* Nobody reads for stall_s: the FIFO overruns; the driver resets it, tells
 * the gap (about stall_s long), and carries on with samples on the ramp. */
static void overrun_case(const struct imu_driver *drv, const struct imu_settings *set,
                         double stall_s)
{
    struct chip c;
    open_or_fail(&c, drv, ramp, set);
    static struct sample s[2000];
    assert_true(chip_run(&c, 1.0, s, 2000) > 80);
    lsm6dsx_emu_advance(&c.emu, c.emu.clk.now + stall_s);
    assert_true(c.emu.over_run);
    size_t n = chip_run(&c, 1.0, s, 2000);
    assert_true(n > 80);
    bool overflow = false, gap = false;
    struct imu_event ev;
    while (imu_next_event(&c.dev, &ev)) {
        overflow |= ev.kind == IMU_EV_OVERFLOW;
        if (ev.kind == IMU_EV_GAP) {
            gap = true;
            assert_true(ev.length_s > stall_s - 1.0 && ev.length_s < stall_s + 0.5);
        }
    }
    assert_true(overflow && gap);
    assert_int_equal(c.dev.overflows, 1);
    for (size_t i = 0; i < n; i++)
        assert_near(s[i].g[0], fmod(s[i].t * 100.0, 200.0), 1.0);
}

static void test_overrun_and_gap(void **state)
{
    (void)state;
    struct imu_settings set = {104, 52, 2, 250};
    overrun_case(&lsm6dso_driver, &set, 4.0); /* 416 samples: 256 fit */
}

/* The LSM6DS3 overruns as well: 4096 words are 682 frames, 6.6 s at 104 Hz. */
static void test_ds3_overrun_and_gap(void **state)
{
    (void)state;
    struct imu_settings set = {104, 50, 2, 250};
    overrun_case(&lsm6ds3_driver, &set, 8.0);
}

/* Power lost for an instant: powered down, FIFO bypassed, every transfer
 * fine. The data-flow watchdog finds it and sets it up again. */
static void test_power_loss_is_reset(void **state)
{
    (void)state;
    struct chip c;
    struct imu_settings set = {104, 100, 2, 250};
    open_or_fail(&c, &lsm6ds3_driver, ramp, &set);
    static struct sample s[2000];
    chip_run(&c, 1.0, s, 2000);
    lsm6dsx_emu_power_cycle(&c.emu);
    assert_int_equal(c.emu.regs[0x10], 0);
    assert_int_equal(c.emu.regs[0x12], 0x04); /* CTRL3_C reset value: IF_INC */
    chip_run(&c, 2.0, s, 2000);
    assert_int_equal(c.dev.resets, 1);
    assert_false(c.dev.lost);
    struct imu_event ev;
    bool told = false;
    while (imu_next_event(&c.dev, &ev))
        told |= ev.kind == IMU_EV_RESET && strstr(ev.text, "powered down") != NULL;
    assert_true(told);
    assert_int_equal(c.emu.regs[0x10], 0x42); /* CTRL1_XL as set again: BW_XL 100 Hz */
}

/* Bus faults through the shared core: NACKs retried, a disconnect lost
 * and found again, a garbage FIFO level reset. */
static void test_bus_faults(void **state)
{
    (void)state;
    struct chip c;
    struct imu_settings set = {104, 52, 2, 250};
    open_or_fail(&c, &lsm6dso_driver, ramp, &set);
    static struct sample s[2000];
    chip_run(&c, 0.5, s, 2000);
    c.emu.bus.nack_next = 2;
    assert_true(chip_run(&c, 0.5, s, 2000) > 40);
    assert_false(c.dev.lost);
    c.emu.bus.corrupt_count_next = 1;
    chip_run(&c, 0.5, s, 2000);
    assert_int_equal(c.dev.overflows, 1);
    /* the DS3's count field spans its whole FIFO: a garbled one at its top
     * is a FIFO about to overrun, reset */
    struct chip d;
    struct imu_settings ds3 = {104, 50, 2, 250};
    open_or_fail(&d, &lsm6ds3_driver, ramp, &ds3);
    chip_run(&d, 0.5, s, 2000);
    d.emu.bus.corrupt_count_next = 1;
    size_t m = chip_run(&d, 0.5, s, 2000);
    assert_int_equal(d.dev.overflows, 1);
    for (size_t i = 0; i < m; i++)
        assert_near(s[i].g[0], fmod(s[i].t * 100.0, 200.0), 1.0); /* no zeros handed out */
    c.emu.bus.disconnected = true;
    chip_run(&c, 0.5, s, 2000);
    assert_true(c.dev.lost);
    c.emu.bus.disconnected = false;
    lsm6dsx_emu_power_cycle(&c.emu);
    assert_true(chip_run(&c, 2.0, s, 2000) > 80);
    assert_false(c.dev.lost);
}

/* FIFO_STATUS as the datasheets give it, in literal numbers: STATUS1 0x3a
 * DIFF_FIFO[7:0]; STATUS2 0x3b OVER_RUN 0x40, FIFO_FULL 0x20, on the DS3
 * FIFO_EMPTY 0x10 and DIFF_FIFO[11:8] (the DSO: [9:8]); the DS3's STATUS3
 * 0x3c the next word's place in its frame (FIFO_PATTERN). */
static void test_fifo_status_bits_per_datasheet(void **state)
{
    (void)state;
    assert_int_equal(LSM6DSX_REG_FIFO_STATUS1, 0x3a);
    assert_int_equal(LSM6DSX_BIT_FIFO_OVER_RUN, 0x40);
    assert_int_equal(LSM6DSX_BIT_FIFO_FULL, 0x20);
    assert_int_equal(LSM6DS3_BIT_FIFO_EMPTY, 0x10);
    struct chip c;
    struct imu_settings set = {104, 50, 2, 250};
    open_or_fail(&c, &lsm6ds3_driver, ramp, &set);
    struct transport tr = lsm6dsx_emu_transport(&c.emu);
    uint8_t st[4];
    assert_int_equal(tr.read(tr.ctx, 0x3a, st, 4), 0);
    assert_int_equal(st[0], 0); /* just reset: empty */
    assert_int_equal(st[1], 0x10);
    lsm6dsx_emu_advance(&c.emu, c.emu.clk.now + 1.0); /* 104 frames, 624 words */
    assert_int_equal(tr.read(tr.ctx, 0x3a, st, 4), 0);
    assert_int_equal(st[0] | (st[1] & 0x0f) << 8, 624);
    assert_int_equal(st[1] & 0xf0, 0);
    assert_int_equal(st[2], 0);
    uint8_t word[2];
    assert_int_equal(tr.read(tr.ctx, 0x3e, word, 2), 0); /* one word: the next is the 2nd */
    assert_int_equal(tr.read(tr.ctx, 0x3a, st, 4), 0);
    assert_int_equal(st[0] | (st[1] & 0x0f) << 8, 623);
    assert_int_equal(st[2], 1);
    lsm6dsx_emu_advance(&c.emu, c.emu.clk.now + 8.0); /* past 4096 words */
    assert_int_equal(tr.read(tr.ctx, 0x3b, st, 1), 0);
    assert_int_equal(st[0] & 0x60, 0x60); /* overrun, full */
    struct chip d;
    struct imu_settings dso = {104, 52, 2, 250};
    open_or_fail(&d, &lsm6dso_driver, ramp, &dso);
    tr = lsm6dsx_emu_transport(&d.emu);
    assert_int_equal(tr.read(tr.ctx, 0x3a, st, 2), 0);
    assert_int_equal(st[1], 0); /* the DSO has no FIFO_EMPTY */
    lsm6dsx_emu_advance(&d.emu, d.emu.clk.now + 4.0); /* past 512 words */
    assert_int_equal(tr.read(tr.ctx, 0x3b, st, 1), 0);
    assert_int_equal(st[0] & 0x60, 0x60);
}

/* A garbled DS3 count inside its 12 bits: caught by FIFO_EMPTY (a count of
 * 0 with words waiting) and by the pattern (7 words cannot follow a frame's
 * start), reset rather than read out of step. */
static void test_ds3_garbled_count_in_range(void **state)
{
    (void)state;
    struct chip c;
    struct imu_settings set = {104, 50, 2, 250};
    open_or_fail(&c, &lsm6ds3_driver, ramp, &set);
    static struct sample s[2000];
    chip_run(&c, 0.5, s, 2000);
    static const uint16_t garbage[] = {7, 0, 601};
    for (int i = 0; i < 3; i++) {
        c.emu.garbage_count = garbage[i];
        c.emu.bus.corrupt_count_next = 1;
        size_t m = chip_run(&c, 0.5, s, 2000);
        assert_int_equal(c.dev.overflows, (unsigned long long)i + 1);
        for (size_t k = 0; k < m; k++)
            assert_near(s[k].g[0], fmod(s[k].t * 100.0, 200.0), 1.0);
    }
    assert_int_equal(c.dev.bad_frames, 0);
}

static void test_wrong_chip_is_named(void **state)
{
    (void)state;
    struct chip c;
    char err[200];
    struct imu_settings set = {104, 50, 2, 250};
    /* the DS3's driver at a DSO */
    assert_int_equal(chip_up(&c, &lsm6ds3_driver, lsm6dso_models, still, &set, err, sizeof err),
                     -ENODEV);
    assert_non_null(strstr(err, "WHO_AM_I reads 0x6c"));
    assert_non_null(strstr(err, "0x69 expected"));
}

/* What a chip runs with when the configuration asks for what it has not. */
static void test_settings_adapt(void **state)
{
    (void)state;
    struct config_sensor cs = {.sample_rate_hz = 100, .dlpf_hz = 44, .accel_range_g = 2,
                               .gyro_range_dps = 250};
    struct imu_settings s = drivers_settings(&lsm6dso_driver, &cs);
    assert_int_equal(s.sample_rate_hz, 104); /* the next rate up */
    assert_int_equal(s.filter_hz, 52);       /* the nearest bandwidth at 104 Hz */
    s = drivers_settings(&lsm6ds3_driver, &cs);
    assert_int_equal(s.filter_hz, 50);
    cs.sample_rate_hz = 1000;
    s = drivers_settings(&lsm6ds3_driver, &cs);
    assert_int_equal(s.sample_rate_hz, 833); /* none higher: the highest */
    s = drivers_settings(&mpu6050_driver, &cs);
    assert_int_equal(s.sample_rate_hz, 1000); /* the MPU-6050 divides down to any */
    assert_int_equal(s.filter_hz, 44);
}

static int load(const char *text, char *errs, size_t len)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/station-lsm-%d.cfg", (int)getpid());
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    struct station_config cfg;
    int n = config_load_ruled(&cfg, path, drivers_config_rules, errs, len);
    unlink(path);
    return n;
}

/* sensor.chip decides what address, rate and filter may be written. */
static void test_config_per_chip(void **state)
{
    (void)state;
    char errs[2048];
    assert_int_equal(load("sensor = { chip = \"lsm6dso\"; address = 0x6b;\n"
                          "  sample_rate_hz = 208; dlpf_hz = 52; };\n", errs, sizeof errs), 0);
    assert_int_equal(load("sensor = { chip = \"lsm6ds3\";\n  address = 0x68;\n"
                          "  dlpf_hz = 44;\n  sample_rate_hz = 100;\n};\n", errs, sizeof errs), 3);
    assert_non_null(strstr(errs, ":2: sensor.address: 0x68 is not one of 0x6a, 0x6b "
                                 "(with sensor.chip = \"lsm6ds3\")"));
    assert_non_null(strstr(errs, ":3: sensor.dlpf_hz: 44 is not one of 400, 200, 100, 50"));
    assert_non_null(strstr(errs, ":4: sensor.sample_rate_hz: 100 is not one of 26, 52, 104, "
                                 "208, 416, 833"));
    assert_int_equal(load("sensor = { chip = \"mpu6050\"; address = 0x6a; };\n", errs,
                          sizeof errs), 1);
    assert_non_null(strstr(errs, "0x6a is not one of 0x68, 0x69"));
    assert_int_equal(load("sensor = { chip = \"bmi160\"; };\n", errs, sizeof errs), 1);
    assert_non_null(strstr(errs, ":1: sensor.chip: \"bmi160\" is not one of \"auto\", "
                                 "\"mpu6050\", \"lsm6ds3\", \"lsm6dso\""));
    /* auto: any chip's address; unset keys are the found chip's to adapt */
    assert_int_equal(load("sensor = { address = 0x6b; };\n", errs, sizeof errs), 0);
    assert_int_equal(load("sensor = { chip = \"lsm6dso\"; };\n", errs, sizeof errs), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ds3_init_registers),
        cmocka_unit_test(test_dso_init_registers),
        cmocka_unit_test(test_ranges_round_trip),
        cmocka_unit_test(test_frame_decoding),
        cmocka_unit_test(test_fifo_stream),
        cmocka_unit_test(test_overrun_and_gap),
        cmocka_unit_test(test_ds3_overrun_and_gap),
        cmocka_unit_test(test_fifo_status_bits_per_datasheet),
        cmocka_unit_test(test_ds3_garbled_count_in_range),
        cmocka_unit_test(test_power_loss_is_reset),
        cmocka_unit_test(test_bus_faults),
        cmocka_unit_test(test_wrong_chip_is_named),
        cmocka_unit_test(test_settings_adapt),
        cmocka_unit_test(test_config_per_chip),
    };
    return cmocka_run_group_tests_name("lsm6dsx", tests, NULL, NULL);
}
