/* SPDX-License-Identifier: GPL-3.0-or-later */
/* i2c_transport: the transport over a Linux /dev/i2c-N adapter (libi2c). */
#ifndef STATION_I2C_TRANSPORT_H
#define STATION_I2C_TRANSPORT_H

#include "transport.h"

struct i2c_transport {
    int fd;
    int bus;
    int address;
};

/* Opens /dev/i2c-<bus>, checks the adapter can do the SMBus transfers the
 * driver uses, and selects address. Returns 0 or a negative errno with a
 * sentence for a person in err (what failed and what to try). */
int i2c_transport_open(struct i2c_transport *it, int bus, int address,
                       struct transport *out, char *err, size_t errlen);

void i2c_transport_close(struct i2c_transport *it);

#endif
