/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_util: the fuzzer's bytes as a file the readers can open by path. */
#ifndef STATION_FUZZ_UTIL_H
#define STATION_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

/* Writes data into an anonymous in-memory file; fills path with a name
 * that opens it. Returns the fd (close it after), or -1. */
static inline int fuzz_file(const uint8_t *data, size_t size, char *path, size_t len)
{
    int fd = memfd_create("fuzz", 0);
    if (fd < 0)
        return -1;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return -1;
    }
    snprintf(path, len, "/proc/self/fd/%d", fd);
    return fd;
}

#endif
