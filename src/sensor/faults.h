/* SPDX-License-Identifier: GPL-3.0-or-later */
/* faults: the emulator's fault script, parsed and run against any
 * emulated chip (its emu_bus and power cycle).
 *
 * The script is comma-separated, times in seconds of the emulator's clock:
 * disconnect@T+LEN (unplugged, then a fresh chip), stuck@T+LEN (the bus
 * hangs), stall@T+LEN (nobody reads: the FIFO overflows), nack@TxN (N
 * transfers fail, 1..FAULTS_NACK_MAX), corrupt@T (a garbage FIFO count), brownout@T (the chip
 * loses power for an instant: back asleep, FIFO off, with no failed
 * transfer), chip=NAME (which chip is emulated: a key of the driver table). */
#ifndef STATION_FAULTS_H
#define STATION_FAULTS_H

#include <stdbool.h>
#include <stddef.h>

#define FAULTS_MAX 16
#define FAULTS_SPEC_MAX 511
/* The most transfers one nack@TxN fails: more than a run makes in hours. */
#define FAULTS_NACK_MAX 1000000

extern const char faults_help[];

enum fault_kind { F_DISCONNECT, F_STUCK, F_STALL, F_NACK, F_CORRUPT, F_BROWNOUT };

struct fault {
    enum fault_kind kind;
    double at, len;
    int count;
    bool started, ended;
};

struct fault_script {
    struct fault f[FAULTS_MAX];
    int n;
    char chip[32];      /* chip=NAME, or "" */
    double stall_until; /* nobody reads before this (emulator seconds) */
};

/* Parses spec (NULL: no faults) into fs. Returns 0, or -1 with a sentence
 * naming the bad part and what is allowed in err. */
int faults_parse(struct fault_script *fs, const char *spec, char *err, size_t errlen);

/* The chip the faults act on. */
struct fault_target {
    struct emu_bus *bus;
    void (*power_cycle)(void *emu);
    void *emu;
};

/* Applies the script up to emulated time et (seconds since start). */
void faults_run(struct fault_script *fs, double et, const struct fault_target *t);

/* True while a stall keeps the reader away at et. */
bool faults_stalled(const struct fault_script *fs, double et);

#endif
