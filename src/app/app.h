/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app: the live station. Wires a sample source, the motion core, the
 * session program, the buttons and keyboard, the screen (or a status line
 * when headless) and the session record, in one poll() loop. */
#ifndef STATION_APP_H
#define STATION_APP_H

#include <stdbool.h>

#include "../sensor/source.h"

struct app_options {
    const char *config;
    bool headless;
    const char *replay;     /* trace to replay as fast as possible */
    const char *script;     /* button script for the replay */
    struct source_options src;
    bool speed_given;
    double seconds;         /* stop after this much data (0: no limit) */
    int stage;              /* 0: from the configuration */
    const char *storage;    /* NULL: from the configuration */
    bool no_record;
    bool mute;              /* no sound at all (cues are still logged) */
    bool fullscreen, window;
    const char *screenshot; /* save the last frame here (offscreen) */
    double screenshot_at;   /* > 0: save the frame at this many seconds of data
                               instead of the last one */
    bool no_demo;           /* no sensor: wait for one instead of the demo (service) */
    const char *person;     /* issue 13: whom the sessions are for (NULL: chosen at idle) */
};

/* Runs until the data ends, a signal, or the person quits. Returns the
 * process exit code. */
int app_run(const struct app_options *o);

#endif
