/* SPDX-License-Identifier: GPL-3.0-or-later */
/* i2c_transport: SMBus register access through libi2c. */
#include "i2c_transport.h"

#include <errno.h>
#include <fcntl.h>
#include <i2c/smbus.h>
#include <linux/i2c-dev.h>
#include <linux/i2c.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

/* SMBus block transfers carry at most 32 bytes. */
#define I2C_BLOCK_MAX 32

/* libi2c returns -1 with errno, or a negative errno, depending on version:
 * fold both into -errno here, once. */
static int i2c_result(long rc)
{
    if (rc >= 0)
        return (int)rc;
    return errno ? -errno : (int)rc;
}

/* Block reads of at most I2C_BLOCK_MAX bytes; each starts at reg + done
 * (registers auto-increment), or at reg again for a FIFO (step 0). */
static int block_read(struct i2c_transport *it, uint8_t reg, unsigned step, uint8_t *buf,
                      size_t len)
{
    size_t done = 0;
    while (done < len) {
        size_t chunk = len - done > I2C_BLOCK_MAX ? I2C_BLOCK_MAX : len - done;
        uint8_t r = (uint8_t)(reg + step * done);
        errno = 0;
        int rc = i2c_result(i2c_smbus_read_i2c_block_data(it->fd, r, (uint8_t)chunk,
                                                          buf + done));
        if (rc < 0)
            return rc;
        if (rc != (int)chunk)
            return -EIO;
        done += chunk;
    }
    return 0;
}

static int i2c_read(void *ctx, uint8_t reg, uint8_t *buf, size_t len)
{
    return block_read(ctx, reg, 1, buf, len);
}

static int i2c_read_fifo(void *ctx, uint8_t reg, uint8_t *buf, size_t len)
{
    return block_read(ctx, reg, 0, buf, len);
}

static int i2c_write(void *ctx, uint8_t reg, uint8_t val)
{
    struct i2c_transport *it = ctx;
    errno = 0;
    int rc = i2c_result(i2c_smbus_write_byte_data(it->fd, reg, val));
    return rc < 0 ? rc : 0;
}

static void i2c_sleep_ms(void *ctx, unsigned ms)
{
    (void)ctx;
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

int i2c_transport_open(struct i2c_transport *it, int bus, int address,
                       struct transport *out, char *err, size_t errlen)
{
    char path[32];
    snprintf(path, sizeof path, "/dev/i2c-%d", bus);
    it->fd = open(path, O_RDWR | O_CLOEXEC);
    it->bus = bus;
    it->address = address;
    if (it->fd < 0) {
        int e = errno;
        if (e == ENOENT)
            snprintf(err, errlen, "%s does not exist: is I2C enabled "
                     "(dtparam=i2c_arm=on in config.txt) and i2c-dev loaded?", path);
        else if (e == EACCES)
            snprintf(err, errlen, "%s: permission denied: is the user in the i2c group?",
                     path);
        else
            snprintf(err, errlen, "%s: %s", path, strerror(e));
        return -e;
    }
    unsigned long funcs = 0;
    if (ioctl(it->fd, I2C_FUNCS, &funcs) < 0) {
        int e = errno;
        snprintf(err, errlen, "%s: cannot read adapter functions: %s", path, strerror(e));
        close(it->fd);
        it->fd = -1;
        return -e;
    }
    const unsigned long need = I2C_FUNC_SMBUS_READ_I2C_BLOCK | I2C_FUNC_SMBUS_WRITE_BYTE_DATA;
    if ((funcs & need) != need) {
        snprintf(err, errlen, "%s: adapter lacks SMBus I2C-block reads or byte writes "
                 "(functions 0x%lx)", path, funcs);
        close(it->fd);
        it->fd = -1;
        return -EOPNOTSUPP;
    }
    if (ioctl(it->fd, I2C_SLAVE, address) < 0) {
        int e = errno;
        snprintf(err, errlen, "%s: cannot select address 0x%02x: %s%s", path, address,
                 strerror(e), e == EBUSY ? " (a kernel driver owns it: unload inv_mpu6050 or st_lsm6dsx?)" : "");
        close(it->fd);
        it->fd = -1;
        return -e;
    }
    out->read = i2c_read;
    out->write = i2c_write;
    out->read_fifo = i2c_read_fifo;
    out->sleep_ms = i2c_sleep_ms;
    out->ctx = it;
    return 0;
}

void i2c_transport_close(struct i2c_transport *it)
{
    if (it->fd >= 0)
        close(it->fd);
    it->fd = -1;
}
