/* SPDX-License-Identifier: GPL-3.0-or-later */
/* transport: the one door to the sensor's registers. The real I2C bus
 * (i2c_transport.c) and the emulators (mpu6050_emu.c, lsm6dsx_emu.c) all
 * implement it. */
#ifndef STATION_TRANSPORT_H
#define STATION_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

struct transport {
    /* Reads len bytes starting at reg, the address going up by one a byte.
     * Returns 0 or a negative errno. */
    int (*read)(void *ctx, uint8_t reg, uint8_t *buf, size_t len);
    /* Writes one register. Returns 0 or a negative errno. */
    int (*write)(void *ctx, uint8_t reg, uint8_t val);
    /* Reads len bytes of a FIFO that streams from reg: every transfer the
     * bus splits it into starts again at reg. Returns 0 or a negative errno. */
    int (*read_fifo)(void *ctx, uint8_t reg, uint8_t *buf, size_t len);
    /* Waits ms milliseconds of the device's time (the emulator's clock in
     * tests, a real sleep on the bus). */
    void (*sleep_ms)(void *ctx, unsigned ms);
    void *ctx;
};

#endif
