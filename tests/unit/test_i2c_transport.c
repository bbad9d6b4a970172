/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_i2c_transport: the I2C adapter against a fake /dev/i2c-N that
 * behaves like the kernel's: open fails as the kernel fails it (no such
 * device, permission), the adapter reports its functions, an address owned
 * by a kernel driver is busy, block reads carry at most 32 bytes from a
 * register file whose FIFO register streams, and a transfer can fail (no
 * acknowledge, a short read, libi2c's two ways of saying so), a sleep can
 * be interrupted by a signal. The link wraps open64, ioctl, nanosleep and
 * libi2c's two calls (Makefile: TEST_LDFLAGS_test_i2c_transport); every
 * other file and descriptor goes to the real ones. The real adapter runs
 * in the VM (tests/kernel/: i2c-stub). */
#include "test_util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/i2c-dev.h>
#include <linux/i2c.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sensor/i2c_transport.h"
#include "sensor/mpu6050_regs.h"

/* ---- the fake adapter ---- */
static struct {
    int open_errno;          /* open fails with this (0: opens) */
    int fd;                  /* the descriptor handed out (/dev/null), -1 when closed */
    int opens, closes;
    char path[64];
    int funcs_errno;         /* I2C_FUNCS fails with this */
    unsigned long funcs;
    int slave_errno;         /* I2C_SLAVE fails with this */
    long address;
    uint8_t regs[256];       /* the chip's register file */
    uint8_t fifo[128];       /* what the FIFO register streams */
    size_t fifo_pos;
    int reads;               /* block reads made */
    uint8_t read_reg[8];     /* the register each one started at */
    uint8_t read_len[8];
    int fail_read_at;        /* this block read (1-based) fails... */
    int read_errno;          /* ...with errno set, returning -1 */
    int read_rc;             /* ...or returning this, errno 0 (libi2c >= 4.2) */
    int short_by;            /* block reads return this many bytes too few */
    int write_errno;
    int eintr;               /* nanosleeps interrupted before one completes */
    long slept_ns;           /* the time asked of each call, summed */
} fk;

int __real_open64(const char *path, int flags, ...);
int __wrap_open64(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = (flags & O_CREAT) ? (mode_t)va_arg(ap, int) : 0;
    va_end(ap);
    if (strncmp(path, "/dev/i2c-", 9) != 0)
        return __real_open64(path, flags, mode);
    snprintf(fk.path, sizeof fk.path, "%s", path);
    if (fk.open_errno) {
        errno = fk.open_errno;
        return -1;
    }
    fk.opens++;
    fk.fd = __real_open64("/dev/null", O_RDWR);
    return fk.fd;
}

int __real_close(int fd);
int __wrap_close(int fd)
{
    if (fd == fk.fd && fd >= 0) {
        fk.closes++;
        fk.fd = -1;
    }
    return __real_close(fd);
}

int __real_ioctl(int fd, unsigned long req, ...);
int __wrap_ioctl(int fd, unsigned long req, ...)
{
    va_list ap;
    va_start(ap, req);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    if (fd != fk.fd || fd < 0)
        return __real_ioctl(fd, req, arg);
    if (req == I2C_FUNCS) {
        if (fk.funcs_errno) {
            errno = fk.funcs_errno;
            return -1;
        }
        *(unsigned long *)arg = fk.funcs;
        return 0;
    }
    if (req == I2C_SLAVE) {
        if (fk.slave_errno) {
            errno = fk.slave_errno;
            return -1;
        }
        fk.address = (long)arg;
        return 0;
    }
    errno = ENOTTY;
    return -1;
}

int32_t __wrap_i2c_smbus_read_i2c_block_data(int file, uint8_t reg, uint8_t len, uint8_t *out)
{
    assert_int_equal(file, fk.fd);
    assert_true(len <= 32); /* an SMBus block is at most 32 bytes */
    if (fk.reads < 8) {
        fk.read_reg[fk.reads] = reg;
        fk.read_len[fk.reads] = len;
    }
    fk.reads++;
    if (fk.reads == fk.fail_read_at) {
        errno = fk.read_errno;
        return fk.read_errno ? -1 : fk.read_rc;
    }
    int n = len - fk.short_by;
    for (int i = 0; i < n; i++)
        out[i] = reg == MPU6050_REG_FIFO_R_W ? fk.fifo[fk.fifo_pos++ % sizeof fk.fifo]
                                             : fk.regs[(uint8_t)(reg + i)];
    return n;
}

int32_t __wrap_i2c_smbus_write_byte_data(int file, uint8_t reg, uint8_t val)
{
    assert_int_equal(file, fk.fd);
    if (fk.write_errno) {
        errno = fk.write_errno;
        return -1;
    }
    fk.regs[reg] = val;
    return 0;
}

int __wrap_nanosleep(const struct timespec *req, struct timespec *rem)
{
    fk.slept_ns += req->tv_sec * 1000000000L + req->tv_nsec;
    if (fk.eintr > 0) {
        fk.eintr--;
        /* a signal half way: the rest is left to sleep */
        long left = (req->tv_sec * 1000000000L + req->tv_nsec) / 2;
        rem->tv_sec = left / 1000000000L;
        rem->tv_nsec = left % 1000000000L;
        errno = EINTR;
        return -1;
    }
    return 0;
}

static int setup(void **state)
{
    (void)state;
    memset(&fk, 0, sizeof fk);
    fk.fd = -1;
    fk.funcs = I2C_FUNC_I2C | I2C_FUNC_SMBUS_READ_I2C_BLOCK | I2C_FUNC_SMBUS_WRITE_BYTE_DATA;
    for (int i = 0; i < 256; i++)
        fk.regs[i] = (uint8_t)i;
    for (size_t i = 0; i < sizeof fk.fifo; i++)
        fk.fifo[i] = (uint8_t)(0x80 + i);
    return 0;
}

static struct i2c_transport it;
static struct transport tr;
static char err[300];

static int open_bus(int bus, int address)
{
    err[0] = '\0';
    memset(&tr, 0, sizeof tr);
    return i2c_transport_open(&it, bus, address, &tr, err, sizeof err);
}

/* ---- opening ---- */

static void opens_and_selects_the_address(void **state)
{
    (void)state;
    assert_int_equal(open_bus(1, 0x69), 0);
    assert_string_equal(fk.path, "/dev/i2c-1");
    assert_int_equal(fk.address, 0x69);
    assert_non_null(tr.read);
    assert_non_null(tr.write);
    assert_non_null(tr.read_fifo);
    assert_ptr_equal(tr.ctx, &it);
    i2c_transport_close(&it);
    i2c_transport_close(&it); /* twice is harmless */
    assert_int_equal(fk.opens, 1);
    assert_int_equal(fk.closes, 1);
    assert_int_equal(it.fd, -1);
}

static void open_failures_say_what_to_try(void **state)
{
    (void)state;
    static const struct {
        int e;
        const char *says;
    } cases[] = {
        {ENOENT, "/dev/i2c-3 does not exist: is I2C enabled (dtparam=i2c_arm=on in config.txt) "
                 "and i2c-dev loaded?"},
        {EACCES, "/dev/i2c-3: permission denied: is the user in the i2c group?"},
        {EIO, "/dev/i2c-3: Input/output error"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fk.open_errno = cases[i].e;
        assert_int_equal(open_bus(3, 0x68), -cases[i].e);
        assert_string_equal(err, cases[i].says);
        assert_int_equal(it.fd, -1);
        i2c_transport_close(&it); /* nothing to close */
    }
    assert_int_equal(fk.opens, 0);
}

static void adapter_functions_are_checked_first(void **state)
{
    (void)state;
    fk.funcs_errno = EIO;
    assert_int_equal(open_bus(1, 0x68), -EIO);
    assert_string_equal(err, "/dev/i2c-1: cannot read adapter functions: Input/output error");
    fk.funcs_errno = 0;
    /* an adapter with plain I2C but no SMBus block reads (some bit-banged
     * ones): refused before any transfer */
    fk.funcs = I2C_FUNC_I2C | I2C_FUNC_SMBUS_WRITE_BYTE_DATA;
    assert_int_equal(open_bus(1, 0x68), -EOPNOTSUPP);
    assert_non_null(strstr(err, "adapter lacks SMBus I2C-block reads or byte writes"));
    assert_int_equal(fk.opens, 2);
    assert_int_equal(fk.closes, 2); /* each closed again */
    assert_null(tr.read);
}

static void an_address_a_kernel_driver_owns_is_named(void **state)
{
    (void)state;
    fk.slave_errno = EBUSY;
    assert_int_equal(open_bus(1, 0x68), -EBUSY);
    assert_string_equal(err, "/dev/i2c-1: cannot select address 0x68: Device or resource busy "
                             "(a kernel driver owns it: unload inv_mpu6050 or st_lsm6dsx?)");
    fk.slave_errno = EINVAL;
    assert_int_equal(open_bus(1, 0x68), -EINVAL);
    assert_string_equal(err, "/dev/i2c-1: cannot select address 0x68: Invalid argument");
    assert_int_equal(fk.closes, 2);
}

/* ---- transfers ---- */

static void reads_are_split_into_smbus_blocks(void **state)
{
    (void)state;
    assert_int_equal(open_bus(1, 0x68), 0);
    uint8_t buf[70];
    /* registers auto-increment: each block starts where the last ended */
    assert_int_equal(tr.read(tr.ctx, 0x3b, buf, sizeof buf), 0);
    assert_int_equal(fk.reads, 3);
    assert_int_equal(fk.read_reg[0], 0x3b);
    assert_int_equal(fk.read_len[0], 32);
    assert_int_equal(fk.read_reg[1], 0x3b + 32);
    assert_int_equal(fk.read_reg[2], 0x3b + 64);
    assert_int_equal(fk.read_len[2], 6);
    for (size_t i = 0; i < sizeof buf; i++)
        assert_int_equal(buf[i], (uint8_t)(0x3b + i));
    /* the FIFO register streams: every block of a FIFO read starts there */
    fk.reads = 0;
    assert_int_equal(tr.read_fifo(tr.ctx, MPU6050_REG_FIFO_R_W, buf, 40), 0);
    assert_int_equal(fk.reads, 2);
    assert_int_equal(fk.read_reg[1], MPU6050_REG_FIFO_R_W);
    for (size_t i = 0; i < 40; i++)
        assert_int_equal(buf[i], (uint8_t)(0x80 + i));
    i2c_transport_close(&it);
}

static void failed_reads_are_negative_errnos(void **state)
{
    (void)state;
    assert_int_equal(open_bus(1, 0x68), 0);
    uint8_t buf[40];
    /* no acknowledge on the second block (a cable pulled mid-read) */
    fk.fail_read_at = 2;
    fk.read_errno = EREMOTEIO;
    assert_int_equal(tr.read(tr.ctx, 0x3b, buf, sizeof buf), -EREMOTEIO);
    /* libi2c 4.2 and later return the negative errno, errno untouched */
    fk.reads = 0;
    fk.read_errno = 0;
    fk.read_rc = -ENXIO;
    fk.fail_read_at = 1;
    assert_int_equal(tr.read(tr.ctx, 0x3b, buf, 6), -ENXIO);
    /* fewer bytes than asked: the data is not whole */
    fk.fail_read_at = 0;
    fk.short_by = 2;
    assert_int_equal(tr.read(tr.ctx, 0x3b, buf, 6), -EIO);
    i2c_transport_close(&it);
}

static void writes_reach_the_register_or_fail(void **state)
{
    (void)state;
    assert_int_equal(open_bus(1, 0x68), 0);
    assert_int_equal(tr.write(tr.ctx, MPU6050_REG_PWR_MGMT_1, 0x01), 0);
    assert_int_equal(fk.regs[MPU6050_REG_PWR_MGMT_1], 0x01);
    fk.write_errno = EREMOTEIO;
    assert_int_equal(tr.write(tr.ctx, MPU6050_REG_PWR_MGMT_1, 0x40), -EREMOTEIO);
    assert_int_equal(fk.regs[MPU6050_REG_PWR_MGMT_1], 0x01);
    i2c_transport_close(&it);
}

static void a_sleep_interrupted_by_a_signal_sleeps_the_rest(void **state)
{
    (void)state;
    assert_int_equal(open_bus(1, 0x68), 0);
    tr.sleep_ms(tr.ctx, 1500);
    assert_int_equal(fk.slept_ns, 1500000000L);
    /* two signals: 100 ms asked, then the 50 left, then the 25 left */
    fk.slept_ns = 0;
    fk.eintr = 2;
    tr.sleep_ms(tr.ctx, 100);
    assert_int_equal(fk.eintr, 0);
    assert_int_equal(fk.slept_ns, 100000000L + 50000000L + 25000000L);
    i2c_transport_close(&it);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(opens_and_selects_the_address, setup),
        cmocka_unit_test_setup(open_failures_say_what_to_try, setup),
        cmocka_unit_test_setup(adapter_functions_are_checked_first, setup),
        cmocka_unit_test_setup(an_address_a_kernel_driver_owns_is_named, setup),
        cmocka_unit_test_setup(reads_are_split_into_smbus_blocks, setup),
        cmocka_unit_test_setup(failed_reads_are_negative_errnos, setup),
        cmocka_unit_test_setup(writes_reach_the_register_or_fail, setup),
        cmocka_unit_test_setup(a_sleep_interrupted_by_a_signal_sleeps_the_rest, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
